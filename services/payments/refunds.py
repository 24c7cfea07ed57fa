"""Refunds: staff refunding part or all of a captured payment, and refunds made at the provider.

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

A refund made in the provider's dashboard arrives as a notification: `apply_provider_refund`
records the difference as a new SUCCEEDED refund with the same effects, idempotently.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from tortoise import timezone
from tortoise.functions import Max, Sum

from models.orders import Order, OrderEventKind
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.errors import Problem
from services.members import points as member_points
from services.money import Money
from services.orders import timeline
from services.orders.status import MERCHANT_CHANNEL, order_channel
from services.orders.timeline import SYSTEM, Actor
from services.payments import flags, settling
from services.payments.errors import PaymentError, PaymentErrorCode
from services.payments.gateway import GatewayError, PaymentGateway, RefundRequest
from services.transactions import after_commit, atomic
from settings import get_settings
from subscriptions import bus

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


def fail(code: PaymentErrorCode, message: str, *field: str) -> RefundError:
    return RefundError(Problem(code, message, field or None))


def shop_share(amount: int, order: Order) -> int:
    """`amount` of the order's presentment currency in shop minor units at the order's own
    rate: `amount * total / total_presentment`, rounded half-up."""
    if order.total_presentment <= 0:
        return 0
    share = Decimal(amount) * order.total / order.total_presentment
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


async def _locked_payment(payment_id: int) -> Payment:
    payment = await Payment.select_for_update().filter(id=payment_id).first()
    if payment is None:
        raise fail(PaymentErrorCode.NOT_FOUND, "The payment does not exist.", "paymentId")
    return payment


async def _pending_total(payment_id: int) -> int:
    row = await (
        Refund.filter(payment_id=payment_id, status=RefundStatus.PENDING)
        .annotate(total=Sum("amount"))
        .first()
        .values("total")
    )
    return int(row["total"] or 0) if row else 0


async def _next_sequence(payment_id: int) -> int:
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
        raise fail(PaymentErrorCode.INVALID, "What was sent must be more than zero.", "amountSent")

    async with atomic():
        payment = await _locked_payment(payment_id)
        # A flagged payment (disputed, or more or other money than the order) still holds
        # what was captured: staff must be able to give it back from here.
        captured = PaymentStatus(payment.status) is PaymentStatus.FLAGGED and (
            payment.amount_received > 0
        )
        if PaymentStatus(payment.status) is not PaymentStatus.SUCCEEDED and not captured:
            raise fail(
                PaymentErrorCode.ILLEGAL_STATE,
                "Only a payment whose money was captured can be refunded.",
                "paymentId",
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
                "amountSent",
            )
        gateway = gateway or settling.gateway_of(payment)
        if gateway is None or not payment.provider_id:
            raise fail(
                PaymentErrorCode.GATEWAY_ERROR,
                f"Payments through {payment.gateway} cannot be refunded here.",
                "paymentId",
            )
        refund = await Refund.create(
            payment_id=payment.id,
            sequence=await _next_sequence(payment.id),
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
        await _mark_failed(refund, message)
        raise RefundFailed(refund, message) from exc
    if RefundStatus(answer.status) is RefundStatus.FAILED:
        message = answer.failure_message or "The provider refused the refund."
        await _mark_failed(refund, message, answer.provider_id)
        raise RefundFailed(refund, message)

    actor = Actor.staff(actor_id) if actor_id is not None else SYSTEM
    async with atomic():
        payment = await _locked_payment(payment_id)
        await refund.refresh_from_db()
        refund.provider_id = answer.provider_id or refund.provider_id
        if RefundStatus(refund.status) is not RefundStatus.PENDING:
            return refund  # a provider notice completed it first
        if RefundStatus(answer.status) is RefundStatus.PENDING:
            # Still in flight at the provider: its notice completes it.
            await refund.save(update_fields=["provider_id", "updated_at"])
            return refund
        refund.status = RefundStatus.SUCCEEDED
        await _apply(payment, refund, actor)
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
        sequence=await _next_sequence(payment.id),
        status=RefundStatus.SUCCEEDED,
        amount=amount,
        reason=reason,
        actor_id=actor_id,
        settled_amount=-sent if sent is not None else None,
        fee=0 if sent is not None else None,
    )
    actor = Actor.staff(actor_id) if actor_id is not None else SYSTEM
    await _apply(payment, refund, actor)
    if sent is not None and not payment.settlement_currency:
        await Payment.filter(id=payment.id).update(settlement_currency=shop)
    return refund


async def _mark_failed(refund: Refund, message: str, provider_id: str = "") -> None:
    refund.status = RefundStatus.FAILED
    refund.failure_message = message[:300]
    refund.provider_id = provider_id or None
    await refund.save(update_fields=["status", "failure_message", "provider_id", "updated_at"])


async def _apply(payment: Payment, refund: Refund, actor: Actor) -> None:
    """A succeeded refund's effects, inside `atomic()` with the payment locked: the payment's
    and the order's refunded amounts, the timeline, the member's points and tier; after the
    commit, the announcement and the refund's settlement as the provider reports it."""
    await refund.save()
    payment.amount_refunded += refund.amount
    await Payment.filter(id=payment.id).update(
        amount_refunded=payment.amount_refunded, updated_at=timezone.now()
    )

    order = await Order.select_for_update().get(id=payment.order_id)
    share = shop_share(refund.amount, order)
    if payment.amount_refunded >= payment.amount_received:
        share = order.total - order.refunded_total  # the whole amount: exactly the rest
    refunded_total = max(0, min(order.total, order.refunded_total + share))
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
    message: dict[str, Any] = {
        "kind": "refund",
        "number": order.number,
        "refund": refund.id,
        "amount": str(money.amount),
        "currency": payment.currency,
        "at": timezone.now().isoformat(),
    }

    async def announce() -> None:
        await bus.publish(order_channel(order.number), message)
        await bus.publish(MERCHANT_CHANNEL, message)

    async def settle() -> None:
        try:
            await settling.record_refund_settlement(refund.id)
        except Exception:
            # The settlement sweep asks again later.
            log.exception("settlement of refund %s could not be recorded", refund.id)

    await after_commit(announce)
    await after_commit(settle)


async def apply_provider_refund(
    payment: Payment | int,
    refunded_total: int,
    refunds: Sequence[Mapping[str, Any]] = (),
) -> str:
    """Reconcile a provider's notice that `refunded_total` (presentment minor units, every
    refund so far) of the payment is refunded, as Stripe's `charge.refunded` says; `refunds`
    are the provider's refund objects, when it lists them (`id`, `status`, `metadata`).

    A listed refund that succeeded completes our PENDING refund it answers (matched by its
    provider id, or by the `sequence` our gateway sent in its metadata). What the provider
    refunded beyond the refunds recorded here (SUCCEEDED, or PENDING: still in flight) is a
    refund made in the provider's dashboard: it becomes a new SUCCEEDED refund with the next
    sequence and the reason "refunded at the provider". Each has a staff refund's effects.
    Repeated or late notices change nothing. Returns what was done, for the event's record.
    """
    payment_id = payment if isinstance(payment, int) else payment.id
    done: list[str] = []
    async with atomic():
        try:
            locked = await _locked_payment(payment_id)
        except RefundError:
            return "ignored: unknown payment"
        pending = {
            row.sequence: row
            for row in await Refund.filter(payment_id=payment_id, status=RefundStatus.PENDING)
        }
        by_provider = {row.provider_id: row for row in pending.values() if row.provider_id}
        known_ids = set(
            await Refund.filter(payment_id=payment_id, provider_id__not_isnull=True).values_list(
                "provider_id", flat=True
            )
        )
        unknown: list[str] = []
        for given in refunds:
            provider_id = str(given.get("id") or "")
            if str(given.get("status") or "succeeded") != "succeeded":
                continue
            metadata = given.get("metadata")
            sequence = metadata.get("sequence") if isinstance(metadata, Mapping) else None
            ours = by_provider.get(provider_id)
            if ours is None and str(sequence or "").isdigit():
                candidate = pending.get(int(str(sequence)))
                if candidate is not None and candidate.provider_id in (None, provider_id):
                    ours = candidate
            if ours is not None:
                ours.status = RefundStatus.SUCCEEDED
                ours.provider_id = provider_id or ours.provider_id
                pending.pop(ours.sequence, None)
                await _apply(locked, ours, SYSTEM)
                done.append(f"completed refund {ours.sequence}")
            elif provider_id and provider_id not in known_ids:
                unknown.append(provider_id)
        in_flight = sum(row.amount for row in pending.values())
        missing = min(refunded_total, locked.amount_received) - locked.amount_refunded - in_flight
        if missing > 0:
            refund = await Refund.create(
                payment_id=locked.id,
                sequence=await _next_sequence(locked.id),
                provider_id=unknown[0] if len(unknown) == 1 else None,
                status=RefundStatus.SUCCEEDED,
                amount=missing,
                reason=PROVIDER_REASON,
                actor_id=None,
            )
            await _apply(locked, refund, SYSTEM)
            done.append(f"recorded refund {refund.sequence} made at the provider")
    return "; ".join(done) or "nothing new refunded"


async def apply_provider_refund_update(payment_id: int, given: Mapping[str, Any]) -> str:
    """Reconcile the provider's news about one refund (Stripe's `refund.updated`,
    `refund.failed`, `charge.refund.updated`: the refund object) with the refund made here
    that it answers, matched by provider id or by the `sequence` sent in its metadata.

    A PENDING refund that succeeded gets a staff refund's effects; one that failed or was
    cancelled becomes FAILED with the provider's reason, and nothing else changes. A refund
    recorded as succeeded that the provider later reports failed (the card was closed) put
    the money back in the shop's balance: the payment is flagged for staff, who decide what
    the shopper is owed, rather than points and totals being rewound behind their backs.
    Refunds made in the provider's dashboard are recorded from the charge's cumulative
    notice (`apply_provider_refund`), never from here, so none is counted twice.
    """
    provider_id = str(given.get("id") or "")
    status = str(given.get("status") or "")
    metadata = given.get("metadata")
    sequence = str(metadata.get("sequence") or "") if isinstance(metadata, Mapping) else ""
    async with atomic():
        try:
            payment = await _locked_payment(payment_id)
        except RefundError:
            return "ignored: unknown payment"
        ours = await Refund.filter(payment_id=payment.id, provider_id=provider_id).first()
        if ours is None and sequence.isdigit():
            ours = await Refund.filter(
                payment_id=payment.id, sequence=int(sequence), provider_id__isnull=True
            ).first()
        if ours is None:
            return "ignored: not a refund made here"
        current = RefundStatus(ours.status)
        ours.provider_id = provider_id or ours.provider_id
        if status == "succeeded" and current is RefundStatus.PENDING:
            ours.status = RefundStatus.SUCCEEDED
            await _apply(payment, ours, SYSTEM)
            return f"completed refund {ours.sequence}"
        if status in ("failed", "canceled") and current is RefundStatus.PENDING:
            reason = str(given.get("failure_reason") or status).replace("_", " ")
            await _mark_failed(ours, f"The provider could not refund: {reason}.", provider_id)
            await timeline.record(
                payment.order_id,
                OrderEventKind.NOTE,
                SYSTEM,
                message=f"Refund {Money(ours.amount, payment.currency)} failed: {reason}.",
                internal=True,
                data={"refund": ours.id, "payment": payment.id, "failed": reason},
            )
            return f"refund {ours.sequence} failed ({reason})"
        if status in ("failed", "canceled") and current is RefundStatus.SUCCEEDED:
            reason = str(given.get("failure_reason") or status).replace("_", " ")
            return await flags.flag(
                payment,
                f"refund {ours.sequence} ({Money(ours.amount, payment.currency)}) failed at the "
                f"provider after it succeeded ({reason}): the money is back in the shop's "
                "balance",
                refund=ours.id,
            )
        return f"ignored: refund {ours.sequence} is {current.value}, the provider says {status}"


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
