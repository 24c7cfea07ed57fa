"""The exceptions queue: parcels whose trouble waits for staff.

A parcel is in the queue while `progress.needs_attention` holds for its status (an exception,
a failed attempt, duties due or papers missing at customs, tracking expired, on its way
back) and staff have not marked it handled; a new status takes the mark away again
(`services.tracking.events`). The queue is read as one query on the shipments joined to
their orders, filtered in SQL and paged by when each parcel took its current status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Count

from models.orders import Shipment
from models.tracking import TrackingStatus
from services.pagination import Page, PageRequest, paginate
from services.tracking import progress
from services.tracking.errors import TrackingErrorCode, fail

#: The longest age a filter may ask for: ten years.
MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """Every given filter must match; empty lists match everything."""

    statuses: list[TrackingStatus] = field(default_factory=list)
    carrier_ids: list[int] = field(default_factory=list)
    #: The shipping address's country, ISO 3166-1 alpha-2.
    countries: list[str] = field(default_factory=list)
    #: In trouble for at least this many days.
    older_than_days: int | None = None
    #: In trouble since this instant or later.
    since: datetime | None = None
    #: Also the parcels staff already marked handled (while their trouble lasts).
    include_handled: bool = False


def attention_query() -> Q:
    """Parcels to the shopper whose status needs someone to act, handled or not
    (`progress.needs_attention`). Return parcels are followed on their return instead."""
    trouble = Q(tracking_status__in=list(progress.PROBLEMS)) | Q(
        tracking_status=TrackingStatus.IN_CUSTOMS,
        tracking_sub_status__in=list(progress.CUSTOMS_PROBLEMS),
    )
    return trouble & Q(return_request_id__isnull=True)


def filter_query(given: QueueFilter, *, now: datetime | None = None, statuses: bool = True) -> Q:
    """The WHERE clause of the queue; `statuses` False leaves the status filter out (for the
    counts per status). INVALID at `filter.older_than_days` outside 0..MAX_DAYS."""
    q = attention_query()
    if not given.include_handled:
        q &= Q(handled_at__isnull=True)
    if statuses and given.statuses:
        q &= Q(tracking_status__in=[TrackingStatus(s) for s in given.statuses])
    if given.carrier_ids:
        q &= Q(carrier_id__in=given.carrier_ids)
    if given.countries:
        q &= Q(order__ship_country__in=[c.upper() for c in given.countries])
    if given.older_than_days is not None:
        if not 0 <= given.older_than_days <= MAX_DAYS:
            raise fail(
                TrackingErrorCode.INVALID,
                f"Give a number of days from 0 to {MAX_DAYS}.",
                "filter",
                "older_than_days",
            )
        q &= Q(status_since__lte=(now or timezone.now()) - timedelta(days=given.older_than_days))
    if given.since is not None:
        q &= Q(status_since__gte=given.since)
    return q


async def list_exceptions(
    given: QueueFilter,
    request: PageRequest,
    *,
    oldest_first: bool = False,
    max_size: int,
    now: datetime | None = None,
) -> Page[Shipment]:
    """One page of the queue, newest trouble first (or oldest first), each shipment with its
    order read in the same query."""
    return await paginate(
        Shipment.filter(filter_query(given, now=now)).select_related("order"),
        request,
        sort_field="status_since",
        descending=not oldest_first,
        max_size=max_size,
    )


async def count_exceptions(given: QueueFilter, *, now: datetime | None = None) -> int:
    """How many parcels the filter finds in the queue."""
    return await Shipment.filter(filter_query(given, now=now)).count()


async def count_by_status(
    given: QueueFilter, *, now: datetime | None = None
) -> dict[TrackingStatus, int]:
    """How many parcels of each status the queue holds under the other filters (the status
    filter left out), for filter chips; statuses with none are left out."""
    rows = (
        await Shipment.filter(filter_query(given, now=now, statuses=False))
        .annotate(parcels=Count("id"))
        .group_by("tracking_status")
        .values_list("tracking_status", "parcels")
    )
    return {TrackingStatus(status): int(parcels) for status, parcels in rows}
