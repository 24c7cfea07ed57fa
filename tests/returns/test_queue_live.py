"""The console's returns queue, live: `returnsChanged` for staff with the orders
permission, and what a stream missed while the bus was away read back from the timelines."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.returns import ReturnStatus
from services import missed_events
from services.orders.timeline import Actor
from services.returns import handling
from tests.factories import make_user
from tests.orders.test_live import _next, _subscribe
from tests.returns.factories import delivered_order, make_return

CHANGES = """subscription {
  returnsChanged { number returnNumber status previousStatus return { status version } }
}"""


async def test_staff_see_a_return_move_live(live_server):
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    order = await delivered_order()
    ret = await make_return(order)
    async with await _subscribe(live_server, clerk, CHANGES) as ws:
        await asyncio.sleep(0.2)
        await handling.approve(ret.id, actor=Actor.staff(clerk.id), version=0)
        change = (await _next(ws))["payload"]["data"]["returnsChanged"]
        assert change == {
            "number": order.number,
            "returnNumber": ret.number,
            "status": "APPROVED",
            "previousStatus": "REQUESTED",
            "return": {"status": "APPROVED", "version": 1},
        }


async def test_returns_changed_needs_the_orders_permission(live_server):
    shopper = await make_user()
    async with await _subscribe(live_server, shopper, CHANGES) as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_changes_missed_during_an_outage_are_read_back_in_order(db):
    order = await delivered_order()
    ret = await make_return(order)
    since = timezone.now() - timedelta(seconds=1)
    await handling.approve(ret.id, actor=Actor("user:1"), version=0)
    await handling.update_instructions(
        ret.id, actor=Actor("user:1"), version=1, instructions="Post"
    )
    await handling.receive(ret.id, actor=Actor("user:1"), version=2)
    missed = await missed_events.return_changes_since(since)
    assert [(e.return_number, e.previous_status, e.status) for e in missed] == [
        (ret.number, ReturnStatus.REQUESTED, ReturnStatus.APPROVED),
        (ret.number, ReturnStatus.RECEIVED, ReturnStatus.RECEIVED),
        (ret.number, ReturnStatus.APPROVED, ReturnStatus.RECEIVED),
    ]
    assert {e.number for e in missed} == {order.number}
    assert await missed_events.return_changes_since(timezone.now() + timedelta(minutes=1)) == []
