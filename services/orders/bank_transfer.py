"""Bank transfers confirmed by staff: for shops without a payment gateway, or a transfer
that arrived outside it.

Confirming a transfer records it as a `Payment` like any other (gateway `bank_transfer`,
SUCCEEDED, the order's amount due captured: its total less any store credit), so it
appears among the order's payments, can be refunded (by hand: see
`services.payments.refunds`) and counts in the settlement report.
Staff may say what arrived in the shop's account after the bank's charges; the report
then has its net, fee and exchange gain or loss like a gateway payment's.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from tortoise import timezone

from models.orders import Order, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from services.money import currency_exponent
from services.orders.errors import OrderErrorCode, fail
from services.orders.status import MAX_REFERENCE, PAID, move, order_for_change
from services.orders.timeline import Actor
from services.payments import payments
from services.payments.errors import PaymentError
from services.store_credit import orders as credit_orders
from services.transactions import atomic
from settings import get_settings

#: Significant digits of the rate worked out from what arrived.
RATE_DIGITS = 12


async def record_bank_transfer_payment(
    order_id: int,
    *,
    actor: Actor,
    reference: str,
    received: int | None = None,
    charges: int | None = None,
) -> Order:
    """Mark an unpaid order paid by bank transfer: it moves to PENDING_SHIPMENT with a
    SUCCEEDED bank-transfer payment of its amount due.

    `received` and `charges` are what arrived in the shop's account and what the banks
    kept, in minor units of the shop currency; `received` is net of `charges`. Any payment
    attempt still open at a gateway is cancelled first, so the shopper cannot pay twice.
    """
    reference = reference.strip()
    if not reference:
        raise fail(OrderErrorCode.REQUIRED, "Give the transfer's reference.", "reference")
    if len(reference) > MAX_REFERENCE:
        raise fail(
            OrderErrorCode.INVALID,
            f"A reference has at most {MAX_REFERENCE} characters.",
            "reference",
        )
    if received is not None and received <= 0:
        raise fail(OrderErrorCode.INVALID, "What arrived must be more than zero.", "received")
    if charges is not None and (charges < 0 or received is None):
        raise fail(
            OrderErrorCode.INVALID,
            "Bank charges are zero or more, given with what arrived.",
            "bank_charges",
        )
    seen = await order_for_change(order_id)
    if OrderStatus(seen.status) in PAID:
        raise fail(OrderErrorCode.ALREADY_PAID, "This order is already paid.", "order_id")
    try:
        await payments.close_open_attempts(order_id)
    except PaymentError as exc:
        raise fail(OrderErrorCode.PAYMENT_IN_PROGRESS, str(exc), "order_id") from None
    async with atomic():
        order = await order_for_change(order_id)
        if OrderStatus(order.status) in PAID:
            raise fail(OrderErrorCode.ALREADY_PAID, "This order is already paid.", "order_id")
        now = timezone.now()
        # The transition first: a cancelled order is refused before any payment is written.
        order = await move(
            order,
            OrderStatus.PENDING_SHIPMENT,
            actor=actor,
            kind=OrderEventKind.PAYMENT,
            message=f"Bank transfer received: {reference}.",
            data={"method": "bank_transfer", "reference": reference},
            paid_at=now,
            payment_method="bank_transfer",
            payment_reference=reference,
        )
        last = await Payment.filter(order_id=order.id).order_by("-attempt").first()
        shop = get_settings().shop_currency
        await Payment.create(
            order_id=order.id,
            attempt=(last.attempt if last else 0) + 1,
            gateway=Gateway.BANK_TRANSFER,
            method="bank_transfer",
            status=PaymentStatus.SUCCEEDED,
            currency=order.currency,
            amount=credit_orders.amount_due(order),
            amount_received=credit_orders.amount_due(order),
            settlement_currency=shop if received is not None else "",
            settled_amount=received,
            fee=(charges or 0) if received is not None else None,
            provider_rate=_rate(order, received, charges, shop),
            balance_transaction_id=reference,
            succeeded_at=now,
        )
        return order


def _rate(order: Order, received: int | None, charges: int | None, shop: str) -> str:
    """Shop units per presentment unit the transfer came to, before charges ("" when the
    same currency or not given)."""
    due = credit_orders.amount_due(order)
    if received is None or order.currency == shop or due <= 0:
        return ""
    with localcontext() as ctx:
        ctx.prec = 50
        gross = Decimal(received + (charges or 0)).scaleb(-currency_exponent(shop))
        paid = Decimal(due).scaleb(-currency_exponent(order.currency))
        ctx.prec = RATE_DIGITS
        return format(+(gross / paid), "f")
