"""Inputs as plain data, for the root fields that hand a whole input to a service."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry


def plain(value: Any) -> Any:
    """An input object as plain data: dicts of the fields given, enums as their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not strawberry.UNSET
        }
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value
