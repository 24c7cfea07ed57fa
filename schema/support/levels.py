"""Service-level fields of a conversation: the business time left before its answer and its
resolution are due, for staff with the support permission."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import timezone

from schema.context import Info
from services.auth import StaffPermission
from services.support import levels
from services.support.hours import Schedule

if TYPE_CHECKING:
    from schema.support.types import ConversationType


async def request_schedule(info: Info) -> Schedule:
    """The shop's service hours, read once per request."""
    return levels.schedule_from(*await info.context.loaders.support_schedule.load(0))


async def first_response_due_in(root: ConversationType, info: Info) -> int | None:
    row = root._row
    if not info.context.viewer.can(StaffPermission.SUPPORT) or row.first_response_at is not None:
        return None
    if row.first_response_due_at is None:
        return None
    return levels.seconds_left(
        row.first_response_due_at, timezone.now(), await request_schedule(info)
    )


async def resolution_due_in(root: ConversationType, info: Info) -> int | None:
    row = root._row
    if not info.context.viewer.can(StaffPermission.SUPPORT) or row.resolution_due_at is None:
        return None
    if row.resolved_at is not None or row.closed_at is not None:
        return None
    return levels.seconds_left(row.resolution_due_at, timezone.now(), await request_schedule(info))
