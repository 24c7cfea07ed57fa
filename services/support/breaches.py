"""Flagging conversations that missed a service-level target.

A periodic sweep finds conversations past a due time and not yet flagged, and flags each
one in a transaction of its own: the row is locked and read again, and `breached_at` is set
through `status.touch`, whose UPDATE is conditional on the version read. Two sweeps at once
(or a sweep racing a staff answer) therefore flag a conversation once, and the change goes
out live as `ConversationChanged(breached=True)`.
"""

from __future__ import annotations

from datetime import datetime

from tortoise import timezone
from tortoise.expressions import F, Q

from models.support import Conversation
from services.support import levels
from services.support import status as machine
from services.support.errors import SupportError
from services.transactions import atomic

#: Conversations flagged per sweep at most; the next sweep takes the rest.
BATCH = 500


def _late(now: datetime) -> Q:
    return Q(
        Q(first_response_at__isnull=True, first_response_due_at__lt=now),
        Q(first_response_at__gt=F("first_response_due_at")),
        Q(resolved_at__isnull=True, closed_at__isnull=True, resolution_due_at__lt=now),
        Q(resolved_at__gt=F("resolution_due_at")),
        Q(resolved_at__isnull=True, closed_at__gt=F("resolution_due_at")),
        join_type="OR",
    )


async def flag_one(conversation_id: int, now: datetime) -> bool:
    """Flag the conversation if it missed a target and is not flagged yet."""
    try:
        async with atomic():
            conversation = await machine.locked(conversation_id)
            missed = levels.missed_at(conversation, now)
            if conversation.breached_at is not None or missed is None:
                return False
            await machine.touch(conversation, breached_at=missed)
    except SupportError:  # gone, or changed under us: the next sweep looks again
        return False
    return True


async def flag_breaches(now: datetime | None = None) -> int:
    """Flag every conversation past a due time (up to `BATCH`); how many were flagged."""
    now = now or timezone.now()
    rows = (
        await Conversation.filter(_late(now), breached_at__isnull=True)
        .order_by("id")
        .limit(BATCH)
        .values("id")
    )
    flagged = 0
    for row in rows:
        flagged += await flag_one(int(row["id"]), now)
    return flagged
