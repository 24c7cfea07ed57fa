"""The event bus: services publish after commit, subscriptions stream to clients.

Two implementations behind one interface: in-process (the embedded default) and Redis
pub/sub (several server processes serving one shop). Redis pub/sub is at-most-once: when
the connection to Redis comes back after a loss, every local subscriber is handed a `Gap`,
and each stream sends its subject's current state, so that no client silently misses an
event published while Redis was away.

Channels are named `<domain>:<id>` (`product:42`, `catalog:listing`); messages are JSON
objects, each an event of `subscriptions.events` (publish and read them there).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import orjson
from redis import asyncio as aioredis

log = logging.getLogger("tradewind.bus")

Message = dict[str, Any]

#: Messages a slow subscriber may fall behind by before the oldest are dropped.
QUEUE_SIZE = 256
#: How far before a lost connection was noticed events may already have gone missing.
GAP_MARGIN = timedelta(seconds=5)
#: Longest wait between attempts to reach Redis again.
RECONNECT_MAX_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Gap:
    """Events published since `since` may have been lost: read the subject's state again."""

    since: datetime


class EventBus(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def ping(self) -> bool: ...
    async def publish(self, channel: str, message: Message) -> None: ...
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...
    def subscribers(self, channel: str) -> int:
        """How many subscriptions of this process listen on `channel`."""
        ...


class Subscription:
    """A bounded queue of one subscriber's messages; the oldest go when it falls behind."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[Message | Gap] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def put(self, message: Message | Gap) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            log.warning("bus.subscriber_lagging", extra={"channel": self.channel})
        self._queue.put_nowait(message)

    async def __aiter__(self) -> AsyncIterator[Message]:
        """The messages, gaps left out (for readers that need no catching up)."""
        async for item in self.with_gaps():
            if not isinstance(item, Gap):
                yield item

    async def with_gaps(self) -> AsyncIterator[Message | Gap]:
        """The messages, and a `Gap` where some may have been lost."""
        while True:
            yield await self._queue.get()


class _Fanout:
    """Subscriptions of this process by channel."""

    def __init__(self) -> None:
        self.by_channel: dict[str, set[Subscription]] = defaultdict(set)

    def deliver(self, channel: str, message: Message) -> None:
        for subscription in list(self.by_channel.get(channel, ())):
            subscription.put(message)

    def count(self, channel: str) -> int:
        return len(self.by_channel.get(channel, ()))

    def deliver_gap(self, gap: Gap) -> int:
        """Hand `gap` to every subscription of this process; answers how many there are."""
        subscriptions = [s for channel in list(self.by_channel.values()) for s in channel]
        for subscription in subscriptions:
            subscription.put(gap)
        return len(subscriptions)

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

    def subscribers(self, channel: str) -> int:
        return self._fanout.count(channel)


class RedisBus:
    """Publishes through Redis; one pattern subscription per process feeds local subscribers.

    The reader task reconnects with backoff when Redis goes away; once back, it hands every
    local subscriber a `Gap` covering the outage. Publishing while Redis is away fails fast
    (`timeout` seconds at most) and is logged in one line: the change is already committed.
    """

    PREFIX = "tradewind:"

    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        self._redis = aioredis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
        # Pub/sub channels belong to the whole server, not to a database number: shops sharing
        # one Redis server on different databases would hear each other without the number.
        db = self._redis.connection_pool.connection_kwargs.get("db", 0)
        self.prefix = f"{self.PREFIX}{db}:"
        # The reader blocks on its socket while the shop is quiet: no read timeout there.
        self._listener = aioredis.from_url(url, socket_connect_timeout=timeout)
        self._fanout = _Fanout()
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self.connected = False

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
        await self._listener.aclose()

    async def ping(self) -> bool:
        """True while Redis answers and this process receives its events."""
        try:
            return self.connected and bool(await self._redis.ping())
        except (aioredis.RedisError, OSError):
            return False

    async def publish(self, channel: str, message: Message) -> None:
        await self._redis.publish(self.prefix + channel, orjson.dumps(message))

    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        return self._fanout.subscribe(channel)

    def subscribers(self, channel: str) -> int:
        return self._fanout.count(channel)

    async def _read_forever(self) -> None:
        delay = 0.1
        lost_at: datetime | None = None
        while True:
            try:
                async with self._listener.pubsub() as pubsub:
                    await pubsub.psubscribe(self.prefix + "*")
                    self.connected = True
                    self._ready.set()
                    delay = 0.1
                    if lost_at is not None:
                        count = self._fanout.deliver_gap(Gap(since=lost_at))
                        log.warning("bus.redis_back subscribers_resent=%d", count)
                        lost_at = None
                    async for raw in pubsub.listen():
                        if raw.get("type") != "pmessage":
                            continue
                        channel = raw["channel"].decode()[len(self.prefix) :]
                        self._fanout.deliver(channel, orjson.loads(raw["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected = False
                if lost_at is None:
                    lost_at = datetime.now(UTC) - GAP_MARGIN
                    log.warning(
                        "bus.redis_lost error=%s; reconnecting, subscribers get current state "
                        "when it is back",
                        type(exc).__name__,
                    )
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)


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
    except (aioredis.RedisError, OSError) as exc:
        # The change is committed; a lost notification must not turn it into an error.
        # Subscribers get the current state when the bus is back (see `Gap`).
        log.warning("bus.publish_failed channel=%s error=%s", channel, type(exc).__name__)
    except Exception:
        log.exception("bus.publish_failed", extra={"channel": channel})
