from orjson import loads
from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise.migrations import operations as ops

from models.returns import (
    CancellationStatus,
    Inspection,
    OutcomeStatus,
    PolicyScope,
    ReturnResolution,
    ReturnShippingPayer,
    ReturnStatus,
)
from models.store_credit import CreditEntryKind


class Migration(migrations.Migration):
    dependencies = [("models", "0015_customs")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CancellationRequest",
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
                        related_name="cancellation_requests",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=CancellationStatus.REQUESTED,
                        db_index=True,
                        description="REQUESTED: requested\nAPPROVED: approved\nDECLINED: declined",
                        enum_type=CancellationStatus,
                        max_length=16,
                    ),
                ),
                ("reason", fields.CharField(default="", max_length=500)),
                ("decline_reason", fields.CharField(default="", max_length=500)),
                (
                    "decided_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="decided_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="cancellation_decisions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "returns_cancellation_request",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A shopper's request to cancel an order that has not shipped: approved at once while",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnPolicy",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "scope",
                    fields.CharEnumField(
                        description="SHOP: shop\nCATEGORY: category\nPRODUCT: product",
                        enum_type=PolicyScope,
                        max_length=16,
                    ),
                ),
                (
                    "category",
                    fields.ForeignKeyField(
                        "models.Category",
                        source_field="category_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="return_policies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "product",
                    fields.ForeignKeyField(
                        "models.Product",
                        source_field="product_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="return_policies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "returnable",
                    fields.BooleanField(
                        default=True, description="False: final sale, never returnable."
                    ),
                ),
                (
                    "window_days",
                    fields.IntField(
                        default=30,
                        description="Days to ask for a return, counted from the delivery date tracking recorded.",
                    ),
                ),
                (
                    "restocking_fee_bps",
                    fields.IntField(
                        default=0,
                        description="Kept from the refund of each returned line (basis points of what was paid for it).",
                    ),
                ),
                (
                    "return_shipping_payer",
                    fields.CharEnumField(
                        default=ReturnShippingPayer.CUSTOMER,
                        description="CUSTOMER: customer\nMERCHANT: merchant",
                        enum_type=ReturnShippingPayer,
                        max_length=16,
                    ),
                ),
                (
                    "return_shipping_fee",
                    fields.BigIntField(
                        default=0,
                        description="What the customer pays for the return parcel when the customer pays it (shop currency).",
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "returns_policy",
                "app": "models",
                "unique_together": (("scope", "category", "product"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnReason",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "code",
                    fields.CharField(
                        unique=True,
                        description='Stable key for reports and for the default set ("wrong_size", "damaged"...).',
                        max_length=40,
                    ),
                ),
                ("name", fields.CharField(max_length=120)),
                (
                    "needs_photo",
                    fields.BooleanField(
                        default=False,
                        description="Whether the shopper must add photos (a damaged or wrong item).",
                    ),
                ),
                ("active", fields.BooleanField(default=True)),
                ("position", fields.IntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "returns_reason",
                "app": "models",
                "pk_attr": "id",
                "table_description": "A reason shoppers pick from: the merchant's list, translatable.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnReasonTranslation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "reason",
                    fields.ForeignKeyField(
                        "models.ReturnReason",
                        source_field="reason_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="translations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("locale", fields.CharField(max_length=16)),
                ("name", fields.CharField(max_length=120)),
            ],
            options={
                "table": "returns_reason_translation",
                "app": "models",
                "unique_together": (("reason", "locale"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnRequest",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "number",
                    fields.CharField(
                        unique=True,
                        description='Human number: the order\'s number and a sequence ("TW-1042-R1").',
                        max_length=24,
                    ),
                ),
                (
                    "order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="order_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="returns",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("sequence", fields.IntField(description="1, 2, 3 per order.")),
                (
                    "status",
                    fields.CharEnumField(
                        default=ReturnStatus.REQUESTED,
                        db_index=True,
                        description="REQUESTED: requested\nAPPROVED: approved\nDECLINED: declined\nIN_TRANSIT: in_transit\nRECEIVED: received\nINSPECTED: inspected\nCLOSED: closed\nCANCELLED: cancelled",
                        enum_type=ReturnStatus,
                        max_length=16,
                    ),
                ),
                (
                    "resolution",
                    fields.CharEnumField(
                        description="REFUND: refund\nSTORE_CREDIT: store_credit\nEXCHANGE: exchange",
                        enum_type=ReturnResolution,
                        max_length=16,
                    ),
                ),
                (
                    "reason",
                    fields.ForeignKeyField(
                        "models.ReturnReason",
                        source_field="reason_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="returns",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "reason_name",
                    fields.CharField(
                        default="",
                        description="The reason's name when asked (kept if the merchant renames or removes it).",
                        max_length=120,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=1000)),
                (
                    "idempotency_key",
                    fields.CharField(
                        null=True,
                        unique=True,
                        description="The customer's client key: asking twice with one key makes one return.",
                        max_length=64,
                    ),
                ),
                (
                    "opened_by_staff",
                    fields.BooleanField(
                        default=False,
                        description="Opened by staff for the customer (a phone call, an email) rather than by the shopper.",
                    ),
                ),
                ("decline_reason", fields.CharField(default="", max_length=500)),
                (
                    "instructions",
                    fields.TextField(
                        default="",
                        description="How to send the goods back, shown to the shopper once approved.",
                        unique=False,
                    ),
                ),
                (
                    "label_reference",
                    fields.CharField(
                        default="",
                        description="The prepaid label's reference or URL, when the merchant gives one.",
                        max_length=400,
                    ),
                ),
                (
                    "keep_items",
                    fields.BooleanField(
                        default=False,
                        description="Refund without sending the goods back: they cost more to return than they are worth.",
                    ),
                ),
                ("locale", fields.CharField(default="", max_length=16)),
                (
                    "version",
                    fields.IntField(
                        default=0,
                        description="Bumped on every change: a staff screen's edit names the version it saw.",
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                (
                    "approved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "received_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "cancelled_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "returns_return",
                "app": "models",
                "unique_together": (("order", "sequence"),),
                "pk_attr": "id",
                "table_description": "One return of some of an order's lines (an order may have several).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "return_request",
                    fields.ForeignKeyField(
                        "models.ReturnRequest",
                        source_field="return_request_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("from_status", fields.CharField(default="", max_length=16)),
                ("to_status", fields.CharField(default="", max_length=16)),
                (
                    "actor",
                    fields.CharField(
                        description="`user:12`, `customer`, `system`, as in the order timeline.",
                        max_length=40,
                    ),
                ),
                (
                    "actor_user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="return_events",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("message", fields.CharField(default="", max_length=500)),
                (
                    "internal",
                    fields.BooleanField(
                        default=False,
                        description="Staff-only entries are not shown to the customer.",
                    ),
                ),
                ("data", fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "returns_event",
                "app": "models",
                "pk_attr": "id",
                "table_description": "One entry of a return's timeline.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnLine",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "return_request",
                    fields.ForeignKeyField(
                        "models.ReturnRequest",
                        source_field="return_request_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lines",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "order_line",
                    fields.ForeignKeyField(
                        "models.OrderLine",
                        source_field="order_line_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="return_lines",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("quantity", fields.IntField()),
                (
                    "exchange_variant",
                    fields.ForeignKeyField(
                        "models.ProductVariant",
                        source_field="exchange_variant_id",
                        null=True,
                        description="The variant wanted instead, for an exchange.",
                        db_constraint=True,
                        to_field="id",
                        related_name="exchange_lines",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "inspection",
                    fields.CharEnumField(
                        default=Inspection.PENDING,
                        description="PENDING: pending\nRESTOCK: restock\nNEEDS_WORK: needs_work\nWRITTEN_OFF: written_off\nMISSING: missing",
                        enum_type=Inspection,
                        max_length=16,
                    ),
                ),
                (
                    "inspected_quantity",
                    fields.IntField(
                        default=0,
                        description="Units inspected as `inspection` (the rest of `quantity` counts as missing).",
                    ),
                ),
                ("inspection_note", fields.CharField(default="", max_length=500)),
                (
                    "inspected_by",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="inspected_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="inspected_return_lines",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "inspected_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "restocked_quantity",
                    fields.IntField(
                        default=0,
                        description="Units put back in stock from this line (never more than came back).",
                    ),
                ),
            ],
            options={
                "table": "returns_line",
                "app": "models",
                "unique_together": (("return_request", "order_line"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnOutcome",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "return_request",
                    fields.OneToOneField(
                        "models.ReturnRequest",
                        source_field="return_request_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="outcome",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "status",
                    fields.CharEnumField(
                        default=OutcomeStatus.PENDING,
                        description="PENDING: pending\nDONE: done\nFAILED: failed",
                        enum_type=OutcomeStatus,
                        max_length=16,
                    ),
                ),
                ("currency", fields.CharField(max_length=3)),
                (
                    "refund_amount",
                    fields.BigIntField(
                        default=0,
                        description="Back to the original payment, in the order's currency.",
                    ),
                ),
                (
                    "credit_amount",
                    fields.BigIntField(
                        default=0, description="As store credit, in the order's currency."
                    ),
                ),
                (
                    "fee_amount",
                    fields.BigIntField(
                        default=0,
                        description="Kept: restocking fee and return shipping (order's currency).",
                    ),
                ),
                (
                    "customs_amount",
                    fields.BigIntField(
                        default=0,
                        description="Duties and import taxes given back within `refund_amount`/`credit_amount`.",
                    ),
                ),
                (
                    "exchange_order",
                    fields.ForeignKeyField(
                        "models.Order",
                        source_field="exchange_order_id",
                        null=True,
                        description="The replacement order of an exchange.",
                        db_constraint=True,
                        to_field="id",
                        related_name="exchanged_from",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "breakdown",
                    fields.JSONField(
                        default=list,
                        description='The preview\'s figures per line, as carried out: [{"line": id, "refund": n, ...}].',
                        encoder=JSON_DUMPS,
                        decoder=loads,
                    ),
                ),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="return_outcomes",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("failure_message", fields.CharField(default="", max_length=300)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "completed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "returns_outcome",
                "app": "models",
                "pk_attr": "id",
                "table_description": "What a return ended in, carried out once: one row per return, so a retried or",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReturnPhoto",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "return_request",
                    fields.ForeignKeyField(
                        "models.ReturnRequest",
                        source_field="return_request_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="photos",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "path",
                    fields.CharField(
                        description="Media path, as stored by `services.media.store_image`.",
                        max_length=300,
                    ),
                ),
                ("width", fields.IntField()),
                ("height", fields.IntField()),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "returns_photo", "app": "models", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StoreCreditAccount",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="store_credit_accounts",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("currency", fields.CharField(max_length=3)),
                ("balance", fields.BigIntField(default=0)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "store_credit_account",
                "app": "models",
                "unique_together": (("user", "currency"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="StoreCreditEntry",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "account",
                    fields.ForeignKeyField(
                        "models.StoreCreditAccount",
                        source_field="account_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="entries",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="RETURN: return\nGRANT: grant\nSPEND: spend\nREFUND: refund\nADJUSTMENT: adjustment",
                        enum_type=CreditEntryKind,
                        max_length=16,
                    ),
                ),
                (
                    "amount",
                    fields.BigIntField(
                        description="Positive adds to the balance, negative takes from it."
                    ),
                ),
                ("balance_after", fields.BigIntField()),
                (
                    "reference",
                    fields.CharField(
                        description='What the movement is for, unique per kind ("return:12", "order:TW-1042"): writing',
                        max_length=80,
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
                        related_name="store_credit_entries",
                        on_delete=OnDelete.SET_NULL,
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
                        related_name="store_credit_entries",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("note", fields.CharField(default="", max_length=300)),
                (
                    "actor",
                    fields.ForeignKeyField(
                        "models.User",
                        source_field="actor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="store_credit_actions",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "created_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True),
                ),
            ],
            options={
                "table": "store_credit_entry",
                "app": "models",
                "unique_together": (("kind", "reference"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="Order",
            name="store_credit",
            field=fields.BigIntField(
                default=0,
                description="Store credit that paid part of the total (a tender, not a discount): the payment",
                db_default=0,
            ),
        ),
        ops.AddField(
            model_name="Order",
            name="store_credit_presentment",
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name="Shipment",
            name="return_request",
            field=fields.ForeignKeyField(
                "models.ReturnRequest",
                source_field="return_request_id",
                null=True,
                description="The return this parcel brings back to the shop (null: a parcel to the customer).",
                db_constraint=True,
                to_field="id",
                related_name="parcels",
                on_delete=OnDelete.SET_NULL,
            ),
        ),
    ]
