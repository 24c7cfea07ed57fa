"""Paying for an order: a payment attempt through the gateway that takes the chosen method.

A shopper pays their own order; a guest proves theirs with the order's email. Each attempt
is a `Payment` row with the next attempt number, which is also part of the idempotency key
the gateway sends, so a retried request never creates a second charge at the provider. The
client secret the storefront needs to complete the payment is handed back once and never
stored. What happens next (success, failure, a dispute) arrives as a provider notification
(`services.payments.events`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from services import rate_limit
from services.auth import Viewer
from services.orders.queries import normalize_number
from services.orders.status import PAID, order_for_change
from services.payments import gateways, methods
from services.payments.errors import PaymentError, PaymentErrorCode, fail, not_found
from services.payments.gateway import GatewayError, PaymentGateway, PaymentRequest
from services.store_credit import orders as credit_orders
from services.transactions import atomic
from settings import get_settings

log = logging.getLogger("tradewind.payments")

MAX_RETURN_URL = 2000


@dataclass(frozen=True, slots=True)
class CreatedPayment:
    payment: Payment
    #: For the storefront to complete the payment; handed out once, never stored.
    client_secret: str | None


async def payable_order(
    order_number: str,
    viewer: Viewer,
    *,
    email: str | None = None,
    client: str = "unknown",
) -> Order:
    """The order, if the viewer placed it or (for a guest order) gave its email."""
    number = normalize_number(order_number or "")
    if not number:
        raise fail(PaymentErrorCode.REQUIRED, "Give the order number.", "order_number")
    order = await Order.filter(number=number).first()
    if order is not None and viewer.user_id is not None and order.user_id == viewer.user_id:
        return order
    if email is not None:
        settings = get_settings()
        try:
            await rate_limit.hit(
                f"payment-proof:{client}",
                limit=settings.order_lookup_limit,
                window=settings.order_lookup_window,
            )
        except rate_limit.RateLimited as exc:
            raise fail(PaymentErrorCode.RATE_LIMITED, str(exc), "email") from None
        given = email.strip().casefold()
        if (
            order is not None
            and order.user_id is None
            and given
            and order.email.strip().casefold() == given
        ):
            return order
    # The same answer whether the order does not exist or is someone else's.
    raise not_found("The order", "order_number")


def _not_payable(order: Order) -> PaymentError:
    status = OrderStatus(order.status)
    if status in PAID:
        return fail(
            PaymentErrorCode.ORDER_NOT_PAYABLE, "This order is already paid.", "order_number"
        )
    return fail(
        PaymentErrorCode.ORDER_NOT_PAYABLE,
        f"This order is {status.value.replace('_', ' ')} and cannot be paid.",
        "order_number",
    )


def publishable_key(payment: Payment) -> str | None:
    """The public key the storefront's provider script needs for this payment, if any."""
    if Gateway(payment.gateway) is not Gateway.STRIPE:
        return None
    return get_settings().stripe_publishable_key or None


async def payment_methods(order: Order) -> list[str]:
    """The methods a payment for this order may use now (none once it is not payable)."""
    return [offer.method for offer in (await methods.options_for(order)).offered]


async def create_payment(
    order_number: str,
    method: str,
    viewer: Viewer,
    return_url: str | None = None,
    *,
    email: str | None = None,
    client: str = "unknown",
    mobile: bool = False,
) -> CreatedPayment:
    """Start a payment attempt for an unpaid order; raises `PaymentError`."""
    order = await payable_order(order_number, viewer, email=email, client=client)
    method = (method or "").strip().lower()
    if not method:
        raise fail(PaymentErrorCode.REQUIRED, "Choose a payment method.", "method")
    if return_url is not None:
        return_url = return_url.strip() or None
        if return_url and (
            len(return_url) > MAX_RETURN_URL or not return_url.startswith(("https://", "http://"))
        ):
            raise fail(PaymentErrorCode.INVALID, "Give an http(s) return URL.", "return_url")
    if OrderStatus(order.status) is not OrderStatus.PENDING_PAYMENT:
        raise _not_payable(order)  # before the offer, which is empty for such an order
    options = await methods.options_for(order)
    offer = options.offer_of(method)
    if offer is None:
        # A rule the shopper can read explains itself; a method the merchant turned off,
        # or one no gateway takes, is simply not offered.
        refusal = options.reason_for(method)
        raise fail(
            PaymentErrorCode.METHOD_NOT_OFFERED,
            refusal.message
            if refusal is not None
            else f"{method} is not offered for payments in {order.currency} to this country.",
            "method",
        )
    gateway = offer.gateway
    payment = await _new_attempt(order.id, gateway, method)
    try:
        # Only one attempt may be payable at a time, or two browser tabs could both capture
        # the order's money: every older one still open at the provider is cancelled first.
        await close_open_attempts(order.id, keep=payment.id)
    except PaymentError:
        await Payment.filter(id=payment.id, provider_id__isnull=True).delete()
        raise
    request = PaymentRequest(
        order_number=order.number,
        attempt=payment.attempt,
        currency=payment.currency,
        amount=payment.amount,
        method=method,
        email=order.email,
        country=order.ship_country,
        return_url=return_url,
        client_ip=client if client != "unknown" else "",
        mobile=mobile,
    )
    try:
        answer = await gateway.create_payment(request)
    except GatewayError as exc:
        # Nothing exists at the provider, or an answer was lost and its payment was never
        # handed to anyone: forget the attempt, so that a retry reuses its number and
        # idempotency key (which finds that payment again if it was made after all).
        await Payment.filter(id=payment.id, provider_id__isnull=True).delete()
        raise fail(
            PaymentErrorCode.GATEWAY_ERROR,
            "The payment provider could not take the payment now"
            + (": try again." if exc.retryable else f": {exc}"),
            "method",
        ) from None
    payment.provider_id = answer.provider_id or None  # a decline may create nothing
    payment.status = answer.status
    payment.next_action = dict(answer.next_action)
    payment.failure_code = answer.failure_code[:80]
    payment.failure_message = answer.failure_message[:300]
    payment.updated_at = timezone.now()
    async with atomic():
        # Under the order's lock, as new attempts and cancellations are: the attempt is
        # handed out only if it is still the order's latest and the order still unpaid.
        current = await order_for_change(order.id)
        await payment.save(
            update_fields=[
                "provider_id",
                "status",
                "next_action",
                "failure_code",
                "failure_message",
                "updated_at",
            ]
        )
        superseded = OrderStatus(current.status) is not OrderStatus.PENDING_PAYMENT or (
            await Payment.exists(order_id=order.id, attempt__gt=payment.attempt)
        )
    if superseded:
        await _withdraw(payment, gateway)
        if OrderStatus(current.status) is not OrderStatus.PENDING_PAYMENT:
            raise _not_payable(current)
        raise fail(
            PaymentErrorCode.PAYMENT_IN_PROGRESS,
            "A newer payment for this order was started meanwhile; continue with that one.",
            "order_number",
        )
    return CreatedPayment(payment=payment, client_secret=answer.client_secret)


#: Attempts that may still be paid at the provider: waiting for the shopper, or failed
#: (Stripe lets the storefront try a failed PaymentIntent again with another card).
_PAYABLE = (PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED)


async def close_open_attempts(order_id: int, *, keep: int | None = None) -> None:
    """Cancel at the provider every attempt of the order that could still be paid, except
    `keep`, so that no two can capture the order's money.

    Raises `PaymentError` (PAYMENT_IN_PROGRESS) when one is being processed or the shopper
    was faster and it succeeded (its notification is on its way), and GATEWAY_ERROR when
    the provider cannot be reached: the caller must not go on in either case.
    """
    rows = Payment.filter(
        order_id=order_id,
        status__in=(*_PAYABLE, PaymentStatus.PROCESSING),
        provider_id__not_isnull=True,
    )
    for payment in await rows.exclude(id=keep or 0):
        if PaymentStatus(payment.status) is PaymentStatus.PROCESSING:
            raise _in_progress()
        try:
            gateway = gateways.gateway_for(payment.gateway)
        except ValueError:
            continue  # a provider this shop is no longer set up for cannot be asked
        try:
            outcome = await gateway.cancel_payment(str(payment.provider_id))
        except GatewayError:
            raise fail(
                PaymentErrorCode.GATEWAY_ERROR,
                "An earlier payment for this order could not be cancelled at the payment "
                "provider; try again.",
                "order_number",
            ) from None
        if outcome is not PaymentStatus.CANCELED:
            raise _in_progress()
        await _mark_canceled(payment)


def _in_progress() -> PaymentError:
    return fail(
        PaymentErrorCode.PAYMENT_IN_PROGRESS,
        "A payment for this order has gone through or is being processed; wait for its outcome.",
        "order_number",
    )


async def _mark_canceled(payment: Payment) -> None:
    await Payment.filter(id=payment.id, status__in=_PAYABLE).update(
        status=PaymentStatus.CANCELED, next_action={}, updated_at=timezone.now()
    )


async def _withdraw(payment: Payment, gateway: PaymentGateway) -> None:
    """Cancel an attempt that lost the race to a newer one or to the order's cancellation;
    if the provider cannot be reached, the newer attempt's own cleanup cancels it."""
    if not payment.provider_id:
        return
    try:
        if await gateway.cancel_payment(payment.provider_id) is PaymentStatus.CANCELED:
            await _mark_canceled(payment)
    except GatewayError:
        log.warning("payments.withdraw_failed", extra={"payment": payment.id})


async def _new_attempt(order_id: int, gateway: PaymentGateway, method: str) -> Payment:
    """The next attempt's row, written while the order is locked and still unpaid."""
    try:
        async with atomic():
            order = await order_for_change(order_id)
            if OrderStatus(order.status) is not OrderStatus.PENDING_PAYMENT:
                raise _not_payable(order)
            if await Payment.exists(order_id=order.id, status=PaymentStatus.PROCESSING):
                raise fail(
                    PaymentErrorCode.PAYMENT_IN_PROGRESS,
                    "A payment for this order is being processed; wait for its outcome.",
                    "order_number",
                )
            last = await Payment.filter(order_id=order.id).order_by("-attempt").first()
            return await Payment.create(
                order_id=order.id,
                attempt=(last.attempt if last else 0) + 1,
                gateway=gateway.name,
                method=method,
                status=PaymentStatus.REQUIRES_ACTION,
                currency=order.currency,
                # Store credit paid part of the total: the payment collects the rest.
                amount=credit_orders.amount_due(order),
            )
    except IntegrityError:
        raise fail(
            PaymentErrorCode.PAYMENT_IN_PROGRESS,
            "Another payment for this order was started at the same moment; try again.",
            "order_number",
        ) from None


async def payments_of(order_id: int) -> list[Payment]:
    """An order's payment attempts, newest first."""
    return await Payment.filter(order_id=order_id)
