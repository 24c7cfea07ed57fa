"""Member tables: address books, membership tiers, the points ledger, check-ins and rewards.

Points are a ledger, never a stored balance: a member's balance is the sum of their
entries, and each award carries a `source` that is unique per member, so the same order,
day or review can never be credited twice.
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
    from models.coupons import Coupon


class Address(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="addresses", on_delete=OnDelete.CASCADE
    )
    user_id: int
    full_name = fields.CharField(max_length=120)
    company = fields.CharField(max_length=120, default="")
    line1 = fields.CharField(max_length=200)
    line2 = fields.CharField(max_length=200, default="")
    city = fields.CharField(max_length=120)
    #: State, province or prefecture, as the country writes it.
    region = fields.CharField(max_length=120, default="")
    postal_code = fields.CharField(max_length=20, default="")
    #: ISO 3166-1 alpha-2.
    country = fields.CharField(max_length=2)
    #: E.164.
    phone = fields.CharField(max_length=20, default="")
    is_default = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "members_address"
        ordering = ["-is_default", "id"]


class MembershipTier(Model):
    """A level of membership, reached by trailing-twelve-month spend and order count.

    A member holds the highest-ranked tier whose thresholds they both meet.
    """

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60, unique=True)
    #: Higher ranks are better tiers.
    rank = fields.IntField(unique=True)
    #: Trailing-twelve-month spend needed, in minor units of the shop currency.
    min_spend = fields.BigIntField(default=0)
    min_orders = fields.IntField(default=0)
    #: Member discount in basis points (500 = 5 %).
    discount_bps = fields.IntField(default=0)
    #: Points earned per unit of shop currency are multiplied by this many percent (150 = x1.5).
    points_multiplier_pct = fields.IntField(default=100)
    early_access = fields.BooleanField(default=False)
    priority_support = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "members_tier"
        ordering = ["rank"]


class PointsKind(StrEnum):
    ORDER = "order"  # earned on a completed order
    CHECK_IN = "check_in"
    REVIEW = "review"  # earned when a review is approved
    REDEMPTION = "redemption"  # spent on a reward
    REFUND = "refund"  # order points taken back when the order is refunded
    EXPIRY = "expiry"
    ADJUSTMENT = "adjustment"  # granted or deducted by staff


class PointsEntry(Model):
    """One earn (positive) or spend (negative) of points."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="points_entries", on_delete=OnDelete.CASCADE
    )
    user_id: int
    amount = fields.BigIntField()
    kind = fields.CharEnumField(PointsKind, max_length=16)
    #: What caused the entry, unique per member: `order:42`, `check-in:2026-11-24`, `review:7`.
    source = fields.CharField(max_length=80)
    note = fields.CharField(max_length=200, default="")
    #: When the earned points lapse (earns only).
    expires_at = fields.DatetimeField(null=True)
    #: The staff member who made an adjustment.
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="points_adjustments", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "members_points_entry"
        unique_together = (("user", "source"),)
        ordering = ["-created_at", "-id"]


class CheckIn(Model):
    """A member's daily check-in: `streak` counts consecutive days ending with this one."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="check_ins", on_delete=OnDelete.CASCADE
    )
    user_id: int
    day = fields.DateField()
    streak = fields.IntField(default=1)
    points = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "members_check_in"
        unique_together = (("user", "day"),)
        ordering = ["-day"]


class RewardKind(StrEnum):
    COUPON = "coupon"  # issues a personal coupon code
    GIFT = "gift"  # goods or a service that staff hand over


class Reward(Model):
    """Something members can redeem points for, defined by staff."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    kind = fields.CharEnumField(RewardKind, max_length=16)
    points_cost = fields.IntField()
    #: For coupon rewards: the coupon whose terms each issued personal coupon copies.
    coupon_template: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", related_name="rewards", null=True, on_delete=OnDelete.RESTRICT
    )
    coupon_template_id: int | None
    #: How many are left to redeem (null: unlimited).
    stock = fields.IntField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "members_reward"
        constraints = [
            CheckConstraint(check="points_cost > 0", name="reward_cost_positive"),
            CheckConstraint(check="stock IS NULL OR stock >= 0", name="reward_stock_not_negative"),
        ]
        ordering = ["points_cost", "id"]


class RedemptionStatus(StrEnum):
    ISSUED = "issued"  # coupon issued, or gift waiting to be handed over
    FULFILLED = "fulfilled"
    CANCELLED = "cancelled"  # points returned


class RewardRedemption(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="redemptions", on_delete=OnDelete.CASCADE
    )
    user_id: int
    reward: fields.ForeignKeyRelation[Reward] = fields.ForeignKeyField(
        "models.Reward", related_name="redemptions", on_delete=OnDelete.RESTRICT
    )
    reward_id: int
    points = fields.IntField()
    status = fields.CharEnumField(RedemptionStatus, max_length=16, default=RedemptionStatus.ISSUED)
    #: The personal coupon a coupon reward issued.
    coupon: fields.ForeignKeyNullableRelation[Coupon] = fields.ForeignKeyField(
        "models.Coupon", related_name="redemptions", null=True, on_delete=OnDelete.SET_NULL
    )
    coupon_id: int | None
    #: A client's key for the redemption, so a retried request redeems once.
    idempotency_key = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "members_reward_redemption"
        unique_together = (("user", "idempotency_key"),)
        ordering = ["-created_at", "-id"]
