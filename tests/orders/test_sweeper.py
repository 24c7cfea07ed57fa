"""The unpaid-order sweeper: old unpaid orders are cancelled by `system`, giving back stock,
coupon uses and points, once each even when several sweepers run at the same time."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tortoise import timezone

from models.coupons import Coupon
from models.inventory import StockMovement
from models.orders import Order, OrderEvent, OrderStatus
from models.returns import ReturnOutcome, ReturnRequest, ReturnResolution, ReturnStatus
from services.members import points as member_points
from services.orders import sweeper
from tests.factories import make_product, make_user
from tests.orders.handling_setup import make_coupon, placed_order, stock_of

ROOT = Path(__file__).resolve().parents[2]


def _ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


async def test_old_unpaid_orders_are_cancelled_by_system_and_give_everything_back(db, settings):
    coupon = await make_coupon()
    buyer = await make_user()
    product = await make_product(stock=(10,))
    variant = (await product.variants.all())[0]
    limit = settings.unpaid_order_minutes
    stale = await placed_order(
        buyer, [(variant, 2)], coupon=coupon, points=30, placed_at=_ago(limit + 1)
    )
    fresh = await placed_order(buyer, [(variant, 1)], placed_at=_ago(limit - 5))
    paid = await placed_order(
        buyer, [(variant, 1)], status=OrderStatus.PENDING_SHIPMENT, placed_at=_ago(limit * 3)
    )
    assert await stock_of(variant) == (10, 4)

    assert await sweeper.cancel_unpaid() == 1

    cancelled = await Order.get(id=stale.id)
    assert cancelled.status == OrderStatus.CANCELLED
    assert cancelled.cancel_reason == sweeper.REASON
    event = await OrderEvent.get(order_id=stale.id)
    assert (event.actor, event.from_status, event.to_status) == (
        "system",
        "pending_payment",
        "cancelled",
    )
    assert (await Order.get(id=fresh.id)).status == OrderStatus.PENDING_PAYMENT
    assert (await Order.get(id=paid.id)).status == OrderStatus.PENDING_SHIPMENT
    assert await stock_of(variant) == (10, 2)
    assert (await Coupon.get(id=coupon.id)).times_used == 0
    assert await member_points.balance(buyer.id) == 30
    assert await sweeper.cancel_unpaid() == 0  # nothing more to do


async def test_an_exchanges_replacement_waiting_for_the_difference_is_not_swept(db, settings):
    buyer = await make_user()
    variant = (await (await make_product(stock=(10,))).variants.all())[0]
    old = _ago(settings.unpaid_order_minutes * 10)
    returned = await placed_order(buyer, [(variant, 1)], status=OrderStatus.DELIVERED)
    replacement = await placed_order(buyer, [(variant, 1)], placed_at=old)
    ret = await ReturnRequest.create(
        number=f"{returned.number}-R1", order=returned, sequence=1,
        resolution=ReturnResolution.EXCHANGE, status=ReturnStatus.CLOSED,
    )  # fmt: skip
    await ReturnOutcome.create(
        return_request=ret, currency=returned.currency, exchange_order=replacement
    )
    unrelated = await placed_order(buyer, [(variant, 1)], placed_at=old)

    assert await sweeper.cancel_unpaid() == 1
    assert (await Order.get(id=replacement.id)).status == OrderStatus.PENDING_PAYMENT
    assert (await Order.get(id=unrelated.id)).status == OrderStatus.CANCELLED


async def test_concurrent_sweeps_cancel_each_order_once_in_chunks(db):
    product = await make_product(stock=(100,))
    variant = (await product.variants.all())[0]
    orders = [await placed_order(None, [(variant, 2)], placed_at=_ago(600)) for _ in range(12)]
    assert await stock_of(variant) == (100, 24)

    counts = await asyncio.gather(*(sweeper.cancel_unpaid(chunk=5) for _ in range(4)))

    assert sum(counts) == len(orders)  # every order won by exactly one sweeper
    assert await Order.filter(status=OrderStatus.CANCELLED).count() == len(orders)
    assert await OrderEvent.filter(to_status="cancelled").count() == len(orders)
    assert await stock_of(variant) == (100, 0)  # released once each, never below zero
    if await StockMovement.filter(kind="release").exists():
        # The real inventory service writes one release per order, not one per sweeper.
        assert await StockMovement.filter(kind="release").count() == len(orders)


async def test_cancel_unpaid_command_runs_against_the_database(db, database_url):
    product = await make_product(stock=(10,))
    variant = (await product.variants.all())[0]
    order = await placed_order(None, [(variant, 1)], placed_at=_ago(24 * 60))
    env = {**os.environ, "DATABASE_URL": database_url, "UNPAID_ORDER_MINUTES": "60"}
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "cli.py", "cancel-unpaid"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "1 unpaid order(s) cancelled" in done.stderr
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED
