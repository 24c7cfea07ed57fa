"""Guests' order-access tokens: a secret handed out once by `placeOrder`, which lets whoever
holds it read and follow that one order, as its member would.

The token is random (never derived from the order number), stored only as its SHA-256, and
works for `ORDER_ACCESS_DAYS` after the order was placed. A retry of `placeOrder` with the same
idempotency key hands out a fresh token, and the earlier one stops working.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from tortoise import timezone

from models.orders import Order
from services.orders.queries import normalize_number
from settings import get_settings

#: What an order number can be; anything else names no order, and never reaches the database.
_NUMBER = re.compile(r"[A-Z0-9]{1,16}")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def grant_access(order: Order) -> str:
    """A new access token for a guest's order; the one it had before stops working."""
    token = secrets.token_urlsafe(32)
    order.access_token_hash = _digest(token)
    await Order.filter(id=order.id).update(access_token_hash=order.access_token_hash)
    return token


async def order_for_token(number: str, token: str | None) -> Order | None:
    """The order with this number, if `token` is its live access token; else None."""
    number = normalize_number(number)
    if not token or len(token) > 128 or not _NUMBER.fullmatch(number):
        return None
    order = await Order.get_or_none(number=number, access_token_hash=_digest(token))
    if order is None or order.user_id is not None:
        return None
    if order.placed_at < timezone.now() - timedelta(days=get_settings().order_access_days):
        return None
    return order
