"""Completing a payment the shopper approved at the provider (PayPal's capture), when they
come back to the shop or when the provider tells that they approved and never came back.

Only the order's open attempt is ever completed: an attempt cancelled here (a newer one
was started, the order was cancelled) stays uncaptured at the provider, where it expires.
The outcome is fed through `events.process` as a notification of its own, with an event
id from the provider's capture, so the provider's notification about the same capture
later changes nothing, and two completions at once apply once.
"""

from __future__ import annotations

from models.orders import OrderStatus
from models.payments import Payment, PaymentStatus
from services.auth import Viewer
from services.payments import events, gateways, payments
from services.payments.errors import PaymentError, PaymentErrorCode, fail, not_found
from services.payments.gateway import CompletingGateway, GatewayError

#: Statuses whose completion has already happened: answered as they are.
_DONE = (PaymentStatus.SUCCEEDED, PaymentStatus.PROCESSING, PaymentStatus.FLAGGED)


async def complete_payment(
    payment_id: int, viewer: Viewer, *, email: str | None = None, client: str = "unknown"
) -> Payment:
    """Complete the shopper's approved payment (their own order's, or a guest order's with
    its email); returns the payment afterwards: SUCCEEDED, PROCESSING, FAILED, or still
    REQUIRES_ACTION when the shopper has not approved it yet. Raises `PaymentError`."""
    payment = await Payment.get_or_none(id=payment_id).prefetch_related("order")
    if payment is None:
        raise not_found("The payment", "payment_id")
    try:
        await payments.payable_order(payment.order.number, viewer, email=email, client=client)
    except PaymentError as exc:
        if any(p.code is PaymentErrorCode.RATE_LIMITED for p in exc.problems):
            raise
        # The same answer whether the payment does not exist or is someone else's.
        raise not_found("The payment", "payment_id") from None
    if PaymentStatus(payment.status) in _DONE:
        return payment
    try:
        await complete_attempt(payment)
    except GatewayError:
        raise fail(
            PaymentErrorCode.GATEWAY_ERROR,
            "The payment provider could not complete the payment now: try again.",
            "payment_id",
        ) from None
    return await Payment.get(id=payment.id)


async def complete_attempt(payment: Payment) -> str:
    """Complete the attempt at its provider if it is still the order's open one, and process
    what the provider says; returns the outcome. A provider that completes payments itself
    (Alipay, WeChat Pay) is only asked how the payment stands, so a shopper back from its
    page reads the outcome without waiting for the notification. Raises `PaymentError`
    when the attempt cannot be completed here, `GatewayError` when the provider cannot be
    asked."""
    gateway = gateways.gateway_for(payment.gateway)
    if not payment.provider_id:
        raise fail(
            PaymentErrorCode.ILLEGAL_STATE,
            "This payment was never created at the provider; start a new payment.",
            "payment_id",
        )
    await _check_open(payment)
    if isinstance(gateway, CompletingGateway):
        answer = await gateway.complete_payment(payment.provider_id)
        if answer.status is PaymentStatus.REQUIRES_ACTION:
            return "ignored: not approved yet"
    data = dict(await gateway.fetch_payment(payment.provider_id) or {})
    news = events.news_of(data)
    if news is None:
        return f"ignored: the provider says {data.get('status')}"
    kind, status = news
    charge = data.get("latest_charge")
    charge_id = charge.get("id") if isinstance(charge, dict) else ""
    event_id = f"capture:{charge_id or payment.provider_id}:{status}"
    return await events.process(gateway, event_id, kind, data)


async def _check_open(payment: Payment) -> None:
    """Refuse an attempt that is not the order's open one: cancelled or failed here, a newer
    attempt started, or the order no longer waiting for payment."""
    current = await Payment.get(id=payment.id).prefetch_related("order")
    if PaymentStatus(current.status) is not PaymentStatus.REQUIRES_ACTION:
        raise fail(
            PaymentErrorCode.ILLEGAL_STATE,
            f"This payment is {PaymentStatus(current.status).value.replace('_', ' ')}; "
            "start a new payment to pay again.",
            "payment_id",
        )
    newer = await Payment.exists(order_id=current.order_id, attempt__gt=current.attempt)
    if newer or OrderStatus(current.order.status) is not OrderStatus.PENDING_PAYMENT:
        raise fail(
            PaymentErrorCode.ILLEGAL_STATE,
            "This payment is no longer the order's open one.",
            "payment_id",
        )
