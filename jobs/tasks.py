"""Every module that registers tasks: a worker imports this to know them all."""

from __future__ import annotations

from . import periodic, registry

__all__ = ["periodic", "registry"]
