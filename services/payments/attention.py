"""Payments staff should look at: what the shop cannot settle on its own, or what has
waited longer than it should.

| kind            | rule                                                                |
|-----------------|---------------------------------------------------------------------|
| DISPUTED        | flagged because the shopper disputed the charge                     |
| FLAGGED         | flagged for any other reason (an amount or currency that does not   |
|                 | match the order, a refund notice that cannot be applied)            |
| AMOUNT_MISMATCH | succeeded, but what was received differs from what was asked        |
| FAILED          | the latest attempt of an order still waiting for payment failed     |
| STUCK           | processing at the provider for longer than `stuck_after_hours`            |
| UNSETTLED       | succeeded longer than `stuck_after_hours` ago, its settlement not recorded |
| REFUND_FAILED   | a refund the provider refused                                       |
| REFUND_PENDING  | a refund pending for longer than `stuck_after_hours`                      |

Each rule is one query over indexed statuses; the answer is newest first, at most `limit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from tortoise import timezone
from tortoise.expressions import F
from tortoise.functions import Max

from models.orders import OrderStatus
from models.payments import Payment, PaymentStatus, Refund, RefundStatus
from services.payments.errors import PaymentErrorCode, fail

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
DEFAULT_STUCK_AFTER_HOURS = 24
MAX_STUCK_AFTER_HOURS = 90 * 24
#: Words of a flag's reason that say it was a dispute (`services.payments.events`).
DISPUTE_MARK = "disputed"


class AttentionKind(Enum):
    DISPUTED = "disputed"
    FLAGGED = "flagged"
    AMOUNT_MISMATCH = "amount_mismatch"
    FAILED = "failed"
    STUCK = "stuck"
    UNSETTLED = "unsettled"
    REFUND_FAILED = "refund_failed"
    REFUND_PENDING = "refund_pending"


@dataclass(frozen=True, slots=True)
class Attention:
    kind: AttentionKind
    #: With its order prefetched.
    payment: Payment
    refund: Refund | None
    #: Why, in words: the flag's reason, the provider's failure message, or the wait.
    reason: str
    #: When the payment or refund came to be in this state (as recorded).
    since: datetime


async def payments_needing_attention(
    *,
    limit: int = DEFAULT_LIMIT,
    stuck_after_hours: int = DEFAULT_STUCK_AFTER_HOURS,
    now: datetime | None = None,
) -> list[Attention]:
    """The payments and refunds staff should look at, newest first (see the module)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise fail(PaymentErrorCode.INVALID, f"Ask for 1 to {MAX_LIMIT} items.", "first")
    if not 1 <= stuck_after_hours <= MAX_STUCK_AFTER_HOURS:
        raise fail(
            PaymentErrorCode.INVALID,
            f"The wait is from 1 to {MAX_STUCK_AFTER_HOURS} hours.",
            "stuck_after_hours",
        )
    stuck_after = timedelta(hours=stuck_after_hours)
    now = now or timezone.now()
    before = now - stuck_after
    found: list[Attention] = []

    for payment in (
        await Payment.filter(status=PaymentStatus.FLAGGED)
        .prefetch_related("order")
        .order_by("-updated_at", "-id")
        .limit(limit)
    ):
        disputed = DISPUTE_MARK in payment.flagged_reason.lower()
        kind = AttentionKind.DISPUTED if disputed else AttentionKind.FLAGGED
        found.append(Attention(kind, payment, None, payment.flagged_reason, payment.updated_at))

    for payment in (
        await Payment.filter(status=PaymentStatus.SUCCEEDED)
        .annotate(short=F("amount") - F("amount_received"))
        .filter(short__not=0)
        .prefetch_related("order")
        .order_by("-succeeded_at", "-id")
        .limit(limit)
    ):
        reason = f"received {payment.amount_received} of {payment.amount} (minor units)"
        found.append(
            Attention(
                AttentionKind.AMOUNT_MISMATCH,
                payment,
                None,
                reason,
                payment.succeeded_at or payment.updated_at,
            )
        )

    failed = (
        await Payment.filter(status=PaymentStatus.FAILED, order__status=OrderStatus.PENDING_PAYMENT)
        .prefetch_related("order")
        .order_by("-updated_at", "-id")
        .limit(limit * 2)
    )
    if failed:
        latest = (
            Payment.filter(order_id__in=[p.order_id for p in failed])
            .group_by("order_id")
            .annotate(last=Max("attempt"))
            .values("order_id", "last")
        )
        last = {row["order_id"]: row["last"] for row in await latest}
        for payment in failed:
            if payment.attempt == last.get(payment.order_id):
                reason = payment.failure_message or payment.failure_code or "failed"
                found.append(
                    Attention(AttentionKind.FAILED, payment, None, reason, payment.updated_at)
                )

    hours = stuck_after_hours
    for payment in (
        await Payment.filter(status=PaymentStatus.PROCESSING, updated_at__lt=before)
        .prefetch_related("order")
        .order_by("-updated_at", "-id")
        .limit(limit)
    ):
        found.append(
            Attention(
                AttentionKind.STUCK,
                payment,
                None,
                f"processing at the provider for more than {hours} hours",
                payment.updated_at,
            )
        )
    for payment in (
        await Payment.filter(
            status=PaymentStatus.SUCCEEDED, succeeded_at__lt=before, settled_amount__isnull=True
        )
        .prefetch_related("order")
        .order_by("-succeeded_at", "-id")
        .limit(limit)
    ):
        found.append(
            Attention(
                AttentionKind.UNSETTLED,
                payment,
                None,
                f"no settlement recorded after {hours} hours",
                payment.succeeded_at or payment.updated_at,
            )
        )

    for refund in (
        await Refund.filter(status=RefundStatus.FAILED)
        .prefetch_related("payment__order")
        .order_by("-updated_at", "-id")
        .limit(limit)
    ):
        reason = refund.failure_message or "refused by the provider"
        found.append(
            Attention(
                AttentionKind.REFUND_FAILED, refund.payment, refund, reason, refund.updated_at
            )
        )
    for refund in (
        await Refund.filter(status=RefundStatus.PENDING, created_at__lt=before)
        .prefetch_related("payment__order")
        .order_by("-created_at", "-id")
        .limit(limit)
    ):
        found.append(
            Attention(
                AttentionKind.REFUND_PENDING,
                refund.payment,
                refund,
                f"pending for more than {hours} hours",
                refund.created_at,
            )
        )
    found.sort(key=lambda a: (a.since, a.payment.id), reverse=True)
    return found[:limit]
