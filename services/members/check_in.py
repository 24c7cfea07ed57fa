"""Daily check-in: one a UTC day, with a bonus that grows with the streak of days in a row.

A check-in on day N continues the streak of day N-1 or starts a new one at 1. It earns
`check_in_points`, plus `check_in_streak_bonus` for each day of the streak after the first,
counted up to `check_in_streak_cap` days (defaults: 5, 6, ... 11 points, then 11 a day).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.members import CheckIn, PointsEntry, PointsKind
from services.members import points
from services.members.errors import MemberErrorCode, fail
from services.pagination import Page, PageRequest, paginate
from settings import get_settings


@dataclass(frozen=True, slots=True)
class CheckInStatus:
    checked_in_today: bool
    #: Consecutive days ending today, or yesterday when today's check-in is still to come.
    streak: int
    #: Points the next check-in earns (tomorrow's, once today's is done).
    next_points: int


def points_for(streak: int) -> int:
    """Points a check-in earns on the given day of a streak (1 = first day)."""
    settings = get_settings()
    bonus_days = max(0, min(streak, settings.check_in_streak_cap) - 1)
    return settings.check_in_points + settings.check_in_streak_bonus * bonus_days


def status_from(recent: Sequence[CheckIn], today: date) -> CheckInStatus:
    """The status given the member's check-ins of yesterday and today."""
    by_day = {c.day: c for c in recent}
    done = by_day.get(today)
    if done is not None:
        return CheckInStatus(True, done.streak, points_for(done.streak + 1))
    before = by_day.get(today - timedelta(days=1))
    streak = before.streak if before else 0
    return CheckInStatus(False, streak, points_for(streak + 1))


async def check_in_status(user_id: int) -> CheckInStatus:
    today = timezone.now().date()
    recent = await CheckIn.filter(user_id=user_id, day__gte=today - timedelta(days=1))
    return status_from(recent, today)


async def check_in(user_id: int, now: datetime | None = None) -> tuple[CheckIn, PointsEntry]:
    """Today's check-in and the points it earned; ALREADY_CHECKED_IN the second time a day."""
    today = (now or timezone.now()).date()
    already = fail(MemberErrorCode.ALREADY_CHECKED_IN, "You have already checked in today.")
    try:
        async with in_transaction("default"):
            if await CheckIn.exists(user_id=user_id, day=today):
                raise already
            before = await CheckIn.get_or_none(user_id=user_id, day=today - timedelta(days=1))
            streak = before.streak + 1 if before else 1
            earned = points_for(streak)
            row = await CheckIn.create(user_id=user_id, day=today, streak=streak, points=earned)
            entry = await points.award(
                user_id, earned, PointsKind.CHECK_IN, f"check-in:{today.isoformat()}"
            )
    except IntegrityError:
        # Two check-ins at once: the unique day let one through.
        raise already from None
    return row, entry


async def list_check_ins(user_id: int, page: PageRequest, *, max_size: int = 100) -> Page[CheckIn]:
    """The member's check-ins, newest day first; only theirs."""
    return await paginate(
        CheckIn.filter(user_id=user_id),
        page,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )
