"""Connections from a service's page, and a page or the input error its request earns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from schema.errors import BadUserInput
from schema.relay import Connection, edges_of
from services.errors import ServiceError
from services.pagination import Page

ConnectionT = TypeVar("ConnectionT", bound=Connection[Any])
ItemT = TypeVar("ItemT")


async def _no_count() -> int:
    raise NotImplementedError


def connection(
    cls: type[ConnectionT],
    page: Page[Any],
    nodes: Sequence[Any] | None = None,
    count: Callable[[], Awaitable[int]] = _no_count,
) -> ConnectionT:
    """A `cls` connection of `page`: `nodes` built from its items (the items themselves if
    None), and `count` answering `totalCount`.
    """
    edges, page_info = edges_of(page, list(page.items if nodes is None else nodes))
    return cls(edges=edges, page_info=page_info, _count=count)


async def page_or_error(pending: Awaitable[ItemT]) -> ItemT:
    """The page a service returns; a bad cursor or page size becomes a GraphQL input error."""
    try:
        return await pending
    except ServiceError as exc:
        raise BadUserInput.from_service_error(exc) from None
