"""Adding a message to a conversation: the one way every channel writes (chat, email, a
phone note, a staff note), so the rules hold whichever way a word arrives.

- A message with a `client_id` the conversation already has is that message, returned
  again: a retried send or an echo never makes two.
- A customer's word reopens a waiting, snoozed or resolved conversation; a closed one takes
  no more messages (the customer starts a new conversation).
- A public staff answer is the first response if none was given yet, and leaves an open
  conversation waiting on the customer. A private note changes nothing the customer sees.
- `MessagePosted` goes out on the conversation's channel and the inbox once it commits;
  a public staff answer on an email conversation is queued to be emailed (`outbound`), one
  on a chat is emailed to the customer if left unread (`notify`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import timezone

from models.support import (
    CallOutcome,
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAttachment,
    MessageAuthor,
)
from services.support import notify, outbound
from services.support import status as machine
from services.support.errors import SupportErrorCode, fail
from subscriptions import events

#: The longest message body taken (an email's text beyond it is cut with a mark).
MAX_BODY = 10_000
MAX_ATTACHMENTS = 5
MAX_CLIENT_ID = 64


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file already stored through the upload checks (`services.media`)."""

    path: str
    content_type: str
    size_bytes: int
    filename: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class Posted:
    message: Message
    #: False when the `client_id` named a message the conversation already had.
    created: bool


def _has_bad_characters(text: str) -> bool:
    return "\x00" in text or any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def check_body(body: str, *, attachments: int = 0, required: bool = True) -> str:
    """The body trimmed, or INVALID / REQUIRED / TOO_LONG at `body`."""
    if _has_bad_characters(body):
        raise fail(SupportErrorCode.INVALID, "The message holds characters text cannot.", "body")
    text = body.strip()
    if required and not text and not attachments:
        raise fail(SupportErrorCode.REQUIRED, "Write a message or attach a file.", "body")
    if len(text) > MAX_BODY:
        raise fail(
            SupportErrorCode.TOO_LONG, f"A message may be at most {MAX_BODY} characters.", "body"
        )
    return text


def check_client_id(client_id: str) -> None:
    """INVALID at `client_id` for an id no message could be stored with."""
    if not client_id or len(client_id) > MAX_CLIENT_ID or _has_bad_characters(client_id):
        raise fail(SupportErrorCode.INVALID, "The client id is not usable.", "client_id")


async def post(
    conversation: Conversation,
    *,
    author: MessageAuthor,
    channel: ConversationChannel,
    body: str,
    author_user_id: int | None = None,
    private: bool = False,
    client_id: str | None = None,
    email_message_id: str | None = None,
    body_html: str = "",
    call_seconds: int | None = None,
    call_outcome: CallOutcome | None = None,
    attachments: Sequence[Attachment] = (),
    data: dict[str, Any] | None = None,
) -> Posted:
    """Add a message to `conversation`, read with `status.locked` inside `atomic()`.

    Raises CLOSED for a closed conversation, and the body's problems; otherwise returns the
    message (the earlier one for a known `client_id`) with the conversation updated."""
    if client_id is not None:
        check_client_id(client_id)
        earlier = await Message.get_or_none(conversation_id=conversation.id, client_id=client_id)
        if earlier is not None:
            return Posted(earlier, created=False)
    if len(attachments) > MAX_ATTACHMENTS:
        raise fail(
            SupportErrorCode.INVALID_ATTACHMENT,
            f"A message may carry at most {MAX_ATTACHMENTS} files.",
            "attachments",
        )
    text = check_body(body, attachments=len(attachments), required=call_seconds is None)
    current = ConversationStatus(conversation.status)
    if current is ConversationStatus.CLOSED and author is not MessageAuthor.SYSTEM:
        raise fail(
            SupportErrorCode.CLOSED,
            "This conversation is closed: start a new one.",
            "conversation_id",
        )
    message = await Message.create(
        conversation_id=conversation.id,
        author=author,
        author_user_id=author_user_id,
        channel=channel,
        private=private,
        body=text,
        body_html=body_html,
        client_id=client_id,
        email_message_id=email_message_id,
        call_seconds=call_seconds,
        call_outcome=call_outcome,
        data=data or {},
    )
    for file in attachments:
        await MessageAttachment.create(
            message_id=message.id,
            path=file.path,
            filename=file.filename[:200],
            content_type=file.content_type,
            size_bytes=file.size_bytes,
            width=file.width,
            height=file.height,
        )
    await _follow(conversation, message, current)
    # A staff reply on an email conversation goes out by email, whichever route posted it.
    await outbound.queue_reply(conversation, message)
    # A chat customer who has left the page hears of an answer they leave unread.
    await notify.queue_answer(conversation, message)
    await events.publish(
        events.MessagePosted(
            number=conversation.number,
            message_id=message.id,
            author=author,
            private=message.private,
            client_id=client_id,
            at=message.created_at,
        )
    )
    return Posted(message, created=True)


async def _follow(
    conversation: Conversation, message: Message, current: ConversationStatus
) -> None:
    """What a new message changes in its conversation: times, the first response, status."""
    if message.private or message.author is MessageAuthor.SYSTEM:
        return
    now = message.created_at or timezone.now()
    changes: dict[str, Any] = {"last_message_at": now}
    to: ConversationStatus | None = None
    if message.author is MessageAuthor.CUSTOMER:
        changes["last_customer_message_at"] = now
        if current in machine.REOPENED_BY_CUSTOMER:
            to = ConversationStatus.OPEN
    elif message.author is MessageAuthor.STAFF:
        if conversation.first_response_at is None:
            changes["first_response_at"] = now
            changes["first_responder_id"] = message.author_user_id
        if current is ConversationStatus.OPEN:
            to = ConversationStatus.WAITING
    if to is not None:
        await machine.move(conversation, to, actor_id=message.author_user_id, **changes)
    else:
        await machine.touch(conversation, **changes)
