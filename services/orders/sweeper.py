"""The unpaid-order sweeper: orders left unpaid too long are cancelled by `system`.

Each order goes through `cancellation.cancel_order`, the path staff use, so its stock,
coupon use and points come back the same way. Several processes may sweep at once: each
order is cancelled in its own transaction by a conditional status update, so exactly one
sweeper wins an order and only the winner gives anything back; the others find it no
longer unpaid and move on. Orders are read in small chunks by id, so a large backlog never
holds a long transaction or a long list in memory. Cancelling also cancels the order's
payments still open at the provider; an order with a payment being processed, or with a
bank transfer chosen less than `bank_transfer_wait_days` ago, is left for a later run. A
return's replacement order waiting for the price difference is never swept: the goods sent
back already paid part of it, and cancelling it would leave the shopper with neither; staff
settle it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise import timezone

from models.orders import Order, OrderStatus
from models.payments import Payment, PaymentStatus
from models.returns import ReturnOutcome
from services.orders import cancellation
from services.orders.errors import OrderError
from services.orders.timeline import SYSTEM
from settings import get_settings

log = logging.getLogger("tradewind.orders.sweeper")

#: Orders read and cancelled per round trip.
CHUNK = 50
REASON = "Not paid in time."


async def cancel_unpaid(
    *, older_than: timedelta | None = None, now: datetime | None = None, chunk: int = CHUNK
) -> int:
    """Cancel every order unpaid for longer than `older_than` (the setting by default);
    returns how many this call cancelled (orders another process won are not counted)."""
    if older_than is None:
        older_than = timedelta(minutes=get_settings().unpaid_order_minutes)
    cutoff = (now or timezone.now()) - older_than
    cancelled = 0
    after_id = 0
    while True:
        rows = (
            await Order.filter(
                status=OrderStatus.PENDING_PAYMENT, placed_at__lt=cutoff, id__gt=after_id
            )
            .order_by("id")
            .limit(chunk)
            .values_list("id", flat=True)
        )
        ids = [int(row) for row in rows]  # type: ignore[call-overload]
        if not ids:
            return cancelled
        kept = await _awaiting_transfer(ids, now or timezone.now()) | await _replacements(ids)
        for order_id in ids:
            if order_id in kept:
                continue
            try:
                await cancellation.cancel_order(
                    order_id,
                    actor=SYSTEM,
                    reason=REASON,
                    allowed=cancellation.UNPAID,
                )
            except OrderError:
                continue  # paid or cancelled meanwhile, possibly by another sweeper
            cancelled += 1
        after_id = ids[-1]


async def _replacements(order_ids: list[int]) -> set[int]:
    """Those of the orders that replace returned goods (an exchange's replacement order)."""
    rows = await ReturnOutcome.filter(exchange_order_id__in=order_ids).values_list(
        "exchange_order_id", flat=True
    )
    return {int(row) for row in rows}  # type: ignore[call-overload]


async def _awaiting_transfer(order_ids: list[int], now: datetime) -> set[int]:
    """Those of the orders whose shopper chose a bank transfer less than the setting's days
    ago: their money can take days to arrive, and it is still expected."""
    since = now - timedelta(days=get_settings().bank_transfer_wait_days)
    rows = await Payment.filter(
        order_id__in=order_ids,
        method="bank_transfer",
        status__in=(PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING),
        created_at__gte=since,
    ).values_list("order_id", flat=True)
    return {int(row) for row in rows}  # type: ignore[call-overload]
