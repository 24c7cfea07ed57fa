"""An order's returns followed live over WebSocket: its shopper sees a return asked for and
approved; another shopper cannot follow the order."""

from __future__ import annotations

import asyncio

from models.returns import ReturnStatus
from services.orders.timeline import Actor
from services.returns import requests, status
from services.transactions import atomic
from subscriptions import bus, events
from tests.orders.test_live import _next, _subscribe
from tests.returns.setup import delivered_order, make_user

FOLLOW = """subscription($number: String!) {
  orderReturnChanged(number: $number) { number status instructions lines { quantity } }
}"""


async def _listening(number: str) -> None:
    async with asyncio.timeout(5):
        while not bus.current().subscribers(events.order_channel(number)):  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_the_shopper_follows_a_return_from_request_to_approval(live_server, client):
    user = await make_user()
    staff = await make_user(email="desk@example.com")
    order, lines, _ = await delivered_order(user)
    async with await _subscribe(live_server, user, FOLLOW, {"number": order.number}) as ws:
        await _listening(order.number)
        ret = await requests.request_return(
            order.id, actor=Actor.customer(user.id), lines=[requests.LineRequest(lines[0].id, 1)],
            resolution="refund",  # type: ignore[arg-type]
        )  # fmt: skip
        asked = await _next(ws)
        async with atomic():
            await status.move(
                ret, ReturnStatus.APPROVED, actor=Actor.staff(staff.id), instructions="Post it"
            )
        approved = await _next(ws)

    assert asked["payload"]["data"]["orderReturnChanged"] == {
        "number": f"{order.number}-R1", "status": "REQUESTED", "instructions": None,
        "lines": [{"quantity": 1}],
    }  # fmt: skip
    assert approved["payload"]["data"]["orderReturnChanged"]["status"] == "APPROVED"
    assert approved["payload"]["data"]["orderReturnChanged"]["instructions"] == "Post it"


async def test_another_shopper_cannot_follow_the_orders_returns(live_server, client):
    order, _, _ = await delivered_order(await make_user())
    async with await _subscribe(
        live_server, await make_user(), FOLLOW, {"number": order.number}
    ) as ws:
        answer = await _next(ws)

    assert answer["type"] == "error"
    assert answer["payload"][0]["extensions"]["code"] == "FORBIDDEN"
