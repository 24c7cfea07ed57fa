"""Order tables: placed orders and their lines, as snapshots that later catalog edits never change.

Every amount is integer minor units, kept twice: in the shop currency (for the books,
tiers and points) and in the presentment currency the shopper paid in, with the rate the
order was priced at.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from models.tracking import TrackingStatus

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Product, ProductVariant
    from models.coupons import Coupon
    from models.returns import ReturnRequest
    from models.shipping import Carrier, ShippingService


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PENDING_SHIPMENT = "pending_shipment"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Order(Model):
    id = fields.IntField(primary_key=True)
    #: Human-friendly and not guessable in sequence, e.g. `TW8K2M4Q`.
    number = fields.CharField(max_length=16, unique=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="orders", null=True, on_delete=OnDelete.RESTRICT
    )
    user_id: int | None
    email = fields.CharField(max_length=254, db_index=True)
    status = fields.CharEnumField(
        OrderStatus, max_length=20, default=OrderStatus.PENDING_PAYMENT, db_index=True
    )
    shop_currency = fields.CharField(max_length=3)
    currency = fields.CharField(max_length=3)
    #: Presentment units per shop unit the order was priced at, as a decimal string.
    exchange_rate = fields.CharField(max_length=32, default="1")
    subtotal = fields.BigIntField(default=0)
    discount_total = fields.BigIntField(default=0)
    shipping_total = fields.BigIntField(default=0)
    total = fields.BigIntField(default=0)
    subtotal_presentment = fields.BigIntField(default=0)
    discount_total_presentment = fields.BigIntField(default=0)
    shipping_total_presentment = fields.BigIntField(default=0)
    total_presentment = fields.BigIntField(default=0)
    #: Duties and import taxes charged at checkout (DDP, or VAT at the point of sale): part
    #: of the total. What the carrier collects at the door is not: see `charges`.
    duty_total = fields.BigIntField(default=0, db_default=0)
    import_tax_total = fields.BigIntField(default=0, db_default=0)
    duty_total_presentment = fields.BigIntField(default=0, db_default=0)
    import_tax_total_presentment = fields.BigIntField(default=0, db_default=0)
    #: `ddp` or `dap` (empty for an order placed before customs, or a domestic one).
    incoterm = fields.CharField(max_length=8, default="", db_default="")
    #: The import regime applied (its id in the regimes file), and how the customs figures
    #: were reached: the threshold's conversion rate and date, unknown rates, the basis.
    customs_regime = fields.CharField(max_length=40, default="", db_default="")
    customs: fields.JSONField[dict[str, object] | None] = fields.JSONField(null=True)
    #: Refunded so far, in the shop currency.
    refunded_total = fields.BigIntField(default=0)
    #: ISO 3166-1 alpha-2 of the shipping address.
    ship_country = fields.CharField(max_length=2, default="", db_index=True)
    #: State, province or prefecture of the shipping address, for regional statistics.
    ship_region = fields.CharField(max_length=120, default="")
    #: The shipping address as given: full_name, company, line1, line2, city, region,
    #: postal_code, country, phone.
    shipping_address: fields.JSONField[dict[str, str]] = fields.JSONField(default=dict)
    phone = fields.CharField(max_length=20, default="")
    #: The service chosen at checkout, and its names as they were then.
    shipping_service: fields.ForeignKeyNullableRelation[ShippingService] = fields.ForeignKeyField(
        "models.ShippingService", related_name="orders", null=True, on_delete=OnDelete.SET_NULL
    )
    shipping_service_id: int | None
    shipping_method = fields.CharField(max_length=160, default="")
    #: Where the rate came from (`ecb`, `manual`, or `shop` when no conversion) and its date.
    rate_source = fields.CharField(max_length=16, default="shop")
    rate_date = fields.DateField(null=True)
    coupon: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", related_name="orders", null=True, on_delete=OnDelete.SET_NULL
    )
    coupon_id: int | None
    coupon_code = fields.CharField(max_length=40, default="")
    #: Points redeemed at checkout and the discount they bought (shop currency).
    points_redeemed = fields.BigIntField(default=0)
    points_discount = fields.BigIntField(default=0)
    #: The member tier discount applied (shop currency).
    member_discount = fields.BigIntField(default=0)
    #: Store credit that paid part of the total (a tender, not a discount): the payment
    #: collects `total_presentment - store_credit_presentment`.
    store_credit = fields.BigIntField(default=0, db_default=0)
    store_credit_presentment = fields.BigIntField(default=0, db_default=0)
    #: How the payment came in until the payment providers: `bank_transfer`.
    payment_method = fields.CharField(max_length=32, default="")
    payment_reference = fields.CharField(max_length=120, default="")
    cancel_reason = fields.CharField(max_length=300, default="")
    #: The language the shopper checked out in: their emails are written in it.
    locale = fields.CharField(max_length=16, default="", db_default="")
    #: SHA-256 of the secret a guest was given once to read and follow this order (null for
    #: members' orders); the secret itself is never stored.
    access_token_hash = fields.CharField(max_length=64, null=True, unique=True)
    shipped_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    placed_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    paid_at = fields.DatetimeField(null=True)
    completed_at = fields.DatetimeField(null=True, db_index=True)
    cancelled_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "orders_order"
        ordering = ["-placed_at", "-id"]


class OrderLine(Model):
    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="lines", on_delete=OnDelete.CASCADE
    )
    order_id: int
    product: fields.ForeignKeyNullableRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="order_lines", null=True, on_delete=OnDelete.SET_NULL
    )
    product_id: int | None
    variant: fields.ForeignKeyNullableRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant", related_name="order_lines", null=True, on_delete=OnDelete.SET_NULL
    )
    variant_id: int | None
    product_name = fields.CharField(max_length=200)
    variant_name = fields.CharField(max_length=200, default="")
    sku = fields.CharField(max_length=64)
    quantity = fields.IntField()
    unit_price = fields.BigIntField()
    unit_price_presentment = fields.BigIntField()
    line_total = fields.BigIntField()
    line_total_presentment = fields.BigIntField()
    #: Customs facts as they were when the order was placed (variant over product), for the
    #: declaration and the duties: a later catalog edit never changes a parcel's paperwork.
    hs_code = fields.CharField(max_length=10, default="", db_default="")
    #: The destination's national tariff code, when the merchant gave one.
    hs_national = fields.CharField(max_length=10, default="", db_default="")
    origin_country = fields.CharField(max_length=2, default="", db_default="")
    customs_description = fields.CharField(max_length=120, default="", db_default="")
    material = fields.CharField(max_length=120, default="", db_default="")
    net_weight_grams = fields.IntField(null=True)
    dangerous_goods = fields.BooleanField(default=False, db_default=False)
    excise_goods = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "orders_order_line"
        constraints = [
            CheckConstraint(check="quantity > 0", name="order_line_quantity_positive"),
        ]
        ordering = ["id"]


class OrderEventKind(StrEnum):
    PLACED = "placed"
    STATUS = "status"  # moved from one status to another
    PAYMENT = "payment"
    SHIPMENT = "shipment"
    NOTE = "note"


class OrderEvent(Model):
    """One entry of an order's timeline: what happened, who did it, when."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="events", on_delete=OnDelete.CASCADE
    )
    order_id: int
    kind = fields.CharEnumField(OrderEventKind, max_length=16)
    from_status = fields.CharField(max_length=20, default="")
    to_status = fields.CharField(max_length=20, default="")
    #: `user:12`, `customer`, `system` (sweeper), as shown in the timeline.
    actor = fields.CharField(max_length=40)
    actor_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="order_events", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_user_id: int | None
    message = fields.CharField(max_length=500, default="")
    #: Staff-only notes are not shown to the customer.
    internal = fields.BooleanField(default=False)
    data: fields.JSONField[dict[str, object]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "orders_order_event"
        ordering = ["created_at", "id"]


class Shipment(Model):
    """One parcel sent for an order (an order may ship in several)."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="shipments", on_delete=OnDelete.CASCADE
    )
    order_id: int
    carrier: fields.ForeignKeyNullableRelation[Carrier] = fields.ForeignKeyField(
        "models.Carrier", related_name="shipments", null=True, on_delete=OnDelete.SET_NULL
    )
    carrier_id: int | None
    carrier_name = fields.CharField(max_length=80)
    service: fields.ForeignKeyNullableRelation[ShippingService] = fields.ForeignKeyField(
        "models.ShippingService", related_name="shipments", null=True, on_delete=OnDelete.SET_NULL
    )
    service_id: int | None
    #: The service's name when shipped (kept when the service is renamed or deleted).
    service_name = fields.CharField(max_length=80, default="", db_default="")
    tracking_number = fields.CharField(max_length=80, db_index=True)
    tracking_url = fields.CharField(max_length=400, default="")
    shipped_at = fields.DatetimeField(auto_now_add=True)
    delivered_at = fields.DatetimeField(null=True)
    #: Where the parcel is, as its tracking events add up (`services.tracking.progress`).
    tracking_status = fields.CharEnumField(
        TrackingStatus, max_length=24, default=TrackingStatus.PENDING, db_index=True
    )
    tracking_sub_status = fields.CharField(max_length=32, default="")
    #: When the latest tracking event happened (null: none yet), and since when the
    #: shipment has had its current status.
    last_event_at = fields.DatetimeField(null=True)
    status_since = fields.DatetimeField(null=True)
    #: The latest estimated delivery date (its revisions are `DeliveryEstimate` rows).
    estimated_delivery = fields.DateField(null=True)
    #: When staff marked the current problem as handled (a new status clears it).
    handled_at = fields.DatetimeField(null=True)
    #: The parcel this one replaces (sent again after a loss or a return).
    replacement_for: fields.ForeignKeyNullableRelation[Shipment] = fields.ForeignKeyField(
        "models.Shipment", related_name="replacements", null=True, on_delete=OnDelete.SET_NULL
    )
    replacement_for_id: int | None
    #: The return this parcel brings back to the shop (null: a parcel to the customer).
    #: Its tracking moves the return, never the order.
    return_request: fields.ForeignKeyNullableRelation[ReturnRequest] = fields.ForeignKeyField(
        "models.ReturnRequest", related_name="parcels", null=True, on_delete=OnDelete.SET_NULL
    )
    return_request_id: int | None

    class Meta:
        table = "orders_shipment"
        ordering = ["shipped_at", "id"]


class ShipmentLine(Model):
    id = fields.IntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "models.Shipment", related_name="lines", on_delete=OnDelete.CASCADE
    )
    shipment_id: int
    order_line: fields.ForeignKeyRelation[OrderLine] = fields.ForeignKeyField(
        "models.OrderLine", related_name="shipment_lines", on_delete=OnDelete.CASCADE
    )
    order_line_id: int
    quantity = fields.IntField()

    class Meta:
        table = "orders_shipment_line"


class CheckoutAttempt(Model):
    """An idempotency key of `placeOrder`: a retry with the same key finds the same order."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64, unique=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="checkout_attempts", on_delete=OnDelete.CASCADE
    )
    order_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "orders_checkout_attempt"


class Cart(Model):
    """A shopper's cart: a guest's, found by its token, or a member's (one per member)."""

    id = fields.IntField(primary_key=True)
    #: SHA-256 of the random token the storefront was given once.
    token_hash = fields.CharField(max_length=64, unique=True)
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="carts", null=True, on_delete=OnDelete.CASCADE
    )
    user_id: int | None
    currency = fields.CharField(max_length=3, default="")
    coupon_code = fields.CharField(max_length=40, default="")
    #: The cart's state: raised by every change of its lines or coupon, and by the order that
    #: claims it, with a conditional update, so one state becomes at most one order.
    version = fields.IntField(default=0, db_default=0)
    #: The state the last order was placed from, and that order.
    ordered_version = fields.IntField(null=True)
    last_order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="carts", null=True, on_delete=OnDelete.SET_NULL
    )
    last_order_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True, db_index=True)

    class Meta:
        table = "orders_cart"


class CartLine(Model):
    id = fields.IntField(primary_key=True)
    cart: fields.ForeignKeyRelation[Cart] = fields.ForeignKeyField(
        "models.Cart", related_name="lines", on_delete=OnDelete.CASCADE
    )
    cart_id: int
    variant: fields.ForeignKeyRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant", related_name="cart_lines", on_delete=OnDelete.CASCADE
    )
    variant_id: int
    quantity = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "orders_cart_line"
        unique_together = (("cart", "variant"),)
        ordering = ["created_at", "id"]
