"""Orders as checkout leaves them (stock reserved, a coupon used, points spent), for the
order handling tests."""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.catalog import ProductVariant
from models.coupons import Coupon, CouponKind
from models.members import PointsKind
from models.orders import Order, OrderStatus
from models.shipping import Carrier
from services.coupons import usage as coupon_usage
from services.inventory import stock
from services.members import points as member_points
from tests.factories import make_order


async def make_carrier(**fields: Any) -> Carrier:
    fields.setdefault("name", "Test Post")
    fields.setdefault("code", f"post{await Carrier.all().count() + 1}")
    fields.setdefault("tracking_url", "https://track.test/{number}")
    return await Carrier.create(**fields)


async def placed_order(
    user: User | None,
    lines: list[tuple[ProductVariant, int]],
    *,
    status: OrderStatus = OrderStatus.PENDING_PAYMENT,
    coupon: Coupon | None = None,
    points: int = 0,
    **fields: Any,
) -> Order:
    """An order whose units are reserved, with a coupon use and spent points if asked."""
    order = await make_order(
        user, lines, status=status, points_redeemed=points, coupon=coupon, **fields
    )
    await stock.reserve([(v.id, q) for v, q in lines], reference=order.number)
    if coupon is not None:
        await coupon_usage.record_use(
            coupon.id,
            user_id=user.id if user else None,
            email=order.email,
            order_id=order.id,
            discount=100,
        )
    if points and user is not None:
        await member_points.award(user.id, points, PointsKind.ADJUSTMENT, f"gift:{order.id}")
        await member_points.spend(
            user.id, points, PointsKind.REDEMPTION, f"checkout:{order.number}"
        )
    return order


async def make_coupon(code: str = "SAVE1") -> Coupon:
    return await Coupon.create(code=code, kind=CouponKind.FIXED_AMOUNT, amount=100)


async def stock_of(variant: ProductVariant) -> tuple[int, int]:
    """(on hand, reserved) of the variant now."""
    fresh = await ProductVariant.get(id=variant.id)
    return fresh.stock_on_hand, fresh.stock_reserved
