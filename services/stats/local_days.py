"""Calendar days of a time zone, as UTC instants and as a SQL expression that buckets by them.

A merchant in Tokyo means Tokyo days when they ask for "1 to 31 March". The range becomes
the UTC instants between the first local midnight and the one after the last day, which
the `placed_at` index can use. Each timestamp is put on its local day by adding the UTC
offset in force at that instant and dividing by a day's seconds. Within a range of at
most 366 days a zone changes offset only a few times (daylight saving), so the offset is
a short `CASE` over those spans, exact to the second. The same arithmetic runs on SQLite
and PostgreSQL; only reading a timestamp as epoch seconds differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from services.stats.errors import StatsErrorCode, fail

#: The longest range a report covers, in days: a leap year.
MAX_DAYS = 366
SECONDS_PER_DAY = 86_400
_EPOCH = date(1970, 1, 1)

#: Epoch seconds of a timestamp column, per database dialect: whole seconds, rounded down.
_EPOCH_SECONDS = {
    "sqlite": "unixepoch({column})",
    "postgres": "CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)",
}


@dataclass(frozen=True, slots=True)
class OffsetSpan:
    """A UTC offset in force until `until` (epoch seconds, exclusive; None: to the end)."""

    offset: int
    until: int | None


@dataclass(frozen=True, slots=True)
class LocalDays:
    """The days `first` to `last` (inclusive) in `zone`, and where they begin and end in UTC."""

    first: date
    last: date
    zone: ZoneInfo
    #: The UTC instant of the first day's local midnight.
    start: datetime
    #: The UTC instant of the local midnight after the last day (exclusive).
    end: datetime
    spans: tuple[OffsetSpan, ...]

    @property
    def count(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[date]:
        """Every day of the range, in order."""
        return [self.first + timedelta(days=i) for i in range(self.count)]

    def date_of(self, day_number: int) -> date:
        """The date of a day number `day_number_sql` computed, kept inside the range.

        A number can fall outside only around a clock set back over midnight, where an
        instant after the range's first midnight still reads as the day before.
        """
        day = _EPOCH + timedelta(days=day_number)
        return min(max(day, self.first), self.last)

    def day_number_sql(self, column: str, dialect: str) -> str:
        """SQL for the local day of a timestamp column, as days since 1970-01-01.

        Every number in it is an integer this module computed, never a caller's text.
        """
        try:
            seconds = _EPOCH_SECONDS[dialect].format(column=column)
        except KeyError:
            raise NotImplementedError(f"statistics do not support {dialect!r}") from None
        if len(self.spans) == 1:
            offset = str(self.spans[0].offset)
        else:
            branches = " ".join(
                f"WHEN {seconds} < {span.until} THEN {span.offset}" for span in self.spans[:-1]
            )
            offset = f"CASE {branches} ELSE {self.spans[-1].offset} END"
        return f"(({seconds} + {offset}) / {SECONDS_PER_DAY})"


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def zone_named(name: str, *field: str) -> ZoneInfo:
    """The IANA time zone called `name` (`Europe/Paris`, `UTC`), or an INVALID_TIMEZONE error."""
    if name not in _zone_names():
        raise fail(
            StatsErrorCode.INVALID_TIMEZONE,
            f"{name!r} is not an IANA time zone name such as 'Europe/Paris' or 'UTC'.",
            *field,
        )
    return ZoneInfo(name)


def local_days(first: date, last: date, zone: ZoneInfo) -> LocalDays:
    """The range `first`..`last` in `zone`; INVALID_RANGE or RANGE_TOO_LONG if refused."""
    if last < first:
        raise fail(StatsErrorCode.INVALID_RANGE, "The range ends before it starts.", "to")
    if (last - first).days + 1 > MAX_DAYS:
        raise fail(StatsErrorCode.RANGE_TOO_LONG, f"A range covers at most {MAX_DAYS} days.", "to")
    midnights = [
        _epoch(_midnight(first + timedelta(days=i), zone)) for i in range((last - first).days + 2)
    ]
    return LocalDays(
        first=first,
        last=last,
        zone=zone,
        start=datetime.fromtimestamp(midnights[0], UTC),
        end=datetime.fromtimestamp(midnights[-1], UTC),
        spans=_offset_spans(midnights, zone),
    )


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    # A midnight skipped by a clock set forward resolves (fold=0) to the instant of the
    # change, which is when that day begins.
    return datetime.combine(day, time(0), tzinfo=zone)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _offset(second: int, zone: ZoneInfo) -> int:
    offset = datetime.fromtimestamp(second, zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _offset_spans(midnights: list[int], zone: ZoneInfo) -> tuple[OffsetSpan, ...]:
    """The offsets in force between the first and last midnight, with the second each ends.

    Zones change offset at most once a day, so comparing each day's first and last second
    finds every change, and a bisection within that day finds its exact second.
    """
    spans: list[OffsetSpan] = []
    known = midnights[0]  # a second at which `current` is in force
    current = _offset(known, zone)
    for after in midnights[1:]:
        end = after - 1
        if _offset(end, zone) != current:
            low, high = known, end  # offset(low) == current != offset(high)
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(middle, zone) == current:
                    low = middle
                else:
                    high = middle
            spans.append(OffsetSpan(offset=current, until=high))
            current = _offset(high, zone)
        known = end
    spans.append(OffsetSpan(offset=current, until=None))
    return tuple(spans)
