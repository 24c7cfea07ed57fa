"""Members loaders: address books, and the purchase history shown on a member.

Profiles loaders come first; loyalty loaders follow below their marker.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader
from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Count, Sum
from tortoise.models import Model

from loaders.base import ByIdLoader, ManyByLoader
from models.members import (
    Address,
    CheckIn,
    MembershipTier,
    PointsEntry,
    PointsKind,
    Reward,
    RewardRedemption,
)
from models.orders import Order, OrderLine

M = TypeVar("M", bound=Model)


class AddressByIdLoader(ByIdLoader[Address]):
    model = Address


class AddressesByUserIdLoader(ManyByLoader[Address]):
    """A member's addresses, the default first."""

    model = Address
    key_field = "user_id"


class OrderSummaryByIdLoader(ByIdLoader[Order]):
    model = Order


class NewestByUserIdLoader(DataLoader[tuple[int, int], list[M]], Generic[M]):
    """The newest rows of each member, keyed by (user id, how many).

    One statement for any number of members: each member's rows are numbered newest
    first (by `sort_field`, then id) in a window, and the first few of each kept. Only ids
    go into the SQL, as integers, so it reads the same on SQLite and PostgreSQL.
    """

    model: type[M]
    #: A column named as its field, ordered descending, then the id.
    sort_field: str = "created_at"
    #: Relations fetched with the rows.
    related: tuple[str, ...] = ()

    async def batch_load_fn(self, keys: list[tuple[int, int]]) -> list[list[M]]:
        wanted: dict[int, int] = defaultdict(int)
        for user_id, size in keys:
            wanted[int(user_id)] = max(wanted[int(user_id)], int(size))
        most = max(wanted.values(), default=0)
        if most == 0:
            return [[] for _ in keys]
        table = self.model._meta.db_table
        users = ", ".join(str(u) for u in wanted)
        sql = (
            f"SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id "
            f"ORDER BY {self.sort_field} DESC, id DESC) AS position FROM {table} "
            f"WHERE user_id IN ({users})) AS ranked WHERE position <= {int(most)}"
        )
        ids = [row["id"] for row in await self.model._meta.db.execute_query_dict(sql)]
        groups: dict[int, list[M]] = defaultdict(list)
        rows = self.model.filter(id__in=ids).order_by(f"-{self.sort_field}", "-id")
        if self.related:
            rows = rows.select_related(*self.related)
        for row in await rows:
            groups[getattr(row, "user_id", None) or 0].append(row)
        return [groups.get(int(user_id), [])[:size] for user_id, size in keys]


class CountByUserIdLoader(DataLoader[int, int], Generic[M]):
    """How many rows each member has, in one grouped statement."""

    model: type[M]

    async def batch_load_fn(self, keys: list[int]) -> list[int]:
        rows = (
            await self.model.filter(user_id__in=keys)
            .group_by("user_id")
            .annotate(n=Count("id"))
            .values("user_id", "n")
        )
        counts = {row["user_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]


class RecentOrdersByUserIdLoader(NewestByUserIdLoader[Order]):
    """The newest orders of each member, keyed by (user id, how many)."""

    model = Order
    sort_field = "placed_at"


class OrderCountByUserIdLoader(DataLoader[int, int]):
    async def batch_load_fn(self, keys: list[int]) -> list[int]:
        rows = (
            await Order.filter(user_id__in=keys)
            .group_by("user_id")
            .annotate(n=Count("id"))
            .values("user_id", "n")
        )
        counts = {row["user_id"]: row["n"] for row in rows}
        return [counts.get(key, 0) for key in keys]


class ItemCountByOrderIdLoader(DataLoader[int, int]):
    """Units bought in each order: the sum of its line quantities."""

    async def batch_load_fn(self, keys: list[int]) -> list[int]:
        rows = (
            await OrderLine.filter(order_id__in=keys)
            .group_by("order_id")
            .annotate(n=Sum("quantity"))
            .values("order_id", "n")
        )
        counts = {row["order_id"]: int(row["n"] or 0) for row in rows}
        return [counts.get(key, 0) for key in keys]


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
