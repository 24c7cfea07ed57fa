"""Helpers every domain's root fields share: inputs as plain data, and pages or their errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from enum import Enum
from typing import Any, TypeVar

import strawberry
from tortoise.models import Model

from schema.errors import BadUserInput
from services.errors import ServiceError
from services.pagination import Page

M = TypeVar("M", bound=Model)


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


async def page_or_error(pending: Awaitable[Page[M]]) -> Page[M]:
    """The page a service returns; a bad cursor or page size becomes a GraphQL input error."""
    try:
        return await pending
    except ServiceError as exc:
        raise BadUserInput.from_service_error(exc) from None
