"""Connections from a service's page: one builder for every `XConnection`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from schema.relay import Connection, edges_of
from services.pagination import Page

ConnectionT = TypeVar("ConnectionT", bound=Connection[Any])


async def _no_count() -> int:
    raise NotImplementedError


def connection(
    cls: type[ConnectionT],
    page: Page[Any],
    nodes: Sequence[Any] | None = None,
    count: Callable[[], Awaitable[int]] = _no_count,
    **fields: Any,
) -> ConnectionT:
    """A `cls` connection of `page`: `nodes` built from its items (the items themselves if
    None), `count` answering `totalCount`, and the connection's own further `fields`.
    """
    edges, page_info = edges_of(page, list(page.items if nodes is None else nodes))
    return cls(edges=edges, page_info=page_info, _count=count, **fields)
