"""Refunds: staff refunding part or all of a captured payment, or a whole cancelled order.

A refund never takes back more than was captured. It is made in two steps around the call
to the provider, so no database lock is held over the network:

1. Under a lock on the payment row, the amount is checked against what is still refundable
   (`amount_received - amount_refunded - refunds still PENDING`) and a PENDING `Refund` row
   is written with the next sequence (`refund:<payment>:<sequence>` is its idempotency key
   at the provider). Two concurrent refunds queue on the lock, and the second one counts the
   first's PENDING row, so together they cannot exceed the captured amount.
2. The gateway is called. Under the lock again, the row becomes FAILED (nothing else
   changes) or SUCCEEDED, and then, in the same transaction: the payment's
   `amount_refunded`, the order's `refunded_total` (shop currency, at the order's own rate),
   a timeline entry and the member's points and tier. Events go out after the commit.

A bank transfer confirmed by staff has no gateway: its refund is recorded as made by hand,
SUCCEEDED at once. Refunds that the provider completes later, or that were made in its
dashboard, arrive as notifications (`services.payments.refund_notices`) and get the same
effects through `apply_refund`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from tortoise import timezone
from tortoise.functions import Max, Sum

from models.orders import Order, OrderEventKind
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.emails import events as order_emails
from services.errors import Problem
from services.members import points as member_points
from services.money import Money
from services.orders import timeline
from services.orders.timeline import SYSTEM, Actor
from services.payments import settling
from services.payments.errors import PaymentError, PaymentErrorCode
from services.payments.gateway import GatewayError, PaymentGateway, RefundRequest
from services.transactions import after_commit, atomic
from settings import get_settings
from subscriptions import events

log = logging.getLogger("tradewind.payments")

MAX_REASON = 300
PROVIDER_REASON = "refunded at the provider"


class RefundError(PaymentError):
    """A refund that was refused; nothing was changed (but see `RefundFailed`)."""


class RefundFailed(RefundError):
    """The provider refused the refund: its row is recorded FAILED, nothing else changed."""

    def __init__(self, refund: Refund, message: str) -> None:
        super().__init__(Problem(PaymentErrorCode.REFUND_FAILED, message, ("amount",)))
        self.refund = refund


fail = RefundError.fail


def shop_share(amount: int, order: Order) -> int:
    """`amount` of the order's presentment currency in shop minor units at the order's own
    rate: `amount * total / total_presentment`, rounded half-up."""
    if order.total_presentment <= 0:
        return 0
    share = Decimal(amount) * order.total / order.total_presentment
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def locked_payment(payment_id: int) -> Payment:
    payment = await Payment.select_for_update().filter(id=payment_id).first()
    if payment is None:
        raise fail(PaymentErrorCode.NOT_FOUND, "The payment does not exist.", "payment_id")
    return payment


async def _pending_total(payment_id: int) -> int:
    row = await (
        Refund.filter(payment_id=payment_id, status=RefundStatus.PENDING)
        .annotate(total=Sum("amount"))
        .first()
        .values("total")
    )
    return int(row["total"] or 0) if row else 0


async def next_sequence(payment_id: int) -> int:
    row = await (
        Refund.filter(payment_id=payment_id).annotate(last=Max("sequence")).first().values("last")
    )
    return int(row["last"] or 0) + 1 if row else 1


async def refundable(payment: Payment) -> int:
    """What may still be refunded: captured, less refunded, less refunds in flight."""
    return payment.amount_received - payment.amount_refunded - await _pending_total(payment.id)


async def refund_payment(
    payment_id: int,
    amount: int,
    reason: str,
    actor_id: int | None,
    gateway: PaymentGateway | None = None,
    *,
    sent: int | None = None,
) -> Refund:
    """Refund `amount` (presentment minor units) of a succeeded payment through its gateway.

    A bank transfer confirmed by staff has no gateway: staff send the money back from the
    shop's bank account, and the refund records that they did, with its effects, at once.
    `sent` is what left the account, in shop minor units, for the settlement report
    (without it, the amount itself when the payment is in the shop currency). Gateway
    refunds take their settlement from the provider, so `sent` is refused for them.

    Raises `RefundError` (nothing changed) or `RefundFailed` (the row recorded FAILED).
    Returns the refund: SUCCEEDED, or PENDING while the provider is still at it.
    """
    reason = reason.strip()
    if not reason:
        raise fail(PaymentErrorCode.REQUIRED, "Give the reason for the refund.", "reason")
    if len(reason) > MAX_REASON:
        raise fail(
            PaymentErrorCode.INVALID, f"A reason has at most {MAX_REASON} characters.", "reason"
        )
    if amount <= 0:
        raise fail(PaymentErrorCode.INVALID, "A refund must be more than zero.", "amount")
    if sent is not None and sent <= 0:
        raise fail(PaymentErrorCode.INVALID, "What was sent must be more than zero.", "amount_sent")

    async with atomic():
        payment = await locked_payment(payment_id)
        # A flagged payment (disputed, or more or other money than the order) still holds
        # what was captured: staff must be able to give it back from here.
        captured = PaymentStatus(payment.status) is PaymentStatus.FLAGGED and (
            payment.amount_received > 0
        )
        if PaymentStatus(payment.status) is not PaymentStatus.SUCCEEDED and not captured:
            raise fail(
                PaymentErrorCode.ILLEGAL_STATE,
                "Only a payment whose money was captured can be refunded.",
                "payment_id",
            )
        left = await refundable(payment)
        if amount > left:
            raise fail(
                PaymentErrorCode.REFUND_EXCEEDS_CAPTURED,
                f"At most {Money(max(left, 0), payment.currency)} can still be refunded.",
                "amount",
            )
        if Gateway(payment.gateway) is Gateway.BANK_TRANSFER:
            return await _refund_by_hand(payment, amount, reason, actor_id, sent)
        if sent is not None:
            raise fail(
                PaymentErrorCode.INVALID,
                "The payment provider reports what a refund cost; give it only for refunds "
                "made by hand.",
                "amount_sent",
            )
        gateway = gateway or settling.gateway_of(payment)
        if gateway is None or not payment.provider_id:
            raise fail(
                PaymentErrorCode.GATEWAY_ERROR,
                f"Payments through {payment.gateway} cannot be refunded here.",
                "payment_id",
            )
        refund = await Refund.create(
            payment_id=payment.id,
            sequence=await next_sequence(payment.id),
            status=RefundStatus.PENDING,
            amount=amount,
            reason=reason,
            actor_id=actor_id,
        )

    request = RefundRequest(
        provider_payment_id=payment.provider_id,
        payment_id=payment.id,
        sequence=refund.sequence,
        currency=payment.currency,
        amount=amount,
        reason=reason,
    )
    try:
        answer = await gateway.refund(request)
    except GatewayError as exc:
        if exc.retryable:
            # The provider may have refunded without our hearing it: drop the row so that
            # trying again asks with the same sequence, hence the same idempotency key, and
            # the provider answers with that refund instead of refunding twice.
            await Refund.filter(id=refund.id, status=RefundStatus.PENDING).delete()
            raise fail(
                PaymentErrorCode.GATEWAY_ERROR,
                "The payment provider could not be reached; try the same refund again.",
                "amount",
            ) from exc
        message = str(exc) or "The provider refused the refund."
        await mark_failed(refund, message)
        raise RefundFailed(refund, message) from exc
    if RefundStatus(answer.status) is RefundStatus.FAILED:
        message = answer.failure_message or "The provider refused the refund."
        await mark_failed(refund, message, answer.provider_id)
        raise RefundFailed(refund, message)

    actor = Actor.staff(actor_id) if actor_id is not None else SYSTEM
    async with atomic():
        payment = await locked_payment(payment_id)
        await refund.refresh_from_db()
        refund.provider_id = answer.provider_id or refund.provider_id
        if RefundStatus(refund.status) is not RefundStatus.PENDING:
            return refund  # a provider notice completed it first
        if RefundStatus(answer.status) is RefundStatus.PENDING:
            # Still in flight at the provider: its notice completes it.
            await refund.save(update_fields=["provider_id", "updated_at"])
            return refund
        refund.status = RefundStatus.SUCCEEDED
        await apply_refund(payment, refund, actor)
    await refund.refresh_from_db()  # with its settlement, if the provider told at once
    return refund


async def _refund_by_hand(
    payment: Payment, amount: int, reason: str, actor_id: int | None, sent: int | None
) -> Refund:
    """A refund staff made from the shop's bank account, recorded SUCCEEDED with its effects;
    inside the caller's transaction, the payment locked."""
    shop = get_settings().shop_currency
    if sent is None and payment.currency == shop:
        sent = amount
    refund = await Refund.create(
        payment_id=payment.id,
        sequence=await next_sequence(payment.id),
        status=RefundStatus.SUCCEEDED,
        amount=amount,
        reason=reason,
        actor_id=actor_id,
        settled_amount=-sent if sent is not None else None,
        fee=0 if sent is not None else None,
    )
    actor = Actor.staff(actor_id) if actor_id is not None else SYSTEM
    await apply_refund(payment, refund, actor)
    if sent is not None and not payment.settlement_currency:
        await Payment.filter(id=payment.id).update(settlement_currency=shop)
    return refund


async def mark_failed(refund: Refund, message: str, provider_id: str = "") -> None:
    refund.status = RefundStatus.FAILED
    refund.failure_message = message[:300]
    refund.provider_id = provider_id or None
    await refund.save(update_fields=["status", "failure_message", "provider_id", "updated_at"])


async def apply_refund(payment: Payment, refund: Refund, actor: Actor) -> None:
    """A succeeded refund's effects, inside `atomic()` with the payment locked: the payment's
    and the order's refunded amounts, the timeline, the member's points and tier; after the
    commit, the announcement and the refund's settlement as the provider reports it."""
    await refund.save()
    payment.amount_refunded += refund.amount
    await Payment.filter(id=payment.id).update(
        amount_refunded=payment.amount_refunded, updated_at=timezone.now()
    )

    order = await Order.select_for_update().get(id=payment.order_id)
    # What the payment paid of the order: store credit paid the rest, and refunds through
    # the payment never give that part back (a cancellation returns it to the balance).
    paid = order.total - order.store_credit
    share = shop_share(refund.amount, order)
    if payment.amount_refunded >= payment.amount_received:
        share = paid - order.refunded_total  # the whole amount: exactly the rest
    refunded_total = max(0, min(paid, order.refunded_total + share))
    await Order.filter(id=order.id).update(refunded_total=refunded_total, updated_at=timezone.now())
    money = Money(refund.amount, payment.currency)
    await timeline.record(
        order.id,
        OrderEventKind.PAYMENT,
        actor,
        message=f"Refunded {money}: {refund.reason}",
        data={
            "refund": refund.id,
            "payment": payment.id,
            "amount": str(money.amount),
            "currency": payment.currency,
            "refundedTotal": refunded_total,
            "reason": refund.reason,
        },
    )
    await member_points.on_order_refunded(order.id, refunded_total, source=f"refund:{refund.id}")
    await order_emails.refunded(order.id, refund.id)

    async def settle() -> None:
        try:
            await settling.record_refund_settlement(refund.id)
        except Exception:
            # The reconciliation asks again later.
            log.exception("settlement of refund %s could not be recorded", refund.id)

    await events.publish(
        events.OrderRefunded(
            number=order.number,
            refund=refund.id,
            amount=str(money.amount),
            currency=payment.currency,
            at=timezone.now(),
        )
    )
    await after_commit(settle)


@dataclass(frozen=True, slots=True)
class OrderRefund:
    """What refunding a whole order did: the refunds made, and what could not be refunded."""

    refunds: list[Refund]
    problems: list[str]


async def refund_order(order_id: int, reason: str, actor_id: int | None) -> OrderRefund:
    """Refund everything still refundable on each of the order's captured payments (after a
    cancellation), each through its own gateway. A payment that cannot be refunded now is
    reported in `problems` and the others go ahead; nothing is refunded twice, since each
    refund takes only what is left."""
    done: list[Refund] = []
    problems: list[str] = []
    captured = await Payment.filter(
        order_id=order_id,
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED),
        amount_received__gt=0,
    ).order_by("attempt")
    for payment in captured:
        left = await refundable(payment)
        if left <= 0:
            continue
        try:
            done.append(await refund_payment(payment.id, left, reason, actor_id))
        except RefundError as exc:
            problems.append(f"{Money(left, payment.currency)} of payment {payment.attempt}: {exc}")
    return OrderRefund(done, problems)
