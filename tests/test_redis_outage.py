"""Redis going away and coming back, with a Redis server the test starts and stops itself:
requests keep being answered, health says the bus is down, and live streams are sent what
they may have missed once it is back. Runs on either database."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import websockets
from redis import asyncio as aioredis

from models.accounts import Role
from models.orders import Order, OrderStatus
from services import rate_limit
from services.catalog import listing
from services.inventory import stock
from subscriptions import bus
from tests.factories import gid, make_product, make_user, token_for
from tests.inventory.helpers import stocked_variant
from tests.payments.paying_setup import CREATE, euro_order

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")

FOLLOW = """subscription($number: String!) {
  orderStatusChanged(number: $number) { kind number status previousStatus order { status } }
}"""
NEW_ORDERS = "subscription { newOrders { kind number status previousStatus } }"
CANCEL = """mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) { order { status } errors { code } }
}"""
SIGN_IN = """mutation($input: SignInInput!) {
  signIn(input: $input) { session { accessToken } errors { code message } }
}"""
LOOKUP = """query($number: String!, $email: String!) {
  orderLookup(number: $number, email: $email) { number status }
}"""
PASSWORD = "a long enough passphrase 7"


class RedisServer:
    """A throwaway `redis-server` on a loopback port that stays the same across restarts."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: ASYNC220 - waited for below, by pinging
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = aioredis.from_url(self.url)
        try:
            for _ in range(200):
                try:
                    if await client.ping():
                        return
                except (aioredis.RedisError, OSError):
                    await asyncio.sleep(0.05)
            await self.stop()
            raise AssertionError("redis-server did not start")
        finally:
            await client.aclose()

    async def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            await asyncio.to_thread(self.process.wait, 10)
            self.process = None


async def _until(condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the condition did not come true in time")


@pytest.fixture
async def redis_server(monkeypatch) -> AsyncIterator[RedisServer]:
    """Its own Redis, as the process's event bus and rate-limit store for one test."""
    server = RedisServer()
    await server.start()
    async with contextlib.AsyncExitStack() as cleanup:
        cleanup.push_async_callback(server.stop)
        private_bus = bus.RedisBus(server.url, timeout=1)
        await private_bus.start()
        cleanup.push_async_callback(private_bus.stop)
        monkeypatch.setattr(bus, "_bus", private_bus)
        limiter_redis = aioredis.from_url(server.url, socket_connect_timeout=1, socket_timeout=1)
        cleanup.push_async_callback(limiter_redis.aclose)
        limiter = rate_limit.FallbackRateLimiter(
            rate_limit.RedisRateLimiter(limiter_redis), retry_seconds=0.2
        )
        monkeypatch.setattr(rate_limit, "_limiter", limiter)
        yield server


async def _subscribe(url: str, token: str, query: str, variables: dict[str, Any] | None = None):
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    await ws.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    message = {
        "id": "1",
        "type": "subscribe",
        "payload": {"query": query, "variables": variables or {}},
    }
    await ws.send(json.dumps(message))
    return ws


async def _data(ws: websockets.ClientConnection, field: str, seconds: float = 15) -> dict[str, Any]:
    """The next event's data (pings skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=seconds))
        if message["type"] == "ping":
            continue
        assert message["type"] == "next", message
        result: dict[str, Any] = message["payload"]["data"][field]
        return result


async def test_redis_going_away_costs_no_request_and_subscribers_get_the_current_state(
    live_server, app, client, redis_server, caplog
):
    caplog.set_level(logging.INFO)
    buyer = await make_user(password=PASSWORD)
    admin = await make_user(role=Role.ADMIN)
    order = await euro_order(buyer)
    guest_order = await euro_order(None, email="guest@example.com")
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    follow = await _subscribe(live_server, token_for(buyer), FOLLOW, {"number": order.number})
    feed = await _subscribe(live_server, token_for(admin), NEW_ORDERS)
    async with follow, feed, http:
        await asyncio.sleep(0.3)  # let both subscriptions register
        assert (await http.get("http://shop.test/healthz")).json()["bus"] is True

        await redis_server.stop()
        await _until(lambda: not bus.current().connected)  # type: ignore[attr-defined]

        health = await http.get("http://shop.test/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "unavailable", "database": True, "bus": False}

        # Sign-in, order lookup and a guest's payment answer as usual.
        for _ in range(3):
            signed = await client.request(
                SIGN_IN, {"input": {"login": buyer.email, "password": PASSWORD}}
            )
            assert signed["data"]["signIn"]["errors"] == [], signed
            assert signed["data"]["signIn"]["session"]["accessToken"]
        found = await client.query(
            LOOKUP, {"number": guest_order.number, "email": "guest@example.com"}
        )
        assert found["orderLookup"] == {"number": guest_order.number, "status": "PENDING_PAYMENT"}
        paying = await client.query(
            CREATE,
            {
                "input": {
                    "orderNumber": guest_order.number,
                    "method": "card",
                    "email": "guest@example.com",
                }
            },
        )
        assert paying["createPayment"]["errors"] == []
        assert paying["createPayment"]["payment"]["status"]
        # Limits still hold, counted in this process meanwhile (logged once for the outage).
        limiter = rate_limit.current()
        assert isinstance(limiter, rate_limit.FallbackRateLimiter) and limiter.degraded
        for _ in range(2):
            await limiter.hit("outage-test", limit=2, window=60)
        with pytest.raises(rate_limit.RateLimited):
            await limiter.hit("outage-test", limit=2, window=60)
        assert caplog.text.count("rate_limit.redis_unavailable") == 1

        # The order changes while nobody can be told.
        cancelled = await client.staff(
            CANCEL, {"input": {"orderId": gid("Order", order.id), "reason": "outage"}}
        )
        assert cancelled["cancelOrder"]["errors"] == []

        await redis_server.start()
        # The shopper is sent the order as it is now, the merchant's feed what it missed.
        current = await _data(follow, "orderStatusChanged")
        assert current == {
            "kind": "CURRENT",
            "number": order.number,
            "status": "CANCELLED",
            "previousStatus": None,
            "order": {"status": "CANCELLED"},
        }
        missed = await _data(feed, "newOrders")
        assert missed == {
            "kind": "STATUS",
            "number": order.number,
            "status": "CANCELLED",
            "previousStatus": "PENDING_PAYMENT",
        }
        assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED

        health = await http.get("http://shop.test/healthz")
        assert (health.status_code, health.json()["bus"]) == (200, True)
        # Limits are counted in Redis again once it answers.
        await asyncio.sleep(0.3)
        await limiter.hit("after-outage", limit=5, window=60)
        assert not limiter.degraded
        async with aioredis.from_url(redis_server.url) as check:
            assert await check.zcard("tw:rl:after-outage") == 1
        assert "rate_limit.redis_back" in caplog.text
        assert "bus.redis_back" in caplog.text
        # Live events flow again.
        await client.staff(CANCEL, {"input": {"orderId": gid("Order", guest_order.id)}})
        placed_again = await _data(feed, "newOrders")
        assert (placed_again["number"], placed_again["status"]) == (guest_order.number, "CANCELLED")


async def test_staff_streams_are_sent_the_alerts_and_listing_changes_they_missed(
    live_server, redis_server
):
    product = await make_product(name="Lantern", publish=False)
    variant = await stocked_variant(7)
    admin = await make_user(role=Role.ADMIN)
    alerts = await _subscribe(
        live_server, token_for(admin), "subscription { lowStockAlerts { threshold available } }"
    )
    shelf = await _subscribe(
        live_server,
        token_for(admin),
        "subscription { productListingChanged { productId visible product { name } } }",
    )
    async with alerts, shelf:
        await asyncio.sleep(0.3)
        await redis_server.stop()
        await _until(lambda: not bus.current().connected)  # type: ignore[attr-defined]
        await stock.reserve([(variant.id, 3)], reference="TW1")  # 4 left: an alert
        await listing.publish_product(product.id, actor="staff:test")
        await redis_server.start()
        assert await _data(alerts, "lowStockAlerts") == {"threshold": 5, "available": 4}
        # Changes from just before the loss may come again: what matters is that none is lost.
        changes = [await _data(shelf, "productListingChanged") for _ in range(2)]
        assert {
            "productId": gid("Product", product.id),
            "visible": True,
            "product": {"name": "Lantern"},
        } in changes
