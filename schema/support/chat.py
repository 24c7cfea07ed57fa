"""The chat's inputs and payloads, for the customer's side of a conversation."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from models.support import Conversation, Message
from schema.context import Info
from schema.support.types import (
    ATTACHMENTS,
    ConversationType,
    MessageType,
    SupportErrorType,
    author_names,
)


@strawberry.input(description="A chat to start, with its first message.")
class StartConversationInput:
    body: str = strawberry.field(description="The first message.")
    attachments: list[Upload] = strawberry.field(default_factory=list, description=ATTACHMENTS)
    client_id: str = strawberry.field(
        description="The sender's own id for the first message (a UUID): sent again, it "
        "answers with the conversation it started rather than a second one."
    )
    subject: str = ""
    name: str = strawberry.field(
        default="", description="Who writes: required of a guest (a member's nickname else)."
    )
    email: str = strawberry.field(
        default="", description="Where to answer: required of a guest, ignored for a member."
    )
    order_number: str | None = strawberry.field(
        default=None,
        description="An order it is about: a member's own, or a guest order placed with the "
        "guest's email.",
    )
    locale: str | None = strawberry.field(
        default=None, description="The customer's language (the request's when left out)."
    )


@strawberry.type(description="A chat started.")
class StartConversationPayload:
    conversation: ConversationType | None = None
    conversation_token: str | None = strawberry.field(
        default=None,
        description="For a guest: the token that opens the conversation (pass it as `token`). "
        "Keep it; it is not shown again.",
    )
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.type(description="A message sent (or the one already sent with its client id).")
class SendMessagePayload:
    message: MessageType | None = None
    conversation: ConversationType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)

    @classmethod
    async def of(
        cls, info: Info, conversation: Conversation, message: Message
    ) -> SendMessagePayload:
        [name] = await author_names(info, [message], conversation)
        return cls(
            message=MessageType.build(message, author_name=name),
            conversation=ConversationType.build(conversation),
        )


@strawberry.type(description="Whether the other side was told the customer types.")
class SetTypingPayload:
    typing: bool | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.input(description="A message from the customer into their conversation.")
class SendMessageInput:
    conversation_number: str
    body: str
    client_id: str = strawberry.field(
        description="The sender's own id for the message (a UUID), so a retry makes no second."
    )
    attachments: list[Upload] = strawberry.field(default_factory=list, description=ATTACHMENTS)
    token: str | None = strawberry.field(default=None, description="A guest's conversation token.")


@strawberry.input(description="How far the customer's screen has got in a conversation.")
class MarkConversationInput:
    conversation_number: str
    up_to_message_id: strawberry.ID = strawberry.field(
        description="The newest message shown (a `ConversationMessage` ID)."
    )
    token: str | None = strawberry.field(default=None, description="A guest's conversation token.")


@strawberry.input(description="The customer started or stopped typing.")
class SetTypingInput:
    conversation_number: str
    typing: bool
    token: str | None = strawberry.field(default=None, description="A guest's conversation token.")
