"""The shop's customer service settings: its service hours (a time zone, open spans per
weekday, closed days) and its service-level targets per priority.

Each change replaces the whole set at once, checked first: every problem is reported
together and nothing is changed while any remains. Changes are serialised on the schedule
row, so two at once leave one complete set, never a mix. New targets and hours apply to
due times computed from then on (conversations opened, reprioritised or reopened later);
the time left of every open conversation is counted in the new hours at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from functools import cache
from itertools import pairwise
from zoneinfo import available_timezones

from tortoise.exceptions import IntegrityError

from models.support import (
    PRIORITY_RANK,
    BusinessHours,
    ConversationPriority,
    ServiceLevelTarget,
    SupportHoliday,
    SupportSchedule,
)
from services.errors import Problems
from services.support import levels
from services.support.errors import SupportError, SupportErrorCode
from services.transactions import atomic

#: The longest target: a year.
MAX_TARGET_MINUTES = 365 * 24 * 60
MAX_SPANS = 7 * 6
MAX_HOLIDAYS = 400
MAX_HOLIDAY_NAME = 80
MAX_ZONE = 64
_CLOCK = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@dataclass(frozen=True, slots=True)
class Hours:
    """One open span as a client sends it: a weekday and two "HH:MM" clock times."""

    weekday: Weekday
    opens: str
    closes: str


@dataclass(frozen=True, slots=True)
class Holiday:
    day: date
    name: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    priority: ConversationPriority
    first_response_minutes: int
    resolution_minutes: int


@dataclass(frozen=True, slots=True)
class SupportSettings:
    schedule: SupportSchedule | None
    hours: list[BusinessHours]
    holidays: list[SupportHoliday]
    targets: list[ServiceLevelTarget]

    @property
    def timezone(self) -> str:
        return self.schedule.timezone if self.schedule is not None else "UTC"


def clock(minute: int) -> str:
    """Minutes from midnight as "HH:MM" (1440 is "24:00")."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def _minute(text: str, problems: Problems[SupportErrorCode], *field: str) -> int | None:
    found = _CLOCK.match(text)
    minute = int(found[1]) * 60 + int(found[2]) if found else None
    if minute is None or minute > 1440:
        problems.add(SupportErrorCode.INVALID, 'Give a time as "HH:MM", 00:00 to 24:00.', *field)
        return None
    return minute


def _check_zone(name: str, problems: Problems[SupportErrorCode]) -> None:
    if len(name) > MAX_ZONE or name not in _zone_names():
        problems.add(
            SupportErrorCode.INVALID,
            "Give an IANA time zone name such as 'Europe/Berlin' or 'Asia/Shanghai'.",
            "time_zone",
        )


def _check_hours(
    hours: Sequence[Hours], problems: Problems[SupportErrorCode]
) -> list[tuple[int, int, int]]:
    if len(hours) > MAX_SPANS:
        problems.add(SupportErrorCode.INVALID, f"At most {MAX_SPANS} open spans a week.", "hours")
        return []
    spans: list[tuple[int, int, int, int]] = []
    for i, row in enumerate(hours):
        opens = _minute(row.opens, problems, "hours", str(i), "opens")
        closes = _minute(row.closes, problems, "hours", str(i), "closes")
        if opens is None or closes is None:
            continue
        if opens == 1440:
            problems.add(
                SupportErrorCode.INVALID, "A day opens by 23:59.", "hours", str(i), "opens"
            )
        elif closes <= opens:
            problems.add(
                SupportErrorCode.INVALID, "A span closes after it opens.", "hours", str(i), "closes"
            )
        else:
            spans.append((int(row.weekday), opens, closes, i))
    spans.sort()
    for before, after in pairwise(spans):
        if before[0] == after[0] and after[1] < before[2]:
            problems.add(
                SupportErrorCode.INVALID,
                f"This span overlaps another of {Weekday(after[0]).name.title()}.",
                "hours",
                str(after[3]),
            )
    return [(weekday, opens, closes) for weekday, opens, closes, _ in spans]


def _check_holidays(holidays: Sequence[Holiday], problems: Problems[SupportErrorCode]) -> None:
    if len(holidays) > MAX_HOLIDAYS:
        problems.add(SupportErrorCode.INVALID, f"At most {MAX_HOLIDAYS} closed days.", "holidays")
        return
    seen: set[date] = set()
    for i, holiday in enumerate(holidays):
        if holiday.day in seen:
            problems.add(
                SupportErrorCode.INVALID, "This day is listed twice.", "holidays", str(i), "date"
            )
        seen.add(holiday.day)
        if "\x00" in holiday.name:
            problems.add(
                SupportErrorCode.INVALID, "The name holds characters text cannot.",
                "holidays", str(i), "name",
            )  # fmt: skip
        elif len(holiday.name.strip()) > MAX_HOLIDAY_NAME:
            problems.add(
                SupportErrorCode.TOO_LONG,
                f"A name may be at most {MAX_HOLIDAY_NAME} characters.",
                "holidays", str(i), "name",
            )  # fmt: skip


def _check_targets(targets: Sequence[Target], problems: Problems[SupportErrorCode]) -> None:
    seen: set[ConversationPriority] = set()
    for i, target in enumerate(targets):
        if target.priority in seen:
            problems.add(
                SupportErrorCode.INVALID, "This priority is listed twice.",
                "targets", str(i), "priority",
            )  # fmt: skip
        seen.add(target.priority)
        for name in ("first_response_minutes", "resolution_minutes"):
            value = getattr(target, name)
            if not 1 <= value <= MAX_TARGET_MINUTES:
                problems.add(
                    SupportErrorCode.INVALID,
                    f"Give a number of minutes from 1 to {MAX_TARGET_MINUTES} (365 days).",
                    "targets", str(i), name,
                )  # fmt: skip
        if target.resolution_minutes < target.first_response_minutes and not problems.has(
            "targets", str(i)
        ):
            problems.add(
                SupportErrorCode.INVALID,
                "Resolution cannot be due before the first response.",
                "targets", str(i), "resolution_minutes",
            )  # fmt: skip


async def read_settings() -> SupportSettings:
    row = await levels.the_schedule()
    hours = list(await BusinessHours.filter(schedule_id=row.id)) if row else []
    holidays = list(await SupportHoliday.filter(schedule_id=row.id)) if row else []
    targets = sorted(
        await ServiceLevelTarget.all(),
        key=lambda t: PRIORITY_RANK[ConversationPriority(t.priority)],
    )
    return SupportSettings(row, hours, holidays, targets)


async def _locked_schedule() -> SupportSchedule:
    """The shop's schedule row, created on first use, locked until the transaction ends."""
    if await levels.the_schedule() is None:
        try:
            async with atomic():
                await SupportSchedule.create(id=1, timezone="UTC")
        except IntegrityError:  # another request created it first
            pass
    row = await levels.the_schedule()
    assert row is not None
    return await SupportSchedule.select_for_update().get(id=row.id)


async def set_schedule(
    time_zone: str, hours: Sequence[Hours], holidays: Sequence[Holiday] = ()
) -> SupportSettings:
    """Replace the service hours; INVALID (or TOO_LONG) at each problem, nothing changed."""
    problems = Problems(SupportError)
    _check_zone(time_zone, problems)
    spans = _check_hours(hours, problems)
    _check_holidays(holidays, problems)
    problems.raise_if_any()
    async with atomic():
        row = await _locked_schedule()
        await SupportSchedule.filter(id=row.id).update(timezone=time_zone)
        await BusinessHours.filter(schedule_id=row.id).delete()
        await SupportHoliday.filter(schedule_id=row.id).delete()
        await BusinessHours.bulk_create(
            [
                BusinessHours(schedule_id=row.id, weekday=w, opens_minute=o, closes_minute=c)
                for w, o, c in spans
            ]
        )
        await SupportHoliday.bulk_create(
            [SupportHoliday(schedule_id=row.id, day=h.day, name=h.name.strip()) for h in holidays]
        )
    return await read_settings()


async def set_targets(targets: Sequence[Target]) -> SupportSettings:
    """Replace the service-level targets (a priority left out has none)."""
    problems = Problems(SupportError)
    _check_targets(targets, problems)
    problems.raise_if_any()
    async with atomic():
        await _locked_schedule()
        await ServiceLevelTarget.all().delete()
        await ServiceLevelTarget.bulk_create(
            [
                ServiceLevelTarget(
                    priority=t.priority,
                    first_response_minutes=t.first_response_minutes,
                    resolution_minutes=t.resolution_minutes,
                )
                for t in targets
            ]
        )
    return await read_settings()
