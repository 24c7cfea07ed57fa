"""Customer service tables: conversations over chat, email and phone, their messages and
attachments, what they are about (orders, parcels, returns), ratings, service-level targets
and business hours, canned replies, and the inbound emails received.

A conversation moves through a status machine (`services.support.status`); every message,
whichever channel it came by, is a `Message` of its conversation, and a private staff note is
a message with `private` set, which no customer-facing route ever returns.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.orders import Order, Shipment
    from models.returns import ReturnRequest


class ConversationChannel(StrEnum):
    """How a conversation (or one message of it) reached the shop."""

    CHAT = "chat"
    EMAIL = "email"
    PHONE = "phone"


class ConversationStatus(StrEnum):
    OPEN = "open"  # waiting on the shop
    WAITING = "waiting"  # waiting on the customer (staff answered)
    SNOOZED = "snoozed"  # set aside until `snoozed_until`, or the customer's next word
    RESOLVED = "resolved"  # answered; the customer's reply reopens it
    CLOSED = "closed"  # final: a new word from the customer starts a new conversation


class ConversationPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"  # members of tiers with priority service start here
    URGENT = "urgent"


#: Priorities from the most pressing, for ordering an inbox.
PRIORITY_RANK: dict[ConversationPriority, int] = {
    ConversationPriority.URGENT: 0,
    ConversationPriority.HIGH: 1,
    ConversationPriority.NORMAL: 2,
    ConversationPriority.LOW: 3,
}


class Conversation(Model):
    id = fields.IntField(primary_key=True)
    #: Readable and not guessable in sequence ("CS" and eight base-32 characters).
    number = fields.CharField(max_length=16, unique=True)
    subject = fields.CharField(max_length=200, default="")
    #: The channel it began on (its messages may come by others).
    channel = fields.CharEnumField(ConversationChannel, max_length=8)
    status = fields.CharEnumField(
        ConversationStatus, max_length=16, default=ConversationStatus.OPEN, db_index=True
    )
    snoozed_until = fields.DatetimeField(null=True)
    priority = fields.CharEnumField(
        ConversationPriority, max_length=8, default=ConversationPriority.NORMAL
    )
    #: `PRIORITY_RANK` of `priority`, stored so an inbox sorts by it in SQL.
    priority_rank = fields.SmallIntField(default=2)
    customer: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="conversations", null=True, on_delete=OnDelete.SET_NULL
    )
    customer_id: int | None
    #: A guest's (or an emailing stranger's) name and address (a member's come from the account).
    contact_name = fields.CharField(max_length=120, default="")
    contact_email = fields.CharField(max_length=254, default="", db_index=True)
    assignee: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="assigned_conversations", null=True, on_delete=OnDelete.SET_NULL
    )
    assignee_id: int | None
    #: The customer's language, for canned replies and emails.
    locale = fields.CharField(max_length=16, default="")
    # A start retried while the first is still under way finds it by this unique key.
    #: Hash of a chat's starter and the client id of its first message (null: not a chat).
    start_key = fields.CharField(max_length=64, null=True, unique=True)
    #: Random secret part of the conversation's reply address (`support+<token>@...`).
    reply_token = fields.CharField(max_length=40, unique=True)
    #: Raised to revoke every guest token handed out for this conversation.
    access_epoch = fields.IntField(default=0)
    #: Bumped on every change: a staff screen's edit names the version it saw.
    version = fields.IntField(default=0)
    #: The last message's id each side has read up to (0: none).
    customer_read_up_to = fields.IntField(default=0)
    staff_read_up_to = fields.IntField(default=0)
    #: The last chat answer the customer was emailed about (0: none).
    chat_emailed_up_to = fields.IntField(default=0)
    last_message_at = fields.DatetimeField(null=True, db_index=True)
    last_customer_message_at = fields.DatetimeField(null=True)
    #: The first public staff answer, which service levels measure to.
    first_response_at = fields.DatetimeField(null=True)
    #: Who gave it (the statistics credit them).
    first_responder: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="first_responses", null=True, on_delete=OnDelete.SET_NULL
    )
    first_responder_id: int | None
    #: When the first response and the resolution are due (business hours counted in).
    first_response_due_at = fields.DatetimeField(null=True, db_index=True)
    resolution_due_at = fields.DatetimeField(null=True, db_index=True)
    #: When a target was first missed (null: none missed).
    breached_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    # Resolution time is measured from here when set, not from the creation.
    #: The latest reopening of a resolved conversation (null: never reopened).
    reopened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    messages: fields.ReverseRelation[Message]
    labels: fields.ReverseRelation[ConversationLabel]
    links: fields.ReverseRelation[ConversationLink]

    class Meta:
        table = "support_conversation"
        ordering = ["-last_message_at", "-id"]


class ConversationLabel(Model):
    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="labels", on_delete=OnDelete.CASCADE
    )
    conversation_id: int
    #: Lower-case, trimmed ("refund", "late parcel").
    name = fields.CharField(max_length=40, db_index=True)

    class Meta:
        table = "support_conversation_label"
        unique_together = (("conversation", "name"),)
        ordering = ["name"]


class LinkKind(StrEnum):
    ORDER = "order"
    SHIPMENT = "shipment"
    RETURN = "return"


class ConversationLink(Model):
    """What a conversation is about: one order, parcel or return per row."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="links", on_delete=OnDelete.CASCADE
    )
    conversation_id: int
    kind = fields.CharEnumField(LinkKind, max_length=8)
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="conversation_links", null=True, on_delete=OnDelete.CASCADE
    )
    order_id: int | None
    shipment: fields.ForeignKeyNullableRelation[Shipment] = fields.ForeignKeyField(
        "models.Shipment", related_name="conversation_links", null=True, on_delete=OnDelete.CASCADE
    )
    shipment_id: int | None
    return_request: fields.ForeignKeyNullableRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest",
        related_name="conversation_links",
        null=True,
        on_delete=OnDelete.CASCADE,
    )
    return_request_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_conversation_link"
        unique_together = (("conversation", "order", "shipment", "return_request"),)
        ordering = ["id"]


class MessageAuthor(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    SYSTEM = "system"  # status changes, assignments, links: written by the shop itself


class CallOutcome(StrEnum):
    """How a logged phone call ended."""

    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"


class Message(Model):
    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages", on_delete=OnDelete.CASCADE
    )
    conversation_id: int
    author = fields.CharEnumField(MessageAuthor, max_length=8)
    #: The staff member or customer account that wrote it (null for guests and the system).
    author_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="support_messages", null=True, on_delete=OnDelete.SET_NULL
    )
    author_user_id: int | None
    channel = fields.CharEnumField(ConversationChannel, max_length=8)
    #: A staff-only note: never shown, sent or counted to the customer.
    private = fields.BooleanField(default=False)
    #: Plain text, as typed or as extracted from an email (quoted text stripped).
    body = fields.TextField(default="")
    #: An email's HTML, sanitised (empty for chat and notes).
    body_html = fields.TextField(default="")
    #: The sender's own id for the message, so a retry or an echo is recognised.
    client_id = fields.CharField(max_length=64, null=True)
    #: The RFC 5322 Message-ID it was received or sent with (email only).
    email_message_id = fields.CharField(max_length=250, null=True, unique=True)
    #: A phone call's length and how it ended (phone notes only).
    call_seconds = fields.IntField(null=True)
    call_outcome = fields.CharEnumField(CallOutcome, max_length=16, null=True)
    #: Machine-readable detail of a system message ({"event": "assigned", ...}).
    data: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    #: Handed to the recipient (the email sent, the chat pushed) and read by them.
    delivered_at = fields.DatetimeField(null=True)
    read_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    attachments: fields.ReverseRelation[MessageAttachment]

    class Meta:
        table = "support_message"
        unique_together = (("conversation", "client_id"),)
        ordering = ["id"]


class MessageAttachment(Model):
    id = fields.IntField(primary_key=True)
    message: fields.ForeignKeyRelation[Message] = fields.ForeignKeyField(
        "models.Message", related_name="attachments", on_delete=OnDelete.CASCADE
    )
    message_id: int
    #: Media path, as stored by `services.media`.
    path = fields.CharField(max_length=300)
    filename = fields.CharField(max_length=200, default="")
    content_type = fields.CharField(max_length=100)
    size_bytes = fields.IntField()
    #: Pixel size of an image (null for other files).
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "support_attachment"
        ordering = ["id"]


class ConversationRating(Model):
    """The customer's rating of the help, once the conversation was resolved."""

    id = fields.IntField(primary_key=True)
    conversation: fields.OneToOneRelation[Conversation] = fields.OneToOneField(
        "models.Conversation", related_name="rating", on_delete=OnDelete.CASCADE
    )
    conversation_id: int
    score = fields.SmallIntField()
    comment = fields.CharField(max_length=2000, default="")
    #: Who was assigned when it was rated, for the per-staff statistics.
    assignee: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="support_ratings", null=True, on_delete=OnDelete.SET_NULL
    )
    assignee_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "support_rating"


class ServiceLevelTarget(Model):
    """How soon the shop means to answer and to resolve, per priority, in business minutes."""

    id = fields.IntField(primary_key=True)
    priority = fields.CharEnumField(ConversationPriority, max_length=8, unique=True)
    first_response_minutes = fields.IntField()
    resolution_minutes = fields.IntField()
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "support_sla_target"


class SupportSchedule(Model):
    """The shop's service hours: one row with its time zone, and `BusinessHours` rows."""

    id = fields.IntField(primary_key=True)
    #: IANA name ("Asia/Shanghai").
    timezone = fields.CharField(max_length=64, default="UTC")
    #: Resolved conversations close themselves after this many days without a word.
    auto_close_days = fields.IntField(default=7)
    updated_at = fields.DatetimeField(auto_now=True)
    hours: fields.ReverseRelation[BusinessHours]
    holidays: fields.ReverseRelation[SupportHoliday]

    class Meta:
        table = "support_schedule"


class BusinessHours(Model):
    """One open span of one weekday, in minutes from local midnight (a day may have two)."""

    id = fields.IntField(primary_key=True)
    schedule: fields.ForeignKeyRelation[SupportSchedule] = fields.ForeignKeyField(
        "models.SupportSchedule", related_name="hours", on_delete=OnDelete.CASCADE
    )
    schedule_id: int
    #: 0 Monday .. 6 Sunday.
    weekday = fields.SmallIntField()
    opens_minute = fields.SmallIntField()
    closes_minute = fields.SmallIntField()

    class Meta:
        table = "support_business_hours"
        ordering = ["weekday", "opens_minute"]


class SupportHoliday(Model):
    """A local date the shop gives no service: its business time stands still all day."""

    id = fields.IntField(primary_key=True)
    schedule: fields.ForeignKeyRelation[SupportSchedule] = fields.ForeignKeyField(
        "models.SupportSchedule", related_name="holidays", on_delete=OnDelete.CASCADE
    )
    schedule_id: int
    day = fields.DateField()
    name = fields.CharField(max_length=80, default="")

    class Meta:
        table = "support_holiday"
        unique_together = (("schedule", "day"),)
        ordering = ["day"]


class CannedReply(Model):
    """A ready answer staff insert, with placeholders for the order number, the tracking link."""

    # The placeholders are listed in `services.support.canned`. No braces or semicolons in
    # this model's docstrings and field comments: they become SQL comments, and the schema
    # editor formats braces and splits statements on semicolons.

    id = fields.IntField(primary_key=True)
    #: What staff type to find it in the reply box ("where-is-my-parcel").
    shortcut = fields.CharField(max_length=40, unique=True)
    title = fields.CharField(max_length=120)
    #: The text in the shop's language (translations in `CannedReplyTranslation`).
    body = fields.TextField()
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    translations: fields.ReverseRelation[CannedReplyTranslation]

    class Meta:
        table = "support_canned_reply"
        ordering = ["shortcut"]


class CannedReplyTranslation(Model):
    id = fields.IntField(primary_key=True)
    reply: fields.ForeignKeyRelation[CannedReply] = fields.ForeignKeyField(
        "models.CannedReply", related_name="translations", on_delete=OnDelete.CASCADE
    )
    reply_id: int
    locale = fields.CharField(max_length=16)
    body = fields.TextField()

    class Meta:
        table = "support_canned_reply_translation"
        unique_together = (("reply", "locale"),)


class InboundStatus(StrEnum):
    PENDING = "pending"  # stored, waiting for its job to thread and post it
    ACCEPTED = "accepted"  # became a message of a conversation
    IGNORED = "ignored"  # automatic mail, a list, a loop, a duplicate
    LIMITED = "limited"  # would have opened a conversation over the flood limit
    REJECTED = "rejected"  # unreadable or too large


class InboundEmail(Model):
    """One email received, whatever became of it: deduplicates redeliveries by Message-ID
    and lets staff see why a message made no conversation."""

    id = fields.IntField(primary_key=True)
    message_id = fields.CharField(max_length=250, unique=True)
    sender = fields.CharField(max_length=254, default="")
    recipient = fields.CharField(max_length=254, default="")
    subject = fields.CharField(max_length=200, default="")
    status = fields.CharEnumField(InboundStatus, max_length=16)
    reason = fields.CharField(max_length=200, default="")
    size_bytes = fields.IntField(default=0)
    #: How it came in: "http" (a provider's webhook) or "smtp".
    route = fields.CharField(max_length=8)
    #: The email as received, kept once for staff to look into (empty when refused unread).
    raw_bytes = fields.BinaryField(null=True)
    conversation: fields.ForeignKeyNullableRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="inbound_emails", null=True, on_delete=OnDelete.SET_NULL
    )
    conversation_id: int | None
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "support_inbound_email"
        ordering = ["-received_at", "-id"]
