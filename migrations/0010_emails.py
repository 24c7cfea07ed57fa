from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from models.emails import EmailKind, EmailStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0009_jobs")]

    initial = False

    operations = [
        ops.CreateModel(
            name="SentEmail",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="emails",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="ORDER_PLACED: order_placed\nPAYMENT_RECEIVED: payment_received\nSHIPPED: shipped\nDELIVERED: delivered\nCANCELLED: cancelled\nREFUNDED: refunded",
                        enum_type=EmailKind,
                        max_length=24,
                    ),
                ),
                (
                    "key",
                    fields.CharField(
                        default="",
                        description="Which one of its kind: the shipment or refund id (empty for once-per-order kinds).",
                        max_length=64,
                    ),
                ),
                ("to", fields.CharField(max_length=254)),
                (
                    "language",
                    fields.CharField(description="The language it was written in.", max_length=16),
                ),
                ("subject", fields.CharField(default="", max_length=300)),
                (
                    "status",
                    fields.CharEnumField(
                        default=EmailStatus.SENDING,
                        description="SENDING: sending\nSENT: sent\nFAILED: failed",
                        enum_type=EmailStatus,
                        max_length=16,
                    ),
                ),
                (
                    "error",
                    fields.CharField(
                        default="",
                        description="Why the last attempt failed, as the mail server or the connection said.",
                        max_length=500,
                    ),
                ),
                (
                    "provider_message_id",
                    fields.CharField(
                        default="",
                        description="The Message-ID the email went out with, which bounces and replies refer to.",
                        max_length=255,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "claimed_at",
                    fields.DatetimeField(
                        null=True,
                        description="When the current attempt claimed the row (a claim older than the lease is taken over).",
                        auto_now=False,
                        auto_now_add=False,
                    ),
                ),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "emails_sent_email",
                "app": "models",
                "unique_together": (("order", "kind", "key"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="locale",
            field=fields.CharField(
                default="",
                description="The language the shopper checked out in: their emails are written in it.",
                db_default="",
                max_length=16,
            ),
        ),
    ]
