"""Customer service statistics: volumes, response and resolution times, breaches, ratings.

A report covers the days `first` to `last` (inclusive, at most 366) in a time zone (the
reader's, or the shop's service hours' when none is given), and gives totals plus one row
per group: per staff member or per channel. Per staff member, each figure goes to the person
it belongs to: a first response to whoever gave it, opened, resolved and breached
conversations to their assignee, a rating to the assignee when it was given; "unassigned" is
its own row.

What each figure counts, each by the instant it happened within the range:
- opened: conversations created;
- resolved: conversations whose latest resolution falls within the range;
- first responses: conversations first answered by staff;
- median and p90 first response time: business seconds (the shop's service hours) from a
  conversation's creation to its first response, over the first responses counted;
- median resolution time: business seconds from the conversation's opening (or its latest
  reopening, so a question answered again weeks later is not counted as weeks of work) to
  its latest resolution, over the resolutions counted;
- breaches: conversations flagged late (first response or resolution target missed);
- ratings: how many, and their average score (1 to 5; null without ratings).

Counts are aggregate queries (`GROUP BY` in the database). Times need each conversation's
pair of instants and the schedule's arithmetic, so they are computed in Python over the
range's rows: one row per conversation answered or resolved within the range (at most 366
days of them), two timestamps each, never messages.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from tortoise.functions import Count, Sum

from models.support import Conversation, ConversationChannel, ConversationRating
from services.stats.local_days import LocalDays, local_days, zone_named
from services.support import hours, levels


class GroupBy(Enum):
    STAFF = "staff"
    CHANNEL = "channel"


#: A group's key: an assignee's user id (None: unassigned) or a channel.
Key = int | ConversationChannel | None


@dataclass(slots=True)
class Figures:
    """The figures of the totals or of one group."""

    opened: int = 0
    resolved: int = 0
    first_responses: int = 0
    breaches: int = 0
    ratings: int = 0
    rating_total: int = 0
    #: Business seconds of each first response and each resolution counted.
    first_response_seconds: list[float] = field(default_factory=list)
    resolution_seconds: list[float] = field(default_factory=list)

    @property
    def average_rating(self) -> float | None:
        """The average score to two decimals; None without ratings."""
        if not self.ratings:
            return None
        return round(self.rating_total / self.ratings, 2)

    @property
    def median_first_response(self) -> int | None:
        return median(self.first_response_seconds)

    @property
    def p90_first_response(self) -> int | None:
        return percentile(self.first_response_seconds, 90)

    @property
    def median_resolution(self) -> int | None:
        return median(self.resolution_seconds)


@dataclass(frozen=True, slots=True)
class Row:
    key: Key
    figures: Figures


@dataclass(frozen=True, slots=True)
class SupportStatistics:
    days: LocalDays
    group_by: GroupBy
    totals: Figures
    #: One row per group with any figure: staff by user id (unassigned last), channels in
    #: their declared order.
    rows: list[Row]


def median(values: Iterable[float]) -> int | None:
    """The median in whole seconds (the mean of the two middle values for an even count,
    rounded half up); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return _whole(statistics.median(ordered))


def percentile(values: Iterable[float], p: int) -> int | None:
    """The nearest-rank `p`th percentile in whole seconds: the smallest value at least `p`
    percent of the values are at or below. None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return _whole(ordered[rank - 1])


def _whole(seconds: float) -> int:
    return math.floor(seconds + 0.5)


async def support_statistics(
    first: date, last: date, group_by: GroupBy, timezone: str | None = None
) -> SupportStatistics:
    """The report for `first`..`last` in `timezone` (an IANA name; the service hours' zone
    if None). Times are business time of the service hours whatever the zone. Refused with
    INVALID_TIMEZONE, INVALID_RANGE or RANGE_TOO_LONG (statistics errors)."""
    zone = zone_named(timezone, "timezone") if timezone is not None else None
    schedule = await levels.load_schedule()
    days = local_days(first, last, zone or schedule.zone)
    key = "assignee_id" if group_by is GroupBy.STAFF else "channel"
    groups: dict[Key, Figures] = {}

    def figures(value: Any) -> Figures:
        k: Key = ConversationChannel(value) if group_by is GroupBy.CHANNEL else value
        return groups.setdefault(k, Figures())

    def within(column: str) -> dict[str, datetime]:
        return {f"{column}__gte": days.start, f"{column}__lt": days.end}

    for column, attr in (
        ("created_at", "opened"),
        ("breached_at", "breaches"),
    ):
        rows = (
            await Conversation.filter(**within(column))
            .annotate(n=Count("id"))
            .group_by(key)
            .values(key, "n")
        )
        for row in rows:
            setattr(figures(row[key]), attr, int(row["n"]))

    answered_by = "first_responder_id" if group_by is GroupBy.STAFF else key
    answered = await Conversation.filter(**within("first_response_at")).values_list(
        answered_by, "created_at", "first_response_at"
    )
    for value, created, answered_at in answered:
        group = figures(value)
        group.first_responses += 1
        group.first_response_seconds.append(
            max(0.0, hours.business_seconds_between(created, answered_at, schedule))
        )

    resolved = await Conversation.filter(**within("resolved_at")).values_list(
        key, "created_at", "reopened_at", "resolved_at"
    )
    for value, created, reopened, resolved_at in resolved:
        group = figures(value)
        group.resolved += 1
        opened = reopened if reopened is not None and reopened < resolved_at else created
        group.resolution_seconds.append(
            max(0.0, hours.business_seconds_between(opened, resolved_at, schedule))
        )

    rating_key = "assignee_id" if group_by is GroupBy.STAFF else "conversation__channel"
    ratings = (
        await ConversationRating.filter(**within("created_at"))
        .annotate(n=Count("id"), total=Sum("score"))
        .group_by(rating_key)
        .values(rating_key, "n", "total")
    )
    for row in ratings:
        group = figures(row[rating_key])
        group.ratings = int(row["n"])
        group.rating_total = int(row["total"] or 0)

    return SupportStatistics(
        days=days,
        group_by=group_by,
        totals=_sum(groups.values()),
        rows=[Row(k, groups[k]) for k in _ordered(groups, group_by)],
    )


def _ordered(groups: dict[Key, Figures], group_by: GroupBy) -> list[Key]:
    if group_by is GroupBy.CHANNEL:
        return [c for c in ConversationChannel if c in groups]
    staff = sorted(k for k in groups if isinstance(k, int))
    return [*staff, *([None] if None in groups else [])]


def _sum(groups: Iterable[Figures]) -> Figures:
    total = Figures()
    for group in groups:
        total.opened += group.opened
        total.resolved += group.resolved
        total.first_responses += group.first_responses
        total.breaches += group.breaches
        total.ratings += group.ratings
        total.rating_total += group.rating_total
        total.first_response_seconds.extend(group.first_response_seconds)
        total.resolution_seconds.extend(group.resolution_seconds)
    return total
