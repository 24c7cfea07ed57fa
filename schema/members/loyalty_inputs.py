"""The inputs and payloads of the loyalty mutations: tiers, points, check-ins, rewards and
redemptions (their types are in `schema.members.loyalty`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import strawberry

from schema.members.errors import MemberPayload
from schema.members.loyalty import (
    CheckInType,
    MembershipTierType,
    PointsEntryType,
    RewardKindEnum,
    RewardRedemptionType,
    RewardType,
)

_unset: Any = strawberry.UNSET


# Inputs.


@strawberry.input
class CreateMembershipTierInput:
    name: str
    rank: int = strawberry.field(description="Higher ranks are better tiers; unique.")
    min_spend: Decimal = strawberry.field(
        default=Decimal(0), description="Twelve-month spend needed, in the shop currency."
    )
    min_orders: int = 0
    discount_rate: Decimal = strawberry.field(
        default=Decimal(0), description="Member discount in percent, e.g. 5 or 2.5."
    )
    points_multiplier: Decimal = strawberry.field(
        default=Decimal(1), description="Multiplier of order points, e.g. 1.5."
    )
    early_access: bool = False
    priority_support: bool = False


@strawberry.input
class UpdateMembershipTierInput:
    id: strawberry.ID
    name: str | None = _unset
    rank: int | None = _unset
    min_spend: Decimal | None = _unset
    min_orders: int | None = _unset
    discount_rate: Decimal | None = _unset
    points_multiplier: Decimal | None = _unset
    early_access: bool | None = _unset
    priority_support: bool | None = _unset


@strawberry.input
class LoyaltyIdInput:
    id: strawberry.ID


@strawberry.input
class RecomputeMemberTierInput:
    user_id: strawberry.ID


@strawberry.input
class AdjustPointsInput:
    user_id: strawberry.ID
    amount: int = strawberry.field(description="Points to grant (positive) or deduct (negative).")
    reason: str
    idempotency_key: str | None = strawberry.field(
        default=None, description="Repeating a key returns the first adjustment."
    )


@strawberry.input
class CreateRewardInput:
    name: str
    kind: RewardKindEnum  # type: ignore[valid-type]
    points_cost: int
    description: str = ""
    coupon_template_id: strawberry.ID | None = strawberry.field(
        default=None, description="Coupon rewards: the coupon each issued coupon copies."
    )
    stock: int | None = strawberry.field(default=None, description="Null: no limit.")
    active: bool = True


@strawberry.input
class UpdateRewardInput:
    id: strawberry.ID
    name: str | None = _unset
    description: str | None = _unset
    kind: RewardKindEnum | None = _unset  # type: ignore[valid-type]
    points_cost: int | None = _unset
    coupon_template_id: strawberry.ID | None = _unset
    stock: int | None = _unset
    active: bool | None = _unset


@strawberry.input
class RedeemRewardInput:
    reward_id: strawberry.ID
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Up to 64 characters; repeating a key returns the first redemption "
        "and spends nothing more.",
    )


# Payloads.


@strawberry.type
class CreateMembershipTierPayload(MemberPayload):
    tier: MembershipTierType | None = None


@strawberry.type
class UpdateMembershipTierPayload(MemberPayload):
    tier: MembershipTierType | None = None


@strawberry.type
class DeleteMembershipTierPayload(MemberPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class RecomputeMemberTierPayload(MemberPayload):
    user_id: strawberry.ID | None = None
    tier: MembershipTierType | None = None


@strawberry.type
class AdjustPointsPayload(MemberPayload):
    entry: PointsEntryType | None = None
    points_balance: int | None = None


@strawberry.type
class CheckInPayload(MemberPayload):
    check_in: CheckInType | None = None
    points_balance: int | None = None


@strawberry.type
class CreateRewardPayload(MemberPayload):
    reward: RewardType | None = None


@strawberry.type
class UpdateRewardPayload(MemberPayload):
    reward: RewardType | None = None


@strawberry.type
class DeleteRewardPayload(MemberPayload):
    deleted_id: strawberry.ID | None = strawberry.field(
        default=None, description="Set when the reward was deleted."
    )
    reward: RewardType | None = strawberry.field(
        default=None, description="Set when it had been redeemed, so it was deactivated instead."
    )


@strawberry.type
class RedeemRewardPayload(MemberPayload):
    redemption: RewardRedemptionType | None = None
    points_balance: int | None = None


@strawberry.type
class FulfillRedemptionPayload(MemberPayload):
    redemption: RewardRedemptionType | None = None


@strawberry.type
class CancelRedemptionPayload(MemberPayload):
    redemption: RewardRedemptionType | None = None
