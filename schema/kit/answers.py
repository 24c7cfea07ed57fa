"""A service's answer where a refusal is not a payload: a query's input error, or nothing."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from schema.errors import BadUserInput
from services.errors import ServiceError

T = TypeVar("T")


async def page_or_error(pending: Awaitable[T]) -> T:
    """The page a service returns; a bad cursor or page size becomes a GraphQL input error."""
    try:
        return await pending
    except ServiceError as exc:
        raise BadUserInput.from_service_error(exc) from None


async def or_none(pending: Awaitable[T]) -> T | None:
    """The service's answer, or None when it refuses (the object is not there for this viewer)."""
    try:
        return await pending
    except ServiceError:
        return None
