"""Store credit as a tender for orders: spent when an order is placed, given back when it is
cancelled.

An order records the credit that paid part of it in both currencies
(`Order.store_credit_presentment` in the order's currency, `Order.store_credit` in the
shop's, at the order's own rate); the payment collects only the rest. The ledger entries
name the order (`order:<number>` for the spend, `order:<number>:cancel` for the give-back),
so neither can happen twice for one order.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from models.orders import Order
from models.store_credit import CreditEntryKind, StoreCreditEntry
from services.store_credit import ledger


def spend_reference(number: str) -> str:
    return f"order:{number}"


def cancel_reference(number: str) -> str:
    return f"order:{number}:cancel"


def applicable(available: int, total_presentment: int) -> int:
    """What credit of `available` pays of an order total: all of it, up to the total."""
    return max(0, min(available, total_presentment))


def in_shop_currency(amount: int, total: int, total_presentment: int) -> int:
    """`amount` of the order's currency in shop minor units at the order's rate
    (`amount * total / total_presentment`, rounded half-up); the whole total exactly."""
    if total_presentment <= 0:
        return 0
    if amount >= total_presentment:
        return total
    share = Decimal(amount) * total / total_presentment
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def amount_due(order: Order) -> int:
    """What the order's payment collects: its total less the credit that paid part of it."""
    return max(order.total_presentment - order.store_credit_presentment, 0)


async def spend_on_order(order: Order) -> StoreCreditEntry | None:
    """Take the credit the order records from the member's balance in the order's currency.

    Call it inside the transaction that writes the order: the ledger refuses
    (INSUFFICIENT_CREDIT) when the balance no longer covers it, and the order goes with it.
    """
    if order.store_credit_presentment <= 0 or order.user_id is None:
        return None
    return await ledger.post(
        order.user_id,
        order.currency,
        -order.store_credit_presentment,
        CreditEntryKind.SPEND,
        spend_reference(order.number),
        order_id=order.id,
        note=f"Order {order.number}",
    )


async def give_back_for_cancelled(order: Order, *, actor_id: int | None) -> StoreCreditEntry | None:
    """Return the credit a just-cancelled order spent; part of the cancelling transaction.
    A second call finds the first entry and returns nothing more."""
    if order.store_credit_presentment <= 0 or order.user_id is None:
        return None
    return await ledger.post(
        order.user_id,
        order.currency,
        order.store_credit_presentment,
        CreditEntryKind.REFUND,
        cancel_reference(order.number),
        order_id=order.id,
        note=f"Order {order.number} cancelled",
        actor_id=actor_id,
    )
