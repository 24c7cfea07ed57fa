"""Live updates over WebSocket (`graphql-transport-ws`), against a real server on loopback."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import websockets
from tortoise import timezone

from models.accounts import Role
from models.catalog import Product
from models.orders import OrderStatus
from services.catalog import listing
from subscriptions import bus
from tests.factories import gid, make_product, make_user, token_for

SUBSCRIBE = """
subscription { productListingChanged { productId visible cause status actor product { name } } }
"""


async def _open(url: str, token: str | None) -> websockets.ClientConnection:
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}}))
    return ws


async def _next(ws: websockets.ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=5))


async def test_merchant_sees_products_go_on_and_off_the_shelf(live_server):
    product = await make_product(name="Lantern", publish=False)
    admin = await make_user(role=Role.ADMIN)
    async with await _open(live_server, token_for(admin)) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        await listing.publish_product(product.id, actor="staff:test")
        message = await _next(ws)
        assert message["type"] == "next"
        assert message["payload"]["data"]["productListingChanged"] == {
            "productId": gid("Product", product.id),
            "visible": True,
            "cause": "STATUS",
            "status": "ACTIVE",
            "actor": "staff:test",
            "product": {"name": "Lantern"},
        }
        # A sale window that ends is noticed by the sweeper, which tells subscribers.
        await Product.filter(id=product.id).update(
            unpublish_at=timezone.now() - timedelta(seconds=1)
        )
        events = await listing.sweep()
        assert len(events) == 1
        closed = (await _next(ws))["payload"]["data"]["productListingChanged"]
        assert (closed["visible"], closed["cause"], closed["actor"]) == (False, "WINDOW", "system")


async def test_subscription_needs_catalog_staff(live_server):
    async with await _open(live_server, None) as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_sweeper_records_each_change_once_even_when_run_concurrently(db):
    products = [await make_product(publish_at=timezone.now() + timedelta(days=1)) for _ in range(3)]
    await Product.filter(id__in=[p.id for p in products]).update(
        publish_at=timezone.now() - timedelta(seconds=1)
    )
    results = await asyncio.gather(*(listing.sweep() for _ in range(4)))
    assert sum(len(r) for r in results) == 3
    assert await listing.sweep() == []


async def _operation(ws: websockets.ClientConnection, op_id: str, query: str) -> dict[str, Any]:
    await ws.send(json.dumps({"id": op_id, "type": "subscribe", "payload": {"query": query}}))
    while True:
        message = await _next(ws)
        if message.get("id") == op_id and message["type"] in ("next", "error"):
            return message


async def test_a_socket_loses_rights_the_moment_its_account_does(live_server):
    from services.accounts import staff

    admin = await make_user(role=Role.ADMIN)
    await make_user(role=Role.ADMIN)  # someone must stay admin
    async with await _open(live_server, token_for(admin)) as ws:
        before = await _operation(ws, "2", "{ me { role } }")
        assert before["payload"]["data"]["me"] == {"role": "ADMIN"}
        await staff.set_staff_access(admin.id, Role.CUSTOMER, [])
        after = await _operation(ws, "3", "{ me { role } }")
        assert after["payload"]["data"]["me"] is None
        refused = await _operation(
            ws,
            "4",
            f'mutation {{ setStaffAccess(input: {{userId: "{gid("User", admin.id)}", '
            "role: ADMIN}) { errors { code } } }",
        )
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_merchant_feed_outlives_the_refunds_that_share_its_channel(live_server):
    from subscriptions import events
    from tests.live import next_message, subscribe

    admin = await make_user(role=Role.ADMIN)
    feed = await subscribe(
        live_server, token_for(admin), "subscription { newOrders { kind number status } }"
    )
    async with feed:
        await asyncio.sleep(0.2)
        # A refund travels on the merchant channel: no status to show in this feed.
        await events.publish(
            events.OrderRefunded(
                number="TW2REFND", refund=1, amount="5.00", currency="USD", at=timezone.now()
            )
        )
        # Nor in a message of a shape no event has (another version of the code, say).
        await bus.publish(events.MERCHANT_ORDERS_CHANNEL, {"kind": "returned", "number": "X"})
        await events.publish(
            events.OrderStatusChanged(
                kind="status",
                number="TW2REFND",
                status=OrderStatus.CANCELLED,
                previous_status=OrderStatus.PENDING_SHIPMENT,
                at=timezone.now(),
            )
        )
        message = await next_message(feed)
        assert message["type"] == "next", message
        assert message["payload"]["data"]["newOrders"] == {
            "kind": "STATUS",
            "number": "TW2REFND",
            "status": "CANCELLED",
        }
