"""Tortoise models, one module per domain.

`MODULES` names every module of this package, found by looking (a new domain's
`models/<domain>.py` is registered by being there); the Tortoise configuration in `settings`,
and so the server, the command line and the migrations, read it. A module whose name starts
with `_` is a helper and is left out.
"""

from __future__ import annotations

import pkgutil

#: Every module that declares Tortoise models, in name order: one app, one migrations package.
MODULES: list[str] = sorted(
    f"{__name__}.{module.name}"
    for module in pkgutil.iter_modules(__path__)
    if not module.name.startswith("_")
)
