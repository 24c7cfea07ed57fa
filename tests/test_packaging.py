"""The wheel holds the code and every file it reads; installed, the shop writes outside it.

`make wheel-check` (in CI) installs the wheel in a fresh virtualenv and runs the shop from
it; these tests check what goes in the wheel and where an installed shop keeps its data.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from settings import DATA_DIR, ROOT

PACKAGES = [
    "models", "loaders", "services", "schema", "resolvers", "subscriptions", "webhooks",
    "demo", "migrations", "bench",
]  # fmt: skip


def _tracked(*paths: str) -> list[str]:
    listing = subprocess.run(
        ["git", "ls-files", "--", *paths], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return listing.stdout.split()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs the git checkout")
    out = tmp_path_factory.mktemp("dist")
    build = tmp_path_factory.mktemp("build")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
        # Keep setuptools' build folder out of the checkout.
        env={**os.environ, "TMPDIR": str(build)},
    )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel_file,) = out.glob("tradewind-*.whl")
    with zipfile.ZipFile(wheel_file) as archive:
        return set(archive.namelist())


def test_the_wheel_holds_every_module_of_the_packages(wheel):
    modules = [path for path in _tracked(*PACKAGES) if path.endswith(".py")]
    assert len(modules) > 200
    assert not [path for path in modules if path not in wheel]
    for module in ("cli.py", "domains.py", "server.py", "settings.py"):
        assert module in wheel


def test_the_wheel_holds_the_files_the_code_reads(wheel):
    web = _tracked("web")
    assert "web/index.html" in web
    data = [
        "schema/schema.graphql",
        "demo/eurofxref-daily.xml",
        "services/customs/data/harmonized-system.csv.gz",
        "services/customs/data/regimes.toml",
        *web,
        *(path for path in _tracked("services") if "/templates/" in path),
    ]
    assert not [path for path in data if path not in wheel]


def test_the_wheel_leaves_out_tests_and_local_data(wheel):
    assert not [name for name in wheel if name.startswith(("tests/", "data/", "bench/results/"))]
    assert not [name for name in wheel if "__pycache__" in name or name.endswith(".pyc")]


def test_the_checkout_keeps_its_data_in_data():
    assert DATA_DIR == ROOT / "data"


def test_installed_the_shop_writes_to_the_working_directory(tmp_path: Path):
    # An installed layout: settings.py and the packages it imports, without pyproject.toml.
    site = tmp_path / "site-packages"
    (site / "models").mkdir(parents=True)
    shutil.copy(ROOT / "settings.py", site / "settings.py")
    shutil.copy(ROOT / "models" / "__init__.py", site / "models" / "__init__.py")
    run = tmp_path / "run"
    run.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_DIR")}
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "import settings; s = settings.get_settings();"
            "print(settings.DATA_DIR, s.database_url, s.media_dir, sep='\\n')",
        ],
        cwd=run,
        env={**env, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split("\n")
    assert shown[:3] == [
        str(run / "data"),
        f"sqlite://{run / 'data' / 'tradewind.sqlite3'}",
        str(run / "data" / "media"),
    ]
