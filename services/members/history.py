"""A member's purchase history: their own orders, newest first.

The full order view belongs to the orders domain; this is the short list a profile shows.
"""

from __future__ import annotations

from models.orders import Order
from services.pagination import Page, PageRequest, paginate

#: The sort column of the history; cursors are (placed_at, id).
SORT_FIELD = "placed_at"


async def list_orders(user_id: int, request: PageRequest, *, max_size: int) -> Page[Order]:
    """One page of the member's orders, newest first (only that member's rows)."""
    return await paginate(
        Order.filter(user_id=user_id),
        request,
        sort_field=SORT_FIELD,
        descending=True,
        max_size=max_size,
    )


async def count_orders(user_id: int) -> int:
    return await Order.filter(user_id=user_id).count()
