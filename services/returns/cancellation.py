"""A shopper's request to cancel an order that has not shipped.

While nothing is being prepared the order is cancelled at once, through the same
`services.orders.cancellation` path staff use (stock, coupon and points given back, then
what was captured refunded), and the request is kept as approved. Once staff have started
on the paid order (`being_prepared`) it waits for them as an open request, which they
approve (the same cancel path) or decline with a reason. An order with any parcel sent is
NOT_CANCELLABLE: what arrived goes back as a return. An order has at most one open
request: the check and the insert hold the order's row lock.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import timezone

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus, Shipment
from models.returns import CancellationRequest, CancellationStatus
from services.emails import returns as return_emails
from services.errors import Problems
from services.orders import cancellation as order_cancellation
from services.orders import timeline
from services.orders.errors import OrderError, OrderErrorCode
from services.orders.status import STAFF_CANCELLABLE
from services.orders.timeline import Actor
from services.returns.errors import ReturnError, ReturnErrorCode, fail, not_found
from services.returns.requests import has_control_characters
from services.transactions import atomic

MAX_REASON = 500
C = ReturnErrorCode


@dataclass(frozen=True, slots=True)
class CancellationResult:
    """What a request or a decision did: the request, the order as it is now, and, when the
    order was cancelled but part of its payments could not be refunded, that problem."""

    request: CancellationRequest
    order: Order
    unrefunded: ReturnError | None = None


def _checked_reason(reason: str, *, required: bool, field: str = "reason") -> str:
    reason = reason.strip()
    if required and not reason:
        raise fail(C.REQUIRED, "Say why.", field)
    if len(reason) > MAX_REASON:
        raise fail(C.TOO_LONG, f"A reason has at most {MAX_REASON} characters.", field)
    if has_control_characters(reason, allow_newlines=True):
        raise fail(C.INVALID, "A reason cannot hold control characters.", field)
    return reason


def _as_return_error(exc: OrderError) -> ReturnError:
    """An orders refusal in this domain's codes (a cancel that lost a race is NOT_CANCELLABLE)."""
    problems = Problems(ReturnError)
    for problem in exc.problems:
        if problem.code is OrderErrorCode.ILLEGAL_TRANSITION:
            problems.add(C.NOT_CANCELLABLE, problem.message, "order_id")
        else:
            problems.add_from(OrderError(problem))
    return ReturnError(problems.items)


async def being_prepared(order: Order) -> bool:
    """Whether staff have started on the paid order: anything they wrote on its timeline
    since it was paid (a picking note, a packing note). An unpaid order never is."""
    if OrderStatus(order.status) is not OrderStatus.PENDING_SHIPMENT:
        return False
    return await OrderEvent.filter(
        order_id=order.id, kind=OrderEventKind.NOTE, actor__startswith="user:"
    ).exists()


async def _cancellable(order: Order) -> None:
    """NOT_CANCELLABLE for an order already cancelled, or with a parcel sent."""
    status = OrderStatus(order.status)
    if status is OrderStatus.CANCELLED:
        raise fail(C.NOT_CANCELLABLE, "This order is already cancelled.", "order_id")
    if status not in STAFF_CANCELLABLE or await Shipment.exists(order_id=order.id):
        raise fail(
            C.NOT_CANCELLABLE,
            "This order has shipped and can no longer be cancelled; once it arrives, "
            "ask for a return from the order's page.",
            "order_id",
        )


async def _cancel(order_id: int, actor: Actor, reason: str) -> tuple[Order, ReturnError | None]:
    """Cancel through the orders path and refund what was captured."""
    try:
        order = await order_cancellation.cancel_order(
            order_id, actor=actor, reason=reason or "Cancelled at the customer's request",
            allowed=STAFF_CANCELLABLE,
        )  # fmt: skip
    except OrderError as exc:
        raise _as_return_error(exc) from None
    if order.paid_at is None:
        return order, None
    order, unrefunded = await order_cancellation.refund_cancelled(
        order.id, reason=reason, actor_id=actor.user_id
    )
    return order, _as_return_error(unrefunded) if unrefunded else None


async def request_cancellation(
    order_id: int, *, actor: Actor, reason: str = ""
) -> CancellationResult:
    """The shopper's request to cancel `order_id` (whose access the caller checked): the
    order cancelled at once while nothing is being prepared, else a request for staff."""
    reason = _checked_reason(reason, required=False)
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise not_found("The order", "order_id")
    await _cancellable(order)
    async with atomic():
        order = await Order.select_for_update().get(id=order_id)
        await _cancellable(order)
        if await CancellationRequest.exists(order_id=order.id, status=CancellationStatus.REQUESTED):
            raise fail(
                C.NOT_CANCELLABLE, "A request to cancel this order is already open.", "order_id"
            )
        if await being_prepared(order):
            request = await CancellationRequest.create(order_id=order.id, reason=reason)
            await timeline.record(
                order.id, OrderEventKind.NOTE, actor,
                message=f"Cancellation requested: {reason}" if reason else "Cancellation requested",
            )  # fmt: skip
            return CancellationResult(request=request, order=order)
    order, unrefunded = await _cancel(order_id, actor, reason)
    request = await CancellationRequest.create(
        order_id=order.id,
        reason=reason,
        status=CancellationStatus.APPROVED,
        decided_at=timezone.now(),
    )
    return CancellationResult(request=request, order=order, unrefunded=unrefunded)


async def _open_request(request_id: int) -> CancellationRequest:
    request = await CancellationRequest.get_or_none(id=request_id)
    if request is None:
        raise not_found("The cancellation request", "request_id")
    if CancellationStatus(request.status) is not CancellationStatus.REQUESTED:
        raise fail(
            C.ILLEGAL_TRANSITION,
            f"This request was already {CancellationStatus(request.status).value}.",
            "request_id",
        )
    return request


async def approve_cancellation(request_id: int, *, actor: Actor) -> CancellationResult:
    """Staff accept an open request: the order is cancelled and refunded as staff cancel."""
    request = await _open_request(request_id)
    order, unrefunded = await _cancel(request.order_id, actor, request.reason)
    async with atomic():
        won = await CancellationRequest.filter(
            id=request.id, status=CancellationStatus.REQUESTED
        ).update(
            status=CancellationStatus.APPROVED, decided_by_id=actor.user_id,
            decided_at=timezone.now(),
        )  # fmt: skip
        if won:
            await return_emails.cancellation_decided(order.id, request.id, approved=True)
    return CancellationResult(
        request=await CancellationRequest.get(id=request.id), order=order, unrefunded=unrefunded
    )


async def decline_cancellation(request_id: int, *, actor: Actor, reason: str) -> CancellationResult:
    """Staff refuse an open request, saying why; the order goes on as it was."""
    reason = _checked_reason(reason, required=True)
    request = await _open_request(request_id)
    async with atomic():
        won = await CancellationRequest.filter(
            id=request.id, status=CancellationStatus.REQUESTED
        ).update(
            status=CancellationStatus.DECLINED, decline_reason=reason,
            decided_by_id=actor.user_id, decided_at=timezone.now(),
        )  # fmt: skip
        if not won:
            raise fail(C.ILLEGAL_TRANSITION, "This request was already decided.", "request_id")
        await timeline.record(
            request.order_id, OrderEventKind.NOTE, actor,
            message=f"Cancellation request declined: {reason}",
        )  # fmt: skip
        await return_emails.cancellation_decided(request.order_id, request.id, approved=False)
    return CancellationResult(
        request=await CancellationRequest.get(id=request.id),
        order=await Order.get(id=request.order_id),
    )


async def latest_request(order_id: int) -> CancellationRequest | None:
    """The order's open request, else its latest decided one."""
    open_one = await CancellationRequest.filter(
        order_id=order_id, status=CancellationStatus.REQUESTED
    ).first()
    return open_one or await CancellationRequest.filter(order_id=order_id).first()
