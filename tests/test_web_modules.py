"""The site's ES modules as files: every import resolves, none goes round in a circle,
and the layers hold (web/lib/ is for any app of the site, so it imports nothing of the
storefront; web/shop/ imports no screen; the console shares only web/lib/ with the storefront).
Each module says at its top what it holds."""

from __future__ import annotations

import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[1] / "web"
#: Third-party files, pinned and checked by tests/test_vendor.py, not written here.
VENDOR = WEB / "vendor"
IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s"([^"]+)";', re.MULTILINE)


def own_modules() -> list[Path]:
    """The project's own modules under web/, third-party files left out."""
    return [path for path in sorted(WEB.rglob("*.js")) if VENDOR not in path.parents]


def module_imports() -> dict[str, list[str]]:
    """Each module (path under web/) with the modules it imports."""
    graph = {}
    for path in own_modules():
        name = path.relative_to(WEB).as_posix()
        targets = [(path.parent / spec).resolve() for spec in IMPORT.findall(path.read_text())]
        graph[name] = [t.relative_to(WEB).as_posix() for t in targets]
    return graph


def test_every_import_names_a_module_of_the_storefront():
    graph = module_imports()
    assert "app.js" in graph and len(graph) > 10
    missing = {(name, target) for name, targets in graph.items() for target in targets}
    vendored = {p.relative_to(WEB).as_posix() for p in VENDOR.rglob("*.js")}
    assert {pair for pair in missing if pair[1] not in graph and pair[1] not in vendored} == set()


def test_no_module_imports_itself_through_others():
    graph = module_imports()
    cycles = []

    def visit(name: str, path: list[str], done: set[str]) -> None:
        if name in path:
            cycles.append([*path[path.index(name) :], name])
            return
        if name in done:
            return
        for target in graph.get(name, ()):  # vendored files import nothing of ours
            visit(target, [*path, name], done)
        done.add(name)

    done: set[str] = set()
    for name in graph:
        visit(name, [], done)
    assert cycles == []


def test_lib_imports_only_lib_and_shop_imports_no_screen():
    wrong = [
        (name, target)
        for name, targets in module_imports().items()
        for target in targets
        if (name.startswith("lib/") and not target.startswith("lib/"))
        or (name.startswith("shop/") and target.startswith("screens/"))
    ]
    assert wrong == []


def test_each_module_starts_with_a_comment_saying_what_it_holds():
    bare = [
        path.relative_to(WEB).as_posix()
        for path in own_modules()
        if not path.read_text().startswith("// ")
    ]
    assert bare == []


def test_the_console_shares_only_lib_with_the_storefront():
    wrong = [
        (name, target)
        for name, targets in module_imports().items()
        for target in targets
        if name.startswith("console/") != target.startswith("console/")
        and not target.startswith(("lib/", "vendor/"))
    ]
    assert wrong == []
    assert "console/app.js" in module_imports()
