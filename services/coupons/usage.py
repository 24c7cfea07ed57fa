"""Uses of coupons by orders: recorded when an order is placed, released when it is cancelled.

`record_use` runs inside checkout's transaction. Its conditional increment of
`times_used` locks the coupon row until that transaction ends, so concurrent checkouts
of one coupon take turns: the overall limit holds, and so does the per-customer count
read after the increment. Released uses no longer count toward either limit.
"""

from __future__ import annotations

from tortoise import timezone
from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from models.coupons import Coupon, CouponUse
from services.coupons.errors import CouponErrorCode, fail, not_found
from services.coupons.pricing import customer_uses


async def record_use(
    coupon_id: int,
    *,
    user_id: int | None,
    email: str | None,
    order_id: int | None,
    discount: int,
) -> CouponUse:
    """Count one use of the coupon by an order; raises with nothing changed when a limit is hit.

    Runs in a savepoint of the caller's transaction (or a transaction of its own), so a
    refusal undoes the increment even if the caller goes on without the coupon.
    """
    async with in_transaction() as connection:
        within_limit = Q(usage_limit__isnull=True) | Q(times_used__lt=F("usage_limit"))
        bumped = (
            await Coupon.filter(within_limit, id=coupon_id)
            .using_db(connection)
            .update(times_used=F("times_used") + 1)
        )
        if not bumped:
            if not await Coupon.filter(id=coupon_id).using_db(connection).exists():
                raise not_found("The coupon", "code")
            raise fail(CouponErrorCode.USAGE_LIMIT_REACHED, "This code has been used up.", "code")
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


async def release_use(order_id: int) -> int:
    """Give back the coupon uses of a cancelled order; returns how many. Safe to repeat."""
    released = 0
    async with in_transaction() as connection:
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
