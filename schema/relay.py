"""Relay pieces every domain uses: global IDs, keyset connections and their page info."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.relay.utils import from_base64, to_base64

from services.pagination import Page, PageRequest

NodeT = TypeVar("NodeT")

#: The largest primary key our INTEGER key columns hold.
MAX_KEY = 2**31 - 1


def encode_id(type_name: str, pk: int) -> strawberry.ID:
    return strawberry.ID(to_base64(type_name, pk))


def decode_id(value: str, type_name: str) -> int | None:
    """The primary key in a global ID of `type_name`; None when it is not one."""
    try:
        decoded_type, raw = from_base64(value)
        pk = int(raw)
    except Exception:
        return None
    return pk if decoded_type == type_name and 0 < pk <= MAX_KEY else None


@strawberry.enum
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    node: NodeT
    cursor: str


@strawberry.type
class Connection(Generic[NodeT]):
    """A page of a keyset-paginated list."""

    edges: list[Edge[NodeT]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="Number of items in the whole list, across all pages.")
    async def total_count(self) -> int:
        return await self._count()


def page_request(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)


def edges_of(page: Page[Any], nodes: list[NodeT]) -> tuple[list[Edge[NodeT]], PageInfo]:
    """Edges for nodes built from a page's items (same order), and the page info."""
    edges = [
        Edge(node=node, cursor=cursor) for node, cursor in zip(nodes, page.cursors, strict=True)
    ]
    return edges, PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
