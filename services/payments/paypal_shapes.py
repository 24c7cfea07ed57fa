"""PayPal's answers read as the payments service's: an order's or a capture's status and
news, a refund's status and number, and the settlement figures of PayPal's breakdowns
(`seller_receivable_breakdown` of a capture, `seller_payable_breakdown` of a refund)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from models.payments import PaymentStatus, RefundStatus
from services.payments import events
from services.payments.gateway import Settlement
from services.payments.paypal_units import PayPalAmountError, from_paypal_value

#: Order statuses in which the shopper has not paid (yet): nothing was captured.
UNCAPTURED = frozenset({"CREATED", "SAVED", "APPROVED", "PAYER_ACTION_REQUIRED", "VOIDED"})
_CAPTURE_STATUSES = {
    "COMPLETED": PaymentStatus.SUCCEEDED,
    # A refunded capture was captured all the same: refunds are the refund flow's.
    "PARTIALLY_REFUNDED": PaymentStatus.SUCCEEDED,
    "REFUNDED": PaymentStatus.SUCCEEDED,
    "PENDING": PaymentStatus.PROCESSING,
    "DECLINED": PaymentStatus.FAILED,
    "FAILED": PaymentStatus.FAILED,
}
_REFUND_STATUSES = {
    "COMPLETED": RefundStatus.SUCCEEDED,
    "PENDING": RefundStatus.PENDING,
    "FAILED": RefundStatus.FAILED,
    "CANCELLED": RefundStatus.FAILED,
}
DECLINED_MESSAGE = "PayPal declined the payment. Try again or use another payment method."


def _money(given: object) -> tuple[str, str]:
    """A PayPal money object's (currency, value)."""
    if not isinstance(given, Mapping):
        raise PayPalAmountError("no amount")
    return str(given.get("currency_code") or "").upper(), str(given.get("value") or "")


def _minor(given: object) -> tuple[str, int]:
    """A PayPal money object as (currency, ISO minor units)."""
    currency, value = _money(given)
    return currency, from_paypal_value(value, currency)


def captures_of(order: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The captures of an order's (only) purchase unit, oldest first."""
    units = order.get("purchase_units") or []
    unit = units[0] if units and isinstance(units[0], dict) else {}
    payments = unit.get("payments") if isinstance(unit.get("payments"), dict) else {}
    found = payments.get("captures") if isinstance(payments, dict) else None
    return [c for c in found or [] if isinstance(c, dict)]


def payment_status(order: Mapping[str, Any]) -> PaymentStatus:
    """What an order says of the payment: its latest capture's status, else the order's."""
    captures = captures_of(order)
    if captures:
        return _CAPTURE_STATUSES.get(str(captures[-1].get("status")), PaymentStatus.PROCESSING)
    status = str(order.get("status") or "")
    if status == "VOIDED":
        return PaymentStatus.CANCELED
    if status in UNCAPTURED:
        return PaymentStatus.REQUIRES_ACTION
    return PaymentStatus.PROCESSING


def capture_notice(order_id: str, capture: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """A capture's news (from an order or a notification) as the event `events.process`
    takes; its `latest_charge` says whether PayPal's settlement breakdown exists yet."""
    status = _CAPTURE_STATUSES.get(str(capture.get("status")), PaymentStatus.PROCESSING)
    currency, amount = _minor(capture.get("amount"))
    details = capture.get("status_details")
    reason = str(details.get("reason") or "") if isinstance(details, Mapping) else ""
    kind, data = events.payment_notice(
        order_id,
        status,
        amount_received=amount if status is PaymentStatus.SUCCEEDED else 0,
        currency=currency,
        failure_code=reason.lower() or "declined",
        failure_message=DECLINED_MESSAGE,
    )
    breakdown = capture.get("seller_receivable_breakdown")
    data["latest_charge"] = {
        "object": "charge",
        "id": str(capture.get("id") or ""),
        "balance_transaction": str(capture.get("id") or "") if breakdown else None,
    }
    return kind, data


def order_notice(order: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """What an order says now, as an event: its latest capture's, or the order's status."""
    order_id = str(order.get("id") or "")
    captures = captures_of(order)
    if captures:
        return capture_notice(order_id, captures[-1])
    return events.payment_notice(order_id, payment_status(order))


def _rate(breakdown: Mapping[str, Any]) -> str:
    rate = breakdown.get("exchange_rate")
    return str(rate.get("value") or "") if isinstance(rate, Mapping) else ""


def settlement(breakdown: Mapping[str, Any], reference: str, *, refund: bool) -> Settlement:
    """A capture's `seller_receivable_breakdown` or a refund's `seller_payable_breakdown`
    in the settlement currency: PayPal's conversion when it converted (`receivable_amount`,
    `net_amount_in_receivable_currency`), else the breakdown's own currency. A refund's net
    and the fee PayPal gave back are negative."""
    given_fee = breakdown.get("paypal_fee")
    fee_currency, fee = _minor(given_fee) if given_fee else ("", 0)
    receivable = breakdown.get("receivable_amount") or breakdown.get(
        "net_amount_in_receivable_currency"
    )
    rate = _rate(breakdown)
    if receivable:
        currency, net = _minor(receivable)
        converted_fee = breakdown.get("paypal_fee_in_receivable_currency")
        if converted_fee:
            fee = _minor(converted_fee)[1]
        elif fee and rate:
            try:
                # PayPal converts the net; the fee in the settlement currency is the
                # presentment fee at the same rate.
                fee = int(
                    (Decimal(fee) * Decimal(rate)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
                )
            except InvalidOperation:
                raise PayPalAmountError(f"{rate!r} is not a rate") from None
    else:
        currency, net = _minor(breakdown.get("net_amount"))
        if fee and fee_currency != currency:
            raise PayPalAmountError(f"a fee in {fee_currency} on a net in {currency}")
        rate = ""
    sign = -1 if refund else 1
    return Settlement(
        currency=currency,
        net=sign * net,
        fee=sign * fee,
        rate=rate,
        balance_transaction_id=reference,
    )


def capture_id_of_refund(refund: Mapping[str, Any]) -> str:
    """The capture a refund object belongs to, from its `up` link."""
    for link in refund.get("links") or []:
        if isinstance(link, Mapping) and link.get("rel") == "up":
            href = str(link.get("href") or "").rstrip("/")
            if "/captures/" in href:
                return href.rsplit("/", 1)[-1]
    return ""


def refund_sequence(refund: Mapping[str, Any]) -> int | None:
    """The refund's number here, from the `custom_id` the gateway sent (`<payment>:<seq>`)."""
    _, _, sequence = str(refund.get("custom_id") or "").partition(":")
    return int(sequence) if sequence.isdigit() else None


def refund_status(refund: Mapping[str, Any]) -> RefundStatus:
    return _REFUND_STATUSES.get(str(refund.get("status")), RefundStatus.PENDING)
