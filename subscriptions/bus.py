"""The event bus: services publish after commit, subscriptions stream to clients.

Two implementations behind one interface: in-process (the embedded default) and Redis
pub/sub (several server processes serving one shop). Redis pub/sub is at-most-once: a
client that must not miss a change re-reads state after it reconnects.

Channels are named `<domain>:<id>` (`product:42`, `catalog:listing`); messages are JSON
objects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

import orjson
from redis import asyncio as aioredis

log = logging.getLogger("tradewind.bus")

Message = dict[str, Any]

#: Messages a slow subscriber may fall behind by before the oldest are dropped.
QUEUE_SIZE = 256


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def ping(self) -> bool: ...
    async def publish(self, channel: str, message: Message) -> None: ...
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...


class Subscription:
    """A bounded queue of one subscriber's messages; the oldest go when it falls behind."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[Message] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def put(self, message: Message) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            log.warning("bus.subscriber_lagging", extra={"channel": self.channel})
        self._queue.put_nowait(message)

    async def __aiter__(self) -> AsyncIterator[Message]:
        while True:
            yield await self._queue.get()


class _Fanout:
    """Subscriptions of this process by channel."""

    def __init__(self) -> None:
        self.by_channel: dict[str, set[Subscription]] = defaultdict(set)

    def deliver(self, channel: str, message: Message) -> None:
        for subscription in list(self.by_channel.get(channel, ())):
            subscription.put(message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(channel)
        self.by_channel[channel].add(subscription)
        try:
            yield subscription
        finally:
            self.by_channel[channel].discard(subscription)
            if not self.by_channel[channel]:
                del self.by_channel[channel]


class MemoryBus:
    """Delivers to the subscribers of this process only."""

    def __init__(self) -> None:
        self._fanout = _Fanout()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, message: Message) -> None:
        self._fanout.deliver(channel, message)

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        return self._fanout.subscribe(channel)


class RedisBus:
    """Publishes through Redis; one pattern subscription per process feeds local subscribers.

    The reader task reconnects with backoff when Redis goes away; messages published while
    it was away are lost, as with any Redis pub/sub client.
    """

    PREFIX = "tradewind:"

    def __init__(self, url: str) -> None:
        self._redis = aioredis.from_url(url)
        self._fanout = _Fanout()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        self._reader = asyncio.create_task(self._read_forever(), name="redis-bus-reader")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), timeout=5)

    async def stop(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._redis.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except (aioredis.RedisError, OSError):
            return False

    async def publish(self, channel: str, message: Message) -> None:
        await self._redis.publish(self.PREFIX + channel, orjson.dumps(message))

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        return self._fanout.subscribe(channel)

    async def _read_forever(self) -> None:
        delay = 0.1
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(self.PREFIX + "*")
                    self._ready.set()
                    delay = 0.1
                    async for raw in pubsub.listen():
                        if raw.get("type") != "pmessage":
                            continue
                        channel = raw["channel"].decode()[len(self.PREFIX) :]
                        self._fanout.deliver(channel, orjson.loads(raw["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("bus.redis_reader_failed; reconnecting in %.1fs", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


_bus: EventBus = MemoryBus()


def configure(redis_url: str | None) -> EventBus:
    """Choose the process's bus: Redis when a URL is given, in-process otherwise."""
    global _bus
    _bus = RedisBus(redis_url) if redis_url else MemoryBus()
    return _bus


def current() -> EventBus:
    return _bus


async def publish(channel: str, message: Message) -> None:
    """Publish on the process's bus; call only after the transaction that made it commits."""
    try:
        await _bus.publish(channel, message)
    except Exception:
        # The change is committed; a lost notification must not turn it into an error.
        log.exception("bus.publish_failed", extra={"channel": channel})
