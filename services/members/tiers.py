"""Membership tiers: staff define them, and each member holds the best one their figures reach.

A member's figures are their trailing-twelve-month spend and order count, summed by the
database over completed orders only (a delivered order can still be returned). The tier
is stored on the user (`tier_id`, `tier_evaluated_at`) and recomputed when an order
completes or is refunded, when a tier is defined, changed or deleted, and by
`recompute_all_tiers()` (run daily, so that old orders age out of the window).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, TypedDict

from pydantic import AfterValidator, Field
from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from models.accounts import User
from models.members import MembershipTier
from models.orders import Order, OrderStatus
from services.errors import Problem, Problems
from services.members.errors import MemberError, MemberErrorCode, not_found
from services.money import InvalidAmount, InvalidCurrency, Money
from services.pagination import Page, PageRequest, paginate
from services.validation import Input, refuse, validated
from settings import get_settings

#: The window a member's figures are counted over.
TRAILING_DAYS = 365
#: Thresholds far above any real shop, far below 2**63.
MAX_SPEND_MINOR = 10**15
MAX_ORDERS = 10**7
#: A points multiplier of at most x100.
MAX_MULTIPLIER_PCT = 10_000
#: Members moved per statement by `recompute_all_tiers`: well under any bound-parameter limit.
ID_CHUNK = 10_000


class TierFields(TypedDict, total=False):
    name: str
    rank: int
    #: Decimal amount in the shop currency, e.g. "500.00".
    min_spend: Decimal | str
    min_orders: int
    #: Percentage as a decimal, e.g. "5" or "2.5".
    discount_rate: Decimal | str
    #: Multiplier as a decimal, e.g. "1.5".
    points_multiplier: Decimal | str
    early_access: bool
    priority_support: bool


@dataclass(frozen=True, slots=True)
class Figures:
    """A member's trailing-twelve-month spend (shop-currency minor units) and order count."""

    spend: int = 0
    orders: int = 0


def _scaled(value: Decimal | str, places: int) -> int | None:
    """`value` times 10**places as an exact integer; None if it is not such a number."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    scaled = number.scaleb(places)
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        refuse("REQUIRED", "A tier needs a name.")
    if len(name) > 60:
        refuse("INVALID", "At most 60 characters are allowed.")
    return name


def _rank(value: int | None) -> int:
    if value is None or not 0 <= value <= 1000:
        refuse("INVALID", "A rank is a whole number from 0 to 1000.")
    return value


def _min_spend(value: Decimal | str) -> int:
    try:
        minor = Money.from_decimal(value, get_settings().shop_currency).minor
    except (InvalidAmount, InvalidCurrency) as exc:
        refuse("INVALID_THRESHOLD", str(exc))
    if not 0 <= minor <= MAX_SPEND_MINOR:
        refuse("INVALID_THRESHOLD", "The spend threshold may not be negative or absurdly large.")
    return minor


def _min_orders(value: int) -> int:
    if not 0 <= value <= MAX_ORDERS:
        refuse("INVALID_THRESHOLD", "The order threshold is a whole number, 0 or more.")
    return value


def _discount(value: Decimal | str) -> int:
    bps = _scaled(value, 2)
    if bps is None or not 0 <= bps <= 10_000:
        refuse("INVALID", "A discount is a percentage from 0 to 100 with at most two decimals.")
    return bps


def _multiplier(value: Decimal | str) -> int:
    pct = _scaled(value, 2)
    if pct is None or not 0 <= pct <= MAX_MULTIPLIER_PCT:
        refuse(
            "INVALID", "A points multiplier is from 0 to 100 with at most two decimals, e.g. 1.5."
        )
    return pct


class TierInput(Input):
    """What a tier's fields may hold; amounts come out as the columns store them.

    Amounts are typed `Any`: their rules parse them, so a bad one reads as the rule says.
    """

    name: Annotated[str, AfterValidator(_name)] = ""
    rank: Annotated[int | None, AfterValidator(_rank)] = None
    min_spend: Annotated[Any, AfterValidator(_min_spend)] = "0"
    min_orders: Annotated[int, AfterValidator(_min_orders)] = 0
    discount_rate: Annotated[
        Any, AfterValidator(_discount), Field(serialization_alias="discount_bps")
    ] = "0"
    points_multiplier: Annotated[
        Any,
        AfterValidator(_multiplier),
        Field(serialization_alias="points_multiplier_pct"),
    ] = "1"
    early_access: bool = False
    priority_support: bool = False


def _checked(fields: TierFields, *, creating: bool) -> dict[str, Any]:
    """The model columns for the given fields, or every problem with them raised at once.

    No tier field can be null: an explicit null is REQUIRED, never a default or "None".
    """
    problems = Problems(MemberError)
    problems.refuse_nulls(fields)
    problems.raise_if_any()
    given: dict[str, Any] = dict(fields)
    if creating:
        given.setdefault("name", "")
        given.setdefault("rank", None)
    checked = validated(TierInput, given, MemberError)
    return checked.model_dump(exclude_unset=True, by_alias=True, warnings=False)


async def _check_unique(clean: dict[str, Any], *, exclude_id: int | None = None) -> None:
    problems = Problems(MemberError)
    others = MembershipTier.all()
    if exclude_id is not None:
        others = others.exclude(id=exclude_id)
    if "name" in clean and await others.filter(name=clean["name"]).exists():
        problems.add(MemberErrorCode.DUPLICATE_NAME, "Another tier has this name.", "name")
    if "rank" in clean and await others.filter(rank=clean["rank"]).exists():
        problems.add(MemberErrorCode.DUPLICATE_RANK, "Another tier has this rank.", "rank")
    problems.raise_if_any()


_DUPLICATE = MemberError(
    Problem(MemberErrorCode.DUPLICATE_NAME, "Another tier has this name or rank.", ("name",))
)

#: Changing any of these can move members between tiers.
_THRESHOLDS = frozenset({"rank", "min_spend", "min_orders"})


async def list_tiers() -> list[MembershipTier]:
    """Every tier, lowest rank first."""
    return await MembershipTier.all().order_by("rank")


async def get_tier(tier_id: int) -> MembershipTier:
    tier = await MembershipTier.get_or_none(id=tier_id)
    if tier is None:
        raise not_found("The tier", "id")
    return tier


async def create_tier(fields: TierFields) -> MembershipTier:
    """A new tier; members who now reach it move into it."""
    clean = _checked(fields, creating=True)
    await _check_unique(clean)
    try:
        tier = await MembershipTier.create(**clean)
    except IntegrityError:
        raise _DUPLICATE from None
    await recompute_all_tiers()
    return tier


async def update_tier(tier_id: int, fields: TierFields) -> MembershipTier:
    """The tier with the given fields changed; members are re-evaluated if thresholds moved."""
    clean = _checked(fields, creating=False)
    tier = await get_tier(tier_id)
    await _check_unique(clean, exclude_id=tier.id)
    moved = any(key in _THRESHOLDS and getattr(tier, key) != v for key, v in clean.items())
    tier.update_from_dict(clean)
    try:
        await tier.save()
    except IntegrityError:
        raise _DUPLICATE from None
    if moved:
        await recompute_all_tiers()
    return tier


async def delete_tier(tier_id: int) -> None:
    """Delete a tier; its members move to the best tier they still reach."""
    async with in_transaction("default"):
        tier = await get_tier(tier_id)
        members = [row["id"] for row in await User.filter(tier_id=tier.id).values("id")]
        await tier.delete()
    for user_id in members:
        await recompute_tier(user_id)


def window_start(now: datetime) -> datetime:
    return now - timedelta(days=TRAILING_DAYS)


def _completed_in_window(since: datetime) -> Any:
    """Members' completed orders inside the window (never a guest's: no NULL user ids)."""
    return Order.filter(
        status=OrderStatus.COMPLETED, completed_at__gte=since, user_id__isnull=False
    )


def _figures_query(since: datetime) -> Any:
    """Completed orders inside the window, with spend net of refunds and their count."""
    return _completed_in_window(since).annotate(
        spend=Sum(F("total") - F("refunded_total")), orders=Count("id")
    )


async def figures(user_id: int, now: datetime | None = None) -> Figures:
    """The member's trailing-twelve-month figures, summed by the database."""
    since = window_start(now or timezone.now())
    rows = await _figures_query(since).filter(user_id=user_id).values("spend", "orders")
    row = rows[0] if rows else {}
    return Figures(spend=int(row.get("spend") or 0), orders=int(row.get("orders") or 0))


def pick_tier(tiers: Iterable[MembershipTier], figures: Figures) -> MembershipTier | None:
    """The highest-ranked tier whose spend and order thresholds the figures both meet."""
    reached = [t for t in tiers if figures.spend >= t.min_spend and figures.orders >= t.min_orders]
    return max(reached, key=lambda t: t.rank, default=None)


async def recompute_tier(user_id: int) -> MembershipTier | None:
    """Store and return the tier the member's figures reach now (None: no tier)."""
    now = timezone.now()
    tier = pick_tier(await list_tiers(), await figures(user_id, now))
    await User.filter(id=user_id).update(tier_id=tier.id if tier else None, tier_evaluated_at=now)
    return tier


async def recompute_all_tiers() -> int:
    """Re-evaluate every member in a few statements; returns how many changed tier.

    Run daily (`tradewind recompute-tiers`), so that orders leaving the twelve-month window lower
    a member's tier without any order event. Members are moved in chunks of `ID_CHUNK` ids
    and the members without orders found by a subquery, so no statement binds more
    parameters than PostgreSQL (32,767) or SQLite allows, however many members there are.
    """
    now = timezone.now()
    since = window_start(now)
    tiers = await list_tiers()
    rows = await _figures_query(since).group_by("user_id").values("user_id", "spend", "orders")
    target: dict[int | None, list[int]] = defaultdict(list)
    for row in rows:
        tier = pick_tier(tiers, Figures(int(row["spend"] or 0), int(row["orders"] or 0)))
        target[tier.id if tier else None].append(row["user_id"])
    changed = 0
    for tier_id, user_ids in target.items():
        for start in range(0, len(user_ids), ID_CHUNK):
            chunk = user_ids[start : start + ID_CHUNK]
            changed += await _move(User.filter(id__in=chunk), tier_id, now)
    base = pick_tier(tiers, Figures())
    with_orders = _completed_in_window(since).values("user_id")
    rest = User.exclude(id__in=Subquery(with_orders))
    changed += await _move(rest, base.id if base else None, now)
    return changed


async def _move(users: Any, tier_id: int | None, now: datetime) -> int:
    """Set the tier of the users not already in it; the number moved."""
    if tier_id is None:
        stale = users.filter(tier_id__isnull=False)
    else:
        stale = users.filter(Q(tier_id__isnull=True) | ~Q(tier_id=tier_id))
    return int(await stale.update(tier_id=tier_id, tier_evaluated_at=now))


async def has_early_access(tier_id: int | None) -> bool:
    """Whether members of the tier see and buy members-first products before everyone."""
    if tier_id is None:
        return False
    return await MembershipTier.exists(id=tier_id, early_access=True)


async def member_discount(subject: int | MembershipTier | None) -> int:
    """The member discount in basis points (500 = 5 %) for checkout to apply.

    `subject` is a user id (their stored tier is used), a tier, or None (no discount).
    """
    if subject is None:
        return 0
    if isinstance(subject, MembershipTier):
        return subject.discount_bps
    tier = await MembershipTier.filter(members__id=subject).first()
    return tier.discount_bps if tier else 0


async def tier_page(page: PageRequest, *, max_size: int = 100) -> Page[MembershipTier]:
    """One page of tiers, lowest rank first."""
    return await paginate(MembershipTier.all(), page, sort_field="rank", max_size=max_size)


async def count_tiers() -> int:
    return await MembershipTier.all().count()


async def recompute_member(user_id: int) -> MembershipTier | None:
    """`recompute_tier` for staff: NOT_FOUND for someone who is not a member."""
    if not await User.exists(id=user_id):
        raise not_found("The member", "user_id")
    return await recompute_tier(user_id)
