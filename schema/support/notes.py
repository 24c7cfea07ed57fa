"""What a system message records, typed, so a screen writes it in its reader's language
rather than showing the English `body` it was stored with."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models.support import ConversationPriority, ConversationStatus, LinkKind, Message
from schema.context import Info
from schema.money import MoneyType
from schema.support.enums import ConversationPriorityEnum, ConversationStatusEnum, LinkKindEnum
from services.auth import StaffPermission
from services.support.actions import ActionKind
from services.support.status import NoteEvent

NoteKindEnum = strawberry.enum(
    NoteEvent,
    name="ConversationNoteKind",
    description="A status change, an assignment, a priority change, a link added or removed, "
    "an action taken for the customer, or the customer's rating.",
)
ActionKindEnum = strawberry.enum(
    ActionKind,
    name="ConversationActionKind",
    description="What staff may do for the customer from a conversation.",
)


def _member(enum: type[Any], value: object) -> Any:
    """`value` as a member of `enum`; None when absent or not one (older rows)."""
    try:
        return enum(value) if value is not None else None
    except ValueError:
        return None


@strawberry.type(
    name="ConversationSystemNote",
    description="The details of a system message; which fields are set depends on `kind`.",
)
class SystemNoteType:
    kind: NoteKindEnum  # type: ignore[valid-type]
    status: ConversationStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="STATUS: the status it moved to."
    )
    previous_status: ConversationStatusEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="STATUS: the status it left."
    )
    snoozed_until: datetime | None = strawberry.field(description="STATUS: snoozed until then.")
    priority: ConversationPriorityEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="PRIORITY: the new priority."
    )
    previous_priority: ConversationPriorityEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="PRIORITY: the one before."
    )
    link_kind: LinkKindEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="LINKED, UNLINKED: what was linked."
    )
    action: ActionKindEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="ACTION: what was done."
    )
    return_number: str | None = strawberry.field(description="ACTION: the return started.")
    amount: MoneyType | None = strawberry.field(description="ACTION: the store credit added.")
    score: int | None = strawberry.field(description="RATED: 1 to 5.")
    _assignee_id: strawberry.Private[int | None]

    @strawberry.field(
        description="ASSIGNED, staff only: the assignee's display name (null: unassigned)."
    )
    async def assignee_name(self, info: Info) -> str | None:
        if self._assignee_id is None or not info.context.viewer.can(StaffPermission.SUPPORT):
            return None
        user = await info.context.loaders.user.load(self._assignee_id)
        if user is None:
            return None
        return user.nickname or user.email or None

    @classmethod
    def of(cls, row: Message) -> SystemNoteType | None:
        """The note of a system message; None for other messages and unknown events."""
        data = row.data or {}
        kind = _member(NoteEvent, data.get("event"))
        if kind is None:
            return None
        amount = data.get("amount")
        currency = data.get("currency")
        until = data.get("until")
        score = data.get("score")
        assignee = data.get("assignee")
        return cls(
            kind=kind,
            status=_member(ConversationStatus, data.get("status")),
            previous_status=_member(ConversationStatus, data.get("previous"))
            if kind is NoteEvent.STATUS
            else None,
            priority=_member(ConversationPriority, data.get("priority")),
            previous_priority=_member(ConversationPriority, data.get("previous"))
            if kind is NoteEvent.PRIORITY
            else None,
            snoozed_until=datetime.fromisoformat(until) if isinstance(until, str) else None,
            link_kind=_member(LinkKind, data.get("kind")),
            action=_member(ActionKind, data.get("action")),
            return_number=str(data["return_number"]) if data.get("return_number") else None,
            amount=MoneyType.minor(amount, currency)
            if isinstance(amount, int) and isinstance(currency, str)
            else None,
            score=score if isinstance(score, int) else None,
            _assignee_id=assignee if isinstance(assignee, int) else None,
        )
