"""Loyalty types: membership tiers, the points ledger, check-ins, rewards and redemptions.

Also the resolvers of the loyalty fields on `User` (tier, balance, entries, check-ins,
redemptions); the mutations' inputs and payloads are in `schema.members.loyalty_inputs`.
A member's rows are shown to the member and to staff with the customers permission only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import strawberry
from aiodataloader import DataLoader
from strawberry import relay
from tortoise import timezone
from tortoise.models import Model

from models.coupons import Coupon
from models.members import (
    CheckIn,
    MembershipTier,
    PointsEntry,
    PointsKind,
    RedemptionStatus,
    Reward,
    RewardKind,
    RewardRedemption,
)
from schema.context import Info
from schema.currency import shown_prices
from schema.errors import BadUserInput
from schema.kit import connection, page_or_error
from schema.money import CurrencyCode, MoneyType
from schema.permissions import CanManageCustomers
from schema.relay import Connection, encode_id
from services.auth import StaffPermission
from services.members import check_in, points, rewards
from services.pagination import (
    DEFAULT_PAGE_SIZE,
    Page,
    PageRequest,
    PaginationError,
    check_page_size,
    cursor_for,
)

PointsKindEnum = strawberry.enum(PointsKind, name="PointsKind")
RewardKindEnum = strawberry.enum(RewardKind, name="RewardKind")
RedemptionStatusEnum = strawberry.enum(RedemptionStatus, name="RedemptionStatus")
M = TypeVar("M", bound=Model)


def may_see_member(info: Info, user_id: int) -> bool:
    """The member themselves or customer-service staff (the rule of `can_see_user`)."""
    viewer = info.context.viewer
    return viewer.user_id == user_id or viewer.can(StaffPermission.CUSTOMERS)


def _percent(hundredths: int) -> Decimal:
    """150 -> 1.5, 500 -> 5: hundredths without trailing zeros (and never in exponent form)."""
    value = Decimal(hundredths).scaleb(-2).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@strawberry.type(name="MembershipTier", description="A level of membership and its benefits.")
class MembershipTierType(relay.Node):
    id: relay.NodeID[int]
    name: str
    rank: int = strawberry.field(description="Higher ranks are better tiers.")
    min_orders: int = strawberry.field(
        description="Completed orders in the last twelve months needed to reach it."
    )
    discount_rate: Decimal = strawberry.field(description="Member discount in percent, e.g. 5.")
    points_multiplier: Decimal = strawberry.field(
        description="Order points are multiplied by this, e.g. 1.5."
    )
    early_access: bool = strawberry.field(description="Members-first products before everyone.")
    priority_support: bool
    _min_spend: strawberry.Private[int]
    _shop_currency: strawberry.Private[str]

    @classmethod
    def build(cls, tier: MembershipTier, currency: str) -> MembershipTierType:
        return cls(
            id=tier.id,
            name=tier.name,
            rank=tier.rank,
            min_orders=tier.min_orders,
            discount_rate=_percent(tier.discount_bps),
            points_multiplier=_percent(tier.points_multiplier_pct),
            early_access=tier.early_access,
            priority_support=tier.priority_support,
            _min_spend=tier.min_spend,
            _shop_currency=currency,
        )

    @strawberry.field(
        description="Spend on completed orders in the last twelve months needed to reach it, "
        "converted exactly into `currency` (else X-Currency, else the member's, else the "
        "shop's); tiers count it in the shop currency."
    )
    async def min_spend(self, info: Info, currency: CurrencyCode | None = None) -> MoneyType:
        return (await shown_prices(info, currency)).exact(self._min_spend)

    @strawberry.field(description="The spend needed, in the shop currency, as tiers count it.")
    def min_spend_in_shop_currency(self) -> MoneyType:
        return MoneyType.minor(self._min_spend, self._shop_currency)

    @strawberry.field(description="The benefits in words, for a tier comparison table.")
    def benefits(self) -> list[str]:
        perks = []
        if self.discount_rate:
            perks.append(f"{self.discount_rate}% off every order")
        if self.points_multiplier != 1:
            perks.append(f"{self.points_multiplier}x points on orders")
        if self.early_access:
            perks.append("Early access to members-first products")
        if self.priority_support:
            perks.append("Priority support")
        return perks


@strawberry.type(name="PointsEntry", description="One earn (positive) or spend (negative).")
class PointsEntryType(relay.Node):
    id: relay.NodeID[int]
    amount: int
    kind: PointsKindEnum  # type: ignore[valid-type]
    note: str
    expires_at: datetime | None = strawberry.field(description="When earned points lapse.")
    created_at: datetime

    @classmethod
    def build(cls, entry: PointsEntry) -> PointsEntryType:
        return cls(
            id=entry.id,
            amount=entry.amount,
            kind=PointsKind(entry.kind),
            note=entry.note,
            expires_at=entry.expires_at,
            created_at=entry.created_at,
        )


@strawberry.type(name="PointsExpiry", description="Points that lapse at a moment unless spent.")
class PointsExpiryType:
    amount: int
    expires_at: datetime


@strawberry.type(name="CheckIn", description="A daily check-in.")
class CheckInType(relay.Node):
    id: relay.NodeID[int]
    day: date = strawberry.field(description="The UTC day.")
    streak: int = strawberry.field(description="Consecutive days ending with this one.")
    points: int

    @classmethod
    def build(cls, row: CheckIn) -> CheckInType:
        return cls(id=row.id, day=row.day, streak=row.streak, points=row.points)


@strawberry.type(name="CheckInStatus")
class CheckInStatusType:
    checked_in_today: bool
    streak: int = strawberry.field(
        description="Consecutive days ending today, or yesterday if today's is still to come."
    )
    next_points: int = strawberry.field(
        description="Points the next check-in earns (tomorrow's once today's is done)."
    )


@strawberry.type(name="Reward", description="Something members can spend points on.")
class RewardType(relay.Node):
    id: relay.NodeID[int]
    name: str
    description: str
    kind: RewardKindEnum  # type: ignore[valid-type]
    points_cost: int
    stock: int | None = strawberry.field(description="How many are left; null: no limit.")
    active: bool
    _coupon_template_id: strawberry.Private[int | None]

    @classmethod
    def build(cls, reward: Reward) -> RewardType:
        return cls(
            id=reward.id,
            name=reward.name,
            description=reward.description,
            kind=RewardKind(reward.kind),
            points_cost=reward.points_cost,
            stock=reward.stock,
            active=reward.active,
            _coupon_template_id=reward.coupon_template_id,
        )

    @strawberry.field(description="Whether it can be redeemed now.")
    def available(self) -> bool:
        return self.active and self.stock != 0

    @strawberry.field(
        permission_classes=[CanManageCustomers],
        description="The coupon whose terms each issued coupon copies.",
    )
    def coupon_template_id(self) -> strawberry.ID | None:
        if self._coupon_template_id is None:
            return None
        return encode_id("Coupon", self._coupon_template_id)


@strawberry.type(name="RewardCoupon", description="A personal coupon issued for points.")
class RewardCouponType:
    code: str
    ends_at: datetime | None
    used: bool
    active: bool

    @classmethod
    def build(cls, coupon: Coupon) -> RewardCouponType:
        return cls(
            code=coupon.code,
            ends_at=coupon.ends_at,
            used=coupon.times_used > 0,
            active=coupon.active,
        )


@strawberry.type(name="RewardRedemption", description="Points spent on a reward.")
class RewardRedemptionType(relay.Node):
    id: relay.NodeID[int]
    reward: RewardType
    points: int
    status: RedemptionStatusEnum  # type: ignore[valid-type]
    coupon: RewardCouponType | None = strawberry.field(description="Coupon rewards: the code.")
    created_at: datetime
    updated_at: datetime
    _user_id: strawberry.Private[int]

    @classmethod
    def build(cls, row: RewardRedemption) -> RewardRedemptionType:
        """From a redemption fetched with its reward and coupon."""
        return cls(
            id=row.id,
            reward=RewardType.build(row.reward),
            points=row.points,
            status=RedemptionStatus(row.status),
            coupon=RewardCouponType.build(row.coupon) if row.coupon else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            _user_id=row.user_id,
        )

    @strawberry.field(
        permission_classes=[CanManageCustomers], description="The member who redeemed it."
    )
    def user_id(self) -> strawberry.ID:
        return encode_id("User", self._user_id)


@strawberry.type(name="MembershipTierConnection")
class MembershipTierConnection(Connection[MembershipTierType]):
    pass


@strawberry.type(name="PointsEntryConnection")
class PointsEntryConnection(Connection[PointsEntryType]):
    pass


@strawberry.type(name="CheckInConnection")
class CheckInConnection(Connection[CheckInType]):
    pass


@strawberry.type(name="RewardConnection")
class RewardConnection(Connection[RewardType]):
    pass


@strawberry.type(name="RewardRedemptionConnection")
class RewardRedemptionConnection(Connection[RewardRedemptionType]):
    pass


def redemption_connection(page: Page[RewardRedemption], count: Any) -> RewardRedemptionConnection:
    return connection(
        RewardRedemptionConnection, page, [RewardRedemptionType.build(r) for r in page.items], count
    )


# The loyalty fields of `User`: the person is the viewer or customer-service staff.


async def user_tier(info: Info, tier_id: int | None) -> MembershipTierType | None:
    if tier_id is None:
        return None
    row = await info.context.loaders.membership_tier.load(tier_id)
    return MembershipTierType.build(row, info.context.settings.shop_currency) if row else None


async def user_balance(info: Info, user_id: int) -> int:
    sums = await info.context.loaders.points_sums_by_user.load(user_id)
    return points.Ledger.of(sums).balance


async def user_expiring_soon(info: Info, user_id: int) -> PointsExpiryType | None:
    loaders = info.context.loaders
    sums, upcoming = (
        await loaders.points_sums_by_user.load(user_id),
        await loaders.upcoming_earns_by_user.load(user_id),
    )
    lapse = points.next_lapse(points.Ledger.of(sums), upcoming)
    return PointsExpiryType(amount=lapse.amount, expires_at=lapse.at) if lapse else None


async def user_check_in_status(info: Info, user_id: int) -> CheckInStatusType:
    recent = await info.context.loaders.recent_check_ins_by_user.load(user_id)
    status = check_in.status_from(recent, timezone.now().date())
    return CheckInStatusType(
        checked_in_today=status.checked_in_today,
        streak=status.streak,
        next_points=status.next_points,
    )


async def _member_page(
    info: Info,
    user_id: int,
    request: PageRequest,
    newest: DataLoader[tuple[int, int], list[M]],
    later: Callable[[], Awaitable[Page[M]]],
) -> Page[M]:
    """A page of one member's rows, newest first (by `created_at`, then id).

    The first page goes through the `newest` loader, so a list of members with their
    ledgers, check-ins or redemptions costs one query per field rather than one per
    member; later pages (a cursor, or `last`) are read by the service (`later`).
    """
    if request.after is not None or request.before is not None or request.last is not None:
        return await page_or_error(later())
    try:
        check_page_size(request, info.context.settings.max_page_size)
    except PaginationError as exc:
        raise BadUserInput.from_service_error(exc) from None
    size = DEFAULT_PAGE_SIZE if request.first is None else request.first
    rows = await newest.load((user_id, size + 1))
    items = rows[:size]
    return Page(
        items=items,
        cursors=[cursor_for(row, "created_at") for row in items],
        has_next_page=len(rows) > size,
        has_previous_page=False,
    )


async def user_points_entries(
    info: Info, user_id: int, request: PageRequest
) -> PointsEntryConnection:
    loaders = info.context.loaders
    max_size = info.context.settings.max_page_size
    page = await _member_page(
        info,
        user_id,
        request,
        loaders.newest_points_entries_by_user,
        lambda: points.list_entries(user_id, request, max_size=max_size),
    )
    return connection(
        PointsEntryConnection,
        page,
        [PointsEntryType.build(e) for e in page.items],
        lambda: loaders.points_entry_count_by_user.load(user_id),
    )


async def user_check_ins(info: Info, user_id: int, request: PageRequest) -> CheckInConnection:
    loaders = info.context.loaders
    max_size = info.context.settings.max_page_size
    page = await _member_page(
        info,
        user_id,
        request,
        loaders.newest_check_ins_by_user,
        lambda: check_in.list_check_ins(user_id, request, max_size=max_size),
    )
    return connection(
        CheckInConnection,
        page,
        [CheckInType.build(c) for c in page.items],
        lambda: loaders.check_in_count_by_user.load(user_id),
    )


async def user_redemptions(
    info: Info, user_id: int, request: PageRequest
) -> RewardRedemptionConnection:
    loaders = info.context.loaders
    max_size = info.context.settings.max_page_size
    page = await _member_page(
        info,
        user_id,
        request,
        loaders.newest_redemptions_by_user,
        lambda: rewards.list_redemptions(request, user_id=user_id, max_size=max_size),
    )
    return redemption_connection(page, lambda: loaders.redemption_count_by_user.load(user_id))
