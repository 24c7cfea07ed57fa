"""Live order updates over `graphql-transport-ws`, gathered for counting.

A subscription has no acknowledgement in the protocol, so a feed is known to listen only
once something published after it started reaches it: `Feed.ready` publishes probe events
(`OrderStatusChanged` for the order number `PROBE`, through the shop's own Redis bus) on the
feed's channel until one arrives. Probes are left out of what a feed received.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import websockets

FOLLOW = """subscription FollowOrder($number: String!, $accessToken: String) {
  orderStatusChanged(number: $number, accessToken: $accessToken) {
    kind number status previousStatus
  }
}"""
NEW_ORDERS = """subscription ConsoleNewOrders {
  newOrders { kind number status previousStatus }
}"""
PROBE_NUMBER = "PROBE"
#: Seconds between two probes while a feed is not yet listening.
PROBE_EVERY = 0.2


@dataclass(frozen=True, slots=True)
class Change:
    """One change a feed received, and when (`time.perf_counter()`)."""

    kind: str
    number: str
    status: str
    at: float


@dataclass(slots=True)
class Feed:
    """One socket to one API process with one subscription, read by a task of its own."""

    url: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    changes: list[Change] = field(default_factory=list)
    #: What ended the stream or was wrong with a message; empty while all is well.
    problems: list[str] = field(default_factory=list)
    _socket: websockets.ClientConnection | None = None
    _reader: asyncio.Task[None] | None = None
    _listening: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def open(self) -> None:
        """Connect, be acknowledged and subscribe (as operation "1")."""
        self._socket = ws = await websockets.connect(
            self.url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
        )
        payload = {"authorization": f"Bearer {self.token}"} if self.token else {}
        await ws.send(orjson.dumps({"type": "connection_init", "payload": payload}).decode())
        ack = orjson.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        if ack.get("type") != "connection_ack":
            raise ConnectionError(f"no connection_ack: {str(ack)[:200]}")
        subscribe = {"query": self.query, "variables": self.variables}
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": subscribe}).decode())
        self._reader = asyncio.create_task(self._read(ws))

    async def _read(self, ws: websockets.ClientConnection) -> None:
        try:
            async for raw in ws:
                message = orjson.loads(raw)
                kind = message.get("type")
                if kind == "ping":
                    await ws.send('{"type":"pong"}')
                elif kind == "next":
                    self._take(message.get("payload") or {})
                elif kind in ("error", "complete"):
                    self.problems.append(f"{kind}: {str(message.get('payload'))[:200]}")
                    self._arrived.set()
                    return
        except websockets.ConnectionClosed as exc:
            self.problems.append(f"closed: {exc}")
            self._arrived.set()

    def _take(self, payload: dict[str, Any]) -> None:
        if payload.get("errors"):
            self.problems.append(f"errors: {str(payload['errors'])[:200]}")
            return
        data = payload.get("data") or {}
        change = next(iter(data.values()), None) if data else None
        if not isinstance(change, dict):
            self.problems.append(f"no change: {str(payload)[:200]}")
            return
        if change.get("number") == PROBE_NUMBER:
            self._listening.set()
            return
        self.changes.append(
            Change(
                str(change.get("kind")),
                str(change.get("number")),
                str(change.get("status")),
                time.perf_counter(),
            )
        )
        self._arrived.set()

    async def ready(self, probes: Probes, channel: str, within: float = 30.0) -> None:
        """Return once the subscription listens: probes on `channel` until one arrives."""
        deadline = time.perf_counter() + within
        while not self._listening.is_set():
            if self.problems or time.perf_counter() > deadline:
                raise ConnectionError(
                    f"the subscription never listened: {'; '.join(self.problems) or 'timeout'}"
                )
            await probes.send(channel)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._listening.wait(), timeout=PROBE_EVERY)

    async def wait_for(self, count: int, within: float) -> None:
        """Until `count` changes arrived, the stream ended, or `within` seconds passed."""
        deadline = time.perf_counter() + within
        while len(self.changes) < count and not self.problems:
            left = deadline - time.perf_counter()
            if left <= 0:
                return
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout=left)

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await self._reader


class Probes:
    """Publishes probe events through the shop's event bus (the same Redis and prefix)."""

    def __init__(self, redis_url: str) -> None:
        from subscriptions.bus import RedisBus

        self._bus = RedisBus(redis_url)

    async def send(self, channel: str) -> None:
        from models.orders import OrderStatus
        from subscriptions.events import OrderStatusChanged

        probe = OrderStatusChanged(
            kind="status",
            number=PROBE_NUMBER,
            status=OrderStatus.PENDING_PAYMENT,
            previous_status=None,
            at=datetime.now(UTC),
        )
        await self._bus.publish(channel, probe.to_message())

    async def close(self) -> None:
        await self._bus.stop()
