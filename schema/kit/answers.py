"""A service's answer where a refusal is not a whole payload: a query's input error,
nothing, or the refusal kept next to what was done."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Generic, TypeVar

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


@dataclass(frozen=True, slots=True)
class Attempt(Generic[T]):
    """A service's answer, or the `ServiceError` it refused with."""

    value: T | None = None
    error: ServiceError | None = None


async def attempt(pending: Awaitable[T]) -> Attempt[T]:
    """The answer or the refusal, for a payload that reports a refusal next to what was
    already done (a guest cart's token, answered even when its pricing is refused)."""
    try:
        return Attempt(value=await pending)
    except ServiceError as exc:
        return Attempt(error=exc)
