"""Provider notifications: what happened to a payment, processed once and in any order.

Every provider's notifications arrive here as an event id, a type and the event's object,
in one vocabulary: Stripe's event types and object shapes (`data.object`), which Stripe's
webhooks deliver as they are. The built-in test gateway and the adapters of the other
providers (Alipay, WeChat Pay, PayPal) translate theirs with `payment_notice` and
`refund_notice`, so they never build Stripe's shapes by hand; their amounts are already
ISO 4217 minor units, their event ids the provider's own. Each event is recorded once per
gateway (`WebhookEvent`, unique on (gateway, event_id)) in the same transaction that applies
it, so a replay, or a second delivery racing the first, finds the row and changes nothing;
an event that fails to apply is rolled back with its record, so the provider's retry
processes it again.

Events may arrive in any order, so every change is a conditional UPDATE from the statuses
it may come from: a late `payment_failed` never undoes a success, a replayed `succeeded`
never moves the order twice. Money that does not match the order (amount or currency), or
that arrives for an order no longer waiting for it, is FLAGGED for staff, never paid.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.orders import Order, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, RefundStatus, WebhookEvent
from services.orders.status import move, order_for_change
from services.orders.timeline import SYSTEM
from services.payments import flags, refund_notices, settling, stripe_units
from services.payments.gateway import PaymentGateway
from services.store_credit import orders as credit_orders
from services.transactions import atomic

log = logging.getLogger("tradewind.payments")

SUCCEEDED = "payment_intent.succeeded"
FAILED = "payment_intent.payment_failed"
PROCESSING = "payment_intent.processing"
CANCELED = "payment_intent.canceled"
REQUIRES_ACTION = "payment_intent.requires_action"
REFUNDED = "charge.refunded"
DISPUTED = "charge.dispute.created"
#: A charge changed: among other things, its balance transaction became known.
CHARGE_UPDATED = "charge.updated"
#: One refund changed (a pending refund succeeded or failed). Stripe sends `refund.*` on
#: recent API versions and `charge.refund.updated` on older ones, with the same object.
REFUND_UPDATED = "refund.updated"
REFUND_FAILED = "refund.failed"
CHARGE_REFUND_UPDATED = "charge.refund.updated"

#: Outcomes `process` returns (and records) besides what a handler concludes.
DUPLICATE = "duplicate"
APPLIED = "applied"

#: Statuses a payment may still leave for each outcome.
_OPEN = (PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING)
_CAN_SUCCEED = (*_OPEN, PaymentStatus.FAILED, PaymentStatus.CANCELED)
_CAN_CANCEL = (*_OPEN, PaymentStatus.FAILED)

MAX_TEXT = 300
#: What a shopper reads when the provider gave no reason of its own.
DEFAULT_FAILURE = "The payment was not completed. Try again or use another payment method."


#: The event type that tells each payment status, for `payment_notice`.
_TYPE_OF_STATUS = {
    PaymentStatus.SUCCEEDED: SUCCEEDED,
    PaymentStatus.FAILED: FAILED,
    PaymentStatus.PROCESSING: PROCESSING,
    PaymentStatus.CANCELED: CANCELED,
    PaymentStatus.REQUIRES_ACTION: REQUIRES_ACTION,
}
#: The intent status each payment status reads as (what `fetch_payment` answers).
_INTENT_STATUS = {
    PaymentStatus.SUCCEEDED: "succeeded",
    PaymentStatus.FAILED: "requires_payment_method",
    PaymentStatus.PROCESSING: "processing",
    PaymentStatus.CANCELED: "canceled",
    PaymentStatus.REQUIRES_ACTION: "requires_action",
}


#: The notification a fetched payment's status stands for.
_TYPE_OF_INTENT_STATUS = {
    "succeeded": SUCCEEDED,
    "processing": PROCESSING,
    "canceled": CANCELED,
}


def news_of(intent: Mapping[str, Any]) -> tuple[str, str] | None:
    """What a payment fetched from its provider (`fetch_payment`) tells, as a notification
    type and the detail that names it in an event id (its status, or the decline code of a
    failure); None while it still waits for the shopper."""
    status = str(intent.get("status") or "")
    error = intent.get("last_payment_error")
    if status == "requires_payment_method" and isinstance(error, Mapping):
        return FAILED, str(error.get("decline_code") or error.get("code") or "failed")
    if status in _TYPE_OF_INTENT_STATUS:
        return _TYPE_OF_INTENT_STATUS[status], status
    return None


def payment_notice(
    provider_id: str,
    status: PaymentStatus,
    *,
    amount_received: int = 0,
    currency: str = "",
    failure_code: str = "",
    failure_message: str = "",
    next_action: Mapping[str, Any] | None = None,
) -> tuple[str, dict[str, Any]]:
    """A provider's news about one payment as the event type and object `process` takes
    (and `fetch_payment` answers): `amount_received` in ISO minor units of `currency`.
    FLAGGED is not news a provider gives."""
    data: dict[str, Any] = {
        "object": "payment_intent",
        "id": provider_id,
        "status": _INTENT_STATUS[status],
        "currency": currency.lower(),
        "amount_received": amount_received,
    }
    if status is PaymentStatus.FAILED:
        data["last_payment_error"] = {
            "code": failure_code or "payment_failed",
            "message": failure_message or DEFAULT_FAILURE,
        }
    if status is PaymentStatus.CANCELED and failure_code:
        data["cancellation_reason"] = failure_code
    if next_action:
        data["next_action"] = dict(next_action)
    return _TYPE_OF_STATUS[status], data


def refund_notice(
    provider_payment_id: str,
    provider_refund_id: str,
    status: RefundStatus,
    *,
    sequence: int | None = None,
    failure_reason: str = "",
) -> tuple[str, dict[str, Any]]:
    """A provider's news about one refund as the event type and object `process` takes
    (and `fetch_refund` answers). `sequence` is the refund's number here, when the provider
    echoes what the gateway sent, to match a refund whose id was never stored."""
    data: dict[str, Any] = {
        "object": "refund",
        "id": provider_refund_id,
        "payment_intent": provider_payment_id,
        "status": str(status),
        "metadata": {"sequence": str(sequence)} if sequence is not None else {},
    }
    if failure_reason:
        data["failure_reason"] = failure_reason
    return REFUND_UPDATED, data


def refunded_notice(
    provider_payment_id: str,
    refunded_total: int,
    currency: str,
    refunds: Sequence[Mapping[str, Any]] = (),
) -> tuple[str, dict[str, Any]]:
    """A provider's news that `refunded_total` (ISO minor units, every refund of the payment
    so far) is refunded, as the event type and object `process` takes: what it refunded
    beyond the refunds recorded here was refunded in its dashboard, and is recorded too.
    `refunds` are `refund_notice` objects of the refunds it names."""
    data: dict[str, Any] = {
        "object": "charge",
        "payment_intent": provider_payment_id,
        "currency": currency.lower(),
        "amount_refunded": refunded_total,
        "refunds": {"data": [dict(refund) for refund in refunds]},
    }
    return REFUNDED, data


class _Duplicate(Exception):
    """The event is already recorded."""


Handler = Callable[[PaymentGateway, Mapping[str, Any]], Awaitable[str]]


async def process(
    gateway: PaymentGateway, event_id: str, type: str, data: Mapping[str, Any]
) -> str:
    """Record and apply one provider event; returns what it concluded (`duplicate` when the
    event was already recorded). Raises on an unexpected error, having changed nothing."""
    handler = _HANDLERS.get(type)
    settle: list[int] = []
    try:
        async with atomic():
            try:
                async with atomic():
                    event = await WebhookEvent.create(
                        gateway=gateway.name, event_id=event_id[:120], type=type[:80]
                    )
            except IntegrityError:
                raise _Duplicate from None
            if handler is None:
                outcome = f"ignored: {type} is not handled"
            else:
                outcome = await handler(gateway, data)
            settles = (type == SUCCEEDED and _settles_now(data)) or type == CHARGE_UPDATED
            if outcome.startswith(APPLIED) and settles:
                payment = await _payment_for(gateway, data)
                if payment is not None:
                    settle.append(payment.id)
            event.outcome = outcome[:MAX_TEXT]
            event.processed_at = timezone.now()
            await event.save(update_fields=["outcome", "processed_at"])
    except _Duplicate:
        return DUPLICATE
    for payment_id in settle:
        # Outside the transaction: the provider is asked over the network, and a settlement
        # not known yet is recorded later (`settling.settle_pending`).
        try:
            await settling.record_settlement(gateway, payment_id)
        except Exception:
            log.exception("settlement of payment %s could not be recorded", payment_id)
    return outcome


def _settles_now(data: Mapping[str, Any]) -> bool:
    """False when the event says the charge's balance transaction does not exist yet."""
    charge = data.get("latest_charge")
    return not (isinstance(charge, Mapping) and charge.get("balance_transaction") is None)


def _provider_payment_id(data: Mapping[str, Any]) -> str:
    """The PaymentIntent id of an intent, a charge or a dispute object."""
    if str(data.get("object", "payment_intent")) == "payment_intent":
        return str(data.get("id") or "")
    intent = data.get("payment_intent")
    if isinstance(intent, Mapping):
        intent = intent.get("id")
    return str(intent or "")


async def _payment_for(gateway: PaymentGateway, data: Mapping[str, Any]) -> Payment | None:
    provider_id = _provider_payment_id(data)
    if not provider_id:
        return None
    return (
        await Payment.select_for_update()
        .filter(provider_id=provider_id, gateway=gateway.name)
        .first()
    )


def _unknown(data: Mapping[str, Any]) -> str:
    return f"ignored: no payment {_provider_payment_id(data) or '(none given)'}"


def _to_minor(gateway: PaymentGateway, amount: int, currency: str) -> int:
    """The provider's amount in ISO 4217 minor units: Stripe's own table differs for a few
    currencies (raises `stripe_units.StripeAmountError` for one that cannot be exact)."""
    if gateway.name == Gateway.STRIPE and currency:
        return stripe_units.from_stripe_amount(amount, currency)
    return amount


async def _succeeded(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    if payment.status not in _CAN_SUCCEED:
        return f"ignored: payment is {payment.status}"
    currency = str(data.get("currency") or "").upper()
    try:
        received = _to_minor(gateway, int(data.get("amount_received") or 0), currency)
    except (TypeError, ValueError):  # StripeAmountError is a ValueError
        received = -1
    order = await order_for_change(payment.order_id)
    await Payment.filter(id=payment.id).update(amount_received=max(received, 0))
    problem = _mismatch(payment, order, received, currency)
    if problem:
        return await flags.flag(payment, problem, allowed=_CAN_SUCCEED)
    now = timezone.now()
    updated = await Payment.filter(id=payment.id, status__in=_CAN_SUCCEED).update(
        status=PaymentStatus.SUCCEEDED,
        succeeded_at=now,
        next_action={},
        failure_code="",
        failure_message="",
        updated_at=now,
    )
    if not updated:
        return "ignored: payment moved on"
    await move(
        order,
        OrderStatus.PENDING_SHIPMENT,
        actor=SYSTEM,
        kind=OrderEventKind.PAYMENT,
        message=f"Payment received: {payment.method or 'payment'} through {payment.gateway} "
        f"({payment.provider_id}).",
        data={
            "method": payment.method,
            "reference": payment.provider_id,
            "gateway": str(payment.gateway),
            "payment": payment.id,
        },
        paid_at=now,
        payment_method=payment.method or str(payment.gateway),
        payment_reference=payment.provider_id or "",
    )
    return f"{APPLIED}: payment succeeded"


def _mismatch(payment: Payment, order: Order, received: int, currency: str) -> str:
    """Why money that arrived cannot pay the order, or '' when it can."""
    if currency != payment.currency or payment.currency != order.currency:
        return f"received {currency or 'no currency'}, the order is in {order.currency}"
    due = credit_orders.amount_due(order)
    if received != payment.amount or payment.amount != due:
        return f"received {received} {currency} minor units, the order's amount due is {due}"
    if OrderStatus(order.status) is not OrderStatus.PENDING_PAYMENT:
        return f"the order is already {OrderStatus(order.status).value.replace('_', ' ')}"
    return ""


async def _failed(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    error = data.get("last_payment_error")
    error = error if isinstance(error, Mapping) else {}
    code = str(error.get("decline_code") or error.get("code") or "payment_failed")
    message = str(error.get("message") or DEFAULT_FAILURE)
    updated = await Payment.filter(id=payment.id, status__in=_OPEN).update(
        status=PaymentStatus.FAILED,
        failure_code=code[:80],
        failure_message=message[:MAX_TEXT],
        next_action={},
        updated_at=timezone.now(),
    )
    return (
        f"{APPLIED}: payment failed ({code})"
        if updated
        else f"ignored: payment is {payment.status}"
    )


async def _processing(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    updated = await Payment.filter(id=payment.id, status=PaymentStatus.REQUIRES_ACTION).update(
        status=PaymentStatus.PROCESSING, next_action={}, updated_at=timezone.now()
    )
    return f"{APPLIED}: processing" if updated else f"ignored: payment is {payment.status}"


async def _requires_action(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    action = data.get("next_action")
    updated = await Payment.filter(id=payment.id, status__in=_OPEN).update(
        status=PaymentStatus.REQUIRES_ACTION,
        next_action=dict(action) if isinstance(action, Mapping) else {},
        updated_at=timezone.now(),
    )
    return f"{APPLIED}: requires action" if updated else f"ignored: payment is {payment.status}"


async def _canceled(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    reason = str(data.get("cancellation_reason") or "")
    updated = await Payment.filter(id=payment.id, status__in=_CAN_CANCEL).update(
        status=PaymentStatus.CANCELED,
        failure_code=reason[:80],
        next_action={},
        updated_at=timezone.now(),
    )
    return f"{APPLIED}: canceled" if updated else f"ignored: payment is {payment.status}"


async def _refunded(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    currency = str(data.get("currency") or payment.currency).upper()
    try:
        if currency != payment.currency:
            raise ValueError(f"refunded in {currency}, paid in {payment.currency}")
        total = _to_minor(gateway, int(data.get("amount_refunded") or 0), currency)
    except (TypeError, ValueError) as exc:
        # Answering 500 would have the provider retry a notice that can never apply.
        return await flags.flag(payment, f"a refund notice that cannot be applied ({exc})")
    listed = data.get("refunds")
    rows = listed.get("data") if isinstance(listed, Mapping) else listed
    refunds = [dict(r) for r in (rows if isinstance(rows, list) else []) if isinstance(r, Mapping)]
    # The refund modules own the bookkeeping (refund rows, order totals, points).
    result = await refund_notices.apply_provider_refund(payment, total, refunds)
    return f"{APPLIED}: {result}" if isinstance(result, str) else f"{APPLIED}: refunded"


async def _refund_updated(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    result = await refund_notices.apply_provider_refund_update(payment.id, data)
    return result if result.startswith(("ignored", "flagged")) else f"{APPLIED}: {result}"


async def _disputed(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    reason = str(data.get("reason") or "unspecified")
    return await flags.flag(payment, f"the shopper disputed the charge ({reason})")


async def _charge_updated(gateway: PaymentGateway, data: Mapping[str, Any]) -> str:
    """A succeeded payment whose charge now has its balance transaction: the settlement is
    read after the commit (payments that settle later than they succeed)."""
    payment = await _payment_for(gateway, data)
    if payment is None:
        return _unknown(data)
    if (
        payment.status != PaymentStatus.SUCCEEDED
        or payment.settled_amount is not None
        or not data.get("balance_transaction")
    ):
        return "ignored: nothing to settle"
    return f"{APPLIED}: settlement to record"


_HANDLERS: dict[str, Handler] = {
    CHARGE_UPDATED: _charge_updated,
    SUCCEEDED: _succeeded,
    FAILED: _failed,
    PROCESSING: _processing,
    REQUIRES_ACTION: _requires_action,
    CANCELED: _canceled,
    REFUNDED: _refunded,
    REFUND_UPDATED: _refund_updated,
    REFUND_FAILED: _refund_updated,
    CHARGE_REFUND_UPDATED: _refund_updated,
    DISPUTED: _disputed,
}
