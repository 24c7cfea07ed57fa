"""What staff with the support permission do with a conversation: answer it (publicly or in
a private note), log a phone call, open one for a customer, assign it, set its priority and
labels, snooze, resolve, reopen or close it, link it to what it is about, and mark it read.

Every change locks the conversation's row (`status.locked`) inside `atomic()`, checks the
`version` the screen read (STALE), and goes through `status.move` / `status.touch` /
`status.note` or `messages.post`, so the rules and announcements are the same as for every
other route. Of two staff acting at once, one applies and the other is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from tortoise import timezone

from models.accounts import Role, User
from models.support import (
    CallOutcome,
    Conversation,
    ConversationChannel,
    ConversationLabel,
    ConversationLink,
    ConversationPriority,
    ConversationStatus,
    LinkKind,
    Message,
    MessageAuthor,
)
from services.auth import StaffPermission
from services.support import attachments, conversations, messages
from services.support import status as machine
from services.support.conversations import Contact
from services.support.errors import SupportErrorCode, fail, not_found
from services.transactions import atomic
from subscriptions import events

S = ConversationStatus

MAX_LABELS = 10
MAX_LABEL = 40
#: A phone call is logged with at most a day's length.
MAX_CALL_SECONDS = 86_400
#: How far ahead a conversation may be snoozed.
MAX_SNOOZE = timedelta(days=366)
#: Channels staff may open a conversation on (chats are opened by customers).
STAFF_OPENED = frozenset({ConversationChannel.PHONE, ConversationChannel.EMAIL})


async def reply(
    conversation_id: int,
    *,
    actor_id: int,
    body: str,
    private: bool = False,
    client_id: str | None = None,
    version: int | None = None,
    files: Sequence[attachments.NewFile] = (),
) -> messages.Posted:
    """A staff answer (or, `private`, a note only staff read) on the conversation's channel,
    with its `files`; a known `client_id` is the message made before, files and all."""
    messages.check_body(body, attachments=len(files))
    attachments.check(files)
    if client_id is not None:
        messages.check_client_id(client_id)
        if await Message.exists(conversation_id=conversation_id, client_id=client_id):
            files = ()  # a retry: the message made before is the answer, with its own files
    stored = await attachments.store(files)
    try:
        async with atomic():
            conversation = await machine.locked(conversation_id)
            # A retry is answered with the message it made, whose own version bump makes
            # the version the retry names stale.
            if (
                not files
                and client_id is not None
                and await Message.exists(conversation_id=conversation.id, client_id=client_id)
            ):
                version = None
            machine.check_version(conversation, version)
            return await messages.post(
                conversation,
                author=MessageAuthor.STAFF,
                channel=ConversationChannel(conversation.channel),
                body=body,
                author_user_id=actor_id,
                private=private,
                client_id=client_id,
                attachments=stored,
            )
    finally:
        await attachments.settle(files, stored)


async def log_call(
    conversation_id: int,
    *,
    actor_id: int,
    seconds: int,
    outcome: CallOutcome,
    body: str = "",
    version: int | None = None,
) -> messages.Posted:
    """A phone call, as a staff note with its length and how it ended."""
    if not 0 <= seconds <= MAX_CALL_SECONDS:
        raise fail(
            SupportErrorCode.INVALID,
            f"A call lasts from 0 to {MAX_CALL_SECONDS} seconds.",
            "seconds",
        )
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        return await messages.post(
            conversation,
            author=MessageAuthor.STAFF,
            channel=ConversationChannel.PHONE,
            body=body,
            author_user_id=actor_id,
            private=True,
            call_seconds=seconds,
            call_outcome=outcome,
        )


async def _customer(customer_id: int) -> User:
    user = await User.get_or_none(id=customer_id, role=Role.CUSTOMER, deleted_at=None)
    if user is None:
        raise not_found("The customer", "customer_id")
    return user


async def open_for_customer(
    *,
    actor_id: int,
    customer_id: int,
    channel: ConversationChannel,
    subject: str,
    body: str,
) -> Conversation:
    """A conversation staff start with a customer: by email (its body is the first public
    message, sent as one) or after a phone call (its body is the call's note)."""
    if channel not in STAFF_OPENED:
        raise fail(SupportErrorCode.INVALID, "Staff open phone or email conversations.", "channel")
    if not " ".join(subject.split()):
        raise fail(SupportErrorCode.REQUIRED, "Give the conversation a subject.", "subject")
    if "\x00" in subject:
        raise fail(SupportErrorCode.INVALID, "The subject holds characters text cannot.", "subject")
    text = messages.check_body(body)
    customer = await _customer(customer_id)
    async with atomic():
        opened = await conversations.open_conversation(
            channel,
            Contact(customer_id=customer.id, name=customer.nickname or ""),
            subject=subject,
            locale=customer.locale or "",
        )
        conversation = await machine.locked(opened.id)
        await messages.post(
            conversation,
            author=MessageAuthor.STAFF,
            channel=channel,
            body=text,
            author_user_id=actor_id,
            private=channel is ConversationChannel.PHONE,
        )
    return await Conversation.get(id=opened.id)


async def _support_staff(user_id: int) -> User:
    """A staff member who may answer conversations, or INVALID at `assignee_id`."""
    user = await User.get_or_none(id=user_id, is_active=True, deleted_at=None)
    if user is not None and (
        user.role == Role.ADMIN
        or (user.role == Role.STAFF and StaffPermission.SUPPORT.value in (user.permissions or []))
    ):
        return user
    raise fail(
        SupportErrorCode.INVALID,
        "Only staff with the support permission can be assigned.",
        "assignee_id",
    )


async def assign(
    conversation_id: int, *, actor_id: int, assignee_id: int | None, version: int | None = None
) -> Conversation:
    """Give the conversation to a support staff member (None: to nobody)."""
    assignee = await _support_staff(assignee_id) if assignee_id is not None else None
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        if conversation.assignee_id == assignee_id:
            return conversation
        await machine.touch(conversation, assignee_id=assignee_id)
        label = (
            f"Assigned to {assignee.nickname or assignee.email or f'staff {assignee.id}'}"
            if assignee is not None
            else "Unassigned"
        )
        await machine.note(
            conversation, machine.NoteEvent.ASSIGNED, label, actor_id=actor_id, assignee=assignee_id
        )
    return conversation


async def set_priority(
    conversation_id: int,
    *,
    actor_id: int,
    priority: ConversationPriority,
    version: int | None = None,
) -> Conversation:
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        if conversation.priority == priority:
            return conversation
        previous = ConversationPriority(conversation.priority)
        await machine.touch(conversation, priority=priority)
        await machine.note(
            conversation, machine.NoteEvent.PRIORITY, f"Priority {priority.value}",
            actor_id=actor_id, previous=previous.value, priority=priority.value,
        )  # fmt: skip
    return conversation


def normalize_labels(labels: list[str]) -> list[str]:
    """Labels as stored: trimmed, single-spaced, lower case, each once, in the order given;
    INVALID / TOO_LONG at `labels` otherwise."""
    if len(labels) > MAX_LABELS:
        raise fail(
            SupportErrorCode.INVALID, f"A conversation has at most {MAX_LABELS} labels.", "labels"
        )
    seen: dict[str, None] = {}
    for index, raw in enumerate(labels):
        if "\x00" in raw or any(0xD800 <= ord(c) <= 0xDFFF for c in raw):
            raise fail(
                SupportErrorCode.INVALID, "A label holds characters text cannot.",
                "labels", str(index),
            )  # fmt: skip
        name = " ".join(raw.split()).lower()
        if not name:
            raise fail(SupportErrorCode.REQUIRED, "A label cannot be empty.", "labels", str(index))
        if len(name) > MAX_LABEL:
            raise fail(
                SupportErrorCode.TOO_LONG, f"A label is at most {MAX_LABEL} characters.",
                "labels", str(index),
            )  # fmt: skip
        seen.setdefault(name, None)
    return list(seen)


async def set_labels(
    conversation_id: int, *, labels: list[str], version: int | None = None
) -> Conversation:
    """Replace the conversation's labels."""
    names = normalize_labels(labels)
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        current = {
            row.name for row in await ConversationLabel.filter(conversation_id=conversation.id)
        }
        if current == set(names):
            return conversation
        await ConversationLabel.filter(conversation_id=conversation.id, name__not_in=names).delete()
        for name in names:
            if name not in current:
                await ConversationLabel.create(conversation_id=conversation.id, name=name)
        await machine.touch(conversation)
    return conversation


async def _move(
    conversation_id: int,
    to: ConversationStatus,
    *,
    actor_id: int,
    version: int | None,
    snoozed_until: datetime | None = None,
) -> Conversation:
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        return await machine.move(conversation, to, actor_id=actor_id, snoozed_until=snoozed_until)


async def snooze(
    conversation_id: int, *, actor_id: int, until: datetime, version: int | None = None
) -> Conversation:
    """Set aside until `until` (in the future, within a year) or the customer's next word."""
    now = timezone.now()
    if until.tzinfo is None:
        raise fail(SupportErrorCode.INVALID, "Give the time with its time zone.", "until")
    if until <= now:
        raise fail(SupportErrorCode.INVALID, "Snooze until a time still to come.", "until")
    if until > now + MAX_SNOOZE:
        raise fail(SupportErrorCode.INVALID, "Snooze for at most a year.", "until")
    return await _move(
        conversation_id, S.SNOOZED, actor_id=actor_id, version=version, snoozed_until=until
    )


async def resolve(
    conversation_id: int, *, actor_id: int, version: int | None = None
) -> Conversation:
    return await _move(conversation_id, S.RESOLVED, actor_id=actor_id, version=version)


async def reopen(
    conversation_id: int, *, actor_id: int, version: int | None = None
) -> Conversation:
    """Back to OPEN: the shop owes an answer again (a closed conversation stays closed)."""
    return await _move(conversation_id, S.OPEN, actor_id=actor_id, version=version)


async def close(conversation_id: int, *, actor_id: int, version: int | None = None) -> Conversation:
    return await _move(conversation_id, S.CLOSED, actor_id=actor_id, version=version)


async def link(
    conversation_id: int,
    *,
    actor_id: int,
    kind: LinkKind,
    target_id: int,
    version: int | None = None,
) -> Conversation:
    """Link an order, parcel or return (any customer's: staff decide what it is about)."""
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        await conversations.link(conversation, kind, target_id, actor_id=actor_id)
    return conversation


async def unlink(
    conversation_id: int, *, actor_id: int, link_id: int, version: int | None = None
) -> Conversation:
    async with atomic():
        conversation = await machine.locked(conversation_id)
        machine.check_version(conversation, version)
        row = await ConversationLink.get_or_none(id=link_id, conversation_id=conversation.id)
        if row is None:
            raise not_found("The link", "link_id")
        await row.delete()
        await machine.note(
            conversation, machine.NoteEvent.UNLINKED, f"Unlinked {LinkKind(row.kind).value}",
            actor_id=actor_id, kind=LinkKind(row.kind).value,
        )  # fmt: skip
        await machine.touch(conversation)
    return conversation


async def mark_read(conversation_id: int) -> Conversation:
    """Staff have read every message so far (their unread count falls to nothing)."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    if conversation is None:
        raise not_found("The conversation", "conversation_id")
    last = (
        await Message.filter(conversation_id=conversation.id)
        .order_by("-id")
        .first()
        .values_list("id", flat=True)
    )
    up_to = int(last) if last is not None else 0  # type: ignore[call-overload]
    # Only forwards, whatever races it: a later read never lowers the mark.
    if await Conversation.filter(id=conversation.id, staff_read_up_to__lt=up_to).update(
        staff_read_up_to=up_to
    ):
        conversation.staff_read_up_to = up_to
        await events.publish(
            events.MessagesRead(
                number=conversation.number, reader="staff", up_to=up_to, at=timezone.now()
            )
        )
    return conversation
