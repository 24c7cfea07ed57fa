"""Flagging a payment for staff: money arrived, or came back, in a way the shop cannot settle
on its own (a mismatch, a dispute, a refund that failed after it succeeded)."""

from __future__ import annotations

from typing import Any

from tortoise import timezone

from models.orders import OrderEventKind
from models.payments import Payment, PaymentStatus
from services.orders import timeline
from services.orders.timeline import SYSTEM

MAX_REASON = 300
#: Every status but FLAGGED: what a payment may be flagged from when anything goes.
ANY = tuple(s for s in PaymentStatus if s is not PaymentStatus.FLAGGED)


async def flag(
    payment: Payment,
    reason: str,
    *,
    allowed: tuple[PaymentStatus, ...] = ANY,
    **data: Any,
) -> str:
    """Flag the payment (from one of the `allowed` statuses) with an internal timeline note
    carrying `data`; returns the outcome for the event's record, 'ignored' if it moved on."""
    reason = reason[:MAX_REASON]
    updated = await Payment.filter(id=payment.id, status__in=allowed).update(
        status=PaymentStatus.FLAGGED, flagged_reason=reason, updated_at=timezone.now()
    )
    if not updated:
        return f"ignored: payment is {payment.status}"
    await timeline.record(
        payment.order_id,
        OrderEventKind.NOTE,
        SYSTEM,
        message=f"Payment {payment.provider_id} flagged for review: {reason}",
        internal=True,
        data={"payment": payment.id, "flagged": reason, **data},
    )
    return f"flagged: {reason}"
