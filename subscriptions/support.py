"""Customer service subscriptions: one conversation, live, for its customer (a member, or a
guest with its token) and for staff with the support permission.

Events travel on `conversation:<number>`. Who may follow is checked when the stream starts
and again with every event (a token revoked meanwhile ends the stream). A private staff note
never reaches a customer: its `MessagePosted` is dropped by its `private` flag, and the
message is read again as the customer may see it, so a note is never sent even if an event
were to say otherwise. After an interruption of the bus the conversation is sent as it is
now, and the screen reads what it missed.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission

from loaders import Loaders
from models.support import Conversation, ConversationStatus
from schema.context import Info
from schema.errors import UserFacingError
from schema.relay import encode_id
from schema.support.types import (
    ConversationStatusEnum,
    ConversationType,
    MessageType,
    author_names,
)
from services.support import access
from services.support.access import Access, Side
from services.support.errors import SupportError
from services.support.queries import visible_message
from subscriptions import bus, events
from subscriptions.lifetime import limited

ConversationSideEnum = strawberry.enum(
    Side, name="ConversationSide", description="The customer's side, or the shop's."
)


class ConversationNotFound(UserFacingError):
    code = "NOT_FOUND"


class CanFollowConversation(BasePermission):
    """The conversation's member, a guest with its token, or staff with the support
    permission; anyone else (and a forged or expired token) is told it does not exist."""

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        try:
            await access.reach(
                kwargs.get("conversation_number") or "", info.context.viewer, kwargs.get("token")
            )
        except SupportError:
            raise ConversationNotFound("The conversation does not exist.") from None
        return True


@strawberry.type(name="ConversationMessagePosted", description="A message was added.")
class MessagePostedType:
    message: MessageType
    client_id: str | None = strawberry.field(
        description="The sender's own id for it: a sender's screen recognises its echo."
    )


@strawberry.type(
    name="ConversationUpdated",
    description="The conversation changed (status, priority, assignee...), or, after an "
    "interruption of the live feed, is sent as it is now (`previousStatus` null): read "
    "what was missed.",
)
class ConversationUpdatedType:
    conversation: ConversationType
    status: ConversationStatusEnum  # type: ignore[valid-type]
    previous_status: ConversationStatusEnum | None  # type: ignore[valid-type]
    at: datetime


@strawberry.type(name="ConversationRead", description="One side read up to a message.")
class ConversationReadType:
    reader: ConversationSideEnum  # type: ignore[valid-type]
    up_to_message_id: strawberry.ID
    at: datetime


@strawberry.type(name="ConversationTyping", description="The other side types, or stopped.")
class ConversationTypingType:
    side: ConversationSideEnum  # type: ignore[valid-type]
    name: str = strawberry.field(description="A staff member's display name, or empty.")
    typing: bool
    at: datetime


ConversationEventType = Annotated[
    MessagePostedType | ConversationUpdatedType | ConversationReadType | ConversationTypingType,
    strawberry.union("ConversationEvent", description="Something that happened in a conversation."),
]


async def _again(found: Access, info: Info, token: str | None) -> Access | None:
    """The conversation re-read, if the reader may still follow it."""
    row = await Conversation.get_or_none(id=found.conversation.id)
    if row is None:
        return None
    try:
        return access.check(row, info.context.viewer, token)
    except SupportError:
        return None


async def _translate(
    found: Access, event: events.ConversationEvent, info: Info
) -> ConversationEventType | None:
    """What the reader is sent for `event`; None for what is not theirs to see."""
    if isinstance(event, events.MessagePosted):
        if event.private and not found.staff:
            return None
        message = await visible_message(event.message_id, staff=found.staff)
        if message is None or message.conversation_id != found.conversation.id:
            return None
        [name] = await author_names(info, [message], found.conversation)
        return MessagePostedType(
            message=MessageType.build(message, author_name=name), client_id=message.client_id
        )
    if isinstance(event, events.ConversationChanged):
        return ConversationUpdatedType(
            conversation=ConversationType.build(found.conversation),
            status=event.status,
            previous_status=event.previous_status,
            at=event.at,
        )
    if isinstance(event, events.MessagesRead):
        return ConversationReadType(
            reader=Side(event.reader),
            up_to_message_id=strawberry.ID(encode_id("ConversationMessage", event.up_to)),
            at=event.at,
        )
    if Side(event.side) is found.side:
        return None  # one's own typing is not news
    return ConversationTypingType(
        side=Side(event.side), name=event.name, typing=event.typing, at=event.at
    )


@strawberry.type
class SupportSubscription:
    @strawberry.subscription(
        permission_classes=[CanFollowConversation],
        description="One conversation, live: messages, changes, reads and typing, for its "
        "member, for a guest with its `token`, and for staff with the support permission. "
        "A customer is never sent a private note.",
    )
    async def conversation_events(
        self, info: Info, conversation_number: str, token: str | None = None
    ) -> AsyncGenerator[ConversationEventType, None]:
        found = await access.reach(conversation_number, info.context.viewer, token)
        channel = events.conversation_channel(found.conversation.number)
        async with bus.current().subscribe(channel) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                again = await _again(found, info, token)
                if again is None:
                    return  # revoked, or gone: the stream ends
                found = again
                # The connection's context lives long; give every event fresh loaders.
                info.context.loaders = Loaders()
                if isinstance(item, bus.Gap):
                    yield ConversationUpdatedType(
                        conversation=ConversationType.build(found.conversation),
                        status=ConversationStatus(found.conversation.status),
                        previous_status=None,
                        at=datetime.now(UTC),
                    )
                    continue
                event = events.parse_conversation_event(item)
                if event is None:
                    continue
                sent = await _translate(found, event, info)
                if sent is not None:
                    yield sent
