"""Live chat from the customer's side: a member or a guest starts a conversation (about an
order of theirs, if they like), writes in it, says what they have read, and that they are
typing. Staff answer from the console, never through these.

Every write is counted against the rate limits first (conversations started per client
address and hour; messages per conversation and per address and minute; typing signals per
conversation and minute), so that a chat cannot be flooded; a retry of a message already
taken (the same client id) is answered without counting again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.accounts import User
from models.orders import Order
from models.support import (
    Conversation,
    ConversationChannel,
    LinkKind,
    Message,
    MessageAuthor,
)
from services import rate_limit
from services.accounts.errors import AccountError
from services.accounts.identifiers import normalize_email
from services.auth import Viewer
from services.orders.queries import normalize_number as normalize_order_number
from services.support import access, attachments, conversations, messages
from services.support import status as machine
from services.support.access import Access
from services.support.conversations import Contact
from services.support.errors import SupportErrorCode, fail, not_found
from services.transactions import atomic
from settings import get_settings
from subscriptions import events

#: A language tag as a browser sends it ("en", "zh-Hans-CN", "pt_BR").
_LOCALE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}")
MINUTE = 60.0
HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Started:
    conversation: Conversation
    #: The guest's token for the conversation (None for a member).
    token: str | None
    #: False when the client id named a conversation the starter had already started.
    created: bool


@dataclass(frozen=True, slots=True)
class Sent:
    conversation: Conversation
    message: Message
    created: bool


async def _limit(key: str, limit: int, window: float, *field: str) -> None:
    try:
        await rate_limit.hit(f"support:{key}", limit=limit, window=window)
    except rate_limit.RateLimited as exc:
        raise fail(
            SupportErrorCode.RATE_LIMITED,
            f"Too many at once. Try again in {exc.retry_after} seconds.",
            *field,
        ) from None


def _text(value: str, limit: int, field: str) -> str:
    if "\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise fail(SupportErrorCode.INVALID, "This holds characters text cannot.", field)
    text = " ".join(value.split())
    if len(text) > limit:
        raise fail(SupportErrorCode.TOO_LONG, f"At most {limit} characters.", field)
    return text


def _locale(value: str | None) -> str:
    if not value:
        return ""
    if len(value) > 16 or not _LOCALE.fullmatch(value):
        raise fail(SupportErrorCode.INVALID, "This is not a language tag.", "locale")
    return value.replace("_", "-")


def _client_id(value: str) -> str:
    if not value or len(value) > messages.MAX_CLIENT_ID or "\x00" in value:
        raise fail(SupportErrorCode.INVALID, "The client id is not usable.", "client_id")
    return value


async def _contact(viewer: Viewer, name: str, email: str) -> Contact:
    if viewer.user_id is not None:
        user = await User.get(id=viewer.user_id)
        return Contact(
            customer_id=user.id,
            name=name or user.nickname,
            email=user.contact_email or user.email or "",
        )
    if not name:
        raise fail(SupportErrorCode.REQUIRED, "Say who you are.", "name")
    if not email:
        raise fail(SupportErrorCode.REQUIRED, "Give an email address to answer.", "email")
    if len(email) > 254:
        raise fail(SupportErrorCode.INVALID, "This is not an email address.", "email")
    try:
        address = normalize_email(email, "email")
    except AccountError:
        raise fail(SupportErrorCode.INVALID, "This is not an email address.", "email") from None
    return Contact(name=name, email=address)


async def _order_for(contact: Contact, order_number: str) -> Order:
    """The order a starter may talk about: a member's own, or the guest order placed with
    the guest's email; NOT_FOUND for any other."""
    number = normalize_order_number(order_number)
    rows = Order.filter(number=number)
    if contact.customer_id is not None:
        order = await rows.filter(user_id=contact.customer_id).first()
    else:
        order = await rows.filter(user_id=None).first()
        if order is not None and order.email.strip().casefold() != contact.email.casefold():
            order = None
    if order is None:
        raise not_found("The order", "order_number")
    return order


def _start_key(contact: Contact, client_id: str) -> str:
    """The unique key of a start: who starts (the member, or the guest's address) and the
    client id of the first message, hashed to a fixed length."""
    starter = (
        f"member:{contact.customer_id}"
        if contact.customer_id is not None
        else f"guest:{contact.email.strip().lower()}"
    )
    return hashlib.sha256(f"{starter}\n{client_id}".encode()).hexdigest()


async def _started_before(key: str) -> Conversation | None:
    """The conversation a start with this key already opened (a retried start)."""
    return await Conversation.get_or_none(start_key=key)


async def start_conversation(
    *,
    viewer: Viewer,
    client: str,
    body: str,
    client_id: str,
    subject: str = "",
    name: str = "",
    email: str = "",
    order_number: str | None = None,
    locale: str | None = None,
    files: Sequence[attachments.NewFile] = (),
) -> Started:
    """A new chat with its first message (and its `files`), linked to `order_number` if
    given; for a guest (a name and an email), with the token that opens it. The same
    `client_id` again is the conversation it started."""
    access.refuse_staff(viewer)
    client_id = _client_id(client_id)
    contact = await _contact(viewer, _text(name, conversations.MAX_NAME, "name"), email)
    subject = _text(subject, conversations.MAX_SUBJECT, "subject")
    tag = _locale(locale)
    messages.check_body(body, attachments=len(files))
    attachments.check(files)
    if order_number is not None and (len(order_number) > 40 or "\x00" in order_number):
        raise not_found("The order", "order_number")
    key = _start_key(contact, client_id)
    earlier = await _started_before(key)
    if earlier is not None:
        return _again(earlier)
    settings = get_settings()
    await _limit(f"start:{client}", settings.support_start_limit_per_address, HOUR, "client_id")
    order = await _order_for(contact, order_number) if order_number else None
    stored = await attachments.store(files)
    try:
        async with atomic():
            opened = await conversations.open_conversation(
                ConversationChannel.CHAT, contact, subject=subject, locale=tag, start_key=key
            )
            conversation = await machine.locked(opened.id)
            if order is not None:
                await conversations.link(
                    conversation, LinkKind.ORDER, order.id, actor_id=contact.customer_id
                )
            await messages.post(
                conversation,
                author=MessageAuthor.CUSTOMER,
                channel=ConversationChannel.CHAT,
                body=body,
                author_user_id=contact.customer_id,
                client_id=client_id,
                attachments=stored,
            )
    except IntegrityError:
        # The same start, sent twice at once: the other request opened it first.
        earlier = await _started_before(key)
        if earlier is None:
            raise
        return _again(earlier)
    finally:
        await attachments.settle(files, stored)
    token = access.issue_token(conversation) if contact.customer_id is None else None
    return Started(conversation, token, created=True)


def _again(earlier: Conversation) -> Started:
    """The answer to a start already made: its conversation (and, for a guest, a token)."""
    token = access.issue_token(earlier) if earlier.customer_id is None else None
    return Started(earlier, token, created=False)


async def send_message(
    *,
    viewer: Viewer,
    client: str,
    conversation_number: str,
    token: str | None,
    body: str,
    client_id: str,
    files: Sequence[attachments.NewFile] = (),
) -> Sent:
    """The customer's message, with its `files`, in their conversation (the earlier one for a
    known client id, with the files it was sent with the first time)."""
    access.refuse_staff(viewer)
    client_id = _client_id(client_id)
    found = await access.reach(conversation_number, viewer, token)
    earlier = await Message.get_or_none(conversation_id=found.conversation.id, client_id=client_id)
    if earlier is not None:
        return Sent(found.conversation, earlier, created=False)
    messages.check_body(body, attachments=len(files))
    attachments.check(files)
    settings = get_settings()
    await _limit(
        f"message:conversation:{found.conversation.id}",
        settings.support_message_limit_per_conversation,
        MINUTE,
        "body",
    )
    await _limit(f"message:address:{client}", settings.support_message_limit_per_address,
                 MINUTE, "body")  # fmt: skip
    stored = await attachments.store(files)
    try:
        async with atomic():
            reached = await access.reach_to_write(conversation_number, viewer, token)
            posted = await messages.post(
                reached.conversation,
                author=MessageAuthor.CUSTOMER,
                channel=ConversationChannel.CHAT,
                body=body,
                author_user_id=reached.customer_id,
                client_id=client_id,
                attachments=stored,
            )
    finally:
        await attachments.settle(files, stored)
    return Sent(reached.conversation, posted.message, posted.created)


async def _shop_message(found: Access, message_id: int) -> Message:
    """A public message of the conversation, as the customer may name one; NOT_FOUND else."""
    message = await Message.get_or_none(
        id=message_id, conversation_id=found.conversation.id, private=False
    )
    if message is None:
        raise not_found("The message", "up_to_message_id")
    return message


async def mark_read(
    *, viewer: Viewer, conversation_number: str, token: str | None, up_to_message_id: int
) -> Conversation:
    """The customer has read up to a message: `customer_read_up_to` moves forward only, the
    shop's messages up to it are stamped read, and the staff side is told."""
    access.refuse_staff(viewer)
    found = await access.reach(conversation_number, viewer, token)
    up_to = (await _shop_message(found, up_to_message_id)).id
    conversation = found.conversation
    now = timezone.now()
    async with atomic():
        moved = await Conversation.filter(id=conversation.id, customer_read_up_to__lt=up_to).update(
            customer_read_up_to=up_to
        )
        if moved:
            await _stamp(conversation.id, up_to, read_at=now)
            await events.publish(
                events.MessagesRead(
                    number=conversation.number, reader="customer", up_to=up_to, at=now
                )
            )
    return await Conversation.get(id=conversation.id)


async def mark_delivered(
    *, viewer: Viewer, conversation_number: str, token: str | None, up_to_message_id: int
) -> Conversation:
    """The customer's screen received the shop's messages up to one: they are stamped
    delivered (once; later calls change nothing)."""
    access.refuse_staff(viewer)
    found = await access.reach(conversation_number, viewer, token)
    up_to = (await _shop_message(found, up_to_message_id)).id
    await _stamp(found.conversation.id, up_to, delivered_at=timezone.now())
    return found.conversation


async def _stamp(conversation_id: int, up_to: int, **stamp: object) -> None:
    """Stamp the shop's public messages up to `up_to` not yet stamped (read implies
    delivered)."""
    rows = Message.filter(
        conversation_id=conversation_id,
        id__lte=up_to,
        author=MessageAuthor.STAFF,
        private=False,
    )
    for column, value in stamp.items():
        await rows.filter(**{f"{column}__isnull": True}).update(**{column: value})
        if column == "read_at":
            await rows.filter(delivered_at__isnull=True).update(delivered_at=value)


async def set_typing(
    *, viewer: Viewer, conversation_number: str, token: str | None, typing: bool
) -> bool:
    """Tell the staff side the customer is typing (or stopped); nothing is stored."""
    access.refuse_staff(viewer)
    found = await access.reach(conversation_number, viewer, token)
    await _limit(
        f"typing:{found.conversation.id}", get_settings().support_typing_limit, MINUTE, "typing"
    )
    await events.publish(
        events.Typing(
            number=found.conversation.number,
            side="customer",
            name="",
            typing=typing,
            at=timezone.now(),
        )
    )
    return typing
