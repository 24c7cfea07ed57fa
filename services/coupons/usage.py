"""Uses of coupons by orders: recorded when an order is placed, released when it is cancelled.

`record_use` runs inside checkout's transaction. Its conditional increment of
`times_used` (only of an active coupon inside its window) locks the coupon row until that
transaction ends, so concurrent checkouts of one coupon take turns: the overall limit
holds, and so does the per-customer count read after the increment. An order records a
coupon once (unique coupon and order). Released uses no longer count toward either limit.
"""

from __future__ import annotations

from datetime import datetime

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.coupons import Coupon, CouponUse
from services.coupons.errors import CouponError, CouponErrorCode, fail, not_found
from services.coupons.pricing import customer_uses


async def record_use(
    coupon_id: int,
    *,
    user_id: int | None,
    email: str | None,
    order_id: int | None,
    discount: int,
    now: datetime | None = None,
) -> CouponUse:
    """Count one use of the coupon by an order; raises with nothing changed when it may not be.

    The increment itself requires the coupon active, inside its validity window and under
    its overall limit, so a coupon deactivated (or a reward coupon cancelled) while checkout
    runs is never used. Idempotent per order: a repeat for an order that already has a use
    of this coupon returns that use and counts nothing.

    Runs in a savepoint of the caller's transaction (or a transaction of its own), so a
    refusal undoes the increment even if the caller goes on without the coupon.
    """
    now = now or timezone.now()
    if order_id is not None:
        existing = await CouponUse.get_or_none(coupon_id=coupon_id, order_id=order_id)
        if existing is not None:
            return existing
    try:
        return await _record(coupon_id, user_id, email, order_id, discount, now)
    except IntegrityError:
        # The same order recorded at the same moment: the unique (coupon, order) let one in.
        if order_id is None:
            raise
        existing = await CouponUse.get_or_none(coupon_id=coupon_id, order_id=order_id)
        if existing is None:
            raise
        return existing


async def _record(
    coupon_id: int,
    user_id: int | None,
    email: str | None,
    order_id: int | None,
    discount: int,
    now: datetime,
) -> CouponUse:
    async with in_transaction("default") as connection:
        usable = (
            (Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit")))
            & (Q(starts_at__isnull=True) | Q(starts_at__lte=now))
            & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        )
        bumped = (
            await Coupon.filter(usable, id=coupon_id, active=True)
            .using_db(connection)
            .update(times_used=F("times_used") + 1)
        )
        if not bumped:
            raise await _why_refused(coupon_id, now)
        coupon = await Coupon.get(id=coupon_id, using_db=connection).only(
            "id", "per_customer_limit"
        )
        if coupon.per_customer_limit is not None:
            # Read after the increment, which holds the coupon row: no other checkout of this
            # coupon can add a use between this count and our insert.
            used = await customer_uses(coupon_id, user_id=user_id, email=email)
            if used >= coupon.per_customer_limit:
                raise fail(
                    CouponErrorCode.CUSTOMER_LIMIT_REACHED,
                    "You have used this code as often as it allows.",
                    "code",
                )
        return await CouponUse.create(
            coupon_id=coupon_id,
            user_id=user_id,
            email=(email or "").strip().lower(),
            order_id=order_id,
            discount=discount,
            using_db=connection,
        )


async def _why_refused(coupon_id: int, now: datetime) -> CouponError:
    """The error for a coupon the conditional increment did not take."""
    coupon = await Coupon.get_or_none(id=coupon_id)
    if coupon is None:
        return not_found("The coupon", "code")
    if not coupon.active:
        return fail(CouponErrorCode.INACTIVE, "This code is no longer active.", "code")
    if coupon.starts_at is not None and now < coupon.starts_at:
        return fail(CouponErrorCode.NOT_STARTED, "This code cannot be used yet.", "code")
    if coupon.ends_at is not None and now >= coupon.ends_at:
        return fail(CouponErrorCode.EXPIRED, "This code has expired.", "code")
    return fail(CouponErrorCode.USAGE_LIMIT_REACHED, "This code has been used up.", "code")


async def release_use(order_id: int) -> int:
    """Give back the coupon uses of a cancelled order; returns how many. Safe to repeat."""
    released = 0
    async with in_transaction("default") as connection:
        uses = await CouponUse.filter(order_id=order_id, released_at__isnull=True).using_db(
            connection
        )
        for use in uses:
            # Conditional, so a release racing another release of the same order counts once.
            changed = (
                await CouponUse.filter(id=use.id, released_at__isnull=True)
                .using_db(connection)
                .update(released_at=timezone.now())
            )
            if changed:
                await (
                    Coupon.filter(id=use.coupon_id, times_used__gt=0)
                    .using_db(connection)
                    .update(times_used=F("times_used") - 1)
                )
                released += 1
    return released
