"""Keyset (cursor) pagination over Tortoise querysets: no offset scans, `last` bounded.

A page is ordered by one sort column and then the primary key, both in the same direction,
so that `(sort value, id)` is unique and a cursor is simply the pair of the edge row.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import orjson
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from services.errors import Problem, ServiceError

M = TypeVar("M", bound=Model)

DEFAULT_PAGE_SIZE = 20


class PaginationErrorCode(Enum):
    INVALID_CURSOR = "invalid_cursor"
    INVALID_PAGE_SIZE = "invalid_page_size"


class PaginationError(ServiceError):
    pass


@dataclass(frozen=True, slots=True)
class PageRequest:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[M]):
    items: list[M]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool


def _encode(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    return base64.urlsafe_b64encode(orjson.dumps([value, pk])).decode()


def _decode(cursor: str) -> tuple[Any, int]:
    try:
        value, pk = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        return value, pk
    except Exception:
        raise PaginationError(
            Problem(PaginationErrorCode.INVALID_CURSOR, "The cursor is not valid.")
        ) from None


def cursor_for(item: Model, sort_field: str) -> str:
    return _encode(getattr(item, sort_field), item.pk)


def _beyond(sort_field: str, pk_field: str, value: Any, pk: int, *, ascending: bool) -> Q:
    """Rows strictly after (value, pk) in the given direction."""
    op = "gt" if ascending else "lt"
    past: dict[str, Any] = {f"{sort_field}__{op}": value}
    tie: dict[str, Any] = {sort_field: value, f"{pk_field}__{op}": pk}
    return Q(**past) | Q(**tie)


def check_page_size(request: PageRequest, max_size: int) -> None:
    """Refuse `first`/`last` outside 0..max_size, and both given at once."""
    if request.first is not None and request.last is not None:
        raise PaginationError(
            Problem(PaginationErrorCode.INVALID_PAGE_SIZE, "Give `first` or `last`, not both.")
        )
    for name in ("first", "last"):
        size = getattr(request, name)
        if size is not None and not 0 <= size <= max_size:
            raise PaginationError(
                Problem(
                    PaginationErrorCode.INVALID_PAGE_SIZE,
                    f"`{name}` must be between 0 and {max_size}.",
                    (name,),
                )
            )


async def paginate(
    queryset: QuerySet[M],
    request: PageRequest,
    *,
    sort_field: str = "id",
    descending: bool = False,
    max_size: int = 100,
) -> Page[M]:
    """One page of `queryset` ordered by (`sort_field`, pk), in a single query."""
    check_page_size(request, max_size)
    ascending = not descending
    backwards = request.last is not None
    size = request.last if backwards else request.first
    if size is None:
        size = DEFAULT_PAGE_SIZE

    pk_field = queryset.model._meta.pk_attr
    qs = queryset
    if request.after:
        value, pk = _decode(request.after)
        qs = qs.filter(_beyond(sort_field, pk_field, value, pk, ascending=ascending))
    if request.before:
        value, pk = _decode(request.before)
        qs = qs.filter(_beyond(sort_field, pk_field, value, pk, ascending=not ascending))

    if size == 0:
        # Only whether there is a row: no need to order them all (a relevance order
        # computes a score for every match).
        has_any = await qs.exists()
        return Page(
            items=[],
            cursors=[],
            has_next_page=has_any if not backwards else request.before is not None,
            has_previous_page=has_any if backwards else request.after is not None,
        )
    # Walking backwards reads the rows nearest the `before` edge first, then flips them.
    read_ascending = ascending != backwards
    prefix = "" if read_ascending else "-"
    rows = await qs.order_by(f"{prefix}{sort_field}", f"{prefix}{pk_field}").limit(size + 1)
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        items=rows,
        cursors=[cursor_for(row, sort_field) for row in rows],
        has_next_page=has_more if not backwards else request.before is not None,
        has_previous_page=has_more if backwards else request.after is not None,
    )
