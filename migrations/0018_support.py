from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.support import (
    CallOutcome,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    InboundStatus,
    LinkKind,
    MessageAuthor,
)


class Migration(migrations.Migration):
    dependencies = [("models", "0017_requests")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CannedReply",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "shortcut",
                    fields.CharField(
                        unique=True,
                        description='What staff type to find it in the reply box ("where-is-my-parcel").',
                        max_length=40,
                    ),
                ),
                ("title", fields.CharField(max_length=120)),
                (
                    "body",
                    fields.TextField(
                        description="The text in the shop's language (translations in `CannedReplyTranslation`).",
                        unique=False,
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "support_canned_reply",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A ready answer staff insert, with placeholders for the order number, the tracking link.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CannedReplyTranslation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "reply",
                    fields.ForeignKeyField(
                        "models.CannedReply",
                        source_field="reply_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="translations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("locale", fields.CharField(max_length=16)),
                ("body", fields.TextField(unique=False)),
            ],
            options={
                "table": "support_canned_reply_translation",
                "app": "models",
                "unique_together": (("reply", "locale"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Conversation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "number",
                    fields.CharField(
                        unique=True,
                        description='Readable and not guessable in sequence ("CS" and eight base-32 characters).',
                        max_length=16,
                    ),
                ),
                ("subject", fields.CharField(default="", max_length=200)),
                (
                    "channel",
                    fields.CharEnumField(
                        description="CHAT: chat\nEMAIL: email\nPHONE: phone",
                        enum_type=ConversationChannel,
                        max_length=8,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=ConversationStatus.OPEN,
                        db_index=True,
                        description="OPEN: open\nWAITING: waiting\nSNOOZED: snoozed\nRESOLVED: resolved\nCLOSED: closed",
                        enum_type=ConversationStatus,
                        max_length=16,
                    ),
                ),
                (
                    "snoozed_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "priority",
                    fields.CharEnumField(
                        default=ConversationPriority.NORMAL,
                        description="LOW: low\nNORMAL: normal\nHIGH: high\nURGENT: urgent",
                        enum_type=ConversationPriority,
                        max_length=8,
                    ),
                ),
                (
                    "priority_rank",
                    fields.SmallIntField(
                        default=2,
                        description="`PRIORITY_RANK` of `priority`, stored so an inbox sorts by it in SQL.",
                    ),
                ),
                (
                    "customer",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="customer_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="conversations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "contact_name",
                    fields.CharField(
                        default="",
                        description="A guest's (or an emailing stranger's) name and address (a member's come from the account).",
                        max_length=120,
                    ),
                ),
                ("contact_email", fields.CharField(default="", db_index=True, max_length=254)),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="assignee_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="assigned_conversations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "locale",
                    fields.CharField(
                        default="",
                        description="The customer's language, for canned replies and emails.",
                        max_length=16,
                    ),
                ),
                (
                    "reply_token",
                    fields.CharField(
                        unique=True,
                        description="Random secret part of the conversation's reply address (`support+<token>@...`).",
                        max_length=40,
                    ),
                ),
                (
                    "access_epoch",
                    fields.IntField(
                        default=0,
                        description="Raised to revoke every guest token handed out for this conversation.",
                    ),
                ),
                (
                    "version",
                    fields.IntField(
                        default=0,
                        description="Bumped on every change: a staff screen's edit names the version it saw.",
                    ),
                ),
                (
                    "customer_read_up_to",
                    fields.IntField(
                        default=0,
                        description="The last message's id each side has read up to (0: none).",
                    ),
                ),
                ("staff_read_up_to", fields.IntField(default=0)),
                (
                    "last_message_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                (
                    "last_customer_message_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "first_response_at",
                    fields.DatetimeField(
                        null=True,
                        description="The first public staff answer, which service levels measure to.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "first_response_due_at",
                    fields.DatetimeField(
                        null=True,
                        db_index=True,
                        description="When the first response and the resolution are due (business hours counted in).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "resolution_due_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
                (
                    "breached_at",
                    fields.DatetimeField(
                        null=True,
                        description="When a target was first missed (null: none missed).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                (
                    "resolved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "support_conversation", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConversationLabel",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "conversation",
                    fields.ForeignKeyField(
                        "models.Conversation",
                        source_field="conversation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="labels",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "name",
                    fields.CharField(
                        db_index=True,
                        description='Lower-case, trimmed ("refund", "late parcel").',
                        max_length=40,
                    ),
                ),
            ],
            options={
                "table": "support_conversation_label",
                "app": "models",
                "unique_together": (("conversation", "name"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConversationLink",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "conversation",
                    fields.ForeignKeyField(
                        "models.Conversation",
                        source_field="conversation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ORDER: order\nSHIPMENT: shipment\nRETURN: return",
                        enum_type=LinkKind,
                        max_length=8,
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="conversation_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "shipment",
                    fields.ForeignKeyField(
                        "models.Shipment",
                        source_field="shipment_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="conversation_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "return_request",
                    fields.ForeignKeyField(
                        "models.ReturnRequest",
                        source_field="return_request_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="conversation_links",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "support_conversation_link",
                "app": "models",
                "unique_together": (("conversation", "order", "shipment", "return_request"),),
                "pk_attr": "id",
                "table_description": "What a conversation is about: one order, parcel or return per row.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConversationRating",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "conversation",
                    fields.OneToOneField(
                        "models.Conversation",
                        source_field="conversation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="rating",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("score", fields.SmallIntField()),
                ("comment", fields.CharField(default="", max_length=1000)),
                (
                    "assignee",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="assignee_id",
                        null=True,
                        description="Who was assigned when it was rated, for the per-staff statistics.",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_ratings",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "support_rating",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The customer's rating of the help, once the conversation was resolved.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="InboundEmail",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("message_id", fields.CharField(unique=True, max_length=250)),
                ("sender", fields.CharField(default="", max_length=254)),
                ("recipient", fields.CharField(default="", max_length=254)),
                ("subject", fields.CharField(default="", max_length=200)),
                (
                    "status",
                    fields.CharEnumField(
                        description="ACCEPTED: accepted\nIGNORED: ignored\nREJECTED: rejected",
                        enum_type=InboundStatus,
                        max_length=16,
                    ),
                ),
                ("reason", fields.CharField(default="", max_length=200)),
                ("size_bytes", fields.IntField(default=0)),
                (
                    "route",
                    fields.CharField(
                        description='How it came in: "http" (a provider\'s webhook) or "smtp".',
                        max_length=8,
                    ),
                ),
                (
                    "conversation",
                    fields.ForeignKeyField(
                        "models.Conversation",
                        source_field="conversation_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="inbound_emails",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "received_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "support_inbound_email",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One email received, whatever became of it: deduplicates redeliveries by Message-ID",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Message",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "conversation",
                    fields.ForeignKeyField(
                        "models.Conversation",
                        source_field="conversation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="messages",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "author",
                    fields.CharEnumField(
                        description="CUSTOMER: customer\nSTAFF: staff\nSYSTEM: system",
                        enum_type=MessageAuthor,
                        max_length=8,
                    ),
                ),
                (
                    "author_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="author_user_id",
                        null=True,
                        description="The staff member or customer account that wrote it (null for guests and the system).",
                        db_constraint=True,
                        to_field="id",
                        related_name="support_messages",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "channel",
                    fields.CharEnumField(
                        description="CHAT: chat\nEMAIL: email\nPHONE: phone",
                        enum_type=ConversationChannel,
                        max_length=8,
                    ),
                ),
                (
                    "private",
                    fields.BooleanField(
                        default=False,
                        description="A staff-only note: never shown, sent or counted to the customer.",
                    ),
                ),
                (
                    "body",
                    fields.TextField(
                        default="",
                        description="Plain text, as typed or as extracted from an email (quoted text stripped).",
                        unique=False,
                    ),
                ),
                (
                    "body_html",
                    fields.TextField(
                        default="",
                        description="An email's HTML, sanitised (empty for chat and notes).",
                        unique=False,
                    ),
                ),
                (
                    "client_id",
                    fields.CharField(
                        null=True,
                        description="The sender's own id for the message, so a retry or an echo is recognised.",
                        max_length=64,
                    ),
                ),
                (
                    "email_message_id",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="The RFC 5322 Message-ID it was received or sent with (email only).",
                        max_length=250,
                    ),
                ),
                (
                    "call_seconds",
                    fields.IntField(
                        null=True,
                        description="A phone call's length and how it ended (phone notes only).",
                    ),
                ),
                (
                    "call_outcome",
                    fields.CharEnumField(
                        null=True,
                        description="RESOLVED: resolved\nFOLLOW_UP: follow_up\nNO_ANSWER: no_answer\nVOICEMAIL: voicemail",
                        enum_type=CallOutcome,
                        max_length=16,
                    ),
                ),
                (
                    "data",
                    fields.JSONField(
                        default=dict,
                        description='Machine-readable detail of a system message ({"event": "assigned", ...}).',
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "delivered_at",
                    fields.DatetimeField(
                        null=True,
                        description="Handed to the recipient (the email sent, the chat pushed) and read by them.",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("read_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "support_message",
                "app": "models",
                "unique_together": (("conversation", "client_id"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MessageAttachment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "message",
                    fields.ForeignKeyField(
                        "models.Message",
                        source_field="message_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="attachments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "path",
                    fields.CharField(
                        description="Media path, as stored by `services.media`.", max_length=300
                    ),
                ),
                ("filename", fields.CharField(default="", max_length=200)),
                ("content_type", fields.CharField(max_length=100)),
                ("size_bytes", fields.IntField()),
                (
                    "width",
                    fields.IntField(
                        null=True, description="Pixel size of an image (null for other files)."
                    ),
                ),
                ("height", fields.IntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "support_attachment", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ServiceLevelTarget",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "priority",
                    fields.CharEnumField(
                        unique=True,
                        description="LOW: low\nNORMAL: normal\nHIGH: high\nURGENT: urgent",
                        enum_type=ConversationPriority,
                        max_length=8,
                    ),
                ),
                ("first_response_minutes", fields.IntField()),
                ("resolution_minutes", fields.IntField()),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "support_sla_target",
                "app": "models",
                "pk_attr": "id",
                "table_description": "How soon the shop means to answer and to resolve, per priority, in business minutes.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SupportSchedule",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "timezone",
                    fields.CharField(
                        default="UTC", description='IANA name ("Asia/Shanghai").', max_length=64
                    ),
                ),
                (
                    "auto_close_days",
                    fields.IntField(
                        default=7,
                        description="Resolved conversations close themselves after this many days without a word.",
                    ),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "support_schedule",
                "app": "models",
                "pk_attr": "id",
                "table_description": "The shop's service hours: one row with its time zone, and `BusinessHours` rows.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="BusinessHours",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "schedule",
                    fields.ForeignKeyField(
                        "models.SupportSchedule",
                        source_field="schedule_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="hours",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("weekday", fields.SmallIntField(description="0 Monday .. 6 Sunday.")),
                ("opens_minute", fields.SmallIntField()),
                ("closes_minute", fields.SmallIntField()),
            ],
            options={
                "table": "support_business_hours",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One open span of one weekday, in minutes from local midnight (a day may have two).",
            },
            bases=["Model"],
        ),
    ]
