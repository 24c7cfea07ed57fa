"""Members loaders: address books, and the loyalty ledger, check-ins and rewards.

Profiles loaders come first; loyalty loaders follow below their marker. A member's
purchase history loads through the orders loaders.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from aiodataloader import DataLoader
from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Sum

from loaders.base import ByIdLoader, CountByUserIdLoader, ManyByLoader, NewestByUserIdLoader
from models.members import (
    Address,
    CheckIn,
    MembershipTier,
    PointsEntry,
    PointsKind,
    Reward,
    RewardRedemption,
)


class AddressByIdLoader(ByIdLoader[Address]):
    model = Address


class AddressesByUserIdLoader(ManyByLoader[Address]):
    """A member's addresses, the default first."""

    model = Address
    key_field = "user_id"


# Loyalty loaders.


class MembershipTierByIdLoader(ByIdLoader[MembershipTier]):
    model = MembershipTier


class PointsEntryByIdLoader(ByIdLoader[PointsEntry]):
    model = PointsEntry


class CheckInByIdLoader(ByIdLoader[CheckIn]):
    model = CheckIn


class RewardByIdLoader(ByIdLoader[Reward]):
    model = Reward


class RedemptionByIdLoader(ByIdLoader[RewardRedemption]):
    """Redemptions with their reward and issued coupon, which every view of one shows."""

    model = RewardRedemption

    async def batch_load_fn(self, keys: list[int]) -> list[RewardRedemption | None]:
        rows = await RewardRedemption.filter(id__in=keys).select_related("reward", "coupon")
        found = {row.id: row for row in rows}
        return [found.get(key) for key in keys]


class PointsSumsByUserIdLoader(DataLoader[int, dict[str, Any]]):
    """Each member's ledger sums now, in one grouped statement.

    The same sums as `services.members.points.ledger_sums`, read into a `Ledger` there:
    every entry, earns past their date, net spends, and write-offs.
    """

    async def batch_load_fn(self, keys: list[int]) -> list[dict[str, Any]]:
        now = timezone.now()
        rows = (
            await PointsEntry.filter(user_id__in=keys)
            .annotate(
                total=Sum("amount"),
                lapsed=Sum("amount", _filter=Q(expires_at__lte=now)),
                spent=Sum(
                    "amount", _filter=Q(expires_at__isnull=True) & ~Q(kind=PointsKind.EXPIRY)
                ),
                written_off=Sum("amount", _filter=Q(kind=PointsKind.EXPIRY)),
            )
            .group_by("user_id")
            .values("user_id", "total", "lapsed", "spent", "written_off")
        )
        found = {row["user_id"]: row for row in rows}
        return [found.get(key, {}) for key in keys]


class UpcomingEarnsByUserIdLoader(DataLoader[int, list[tuple[datetime, int]]]):
    """Each member's earns not yet past their date, as (expires at, amount)."""

    async def batch_load_fn(self, keys: list[int]) -> list[list[tuple[datetime, int]]]:
        rows = await PointsEntry.filter(
            user_id__in=keys, expires_at__gt=timezone.now()
        ).values_list("user_id", "expires_at", "amount")
        groups: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
        for user_id, expires_at, amount in rows:
            groups[user_id].append((expires_at, amount))
        return [groups.get(key, []) for key in keys]


class RecentCheckInsByUserIdLoader(DataLoader[int, list[CheckIn]]):
    """Each member's check-ins of yesterday and today (UTC), newest first."""

    async def batch_load_fn(self, keys: list[int]) -> list[list[CheckIn]]:
        yesterday = timezone.now().date() - timedelta(days=1)
        groups: dict[int, list[CheckIn]] = defaultdict(list)
        for row in await CheckIn.filter(user_id__in=keys, day__gte=yesterday).order_by("-day"):
            groups[row.user_id].append(row)
        return [groups.get(key, []) for key in keys]


class NewestPointsEntriesByUserIdLoader(NewestByUserIdLoader[PointsEntry]):
    """The first page of each member's ledger, newest first (as `points.list_entries`)."""

    model = PointsEntry


class PointsEntryCountByUserIdLoader(CountByUserIdLoader[PointsEntry]):
    model = PointsEntry


class NewestCheckInsByUserIdLoader(NewestByUserIdLoader[CheckIn]):
    """The first page of each member's check-ins (as `check_in.list_check_ins`)."""

    model = CheckIn


class CheckInCountByUserIdLoader(CountByUserIdLoader[CheckIn]):
    model = CheckIn


class NewestRedemptionsByUserIdLoader(NewestByUserIdLoader[RewardRedemption]):
    """The first page of each member's redemptions, with reward and coupon."""

    model = RewardRedemption
    related = ("reward", "coupon")


class RedemptionCountByUserIdLoader(CountByUserIdLoader[RewardRedemption]):
    model = RewardRedemption


class MembersLoaders:
    """The members loaders of a request, each built on first use."""

    @cached_property
    def address(self) -> AddressByIdLoader:
        return AddressByIdLoader()

    @cached_property
    def addresses_by_user(self) -> AddressesByUserIdLoader:
        return AddressesByUserIdLoader()

    @cached_property
    def membership_tier(self) -> MembershipTierByIdLoader:
        return MembershipTierByIdLoader()

    @cached_property
    def points_entry(self) -> PointsEntryByIdLoader:
        return PointsEntryByIdLoader()

    @cached_property
    def check_in(self) -> CheckInByIdLoader:
        return CheckInByIdLoader()

    @cached_property
    def reward(self) -> RewardByIdLoader:
        return RewardByIdLoader()

    @cached_property
    def redemption(self) -> RedemptionByIdLoader:
        return RedemptionByIdLoader()

    @cached_property
    def points_sums_by_user(self) -> PointsSumsByUserIdLoader:
        return PointsSumsByUserIdLoader()

    @cached_property
    def upcoming_earns_by_user(self) -> UpcomingEarnsByUserIdLoader:
        return UpcomingEarnsByUserIdLoader()

    @cached_property
    def recent_check_ins_by_user(self) -> RecentCheckInsByUserIdLoader:
        return RecentCheckInsByUserIdLoader()

    @cached_property
    def newest_points_entries_by_user(self) -> NewestPointsEntriesByUserIdLoader:
        return NewestPointsEntriesByUserIdLoader()

    @cached_property
    def points_entry_count_by_user(self) -> PointsEntryCountByUserIdLoader:
        return PointsEntryCountByUserIdLoader()

    @cached_property
    def newest_check_ins_by_user(self) -> NewestCheckInsByUserIdLoader:
        return NewestCheckInsByUserIdLoader()

    @cached_property
    def check_in_count_by_user(self) -> CheckInCountByUserIdLoader:
        return CheckInCountByUserIdLoader()

    @cached_property
    def newest_redemptions_by_user(self) -> NewestRedemptionsByUserIdLoader:
        return NewestRedemptionsByUserIdLoader()

    @cached_property
    def redemption_count_by_user(self) -> RedemptionCountByUserIdLoader:
        return RedemptionCountByUserIdLoader()
