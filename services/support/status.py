"""The conversation status machine, the changes that bump a conversation's version, and the
announcement of every change.

    OPEN <-> WAITING          staff answer: OPEN -> WAITING; the customer writes: back to OPEN
      \\      /   \\
     SNOOZED --> RESOLVED --> CLOSED
        (until a time, or the customer's next word; RESOLVED reopens on the customer's word)

Any status but CLOSED may be RESOLVED or CLOSED by staff; CLOSED is final (a customer who
writes again starts a new conversation). Every move is an UPDATE conditional on the status
and version read, so of two racing moves one applies and the other is refused
ILLEGAL_TRANSITION (or STALE); each writes a system message in the same transaction, and the
change is announced on the conversation's channel and the support inbox once it commits.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise import timezone

from models.support import (
    PRIORITY_RANK,
    Conversation,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    Message,
    MessageAuthor,
)
from services.support import levels
from services.support.errors import SupportError, SupportErrorCode, fail, not_found
from subscriptions import events

S = ConversationStatus

#: Where each status may go next.
TRANSITIONS: dict[ConversationStatus, frozenset[ConversationStatus]] = {
    S.OPEN: frozenset({S.WAITING, S.SNOOZED, S.RESOLVED, S.CLOSED}),
    S.WAITING: frozenset({S.OPEN, S.SNOOZED, S.RESOLVED, S.CLOSED}),
    S.SNOOZED: frozenset({S.OPEN, S.WAITING, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}

#: Statuses in which the shop owes an answer or an action (the inbox's "open" view).
ACTIVE = frozenset({S.OPEN, S.WAITING, S.SNOOZED})
#: Statuses a customer's new message moves back to OPEN.
REOPENED_BY_CUSTOMER = frozenset({S.WAITING, S.SNOOZED, S.RESOLVED})
#: The column each status stamps with the time it was reached.
STAMPS: dict[ConversationStatus, str] = {S.RESOLVED: "resolved_at", S.CLOSED: "closed_at"}


def can_move(current: ConversationStatus, to: ConversationStatus) -> bool:
    return to in TRANSITIONS[ConversationStatus(current)]


def illegal(current: ConversationStatus, to: ConversationStatus) -> SupportError:
    return fail(
        SupportErrorCode.ILLEGAL_TRANSITION,
        f"A conversation that is {ConversationStatus(current).value} cannot become {to.value}.",
        "conversation_id",
    )


def stale() -> SupportError:
    return fail(
        SupportErrorCode.STALE,
        "The conversation changed since it was read: read it again.",
        "version",
    )


async def locked(conversation_id: int, *, customer_id: int | None = None) -> Conversation:
    """The conversation, its row locked until the transaction ends; `customer_id` limits it
    to one customer's (another's reads as NOT_FOUND). Call inside `atomic()`."""
    rows = Conversation.select_for_update().filter(id=conversation_id)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    conversation = await rows.first()
    if conversation is None:
        raise not_found("The conversation", "conversation_id")
    return conversation


def check_version(conversation: Conversation, version: int | None) -> None:
    """STALE when a screen acts on a version of the conversation older than the row."""
    if version is not None and version != conversation.version:
        raise stale()


class NoteEvent(StrEnum):
    """What a system message records (its `data["event"]`); the rest of `data` gives the
    details a screen needs to write it in its reader's language."""

    STATUS = "status"  # status, previous; until (snoozed)
    ASSIGNED = "assigned"  # assignee (a user id, or None)
    PRIORITY = "priority"  # priority, previous
    LINKED = "linked"  # kind, target
    UNLINKED = "unlinked"  # kind
    ACTION = "action"  # action, target; return_number, or amount and currency
    RATED = "rated"  # score, comment (whether there was one)


async def note(
    conversation: Conversation,
    event: NoteEvent,
    body: str,
    *,
    actor_id: int | None = None,
    private: bool = True,
    **data: Any,
) -> Message:
    """A system message recording a change;
    private (staff only) unless the customer should see it. Inside the change's transaction."""
    return await Message.create(
        conversation_id=conversation.id,
        author=MessageAuthor.SYSTEM,
        author_user_id=actor_id,
        channel=ConversationChannel(conversation.channel),
        private=private,
        body=body,
        data={"event": event, **data},
    )


async def move(
    conversation: Conversation,
    to: ConversationStatus,
    *,
    actor_id: int | None = None,
    snoozed_until: datetime | None = None,
    **changes: Any,
) -> Conversation:
    """Move `conversation` from the status and version it was read with to `to`, or raise
    ILLEGAL_TRANSITION. Call inside `atomic()`, the row read with `locked`; `changes` are
    further columns set by the same UPDATE. The announcement goes out on commit."""
    current = ConversationStatus(conversation.status)
    if not can_move(current, to):
        raise illegal(current, to)
    now = timezone.now()
    if to in STAMPS:
        changes.setdefault(STAMPS[to], now)
    if to is S.OPEN:
        changes.setdefault("resolved_at", None)
    if current is S.RESOLVED and to is S.OPEN:
        changes.setdefault("reopened_at", now)
        for name, value in (await levels.reopened(conversation, now)).items():
            changes.setdefault(name, value)
    changes["snoozed_until"] = snoozed_until if to is S.SNOOZED else None
    changes["status"] = to
    await _update(conversation, now, from_status=current, **changes)
    label = f"Snoozed until {snoozed_until.isoformat()}" if snoozed_until else to.value.title()
    # Snoozing is the shop's own business; the customer sees the rest ("Resolved").
    await note(
        conversation, NoteEvent.STATUS, label, actor_id=actor_id, private=to is S.SNOOZED,
        previous=current.value, status=to.value,
        **({"until": snoozed_until.isoformat()} if snoozed_until else {}),
    )  # fmt: skip
    await announce(conversation, previous=current, at=now)
    return conversation


async def touch(conversation: Conversation, **changes: Any) -> Conversation:
    """Change columns of `conversation` other than its status (priority, assignee, due
    times), bumping its version; STALE if another request changed it since it was read.
    Inside `atomic()`; announced on commit."""
    now = timezone.now()
    if "priority" in changes:
        priority = ConversationPriority(changes["priority"])
        changes["priority_rank"] = PRIORITY_RANK[priority]
        for name, value in (await levels.retarget(conversation, priority, now)).items():
            changes.setdefault(name, value)
    await _update(conversation, now, **changes)
    await announce(conversation, previous=ConversationStatus(conversation.status), at=now)
    return conversation


async def _update(
    conversation: Conversation,
    now: datetime,
    *,
    from_status: ConversationStatus | None = None,
    **changes: Any,
) -> None:
    """One UPDATE conditional on the version read (and the status, when moving)."""
    changes["updated_at"] = now
    changes["version"] = conversation.version + 1
    rows = Conversation.filter(id=conversation.id, version=conversation.version)
    if from_status is not None:
        rows = rows.filter(status=from_status)
    if not await rows.update(**changes):
        fresh = await Conversation.get_or_none(id=conversation.id).only("id", "status")
        if from_status is not None and fresh is not None and fresh.status != from_status:
            raise illegal(ConversationStatus(fresh.status), changes["status"])
        raise stale()
    for name, value in changes.items():
        setattr(conversation, name, value)


async def announce(
    conversation: Conversation, *, previous: ConversationStatus | None, at: datetime
) -> None:
    """Publish the conversation's change on its channel and the inbox's, after commit."""
    await events.publish(
        events.ConversationChanged(
            number=conversation.number,
            status=ConversationStatus(conversation.status),
            previous_status=previous,
            priority=ConversationPriority(conversation.priority),
            assignee_id=conversation.assignee_id,
            breached=conversation.breached_at is not None,
            version=conversation.version,
            at=at,
        )
    )
