"""The support inbox, live, for staff with the support permission: conversations opened,
changed (status, priority, assignee, labels, links), written to, and breaching a target.

Events travel on `merchant:support` (`ConversationChanged`, `MessagePosted`). Each is sent
with the conversation as it is now, and only when that conversation is in the view asked for
(`MINE`: assigned to the viewer now). After an interruption of the bus, the conversations
changed meanwhile are sent again as CHANGED, so a screen that re-reads on each event is whole.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import StrEnum

import strawberry

from loaders import Loaders
from models.support import Conversation
from schema.context import Info
from schema.permissions import CanManageSupport
from schema.relay import encode_id
from schema.support.inbox import InboxViewEnum
from schema.support.types import ConversationType
from services.support.inbox import InboxView
from subscriptions import bus, events
from subscriptions.lifetime import limited

#: The most conversations sent again after one interruption of the bus.
MAX_CAUGHT_UP = 200


class InboxChange(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    MESSAGE = "message"
    BREACHING = "breaching"


InboxChangeEnum = strawberry.enum(
    InboxChange,
    name="SupportInboxChangeKind",
    description="A conversation opened, changed, written to, or past a service-level target.",
)


@strawberry.type(name="SupportInboxChange", description="Something happened in the inbox.")
class InboxChangeType:
    kind: InboxChangeEnum  # type: ignore[valid-type]
    number: str
    message_id: strawberry.ID | None = strawberry.field(
        description="The message written, for MESSAGE (a private note too: staff only)."
    )
    at: datetime
    conversation: ConversationType = strawberry.field(description="The conversation as now.")


def _in_view(row: Conversation, view: InboxView, viewer_id: int | None) -> bool:
    if view is InboxView.UNASSIGNED:
        return row.assignee_id is None
    if view is InboxView.MINE:
        return viewer_id is not None and row.assignee_id == viewer_id
    if view is InboxView.BREACHING:
        return row.breached_at is not None
    return True


def _kind(event: events.ConversationChanged | events.MessagePosted) -> InboxChange:
    if isinstance(event, events.MessagePosted):
        return InboxChange.MESSAGE
    if event.previous_status is None:
        return InboxChange.NEW
    return InboxChange.BREACHING if event.breached else InboxChange.CHANGED


async def _missed(since: datetime) -> list[InboxChangeType]:
    rows = (
        await Conversation.filter(updated_at__gte=since)
        .order_by("updated_at", "id")
        .limit(MAX_CAUGHT_UP)
    )
    return [
        InboxChangeType(
            kind=InboxChange.CHANGED,
            number=row.number,
            message_id=None,
            at=row.updated_at,
            conversation=ConversationType.build(row),
        )
        for row in rows
    ]


async def _changes(item: bus.Message | bus.Gap) -> list[InboxChangeType]:
    if isinstance(item, bus.Gap):
        return await _missed(item.since)
    event = events.parse_conversation_event(item)
    if not isinstance(event, events.ConversationChanged | events.MessagePosted):
        return []
    row = await Conversation.get_or_none(number=event.number)
    if row is None:
        return []
    message_id = (
        encode_id("ConversationMessage", event.message_id)
        if isinstance(event, events.MessagePosted)
        else None
    )
    return [
        InboxChangeType(
            kind=_kind(event),
            number=event.number,
            message_id=message_id,
            at=event.at,
            conversation=ConversationType.build(row),
        )
    ]


@strawberry.type
class SupportDeskSubscription:
    @strawberry.subscription(
        permission_classes=[CanManageSupport],
        description="The support inbox as it changes, for staff with the support permission: "
        "conversations opened, changed, written to, or breaching, each as it is now, in the "
        "view asked for. After an interruption, those changed meanwhile come again.",
    )
    async def support_inbox_changed(
        self,
        info: Info,
        view: InboxViewEnum = InboxView.ALL,  # type: ignore[valid-type]
    ) -> AsyncGenerator[InboxChangeType, None]:
        wanted = InboxView(view)
        viewer_id = info.context.viewer.user_id
        async with bus.current().subscribe(events.MERCHANT_SUPPORT_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                for change in await _changes(item):
                    if not _in_view(change.conversation._row, wanted, viewer_id):
                        continue
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield change
