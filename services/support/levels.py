"""Service levels: how soon the shop means to answer and to resolve, per priority, counted in
business time (`services.support.hours`), and when each conversation's answer is due.

- Opening a conversation sets both due times from its priority's target (none without one).
- Changing its priority keeps the business time already used and swaps the target: the time
  left grows or shrinks by the difference between the two targets. A conversation already
  late stays late (its due time moves back by the difference, in wall time).
- Reopening a resolved conversation (the customer's word, or staff) starts a new
  resolution clock from the reopening; the first response, once given, stays given.
- The clocks run in every status until the answer is given or the conversation resolved or
  closed: waiting on the customer or snoozed does not stop them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models.support import (
    BusinessHours,
    Conversation,
    ConversationPriority,
    ConversationStatus,
    ServiceLevelTarget,
    SupportHoliday,
    SupportSchedule,
)
from services.support import hours
from services.support.hours import Schedule

#: The columns due times are kept in.
FIRST_RESPONSE_DUE = "first_response_due_at"
RESOLUTION_DUE = "resolution_due_at"


def schedule_from(
    row: SupportSchedule | None, spans: list[BusinessHours], holidays: list[SupportHoliday]
) -> Schedule:
    """The pure schedule of stored rows (around the clock in UTC when none is stored)."""
    return hours.schedule(
        row.timezone if row is not None else "UTC",
        [(h.weekday, h.opens_minute, h.closes_minute) for h in spans],
        [h.day for h in holidays],
    )


async def the_schedule() -> SupportSchedule | None:
    """The shop's schedule row (the first one: the shop keeps one)."""
    return await SupportSchedule.all().order_by("id").first()


async def load_schedule() -> Schedule:
    """The shop's service hours as they are stored now."""
    row = await the_schedule()
    if row is None:
        return Schedule()
    spans = await BusinessHours.filter(schedule_id=row.id)
    holidays = await SupportHoliday.filter(schedule_id=row.id)
    return schedule_from(row, list(spans), list(holidays))


async def target_for(priority: ConversationPriority) -> ServiceLevelTarget | None:
    return await ServiceLevelTarget.get_or_none(priority=priority)


def _add(start: datetime, minutes: float, schedule: Schedule) -> datetime | None:
    try:
        return hours.add_business_time(start, minutes, schedule)
    except ValueError:  # a schedule with no open time ahead: nothing can be due
        return None


async def due_times(
    priority: ConversationPriority, start: datetime, *, schedule: Schedule | None = None
) -> dict[str, datetime | None]:
    """Both due times of a conversation of `priority` opened at `start`."""
    target = await target_for(priority)
    if target is None:
        return {FIRST_RESPONSE_DUE: None, RESOLUTION_DUE: None}
    schedule = schedule or await load_schedule()
    return {
        FIRST_RESPONSE_DUE: _add(start, target.first_response_minutes, schedule),
        RESOLUTION_DUE: _add(start, target.resolution_minutes, schedule),
    }


def _shift(
    due: datetime | None,
    old_minutes: int | None,
    new_minutes: int | None,
    *,
    start: datetime,
    now: datetime,
    schedule: Schedule,
) -> datetime | None:
    if new_minutes is None:
        return None
    if due is None or old_minutes is None:
        return _add(start, new_minutes, schedule)
    left = hours.business_seconds_between(now, due, schedule) + (new_minutes - old_minutes) * 60
    if left >= 0:
        return _add(now, left / 60, schedule)
    return now + timedelta(seconds=left)


async def retarget(
    conversation: Conversation, priority: ConversationPriority, now: datetime
) -> dict[str, Any]:
    """The due-time columns of `conversation` once its priority becomes `priority`."""
    before = ConversationPriority(conversation.priority)
    if priority is before:
        return {}
    old, new = await target_for(before), await target_for(priority)
    if old is None and new is None:
        return {}
    schedule = await load_schedule()
    changes: dict[str, Any] = {}
    if conversation.first_response_at is None:
        changes[FIRST_RESPONSE_DUE] = _shift(
            conversation.first_response_due_at,
            old.first_response_minutes if old else None,
            new.first_response_minutes if new else None,
            start=conversation.created_at, now=now, schedule=schedule,
        )  # fmt: skip
    if ConversationStatus(conversation.status) not in (
        ConversationStatus.RESOLVED,
        ConversationStatus.CLOSED,
    ):
        changes[RESOLUTION_DUE] = _shift(
            conversation.resolution_due_at,
            old.resolution_minutes if old else None,
            new.resolution_minutes if new else None,
            start=conversation.created_at, now=now, schedule=schedule,
        )  # fmt: skip
    return changes


async def reopened(conversation: Conversation, now: datetime) -> dict[str, Any]:
    """The due-time columns of a resolved conversation reopened at `now`."""
    target = await target_for(ConversationPriority(conversation.priority))
    if target is None:
        return {RESOLUTION_DUE: None}
    return {RESOLUTION_DUE: _add(now, target.resolution_minutes, await load_schedule())}


def missed_at(conversation: Conversation, now: datetime) -> datetime | None:
    """The earliest due time `conversation` missed by `now` (None: none missed)."""
    missed = []
    due, done = conversation.first_response_due_at, conversation.first_response_at
    if due is not None and (due < done if done is not None else due < now):
        missed.append(due)
    due = conversation.resolution_due_at
    done = conversation.resolved_at or conversation.closed_at
    if due is not None and (due < done if done is not None else due < now):
        missed.append(due)
    return min(missed, default=None)


def seconds_left(due: datetime | None, now: datetime, schedule: Schedule) -> int | None:
    """Business seconds from `now` until `due`, negative when late (None without a due)."""
    if due is None:
        return None
    return int(hours.business_seconds_between(now, due, schedule))
