from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.payments import Gateway, PaymentStatus, RefundStatus


class Migration(migrations.Migration):
    dependencies = [("models", "0006_checkout_orders_inventory")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Payment",
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
                        related_name="payments",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "attempt",
                    fields.IntField(
                        description="1 for the order's first attempt, then 2, 3: part of the idempotency key sent."
                    ),
                ),
                (
                    "gateway",
                    fields.CharEnumField(
                        description="STRIPE: stripe\nTEST: test\nBANK_TRANSFER: bank_transfer",
                        enum_type=Gateway,
                        max_length=16,
                    ),
                ),
                (
                    "method",
                    fields.CharField(
                        default="",
                        description="card, alipay, wechat_pay, paypal, bank_transfer, ...",
                        max_length=32,
                    ),
                ),
                (
                    "provider_id",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="The provider's id for the attempt (a Stripe PaymentIntent `pi_...`).",
                        max_length=120,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        description="REQUIRES_ACTION: requires_action\nPROCESSING: processing\nSUCCEEDED: succeeded\nFAILED: failed\nCANCELED: canceled\nFLAGGED: flagged",
                        enum_type=PaymentStatus,
                        max_length=20,
                    ),
                ),
                ("currency", fields.CharField(max_length=3)),
                ("amount", fields.BigIntField()),
                ("amount_received", fields.BigIntField(default=0)),
                ("amount_refunded", fields.BigIntField(default=0)),
                ("failure_code", fields.CharField(default="", max_length=80)),
                ("failure_message", fields.CharField(default="", max_length=300)),
                ("flagged_reason", fields.CharField(default="", max_length=300)),
                (
                    "next_action",
                    fields.JSONField(
                        default=dict,
                        description="What the shopper must do next, as the provider described it (redirect URL, QR code).",
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "settlement_currency",
                    fields.CharField(
                        default="",
                        description="Settlement: what arrived in the settlement currency, the fee, and the rate applied.",
                        max_length=3,
                    ),
                ),
                ("settled_amount", fields.BigIntField(null=True)),
                ("fee", fields.BigIntField(null=True)),
                (
                    "provider_rate",
                    fields.CharField(
                        default="",
                        description="Units of the settlement currency per unit of the presentment currency, as a decimal",
                        max_length=40,
                    ),
                ),
                ("balance_transaction_id", fields.CharField(default="", max_length=120)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "succeeded_at",
                    fields.DatetimeField(
                        null=True, db_index=True, auto_now=False, auto_now_add=False
                    ),
                ),
            ],
            options={
                "table": "payments_payment",
                "app": "models",
                "unique_together": (("order", "attempt"),),
                "pk_attr": "id",
                "table_description": "One attempt to collect an order's total through a gateway.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Refund",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "payment",
                    fields.ForeignKeyField(
                        "models.Payment",
                        source_field="payment_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="refunds",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "sequence",
                    fields.IntField(
                        description="1, 2, 3 per payment: part of the idempotency key sent to the provider."
                    ),
                ),
                ("provider_id", fields.CharField(null=True, unique=True, max_length=120)),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING: pending\nSUCCEEDED: succeeded\nFAILED: failed",
                        enum_type=RefundStatus,
                        max_length=16,
                    ),
                ),
                (
                    "amount",
                    fields.BigIntField(description="In the payment's (presentment) currency."),
                ),
                ("reason", fields.CharField(max_length=300)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="refunds",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("settled_amount", fields.BigIntField(null=True)),
                ("fee", fields.BigIntField(null=True)),
                ("provider_rate", fields.CharField(default="", max_length=40)),
                ("failure_message", fields.CharField(default="", max_length=300)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "payments_refund",
                "app": "models",
                "unique_together": (("payment", "sequence"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="WebhookEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "gateway",
                    fields.CharEnumField(
                        description="STRIPE: stripe\nTEST: test\nBANK_TRANSFER: bank_transfer",
                        enum_type=Gateway,
                        max_length=16,
                    ),
                ),
                ("event_id", fields.CharField(max_length=120)),
                ("type", fields.CharField(max_length=80)),
                ("received_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "processed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "outcome",
                    fields.CharField(
                        default="",
                        description="What processing concluded, for support: `applied`, `ignored: ...`, `flagged: ...`.",
                        max_length=300,
                    ),
                ),
            ],
            options={
                "table": "payments_webhook_event",
                "app": "models",
                "unique_together": (("gateway", "event_id"),),
                "pk_attr": "id",
                "table_description": "A provider notification, recorded once by its event id before it is processed.",
            },
            bases=["Model"],
        ),
    ]
