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

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Product, ProductVariant


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
    #: Refunded so far, in the shop currency.
    refunded_total = fields.BigIntField(default=0)
    #: ISO 3166-1 alpha-2 of the shipping address.
    ship_country = fields.CharField(max_length=2, default="", db_index=True)
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

    class Meta:
        table = "orders_order_line"
        constraints = [
            CheckConstraint(check="quantity > 0", name="order_line_quantity_positive"),
        ]
        ordering = ["id"]
