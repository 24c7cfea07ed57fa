"""Refunds made or completed at the provider, reconciled from its notifications.

Stripe tells about refunds two ways: `charge.refunded` carries the charge's cumulative
refunded amount (and, on older API versions, its refund objects), and `refund.updated` /
`refund.failed` each carry one refund object. Refunds made here are matched by provider id
or by the `sequence` our gateway sent in their metadata; what the provider refunded beyond
them was refunded in its dashboard and is recorded as new. Each completed refund has a staff
refund's effects (`refunds.apply_refund`), and repeated or late notices change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from models.orders import OrderEventKind
from models.payments import Payment, Refund, RefundStatus
from services.money import Money
from services.orders import timeline
from services.orders.timeline import SYSTEM
from services.payments import flags
from services.payments.refunds import (
    PROVIDER_REASON,
    RefundError,
    apply_refund,
    locked_payment,
    mark_failed,
    next_sequence,
)
from services.transactions import atomic


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
            locked = await locked_payment(payment_id)
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
                await apply_refund(locked, ours, SYSTEM)
                done.append(f"completed refund {ours.sequence}")
            elif provider_id and provider_id not in known_ids:
                unknown.append(provider_id)
        in_flight = sum(row.amount for row in pending.values())
        missing = min(refunded_total, locked.amount_received) - locked.amount_refunded - in_flight
        if missing > 0:
            refund = await Refund.create(
                payment_id=locked.id,
                sequence=await next_sequence(locked.id),
                provider_id=unknown[0] if len(unknown) == 1 else None,
                status=RefundStatus.SUCCEEDED,
                amount=missing,
                reason=PROVIDER_REASON,
                actor_id=None,
            )
            await apply_refund(locked, refund, SYSTEM)
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
            payment = await locked_payment(payment_id)
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
            await apply_refund(payment, ours, SYSTEM)
            return f"completed refund {ours.sequence}"
        if status in ("failed", "canceled") and current is RefundStatus.PENDING:
            reason = str(given.get("failure_reason") or status).replace("_", " ")
            await mark_failed(ours, f"The provider could not refund: {reason}.", provider_id)
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
