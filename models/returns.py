"""After-sales tables: return policies and reasons, returns and their lines, photos and
timeline, the outcome carried out for a return, and shoppers' requests to cancel.

A return is asked for by the order's shopper (or opened by staff), moves through a status
machine (`services.returns.status`), has each line inspected when it comes back, and ends
with one outcome (a refund, store credit, an exchange order, or a mix) carried out once.
Amounts are integer minor units: `*_presentment` in the order's currency, the others in the
shop's. Rates are basis points (1 % = 100).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Category, Product, ProductVariant
    from models.orders import Order, OrderLine


class PolicyScope(StrEnum):
    """What a return policy row covers: the whole shop, a category (and its subcategories
    without a policy of their own), or one product. The most specific one applies."""

    SHOP = "shop"
    CATEGORY = "category"
    PRODUCT = "product"


class ReturnShippingPayer(StrEnum):
    CUSTOMER = "customer"
    MERCHANT = "merchant"


class ReturnPolicy(Model):
    id = fields.IntField(primary_key=True)
    scope = fields.CharEnumField(PolicyScope, max_length=16)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="return_policies", null=True, on_delete=OnDelete.CASCADE
    )
    category_id: int | None
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="return_policies", null=True, on_delete=OnDelete.CASCADE
    )
    product_id: int | None
    #: False: final sale, never returnable.
    returnable = fields.BooleanField(default=True)
    #: Days to ask for a return, counted from the delivery date tracking recorded.
    window_days = fields.IntField(default=30)
    #: Kept from the refund of each returned line (basis points of what was paid for it).
    restocking_fee_bps = fields.IntField(default=0)
    return_shipping_payer = fields.CharEnumField(
        ReturnShippingPayer, max_length=16, default=ReturnShippingPayer.CUSTOMER
    )
    #: What the customer pays for the return parcel when the customer pays it (shop currency).
    return_shipping_fee = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "returns_policy"
        # One row per scope and target (a SHOP row has neither target; NULLs never collide
        # in a unique index, so `services.returns.policy` keeps the shop row single).
        unique_together = (("scope", "category", "product"),)


class ReturnReason(Model):
    """A reason shoppers pick from: the merchant's list, translatable."""

    id = fields.IntField(primary_key=True)
    #: Stable key for reports and for the default set ("wrong_size", "damaged"...).
    code = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=120)
    #: Whether the shopper must add photos (a damaged or wrong item).
    needs_photo = fields.BooleanField(default=False)
    active = fields.BooleanField(default=True)
    position = fields.IntField(default=0)
    translations: fields.ReverseRelation[ReturnReasonTranslation]
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "returns_reason"
        ordering = ["position", "id"]


class ReturnReasonTranslation(Model):
    id = fields.IntField(primary_key=True)
    reason: fields.ForeignKeyRelation[ReturnReason] = fields.ForeignKeyField(
        "models.ReturnReason", related_name="translations", on_delete=OnDelete.CASCADE
    )
    reason_id: int
    locale = fields.CharField(max_length=16)
    name = fields.CharField(max_length=120)

    class Meta:
        table = "returns_reason_translation"
        unique_together = (("reason", "locale"),)


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    IN_TRANSIT = "in_transit"  # the return parcel is on its way back
    RECEIVED = "received"
    INSPECTED = "inspected"
    CLOSED = "closed"  # the outcome was carried out
    CANCELLED = "cancelled"  # withdrawn by the shopper, or by staff


class ReturnResolution(StrEnum):
    """What the shopper asked for (the merchant may settle on a mix)."""

    REFUND = "refund"
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"


class ReturnRequest(Model):
    """One return of some of an order's lines (an order may have several)."""

    id = fields.IntField(primary_key=True)
    #: Human number: the order's number and a sequence ("TW-1042-R1").
    number = fields.CharField(max_length=24, unique=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="returns", on_delete=OnDelete.RESTRICT
    )
    order_id: int
    #: 1, 2, 3 per order.
    sequence = fields.IntField()
    status = fields.CharEnumField(
        ReturnStatus, max_length=16, default=ReturnStatus.REQUESTED, db_index=True
    )
    resolution = fields.CharEnumField(ReturnResolution, max_length=16)
    reason: fields.ForeignKeyNullableRelation[ReturnReason] = fields.ForeignKeyField(
        "models.ReturnReason", related_name="returns", null=True, on_delete=OnDelete.SET_NULL
    )
    reason_id: int | None
    #: The reason's name when asked (kept if the merchant renames or removes it).
    reason_name = fields.CharField(max_length=120, default="")
    note = fields.CharField(max_length=1000, default="")
    #: The customer's client key: asking twice with one key makes one return.
    idempotency_key = fields.CharField(max_length=64, null=True, unique=True)
    #: Opened by staff for the customer (a phone call, an email) rather than by the shopper.
    opened_by_staff = fields.BooleanField(default=False)
    decline_reason = fields.CharField(max_length=500, default="")
    #: How to send the goods back, shown to the shopper once approved.
    instructions = fields.TextField(default="")
    #: The prepaid label's reference or URL, when the merchant gives one.
    label_reference = fields.CharField(max_length=400, default="")
    #: Refund without sending the goods back: they cost more to return than they are worth.
    keep_items = fields.BooleanField(default=False)
    locale = fields.CharField(max_length=16, default="")
    #: Bumped on every change: a staff screen's edit names the version it saw.
    version = fields.IntField(default=0)
    lines: fields.ReverseRelation[ReturnLine]
    photos: fields.ReverseRelation[ReturnPhoto]
    events: fields.ReverseRelation[ReturnEvent]
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)
    approved_at = fields.DatetimeField(null=True)
    received_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "returns_return"
        unique_together = (("order", "sequence"),)
        ordering = ["-created_at", "-id"]


class Inspection(StrEnum):
    PENDING = "pending"
    RESTOCK = "restock"  # back on the shelf: an inventory ledger movement
    NEEDS_WORK = "needs_work"  # kept aside for repair or cleaning, not sellable yet
    WRITTEN_OFF = "written_off"
    MISSING = "missing"  # not in the parcel


class ReturnLine(Model):
    id = fields.IntField(primary_key=True)
    return_request: fields.ForeignKeyRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest", related_name="lines", on_delete=OnDelete.CASCADE
    )
    return_request_id: int
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "models.OrderLine", related_name="return_lines", on_delete=OnDelete.RESTRICT
    )
    order_line_id: int
    quantity = fields.IntField()
    #: The variant wanted instead, for an exchange.
    exchange_variant: fields.ForeignKeyNullableRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant",
        related_name="exchange_lines",
        null=True,
        on_delete=OnDelete.SET_NULL,
    )
    exchange_variant_id: int | None
    inspection = fields.CharEnumField(Inspection, max_length=16, default=Inspection.PENDING)
    #: Units inspected as `inspection` (the rest of `quantity` counts as missing).
    inspected_quantity = fields.IntField(default=0)
    inspection_note = fields.CharField(max_length=500, default="")
    inspected_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="inspected_return_lines", null=True, on_delete=OnDelete.SET_NULL
    )
    inspected_by_id: int | None
    inspected_at = fields.DatetimeField(null=True)
    #: Units put back in stock from this line (never more than came back).
    restocked_quantity = fields.IntField(default=0)

    class Meta:
        table = "returns_line"
        unique_together = (("return_request", "order_line"),)
        ordering = ["id"]


class ReturnPhoto(Model):
    id = fields.IntField(primary_key=True)
    return_request: fields.ForeignKeyRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest", related_name="photos", on_delete=OnDelete.CASCADE
    )
    return_request_id: int
    #: Media path, as stored by `services.media.store_image`.
    path = fields.CharField(max_length=300)
    width = fields.IntField()
    height = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "returns_photo"
        ordering = ["id"]


class ReturnEvent(Model):
    """One entry of a return's timeline."""

    id = fields.IntField(primary_key=True)
    return_request: fields.ForeignKeyRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest", related_name="events", on_delete=OnDelete.CASCADE
    )
    return_request_id: int
    from_status = fields.CharField(max_length=16, default="")
    to_status = fields.CharField(max_length=16, default="")
    #: `user:12`, `customer`, `system`, as in the order timeline.
    actor = fields.CharField(max_length=40)
    actor_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="return_events", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_user_id: int | None
    message = fields.CharField(max_length=500, default="")
    #: Staff-only entries are not shown to the customer.
    internal = fields.BooleanField(default=False)
    data: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "returns_event"
        ordering = ["created_at", "id"]


class OutcomeStatus(StrEnum):
    PENDING = "pending"  # written before the money moves: a retry finds it and goes on
    DONE = "done"
    FAILED = "failed"  # the gateway refused the refund; staff may try again


class ReturnOutcome(Model):
    """What a return ended in, carried out once: one row per return, so a retried or
    concurrent "carry out" finds it and does nothing twice."""

    id = fields.IntField(primary_key=True)
    return_request: fields.OneToOneRelation[ReturnRequest] = fields.OneToOneField(
        "models.ReturnRequest", related_name="outcome", on_delete=OnDelete.RESTRICT
    )
    return_request_id: int
    status = fields.CharEnumField(OutcomeStatus, max_length=16, default=OutcomeStatus.PENDING)
    currency = fields.CharField(max_length=3)
    #: Back to the original payment, in the order's currency.
    refund_amount = fields.BigIntField(default=0)
    #: As store credit, in the order's currency.
    credit_amount = fields.BigIntField(default=0)
    #: Kept: restocking fee and return shipping (order's currency).
    fee_amount = fields.BigIntField(default=0)
    #: Duties and import taxes given back within `refund_amount`/`credit_amount`.
    customs_amount = fields.BigIntField(default=0)
    #: The replacement order of an exchange.
    exchange_order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="exchanged_from", null=True, on_delete=OnDelete.SET_NULL
    )
    exchange_order_id: int | None
    #: The preview's figures per line, as carried out: [{"line": id, "refund": n, ...}].
    breakdown: fields.JSONField[list[dict[str, object]]] = fields.JSONField(default=list)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="return_outcomes", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_id: int | None
    failure_message = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    completed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "returns_outcome"


class CancellationStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"


class CancellationRequest(Model):
    """A shopper's request to cancel an order that has not shipped: approved at once while
    nothing is picked, otherwise by staff."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="cancellation_requests", on_delete=OnDelete.CASCADE
    )
    order_id: int
    status = fields.CharEnumField(
        CancellationStatus, max_length=16, default=CancellationStatus.REQUESTED, db_index=True
    )
    reason = fields.CharField(max_length=500, default="")
    decline_reason = fields.CharField(max_length=500, default="")
    decided_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="cancellation_decisions", null=True, on_delete=OnDelete.SET_NULL
    )
    decided_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)

    class Meta:
        table = "returns_cancellation_request"
        ordering = ["-created_at", "-id"]
