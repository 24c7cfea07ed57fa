"""Every module that registers tasks: a worker imports this to know them all."""

from __future__ import annotations

from . import emails, periodic, registry, support, tracking

__all__ = ["emails", "periodic", "registry", "support", "tracking"]
