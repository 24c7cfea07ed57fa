"""Live order updates over WebSocket: one order's status for its shopper and staff, new
orders for the merchant console, and, with Redis, across two server processes."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from models.accounts import Role, User
from models.orders import Order, OrderStatus
from services.orders import bank_transfer
from services.orders.timeline import Actor
from subscriptions import events
from tests.factories import gid, make_product, make_user, token_for
from tests.orders.handling_setup import placed_order

ROOT = Path(__file__).resolve().parents[2]

FOLLOW = """subscription($number: String!) {
  orderStatusChanged(number: $number) { kind number status previousStatus at order { status } }
}"""
NEW_ORDERS = "subscription { newOrders { kind number status previousStatus } }"
PAY = """mutation($input: RecordBankTransferPaymentInput!) {
  recordBankTransferPayment(input: $input) { order { status } errors { code } }
}"""


def _free_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


async def _subscribe(
    url: str, user: User | None, query: str, variables: dict[str, Any] | None = None
) -> websockets.ClientConnection:
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    payload = {"authorization": f"Bearer {token_for(user)}"} if user else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
    )
    return ws


async def _next(ws: websockets.ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=5))


async def _unpaid_order(user: User | None) -> Order:
    product = await make_product(stock=(10,))
    variant = (await product.variants.all())[0]
    return await placed_order(user, [(variant, 1)])


async def test_shopper_follows_own_order_as_staff_change_it(live_server, client):
    buyer = await make_user()
    order = await _unpaid_order(buyer)
    async with await _subscribe(live_server, buyer, FOLLOW, {"number": order.number}) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        paid = await client.staff(
            PAY, {"input": {"orderId": gid("Order", order.id), "reference": "BANK-1"}}
        )
        assert paid["recordBankTransferPayment"]["errors"] == []
        message = await _next(ws)
        assert message["type"] == "next"
        change = message["payload"]["data"]["orderStatusChanged"]
        assert change["at"]
        assert {k: v for k, v in change.items() if k != "at"} == {
            "kind": "STATUS",
            "number": order.number,
            "status": "PENDING_SHIPMENT",
            "previousStatus": "PENDING_PAYMENT",
            "order": {"status": "PENDING_SHIPMENT"},
        }


async def test_staff_follow_any_order(live_server):
    order = await _unpaid_order(None)
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    async with await _subscribe(live_server, staff, FOLLOW, {"number": order.number}) as ws:
        await asyncio.sleep(0.2)
        await bank_transfer.record_bank_transfer_payment(
            order.id, actor=Actor.staff(staff.id), reference="R"
        )
        change = (await _next(ws))["payload"]["data"]["orderStatusChanged"]
        assert change["status"] == "PENDING_SHIPMENT"


@pytest.mark.parametrize(
    ("who", "code"),
    [("stranger", "FORBIDDEN"), ("anonymous", "UNAUTHENTICATED"), ("catalog", "FORBIDDEN")],
)
async def test_nobody_else_may_follow_an_order(live_server, who, code):
    order = await _unpaid_order(await make_user())
    user = {
        "stranger": await make_user(),
        "anonymous": None,
        "catalog": await make_user(role=Role.STAFF, permissions=("catalog",)),
    }[who]
    async with await _subscribe(live_server, user, FOLLOW, {"number": order.number}) as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == code


async def test_merchant_console_sees_new_orders_and_status_changes(live_server):
    admin = await make_user(role=Role.ADMIN)
    order = await _unpaid_order(None)
    async with await _subscribe(live_server, admin, NEW_ORDERS) as ws:
        await asyncio.sleep(0.2)
        # What `placeOrder` announces after its commit.
        await events.publish(
            events.OrderStatusChanged(
                kind="placed",
                number=order.number,
                status=OrderStatus.PENDING_PAYMENT,
                previous_status=None,
                at=order.placed_at,
            )
        )
        placed = (await _next(ws))["payload"]["data"]["newOrders"]
        assert placed == {
            "kind": "PLACED",
            "number": order.number,
            "status": "PENDING_PAYMENT",
            "previousStatus": None,
        }
        await bank_transfer.record_bank_transfer_payment(
            order.id, actor=Actor.staff(admin.id), reference="R"
        )
        changed = (await _next(ws))["payload"]["data"]["newOrders"]
        assert (changed["kind"], changed["status"]) == ("STATUS", "PENDING_SHIPMENT")


async def test_new_orders_need_the_orders_permission(live_server):
    async with await _subscribe(live_server, await make_user(), NEW_ORDERS) as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.fixture
async def second_process(database_url: str, db: None) -> AsyncIterator[str]:
    """Another server process on the same database and Redis: its HTTP base URL."""
    sock = _free_port()
    port = sock.getsockname()[1]
    sock.close()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNPAID_SWEEP_INTERVAL": "0",
        "LISTING_SWEEP_INTERVAL": "0",
    }
    process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not wait for it
        [
            sys.executable,
            "-m",
            "uvicorn",
            "server:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                try:
                    if (await http.get(f"{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, "the second server exited"
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the second server did not start")
        yield base
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 10)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)")
async def test_a_change_made_on_one_process_reaches_a_subscriber_on_another(
    live_server, second_process
):
    buyer = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    order = await _unpaid_order(buyer)
    async with await _subscribe(live_server, buyer, FOLLOW, {"number": order.number}) as ws:
        await asyncio.sleep(0.3)
        async with httpx.AsyncClient() as http:
            response = await http.post(
                f"{second_process}/graphql",
                json={
                    "query": PAY,
                    "variables": {"input": {"orderId": gid("Order", order.id), "reference": "B-1"}},
                },
                headers={"Authorization": f"Bearer {token_for(staff)}"},
            )
        assert response.json()["data"]["recordBankTransferPayment"]["errors"] == []
        change = (await _next(ws))["payload"]["data"]["orderStatusChanged"]
        assert (change["number"], change["status"], change["previousStatus"]) == (
            order.number,
            "PENDING_SHIPMENT",
            "PENDING_PAYMENT",
        )
