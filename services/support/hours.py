"""Business time: the shop's service hours in its time zone, and time counted only while open.

A `Schedule` is pure data (a zone, open spans per weekday, closed days), so the arithmetic
needs no database and is tested by hand. A span is minutes from local midnight: 9:00 to
17:30 is (540, 1050); a day may have several, and one may close at 24:00 (1440). A schedule
without spans is open around the clock (closed days still close it).

Business time is real elapsed time while open. Spans are placed on the calendar in the
schedule's zone, so a day whose clocks jump forward opens for an hour less when the jump
falls within a span, and a day whose clocks fall back for an hour more: a wall-clock time
that does not exist reads as the same minutes after the previous offset, one that exists
twice as its first occurrence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 1440
#: Days looked ahead for open time before giving up: a schedule this closed has no answer.
MAX_SEARCH_DAYS = 366 * 20

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Schedule:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    #: Open spans per weekday (0 Monday .. 6 Sunday), sorted and not overlapping.
    spans: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)
    #: Local dates closed all day.
    holidays: frozenset[date] = frozenset()

    @property
    def always_open(self) -> bool:
        """Open every minute: no spans and no closed days."""
        return not self.spans and not self.holidays

    def spans_on(self, day: date) -> tuple[Span, ...]:
        if day in self.holidays:
            return ()
        if not self.spans:
            return ((0, MINUTES_PER_DAY),)
        return self.spans.get(day.weekday(), ())


def schedule(
    zone: str = "UTC",
    hours: Iterable[tuple[int, int, int]] = (),
    holidays: Iterable[date] = (),
) -> Schedule:
    """A schedule from a zone name, (weekday, opens, closes) rows and closed dates."""
    spans: dict[int, list[Span]] = {}
    for weekday, opens, closes in hours:
        spans.setdefault(weekday, []).append((opens, closes))
    return Schedule(
        zone=ZoneInfo(zone),
        spans={day: tuple(sorted(rows)) for day, rows in spans.items()},
        holidays=frozenset(holidays),
    )


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of `minute` after local midnight of `day` in `zone`."""
    local = datetime.combine(day, time()) + timedelta(minutes=minute)
    return local.replace(tzinfo=zone).astimezone(UTC)


def _open_intervals(
    start: datetime, schedule: Schedule, *, days: int
) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals (UTC) ending after `start`, in order, over at most `days` days."""
    day = start.astimezone(schedule.zone).date() - timedelta(days=1)
    for _ in range(days + 1):
        for opens, closes in schedule.spans_on(day):
            a, b = _instant(day, opens, schedule.zone), _instant(day, closes, schedule.zone)
            if b > start and b > a:
                yield max(a, start), b
        day += timedelta(days=1)


def add_business_time(start: datetime, minutes: float, schedule: Schedule) -> datetime:
    """The instant when `minutes` of business time have passed since `start` (an aware
    datetime). Raises ValueError for a schedule with no open time within twenty years."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    left = timedelta(minutes=minutes)
    if schedule.always_open or left <= timedelta(0):
        return start + left
    for a, b in _open_intervals(start, schedule, days=MAX_SEARCH_DAYS):
        if left <= b - a:
            return a + left
        left -= b - a
    raise ValueError("the schedule has no open time ahead")


def business_seconds_between(a: datetime, b: datetime, schedule: Schedule) -> float:
    """Seconds of business time from `a` to `b`; negative when `b` is before `a`."""
    if b < a:
        return -business_seconds_between(b, a, schedule)
    if schedule.always_open:
        return (b - a).total_seconds()
    total = timedelta(0)
    days = (b - a).days + 2
    for start, end in _open_intervals(a, schedule, days=days):
        if start >= b:
            break
        total += min(end, b) - start
    return total.total_seconds()


def business_minutes_between(a: datetime, b: datetime, schedule: Schedule) -> float:
    """Minutes of business time from `a` to `b`; negative when `b` is before `a`."""
    return business_seconds_between(a, b, schedule) / 60
