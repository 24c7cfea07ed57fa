"""Coupon tables: the codes shoppers enter and every use of them.

Amounts are integer minor units of the shop currency. `times_used` is kept by a
conditional update so that a coupon's overall limit holds under concurrent checkouts.
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
    from models.orders import Order


class CouponKind(StrEnum):
    PERCENTAGE = "percentage"
    FIXED_AMOUNT = "fixed_amount"
    FREE_SHIPPING = "free_shipping"


class Coupon(Model):
    id = fields.IntField(primary_key=True)
    #: What the shopper types, stored upper-case.
    code = fields.CharField(max_length=40, unique=True)
    name = fields.CharField(max_length=120, default="")
    kind = fields.CharEnumField(CouponKind, max_length=16)
    #: Percentage coupons: the discount in basis points (1500 = 15 %).
    percent_bps = fields.IntField(default=0)
    #: Fixed-amount coupons: the discount, in minor units of the shop currency.
    amount = fields.BigIntField(default=0)
    #: Percentage coupons: the most they take off, in minor units (null: no cap).
    max_discount = fields.BigIntField(null=True)
    #: Merchandise subtotal needed, in minor units of the shop currency.
    min_spend = fields.BigIntField(default=0)
    starts_at = fields.DatetimeField(null=True)
    ends_at = fields.DatetimeField(null=True)
    #: Uses allowed overall and per customer (null: unlimited).
    usage_limit = fields.IntField(null=True)
    per_customer_limit = fields.IntField(null=True)
    times_used = fields.IntField(default=0)
    #: Ids of the membership tiers that may use it (empty: every shopper).
    tier_ids: fields.JSONField[list[int]] = fields.JSONField(default=list)
    #: A personal coupon (issued for points) belongs to one member only.
    owner: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coupons", null=True, on_delete=OnDelete.CASCADE
    )
    owner_id: int | None
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "coupons_coupon"
        constraints = [
            CheckConstraint(check="times_used >= 0", name="coupon_times_used_not_negative"),
            CheckConstraint(
                check="usage_limit IS NULL OR times_used <= usage_limit",
                name="coupon_within_usage_limit",
            ),
        ]
        ordering = ["-created_at", "-id"]


class CouponUse(Model):
    """One use of a coupon by an order, released when the order is cancelled."""

    id = fields.IntField(primary_key=True)
    coupon: fields.ForeignKeyRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", related_name="uses", on_delete=OnDelete.RESTRICT
    )
    coupon_id: int
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="coupon_uses", null=True, on_delete=OnDelete.SET_NULL
    )
    user_id: int | None
    #: Guests are counted against the per-customer limit by their email.
    email = fields.CharField(max_length=254, default="", db_index=True)
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="coupon_uses", null=True, on_delete=OnDelete.RESTRICT
    )
    order_id: int | None
    #: The discount granted, in minor units of the shop currency.
    discount = fields.BigIntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    released_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coupons_coupon_use"
        unique_together = (("coupon", "order"),)
