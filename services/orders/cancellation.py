"""Cancelling an order, and giving back everything it held.

Staff cancel from PENDING_PAYMENT or PENDING_SHIPMENT, a shopper their own unpaid order,
the sweeper unpaid orders left too long: all through `cancel_order`, so every path releases
the same things in the same transaction as the status change.
"""

from __future__ import annotations

from collections.abc import Collection

from tortoise import timezone

from models.members import PointsKind
from models.orders import Order, OrderStatus, Shipment
from models.payments import Payment
from services.coupons import usage as coupon_usage
from services.errors import Problem
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.members import points as member_points
from services.orders import queries
from services.orders.errors import OrderError, OrderErrorCode, fail
from services.orders.status import (
    STAFF_CANCELLABLE,
    illegal,
    move,
    not_reserved,
    order_for_change,
)
from services.orders.timeline import Actor
from services.payments import payments, refunds
from services.payments.errors import PaymentError
from services.store_credit import orders as credit_orders
from services.transactions import atomic

MAX_REASON = 300
#: What the sweeper may cancel: only orders still waiting for payment.
UNPAID = frozenset({OrderStatus.PENDING_PAYMENT})


async def cancel_order(
    order_id: int,
    *,
    actor: Actor,
    reason: str,
    owner_id: int | None = None,
    allowed: Collection[OrderStatus] = STAFF_CANCELLABLE,
) -> Order:
    """Cancel an order and give back what it held: reserved stock of its unshipped units,
    its coupon use, the points it redeemed and the store credit it spent, all in one
    transaction.

    `owner_id` limits the order to one shopper's; `allowed` are the statuses it may be
    cancelled from (a shopper's are fewer). Only the request whose conditional update wins
    gives anything back, so a cancel racing another cancel or the sweeper releases once.
    """
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise fail(
            OrderErrorCode.INVALID, f"A reason has at most {MAX_REASON} characters.", "reason"
        )
    # Checked before any payment is touched; again under the lock.
    seen = await order_for_change(order_id, owner_id=owner_id)
    if OrderStatus(seen.status) not in allowed:
        raise illegal(OrderStatus(seen.status), OrderStatus.CANCELLED)
    latest_attempt = await _stop_payments(order_id)
    async with atomic():
        order = await order_for_change(order_id, owner_id=owner_id)
        if OrderStatus(order.status) not in allowed:
            raise illegal(OrderStatus(order.status), OrderStatus.CANCELLED)
        if await Payment.exists(order_id=order.id, attempt__gt=latest_attempt):
            # A payment was started between stopping the others and taking the order's
            # lock; it sees the order cancelled and withdraws itself, but may have gone
            # through: cancel again once it has.
            raise fail(
                OrderErrorCode.PAYMENT_IN_PROGRESS,
                "A payment for this order was just started; try again.",
                "order_id",
            )
        if await Shipment.exists(order_id=order.id, return_request_id__isnull=True):
            # Goods already on their way cannot be un-sent: the rest ships, and what comes
            # back is a return (after-sales), so stock, coupon and points stay as they are.
            raise fail(
                OrderErrorCode.ILLEGAL_TRANSITION,
                "Part of this order has shipped; it can no longer be cancelled.",
                "order_id",
            )
        order = await move(
            order,
            OrderStatus.CANCELLED,
            actor=actor,
            message=reason,
            cancel_reason=reason,
            cancelled_at=timezone.now(),
        )
        await _give_back(order, actor.user_id)
        return order


async def refund_cancelled(
    order_id: int, *, reason: str, actor_id: int | None
) -> tuple[Order, OrderError | None]:
    """Refund what a cancelled order's payments captured, each through its own gateway;
    returns the order as it is now and, when part could not be refunded, an `OrderError`
    (REFUND_FAILED) saying what, for staff to finish from the payment. The order stays
    cancelled either way."""
    order = await Order.get(id=order_id)
    if OrderStatus(order.status) is not OrderStatus.CANCELLED:
        raise illegal(OrderStatus(order.status), OrderStatus.CANCELLED)
    reason = reason.strip()
    note = f"Order cancelled: {reason}" if reason else "Order cancelled"
    done = await refunds.refund_order(order.id, note[: refunds.MAX_REASON], actor_id)
    problems = [
        Problem(
            OrderErrorCode.REFUND_FAILED,
            f"The order is cancelled, but {problem} Refund it from the payment.",
            ("refund",),
        )
        for problem in done.problems
    ]
    return await Order.get(id=order_id), OrderError(problems) if problems else None


async def _stop_payments(order_id: int) -> int:
    """Cancel the order's payment attempts still open at the provider, so the shopper can
    no longer pay an order about to be cancelled; returns the latest attempt's number.
    Raises `OrderError` when one is being processed or the provider cannot be reached."""
    try:
        await payments.close_open_attempts(order_id)
    except PaymentError as exc:
        raise fail(OrderErrorCode.PAYMENT_IN_PROGRESS, str(exc), "order_id") from None
    last = await Payment.filter(order_id=order_id).order_by("-attempt").first()
    return last.attempt if last is not None else 0


async def _give_back(order: Order, actor_id: int | None) -> None:
    """Release what a just-cancelled order held; part of the cancelling transaction."""
    unshipped = await queries.unshipped_units(order.id)
    if unshipped:
        try:
            await stock.release(unshipped, reference=order.number, actor_id=actor_id)
        except InventoryError as exc:
            raise not_reserved(exc) from None
    await coupon_usage.release_use(order.id)
    # The credit that paid part of it goes back to the balance it came from; what the
    # payment captured is refunded through its gateway (`refund_cancelled`).
    await credit_orders.give_back_for_cancelled(order, actor_id=actor_id)
    if order.points_redeemed > 0 and order.user_id is not None:
        # Positive REDEMPTION: a spend given back, so it carries no expiry of its own.
        await member_points.award(
            order.user_id,
            order.points_redeemed,
            PointsKind.REDEMPTION,
            f"order-cancel:{order.id}",
            note=f"Order {order.number} cancelled",
        )
