"""The merchant's returns queue: every return, newest first, filtered in SQL and paged by
keyset, with how many each status (and each reason) holds under the other filters."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Count

from models.returns import ReturnRequest, ReturnStatus
from services.orders.numbers import normalize_order_number
from services.pagination import Page, PageRequest, paginate
from services.returns.errors import ReturnErrorCode, fail, not_found

#: The longest age a filter may ask for: ten years.
MAX_DAYS = 3650
MAX_SEARCH = 100
MAX_REASON_CODE = 40


@dataclass(frozen=True, slots=True)
class ReturnFilter:
    """Every given filter must match."""

    status: ReturnStatus | None = None
    #: The reason's code (`wrong_size`).
    reason_code: str | None = None
    #: The order's shipping country, ISO 3166-1 alpha-2.
    country: str | None = None
    #: A return or order number (or its start), or the shopper's email (or part of it).
    search: str | None = None
    #: Asked for at least this many days ago.
    older_than_days: int | None = None


def _text(value: str, limit: int, field: str) -> str:
    text = value.strip()
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise fail(ReturnErrorCode.INVALID, "The text contains control characters.", field)
    if len(text) > limit:
        raise fail(ReturnErrorCode.TOO_LONG, f"At most {limit} characters.", field)
    return text


def filter_query(
    given: ReturnFilter, *, now: datetime | None = None, statuses: bool = True, reasons: bool = True
) -> Q:
    """The WHERE clause of the queue; `statuses`/`reasons` False leave that filter out (for
    the counts). INVALID or TOO_LONG at the filter's field for a bad value."""
    q = Q()
    if statuses and given.status is not None:
        q &= Q(status=ReturnStatus(given.status))
    if reasons and given.reason_code:
        q &= Q(reason__code=_text(given.reason_code, MAX_REASON_CODE, "reason_code"))
    if given.country:
        country = given.country.strip().upper()
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise fail(ReturnErrorCode.INVALID, "A country is two letters (ISO 3166-1).", "country")
        q &= Q(order__ship_country=country)
    if given.search:
        text = _text(given.search, MAX_SEARCH, "search")
        if text:
            number = normalize_order_number(text)
            q &= (
                Q(number__istartswith=text)
                | Q(order__number__startswith=number)
                | Q(order__email__icontains=text)
            )
    if given.older_than_days is not None:
        if not 0 <= given.older_than_days <= MAX_DAYS:
            raise fail(
                ReturnErrorCode.INVALID,
                f"Give a number of days from 0 to {MAX_DAYS}.",
                "older_than_days",
            )
        q &= Q(created_at__lte=(now or timezone.now()) - timedelta(days=given.older_than_days))
    return q


async def list_returns(
    given: ReturnFilter, request: PageRequest, *, max_size: int, now: datetime | None = None
) -> Page[ReturnRequest]:
    """One page of the queue, newest first."""
    return await paginate(
        ReturnRequest.filter(filter_query(given, now=now)),
        request,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )


async def count_returns(given: ReturnFilter, *, now: datetime | None = None) -> int:
    return await ReturnRequest.filter(filter_query(given, now=now)).count()


async def count_by_status(
    given: ReturnFilter, *, now: datetime | None = None
) -> dict[ReturnStatus, int]:
    """How many returns each status holds under the other filters (statuses with none are
    left out), for the queue's tabs."""
    rows = (
        await ReturnRequest.filter(filter_query(given, now=now, statuses=False))
        .annotate(returns=Count("id"))
        .group_by("status")
        .values_list("status", "returns")
    )
    return {ReturnStatus(value): int(n) for value, n in rows}


async def count_by_reason(
    given: ReturnFilter, *, now: datetime | None = None
) -> list[tuple[str, str, int]]:
    """(reason code, reason name, returns) under the other filters, most returns first;
    returns whose reason was removed count under the code ""."""
    rows = (
        await ReturnRequest.filter(filter_query(given, now=now, reasons=False))
        .annotate(returns=Count("id"))
        .group_by("reason__code", "reason__name")
        .values_list("reason__code", "reason__name", "returns")
    )
    found = [(code or "", name or "", int(n)) for code, name, n in rows]
    return sorted(found, key=lambda row: (-row[2], row[0]))


async def return_by_id(return_id: int) -> ReturnRequest:
    """A return for staff; NOT_FOUND when there is none."""
    ret = await ReturnRequest.get_or_none(id=return_id)
    if ret is None:
        raise not_found("The return", "return_id")
    return ret


async def return_by_number(number: str) -> ReturnRequest | None:
    """The return with this number, for staff; None when there is none."""
    return await ReturnRequest.get_or_none(number=number.strip()[:24])
