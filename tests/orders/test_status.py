"""The order status machine: which moves are allowed, conditional updates, the timeline
entry in the same transaction, and announcements only after the commit."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderEvent, OrderLine, OrderStatus
from services.auth import Viewer
from services.orders import bank_transfer, cancellation, status, timeline
from services.orders.errors import OrderError, OrderErrorCode
from services.transactions import atomic
from subscriptions import bus, events
from tests.factories import make_product, make_user
from tests.orders.handling_setup import placed_order, stock_of

S = OrderStatus
#: An actor with no user row behind it: the timeline keeps the label either way.
STAFF = timeline.Actor("user:1")

ALLOWED = {
    (S.PENDING_PAYMENT, S.PENDING_SHIPMENT),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PENDING_SHIPMENT, S.SHIPPED),
    (S.PENDING_SHIPMENT, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
    (S.DELIVERED, S.COMPLETED),
}


def test_only_the_documented_moves_are_allowed():
    for current in S:
        for to in S:
            assert status.can_move(current, to) == ((current, to) in ALLOWED), (current, to)


def test_staff_cancel_before_shipping_and_shoppers_only_while_unpaid():
    assert [s for s in S if status.can_cancel(s, staff=True)] == [
        S.PENDING_PAYMENT,
        S.PENDING_SHIPMENT,
    ]
    assert [s for s in S if status.can_cancel(s, staff=False)] == [S.PENDING_PAYMENT]


async def _order(db_status: OrderStatus = S.PENDING_PAYMENT) -> Order:
    product = await make_product(stock=(10,))
    variant = (await product.variants.all())[0]
    return await placed_order(await make_user(), [(variant, 2)], status=db_status)


async def test_illegal_move_is_refused_and_writes_nothing(db):
    order = await _order(S.SHIPPED)
    with pytest.raises(OrderError) as refused:
        async with atomic():
            await status.move(order, S.COMPLETED, actor=STAFF)
    assert refused.value.problems[0].code is OrderErrorCode.ILLEGAL_TRANSITION
    assert (await Order.get(id=order.id)).status == S.SHIPPED
    assert await OrderEvent.filter(order_id=order.id).count() == 0


async def test_a_move_from_a_stale_read_finds_no_row_and_is_refused(db):
    order = await _order()
    stale = await Order.get(id=order.id)
    await Order.filter(id=order.id).update(status=S.CANCELLED)  # someone else got there first
    with pytest.raises(OrderError) as refused:
        async with atomic():
            await status.move(stale, S.PENDING_SHIPMENT, actor=STAFF)
    assert "cancelled" in refused.value.problems[0].message
    assert (await Order.get(id=order.id)).status == S.CANCELLED
    assert await OrderEvent.filter(order_id=order.id).count() == 0


async def test_concurrent_payments_and_unpaid_cancel_apply_exactly_one(db):
    order = await _order()
    results = await asyncio.gather(
        bank_transfer.record_bank_transfer_payment(order.id, actor=STAFF, reference="R1"),
        cancellation.cancel_order(
            order.id, actor=timeline.SYSTEM, reason="race", allowed=cancellation.UNPAID
        ),
        bank_transfer.record_bank_transfer_payment(order.id, actor=STAFF, reference="R2"),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if isinstance(r, OrderError)]
    assert len(won) == 1 and len(lost) == 2, results
    assert await OrderEvent.filter(order_id=order.id).count() == 1
    final = await Order.get(id=order.id)
    assert final.status == won[0].status
    variant = await ProductVariant.get(id=(await OrderLine.get(order_id=order.id)).variant_id)
    assert await stock_of(variant) == ((10, 0) if final.status == S.CANCELLED else (10, 2))


async def test_change_and_its_event_roll_back_together_and_announce_nothing(db):
    order = await _order()
    async with bus.current().subscribe(events.order_channel(order.number)) as messages:
        with pytest.raises(RuntimeError):
            async with atomic():
                await status.move(order, S.PENDING_SHIPMENT, actor=STAFF)
                raise RuntimeError("a later step failed")
        assert (await Order.get(id=order.id)).status == S.PENDING_PAYMENT
        assert await OrderEvent.filter(order_id=order.id).count() == 0
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(anext(aiter(messages)), timeout=0.3)


async def test_a_committed_move_is_announced_on_the_order_and_merchant_channels(db):
    order = await _order()
    async with (
        bus.current().subscribe(events.order_channel(order.number)) as own,
        bus.current().subscribe(events.MERCHANT_ORDERS_CHANNEL) as merchant,
    ):
        await asyncio.sleep(0.1)  # Redis: let the subscriptions register
        await bank_transfer.record_bank_transfer_payment(order.id, actor=STAFF, reference="R")
        for messages in (own, merchant):
            message = await asyncio.wait_for(anext(aiter(messages)), timeout=5)
            assert message["kind"] == "status"
            assert message["number"] == order.number
            assert (message["status"], message["previousStatus"]) == (
                "pending_shipment",
                "pending_payment",
            )
            assert datetime.fromisoformat(message["at"]).tzinfo is not None
    event = await OrderEvent.get(order_id=order.id)
    assert (event.kind, event.from_status, event.to_status, event.actor) == (
        "payment",
        "pending_payment",
        "pending_shipment",
        "user:1",
    )


def test_actors_are_labelled_for_the_timeline():
    assert timeline.actor_for(Viewer(user_id=7, role=Role.STAFF)).label == "user:7"
    assert timeline.actor_for(Viewer(user_id=8, role=Role.CUSTOMER)) == timeline.Actor(
        "customer", 8
    )
    assert timeline.SYSTEM.label == "system"
