"""Customer service root fields for customers: their own conversations, and the chat (for
members and for guests holding a conversation's token)."""

from __future__ import annotations

import strawberry

from models.support import Conversation
from schema.context import Info
from schema.kit import input_pk, mutation, or_none
from schema.kit.answers import page_or_error
from schema.kit.connections import connection
from schema.permissions import SignedIn
from schema.relay import page_request
from schema.support.chat import (
    MarkConversationInput,
    SendMessageInput,
    SendMessagePayload,
    SetTypingInput,
    SetTypingPayload,
    StartConversationInput,
    StartConversationPayload,
)
from schema.support.types import (
    ConversationConnection,
    ConversationPayload,
    ConversationType,
    read_attachments,
)
from services.pagination import paginate
from services.support import access, chat
from services.support.errors import SupportErrorCode


def _message_pk(given: str) -> int:
    return input_pk(
        given, "ConversationMessage", "upToMessageId", what="The message",
        code=SupportErrorCode.NOT_FOUND,
    )  # fmt: skip


@strawberry.type
class SupportQuery:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="The signed-in customer's conversations with the shop, the most recently "
        "active first.",
    )
    async def my_conversations(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ConversationConnection:
        rows = Conversation.filter(customer_id=info.context.viewer.user_id)
        page = await page_or_error(
            paginate(
                rows,
                page_request(first, after, last, before),
                sort_field="updated_at",
                descending=True,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            ConversationConnection,
            page,
            [ConversationType.build(row) for row in page.items],
            rows.count,
        )

    @strawberry.field(
        description="One conversation by its number: for its member, for a guest with its "
        "`token`, and for staff with the support permission; null for anyone else."
    )
    async def conversation(
        self, info: Info, conversation_number: str, token: str | None = None
    ) -> ConversationType | None:
        found = await or_none(access.reach(conversation_number, info.context.viewer, token))
        return ConversationType.build(found.conversation) if found is not None else None


@strawberry.type
class SupportMutation:
    @mutation(
        description="Start a chat with the shop, as a member or as a guest (a name and an "
        "email), about an order if it names one; a guest is given the conversation's token. "
        "Staff are refused (FORBIDDEN)."
    )
    async def start_conversation(
        self, info: Info, input: StartConversationInput
    ) -> StartConversationPayload:
        started = await chat.start_conversation(
            viewer=info.context.viewer,
            client=info.context.client_address,
            body=input.body,
            client_id=input.client_id,
            subject=input.subject,
            name=input.name,
            email=input.email,
            order_number=input.order_number,
            locale=input.locale if input.locale is not None else info.context.locale,
            files=await read_attachments(info, input.attachments),
        )
        return StartConversationPayload(
            conversation=ConversationType.build(started.conversation),
            conversation_token=started.token,
        )

    @mutation(
        description="The customer's message in their conversation (a guest's with its "
        "`token`). A client id already sent answers with that message; a resolved or "
        "waiting conversation reopens; a closed one is refused (CLOSED)."
    )
    async def send_message(self, info: Info, input: SendMessageInput) -> SendMessagePayload:
        sent = await chat.send_message(
            viewer=info.context.viewer,
            client=info.context.client_address,
            conversation_number=input.conversation_number,
            token=input.token,
            body=input.body,
            client_id=input.client_id,
            files=await read_attachments(info, input.attachments),
        )
        return await SendMessagePayload.of(info, sent.conversation, sent.message)

    @mutation(
        description="The customer has read the conversation up to a message: the shop's "
        "side is told (it only ever moves forward)."
    )
    async def mark_conversation_read(
        self, info: Info, input: MarkConversationInput
    ) -> ConversationPayload:
        conversation = await chat.mark_read(
            viewer=info.context.viewer,
            conversation_number=input.conversation_number,
            token=input.token,
            up_to_message_id=_message_pk(input.up_to_message_id),
        )
        return ConversationPayload(conversation=ConversationType.build(conversation))

    @mutation(description="The customer's screen received the shop's messages up to one.")
    async def mark_messages_delivered(
        self, info: Info, input: MarkConversationInput
    ) -> ConversationPayload:
        conversation = await chat.mark_delivered(
            viewer=info.context.viewer,
            conversation_number=input.conversation_number,
            token=input.token,
            up_to_message_id=_message_pk(input.up_to_message_id),
        )
        return ConversationPayload(conversation=ConversationType.build(conversation))

    @mutation(description="Tell the shop's side the customer is typing, or stopped.")
    async def set_typing(self, info: Info, input: SetTypingInput) -> SetTypingPayload:
        typing = await chat.set_typing(
            viewer=info.context.viewer,
            conversation_number=input.conversation_number,
            token=input.token,
            typing=input.typing,
        )
        return SetTypingPayload(typing=typing)
