"""Loyalty root fields: tiers, points, check-in and rewards. Each checks permission, calls one
service and maps the result."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import BasePermission

from resolvers.common import plain
from schema.context import Info
from schema.kit import connection, input_pk, mutation, page_or_error
from schema.members.loyalty import (
    CheckInType,
    MembershipTierConnection,
    MembershipTierType,
    PointsEntryType,
    RedemptionStatusEnum,
    RewardConnection,
    RewardRedemptionConnection,
    RewardRedemptionType,
    RewardType,
)
from schema.members.loyalty_inputs import (
    AdjustPointsInput,
    AdjustPointsPayload,
    CancelRedemptionPayload,
    CheckInPayload,
    CreateMembershipTierInput,
    CreateMembershipTierPayload,
    CreateRewardInput,
    CreateRewardPayload,
    DeleteMembershipTierPayload,
    DeleteRewardPayload,
    FulfillRedemptionPayload,
    LoyaltyIdInput,
    RecomputeMemberTierInput,
    RecomputeMemberTierPayload,
    RedeemRewardInput,
    RedeemRewardPayload,
    UpdateMembershipTierInput,
    UpdateMembershipTierPayload,
    UpdateRewardInput,
    UpdateRewardPayload,
)
from schema.permissions import CanManageCustomers, SignedIn, require_signed_in
from schema.relay import page_request
from services.auth import StaffPermission
from services.members import check_in as daily
from services.members import points, rewards, tiers

_member: list[type[BasePermission]] = [SignedIn]
_staff: list[type[BasePermission]] = [CanManageCustomers]


def _fields(input: Any) -> Any:
    """The fields an input gives (enums as values, a coupon template's global ID decoded)."""
    data = {k: v for k, v in plain(input).items() if k != "id"}
    if data.get("coupon_template_id") is not None:
        data["coupon_template_id"] = input_pk(
            data["coupon_template_id"], "Coupon", "couponTemplateId"
        )
    return data


@strawberry.type
class LoyaltyQuery:
    @strawberry.field(description="Membership tiers and their benefits, lowest rank first.")
    async def membership_tiers(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> MembershipTierConnection:
        max_size = info.context.settings.max_page_size
        page = await page_or_error(
            tiers.tier_page(page_request(first, after, last, before), max_size=max_size)
        )
        currency = info.context.settings.shop_currency
        nodes = [MembershipTierType.build(t, currency) for t in page.items]
        return connection(MembershipTierConnection, page, nodes, tiers.count_tiers)

    @strawberry.field(
        description="Rewards to spend points on, cheapest first; staff also see inactive ones."
    )
    async def rewards(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> RewardConnection:
        staff = info.context.viewer.can(StaffPermission.CUSTOMERS)
        page = await page_or_error(
            rewards.list_rewards(
                page_request(first, after, last, before),
                include_inactive=staff,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            RewardConnection,
            page,
            [RewardType.build(r) for r in page.items],
            lambda: rewards.count_rewards(include_inactive=staff),
        )

    @strawberry.field(permission_classes=_member, description="Your redemptions, newest first.")
    async def my_redemptions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> RewardRedemptionConnection:
        user_id = require_signed_in(info.context.viewer)
        page = await page_or_error(
            rewards.list_redemptions(
                page_request(first, after, last, before),
                user_id=user_id,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            RewardRedemptionConnection,
            page,
            [RewardRedemptionType.build(r) for r in page.items],
            lambda: rewards.count_redemptions(user_id=user_id),
        )

    @strawberry.field(
        permission_classes=_staff,
        description="Every member's redemptions, newest first: gifts to hand over, for one.",
    )
    async def reward_redemptions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        status: RedemptionStatusEnum | None = None,  # type: ignore[valid-type]
    ) -> RewardRedemptionConnection:
        page = await page_or_error(
            rewards.list_redemptions(
                page_request(first, after, last, before),
                user_id=None,
                status=status,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            RewardRedemptionConnection,
            page,
            [RewardRedemptionType.build(r) for r in page.items],
            lambda: rewards.count_redemptions(user_id=None, status=status),
        )


@strawberry.type
class LoyaltyMutation:
    @mutation(permission_classes=_staff)
    async def create_membership_tier(
        self, info: Info, input: CreateMembershipTierInput
    ) -> CreateMembershipTierPayload:
        tier = await tiers.create_tier(_fields(input))
        currency = info.context.settings.shop_currency
        return CreateMembershipTierPayload(tier=MembershipTierType.build(tier, currency))

    @mutation(permission_classes=_staff)
    async def update_membership_tier(
        self, info: Info, input: UpdateMembershipTierInput
    ) -> UpdateMembershipTierPayload:
        pk = input_pk(input.id, "MembershipTier", "id")
        tier = await tiers.update_tier(pk, _fields(input))
        currency = info.context.settings.shop_currency
        return UpdateMembershipTierPayload(tier=MembershipTierType.build(tier, currency))

    @mutation(permission_classes=_staff, description="Delete a tier; its members are re-evaluated.")
    async def delete_membership_tier(self, input: LoyaltyIdInput) -> DeleteMembershipTierPayload:
        await tiers.delete_tier(input_pk(input.id, "MembershipTier", "id"))
        return DeleteMembershipTierPayload(deleted_id=input.id)

    @mutation(permission_classes=_staff, description="Re-evaluate one member's tier now.")
    async def recompute_member_tier(
        self, info: Info, input: RecomputeMemberTierInput
    ) -> RecomputeMemberTierPayload:
        tier = await tiers.recompute_member(input_pk(input.user_id, "User", "userId"))
        currency = info.context.settings.shop_currency
        return RecomputeMemberTierPayload(
            user_id=input.user_id,
            tier=MembershipTierType.build(tier, currency) if tier else None,
        )

    @mutation(
        permission_classes=_staff,
        description="Grant or deduct a member's points; a deduction never overdraws.",
    )
    async def adjust_points(self, info: Info, input: AdjustPointsInput) -> AdjustPointsPayload:
        user_id = input_pk(input.user_id, "User", "userId")
        entry = await points.adjust_points(
            user_id,
            input.amount,
            input.reason,
            actor_id=info.context.viewer.user_id,
            idempotency_key=input.idempotency_key,
        )
        return AdjustPointsPayload(
            entry=PointsEntryType.build(entry), points_balance=await points.balance(user_id)
        )

    @mutation(permission_classes=_member, description="Today's check-in, once a day.")
    async def check_in(self, info: Info) -> CheckInPayload:
        user_id = require_signed_in(info.context.viewer)
        row, _entry = await daily.check_in(user_id)
        return CheckInPayload(
            check_in=CheckInType.build(row), points_balance=await points.balance(user_id)
        )

    @mutation(permission_classes=_staff)
    async def create_reward(self, input: CreateRewardInput) -> CreateRewardPayload:
        reward = await rewards.create_reward(_fields(input))
        return CreateRewardPayload(reward=RewardType.build(reward))

    @mutation(permission_classes=_staff)
    async def update_reward(self, input: UpdateRewardInput) -> UpdateRewardPayload:
        pk = input_pk(input.id, "Reward", "id")
        fields = _fields(input)
        reward = await rewards.update_reward(pk, fields)
        return UpdateRewardPayload(reward=RewardType.build(reward))

    @mutation(
        permission_classes=_staff,
        description="Delete a reward; one already redeemed is deactivated instead.",
    )
    async def delete_reward(self, input: LoyaltyIdInput) -> DeleteRewardPayload:
        kept = await rewards.delete_reward(input_pk(input.id, "Reward", "id"))
        if kept is not None:
            return DeleteRewardPayload(reward=RewardType.build(kept))
        return DeleteRewardPayload(deleted_id=input.id)

    @mutation(permission_classes=_member, description="Spend points on a reward.")
    async def redeem_reward(self, info: Info, input: RedeemRewardInput) -> RedeemRewardPayload:
        user_id = require_signed_in(info.context.viewer)
        pk = input_pk(input.reward_id, "Reward", "rewardId")
        redemption = await rewards.redeem_reward(user_id, pk, idempotency_key=input.idempotency_key)
        return RedeemRewardPayload(
            redemption=RewardRedemptionType.build(redemption),
            points_balance=await points.balance(user_id),
        )

    @mutation(permission_classes=_staff, description="Mark a gift handed over.")
    async def fulfill_redemption(self, input: LoyaltyIdInput) -> FulfillRedemptionPayload:
        row = await rewards.fulfill_redemption(input_pk(input.id, "RewardRedemption", "id"))
        return FulfillRedemptionPayload(redemption=RewardRedemptionType.build(row))

    @mutation(
        permission_classes=_staff,
        description="Cancel an unfulfilled redemption: the points and the stock come back.",
    )
    async def cancel_redemption(self, info: Info, input: LoyaltyIdInput) -> CancelRedemptionPayload:
        row = await rewards.cancel_redemption(
            input_pk(input.id, "RewardRedemption", "id"), actor_id=info.context.viewer.user_id
        )
        return CancelRedemptionPayload(redemption=RewardRedemptionType.build(row))
