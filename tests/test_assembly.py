"""One place per registry: the schema's roots come from the table of domains, the model
modules from `models.MODULES`, the webhook routes from `webhooks.routes`."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import domains
import models
import resolvers
import subscriptions
import webhooks
from settings import ROOT, Settings, tortoise_config

ROOTS = {"Query": domains.Query, "Mutation": domains.Mutation, "Subscription": domains.Subscription}


def _modules(package: ModuleType) -> list[ModuleType]:
    found = [package]
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        found.append(importlib.import_module(info.name))
    return found


def _fields(cls: type) -> set[str]:
    return {field.python_name for field in cls.__strawberry_definition__.fields}  # type: ignore[attr-defined]


def _declared_roots() -> list[tuple[str, type]]:
    """Every root type declared in resolvers/ and subscriptions/, with the root it extends."""
    declared = []
    for module in _modules(resolvers) + _modules(subscriptions):
        for value in vars(module).values():
            if not isinstance(value, type) or not hasattr(value, "__strawberry_definition__"):
                continue
            for kind in ROOTS:
                if value.__name__.endswith(kind) and value.__module__ == module.__name__:
                    declared.append((kind, value))
    return declared


def test_every_declared_root_field_reaches_the_schema():
    declared = _declared_roots()
    assert len(declared) > 20  # the walk finds them
    missing = {
        f"{cls.__module__}.{cls.__name__}.{name}"
        for kind, cls in declared
        for name in _fields(cls) - _fields(ROOTS[kind])
    }
    assert not missing, f"root types missing from the table in domains.py: {sorted(missing)}"


def test_each_domain_is_listed_once_and_each_root_type_in_one_domain():
    names = [domain.name for domain in domains.DOMAINS]
    assert len(names) == len(set(names))
    listed = [
        root
        for domain in domains.DOMAINS
        for root in (*domain.query, *domain.mutation, *domain.subscription)
    ]
    assert len(listed) == len(set(listed))


def test_the_roots_merge_the_table_in_its_order():
    expected = [
        name
        for domain in domains.DOMAINS
        for root in domain.subscription
        for name in (f.python_name for f in root.__strawberry_definition__.fields)  # type: ignore[attr-defined]
    ]
    assert [f.python_name for f in domains.Subscription.__strawberry_definition__.fields] == (  # type: ignore[attr-defined]
        expected
    )


def test_model_modules_are_every_module_of_the_models_package():
    files = sorted(
        f"models.{path.stem}"
        for path in (ROOT / "models").glob("*.py")
        if not path.name.startswith("_")
    )
    assert files == models.MODULES
    assert tortoise_config("sqlite://:memory:")["apps"]["models"]["models"] == models.MODULES


@pytest.mark.parametrize("path", ["/webhooks/stripe"])
def test_webhook_routes_are_mounted_from_one_list(path):
    paths = [getattr(route, "path", None) for route in webhooks.routes(Settings())]
    assert path in paths


def test_helpers_in_models_are_left_out(tmp_path: Path):
    package = tmp_path / "models"
    package.mkdir()
    for name in ("__init__.py", "returns.py", "_mixins.py"):
        (package / name).write_text("")
    (package / "__init__.py").write_text((ROOT / "models" / "__init__.py").read_text())
    namespace: dict[str, object] = {"__name__": "models", "__path__": [str(package)]}
    exec(compile((package / "__init__.py").read_text(), "models/__init__.py", "exec"), namespace)
    assert namespace["MODULES"] == ["models.returns"]
