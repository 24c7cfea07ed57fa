"""The points ledger: awards, spends, expiry and the balance, never stored as a number.

Every entry carries a `source` unique per member (`order:42`, `check-in:2026-11-24`), so an
award repeated by a retry or a second process writes nothing. Earned points lapse
`points_expiry_days` after they were earned; spends and lapses both use the oldest points
first, so what has lapsed by a moment is the earns expired by then less everything spent,
less what was already written off. The balance the API shows leaves out points already past
their date even before `expire_points()` writes them off.

A spend locks the member's user row (`SELECT ... FOR UPDATE`; SQLite runs one transaction at
a time anyway) and re-reads the sums inside the transaction, so two spends at once cannot
overdraw.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from models.accounts import User
from models.members import MembershipTier, PointsEntry, PointsKind
from models.orders import Order, OrderStatus
from models.reviews import Review
from models.store_credit import CreditEntryKind, StoreCreditEntry
from services.members import tiers
from services.members.errors import MemberErrorCode, fail, not_found
from services.money import currency_exponent
from services.pagination import Page, PageRequest, paginate
from settings import get_settings

#: Kinds that may add points, and so carry an expiry date when positive.
EARN_KINDS = frozenset(
    {PointsKind.ORDER, PointsKind.CHECK_IN, PointsKind.REVIEW, PointsKind.ADJUSTMENT}
)
MAX_ADJUSTMENT = 10_000_000
#: The most one order earns: far above any real order, far below 2**63, so that neither an
#: entry nor a member's sum of entries can overflow a 64-bit column.
MAX_ORDER_POINTS = 10**12


@dataclass(frozen=True, slots=True)
class Ledger:
    """A member's ledger summed at one moment: all the balance and expiry rules need."""

    #: Every entry added up.
    total: int = 0
    #: Earns whose expiry date has passed.
    lapsed_earns: int = 0
    #: Net of spends, refunds and deductions (as a positive number); returns reduce it.
    spent: int = 0
    #: Lapses already written off (as a positive number).
    written_off: int = 0

    @property
    def due_expiry(self) -> int:
        """Points past their date not yet written off: spends took the oldest first."""
        return max(0, max(0, self.lapsed_earns - self.spent) - self.written_off)

    @property
    def balance(self) -> int:
        """What the member can spend now."""
        return self.total - self.due_expiry

    @classmethod
    def of(cls, row: dict[str, Any] | None) -> Ledger:
        """A ledger from a row of the sums `ledger_sums` selects (absent or null sums are 0)."""
        row = row or {}
        return cls(
            total=int(row.get("total") or 0),
            lapsed_earns=int(row.get("lapsed") or 0),
            spent=max(0, -int(row.get("spent") or 0)),
            written_off=-int(row.get("written_off") or 0),
        )


@dataclass(frozen=True, slots=True)
class Lapse:
    """Points that will lapse at a moment unless spent first."""

    amount: int
    at: datetime


def ledger_sums(now: datetime) -> dict[str, Any]:
    """The aggregates a `Ledger` is read from, for `annotate()` on the entries."""
    return {
        "total": Sum("amount"),
        "lapsed": Sum("amount", _filter=Q(expires_at__lte=now)),
        "spent": Sum("amount", _filter=Q(expires_at__isnull=True) & ~Q(kind=PointsKind.EXPIRY)),
        "written_off": Sum("amount", _filter=Q(kind=PointsKind.EXPIRY)),
    }


async def ledger(user_id: int, now: datetime | None = None) -> Ledger:
    """The member's ledger sums at `now`, in one query."""
    rows = (
        await PointsEntry.filter(user_id=user_id)
        .annotate(**ledger_sums(now or timezone.now()))
        .group_by("user_id")
        .values("total", "lapsed", "spent", "written_off")
    )
    return Ledger.of(rows[0] if rows else None)


async def balance(user_id: int) -> int:
    """Points the member can spend now."""
    return (await ledger(user_id)).balance


def next_lapse(ledger: Ledger, upcoming: Sequence[tuple[datetime, int]]) -> Lapse | None:
    """The next moment some points lapse and how many, given the earns not yet expired.

    Earns already covered by spends lapse without taking anything, so the first moment
    that actually costs points is reported.
    """
    due_now = ledger.due_expiry
    lapsed = ledger.lapsed_earns
    by_moment: dict[datetime, int] = {}
    for when, amount in upcoming:
        by_moment[when] = by_moment.get(when, 0) + amount
    for when in sorted(by_moment):
        lapsed += by_moment[when]
        lost = replace(ledger, lapsed_earns=lapsed).due_expiry - due_now
        if lost > 0:
            return Lapse(amount=lost, at=when)
    return None


async def expiring_soon(user_id: int) -> Lapse | None:
    """The member's next lapse of points, if any points are due to lapse."""
    now = timezone.now()
    upcoming = await PointsEntry.filter(user_id=user_id, expires_at__gt=now).values_list(
        "expires_at", "amount"
    )
    return next_lapse(await ledger(user_id, now), [(w, a) for w, a in upcoming])


def _expiry_for(kind: PointsKind, amount: int, now: datetime) -> datetime | None:
    if amount > 0 and kind in EARN_KINDS:
        return now + timedelta(days=get_settings().points_expiry_days)
    return None


async def award(
    user_id: int,
    amount: int,
    kind: PointsKind,
    source: str,
    note: str = "",
    actor_id: int | None = None,
) -> PointsEntry:
    """Write one entry; a second call for the same member and source returns the first entry.

    Positive earns get their expiry date. The insert runs in a savepoint, so a duplicate
    leaves an enclosing transaction usable (PostgreSQL aborts it otherwise).
    """
    now = timezone.now()
    try:
        async with in_transaction("default"):
            return await PointsEntry.create(
                user_id=user_id,
                amount=amount,
                kind=kind,
                source=source[:80],
                note=note[:200],
                expires_at=_expiry_for(kind, amount, now),
                actor_id=actor_id,
            )
    except IntegrityError:
        existing = await PointsEntry.get_or_none(user_id=user_id, source=source[:80])
        if existing is None:  # not a duplicate source: the member does not exist
            raise
        return existing


async def lock_member(user_id: int) -> None:
    """Hold the member's row until the transaction ends, so their spends run one at a time."""
    # Rows, not `exists()`: that query drops the FOR UPDATE clause.
    if not await User.select_for_update().filter(id=user_id).only("id"):
        raise not_found("The member", "user_id")


async def _write_off(user_id: int, now: datetime) -> PointsEntry | None:
    """Write off the points due to lapse; the caller holds the member's lock."""
    due = (await ledger(user_id, now)).due_expiry
    if due <= 0:
        return None
    day = now.date().isoformat()
    # One lapse a day is the norm; a second one the same day gets its own source.
    earlier = await PointsEntry.filter(
        user_id=user_id, kind=PointsKind.EXPIRY, source__startswith=f"expiry:{day}"
    ).count()
    source = f"expiry:{day}" if not earlier else f"expiry:{day}:{earlier + 1}"
    return await award(user_id, -due, PointsKind.EXPIRY, source, note="Points lapsed")


async def expire_points(user_id: int) -> PointsEntry | None:
    """Write off the member's points past their date in one EXPIRY entry (None: nothing due)."""
    async with in_transaction("default"):
        await lock_member(user_id)
        return await _write_off(user_id, timezone.now())


async def expire_all_points() -> int:
    """Write off lapsed points for every member who has any due; the number of entries written.

    One grouped statement finds the members with points due, so members whose lapsed
    points were written off before cost nothing.
    """
    now = timezone.now()
    lapsed_users = PointsEntry.filter(expires_at__lte=now).values("user_id")
    rows = (
        await PointsEntry.filter(user_id__in=Subquery(lapsed_users))
        .annotate(**ledger_sums(now))
        .group_by("user_id")
        .values("user_id", "total", "lapsed", "spent", "written_off")
    )
    written = 0
    for row in sorted(rows, key=lambda r: r["user_id"]):
        if Ledger.of(row).due_expiry > 0 and await expire_points(row["user_id"]) is not None:
            written += 1
    return written


async def spend(
    user_id: int,
    amount: int,
    kind: PointsKind,
    source: str,
    *,
    note: str = "",
    actor_id: int | None = None,
    field: str = "amount",
) -> PointsEntry:
    """Take `amount` points from the member, or raise INSUFFICIENT_POINTS.

    Lapses are written off first, then the balance is re-read under the member's lock; inside
    a caller's transaction this is a savepoint of it, so the caller's later steps and the
    spend commit or roll back together.
    """
    async with in_transaction("default"):
        await lock_member(user_id)
        now = timezone.now()
        await _write_off(user_id, now)
        available = (await ledger(user_id, now)).balance
        if available < amount:
            raise fail(
                MemberErrorCode.INSUFFICIENT_POINTS,
                f"This needs {amount} points; {available} are available.",
                field,
            )
        return await award(user_id, -amount, kind, source, note=note, actor_id=actor_id)


def order_points(total: int, multiplier_pct: int) -> int:
    """Points for an order total (shop minor units) at a tier's multiplier, rounded down.

    Never more than `MAX_ORDER_POINTS`, whatever the currency's exponent and the multiplier.
    """
    if total <= 0 or multiplier_pct <= 0:
        return 0
    settings = get_settings()
    with localcontext() as exact:
        # Enough digits for any 64-bit total times any multiplier, so the floor is exact.
        exact.prec = 60
        major = Decimal(total).scaleb(-currency_exponent(settings.shop_currency))
        points = major * Decimal(settings.points_per_currency_unit) * multiplier_pct / 100
        earned = int(points.to_integral_value(rounding=ROUND_FLOOR))
    return max(0, min(earned, MAX_ORDER_POINTS))


async def on_order_completed(order_id: int) -> PointsEntry | None:
    """Award a completed order's points at the member's tier, then recompute their tier.

    Call once the order is saved as completed; repeating the call awards nothing more.
    Guest orders and orders worth no points write no entry.
    """
    order = await Order.get_or_none(id=order_id)
    if order is None or order.user_id is None or order.status != OrderStatus.COMPLETED:
        return None
    tier = await MembershipTier.filter(members__id=order.user_id).first()
    points = order_points(order.total, tier.points_multiplier_pct if tier else 100)
    entry = None
    if points > 0:
        entry = await award(
            order.user_id, points, PointsKind.ORDER, f"order:{order.id}", note=order.number
        )
    await tiers.recompute_tier(order.user_id)
    return entry


async def on_order_refunded(order_id: int, refunded_amount: int, source: str) -> PointsEntry | None:
    """Take back the order's points in proportion to the refunds, then recompute the tier.

    `refunded_amount` is the order's refunded amount so far, this refund included (shop-currency
    minor units, cumulative: what `Order.refunded_total` holds once the refund is saved); the
    larger of it and the stored `refunded_total` is used. `source` names the refund (its id):
    repeating the call for the same refund takes nothing more. Each call takes back
    `floor(earned * refunded / total)` less what earlier refunds took, so partial refunds that
    add up to the whole order take back every point, and a late or repeated call with an
    older figure takes nothing. Store credit given for the order's returns counts as refunded.
    """
    order = await Order.get_or_none(id=order_id)
    if order is None or order.user_id is None:
        return None
    entry = None
    earned = await PointsEntry.get_or_none(user_id=order.user_id, source=f"order:{order.id}")
    # Store credit a return gave for the order's goods is given back as much as a refund.
    refunded = max(refunded_amount, order.refunded_total) + await credit_given_back(order)
    if earned is not None and earned.amount > 0 and refunded > 0:
        entry = await _take_back(order, earned.amount, refunded, f"refund:{order.id}:{source}")
    await tiers.recompute_tier(order.user_id)
    return entry


async def credit_given_back(order: Order) -> int:
    """Store credit given for the order's returns, in shop minor units at the order's rate."""
    amounts = await StoreCreditEntry.filter(
        order_id=order.id, kind=CreditEntryKind.RETURN
    ).values_list("amount", flat=True)
    given = sum(int(amount) for amount in amounts)  # type: ignore[call-overload]
    if given <= 0 or order.total_presentment <= 0:
        return 0
    share = Decimal(given) * order.total / order.total_presentment
    return int(share.to_integral_value(rounding=ROUND_HALF_UP))


def refund_share(earned: int, refunded: int, total: int) -> int:
    """The points of an order earning `earned` that a cumulative refund of `refunded` takes back."""
    if total <= 0 or refunded >= total:
        return earned
    return earned * max(0, refunded) // total


async def _take_back(order: Order, earned: int, refunded: int, source: str) -> PointsEntry | None:
    """The REFUND entry bringing the order's taken-back points to its share of `refunded`.

    Lapsed points are written off first, under the member's lock, as `spend` does: otherwise
    the refund, counted as a spend of the oldest points, would cover points already past
    their date and bring them back.
    """
    assert order.user_id is not None
    async with in_transaction("default"):
        await lock_member(order.user_id)
        existing = await PointsEntry.get_or_none(user_id=order.user_id, source=source)
        if existing is not None:
            return existing
        await _write_off(order.user_id, timezone.now())
        refunds = PointsEntry.filter(
            user_id=order.user_id, source__startswith=f"refund:{order.id}:"
        )
        taken = -sum(row["amount"] for row in await refunds.values("amount"))
        take = refund_share(earned, refunded, order.total) - taken
        if take <= 0:
            return None
        return await award(
            order.user_id, -take, PointsKind.REFUND, source, note=f"Refund on {order.number}"
        )


def review_source(product_id: int) -> str:
    """The source of a member's review points for a product: one award per member and product."""
    return f"review:product:{product_id}"


async def award_for_review(user_id: int, review_id: int) -> PointsEntry | None:
    """Award the review points for the member's own review; None if it is not theirs.

    Keyed on the product, not the review, so deleting a review and writing a new one for
    the same product never earns the points again.
    """
    review = await Review.get_or_none(id=review_id, user_id=user_id).only("id", "product_id")
    if review is None:
        return None
    points = get_settings().review_points
    if points <= 0:
        return None
    # Awards made before the key moved to the product were keyed on the review.
    legacy = await PointsEntry.get_or_none(user_id=user_id, source=f"review:{review_id}")
    if legacy is not None:
        return legacy
    return await award(user_id, points, PointsKind.REVIEW, review_source(review.product_id))


async def adjust_points(
    user_id: int,
    amount: int,
    reason: str,
    *,
    actor_id: int | None,
    idempotency_key: str | None = None,
) -> PointsEntry:
    """Grant (positive) or deduct (negative) points by hand; a deduction never overdraws.

    The same idempotency key for the same member returns the first adjustment.
    """
    reason = reason.strip()
    if not reason:
        raise fail(MemberErrorCode.REQUIRED, "Say why the points change.", "reason")
    if amount == 0 or abs(amount) > MAX_ADJUSTMENT:
        raise fail(
            MemberErrorCode.INVALID,
            f"An adjustment is a non-zero number of points up to {MAX_ADJUSTMENT}.",
            "amount",
        )
    key = (idempotency_key or "").strip()
    if len(key) > 64:
        raise fail(MemberErrorCode.INVALID, "At most 64 characters.", "idempotency_key")
    source = f"adjustment:{key or uuid.uuid4().hex}"
    if not await User.exists(id=user_id):
        raise not_found("The member", "user_id")
    existing = await PointsEntry.get_or_none(user_id=user_id, source=source)
    if existing is not None:
        return existing
    if amount > 0:
        return await award(
            user_id, amount, PointsKind.ADJUSTMENT, source, note=reason, actor_id=actor_id
        )
    return await spend(
        user_id, -amount, PointsKind.ADJUSTMENT, source, note=reason, actor_id=actor_id
    )


async def list_entries(
    user_id: int, page: PageRequest, *, max_size: int = 100
) -> Page[PointsEntry]:
    """The member's entries, newest first; only theirs."""
    return await paginate(
        PointsEntry.filter(user_id=user_id),
        page,
        sort_field="created_at",
        descending=True,
        max_size=max_size,
    )
