"""Leaky buckets of query cost, one per client, as Shopify's GraphQL APIs keep them.

Each client (a key such as `user:42` or `address:203.0.113.9`) has a bucket holding up to
`maximum` points that refills at `restore_rate` points a second. A request takes its
requested cost from the bucket before it runs, or is refused with `Throttled` (nothing
taken); once it has run, the difference between the requested and the actual cost is
given back.

Two stores behind one interface: in-process (the embedded default) and Redis, which every
server process shares. The Redis store falls back to the process's own buckets while
Redis cannot be reached, so an outage never fails a request.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from cachetools import TLRUCache
from redis import asyncio as aioredis
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError

log = logging.getLogger("tradewind.throttle")


@dataclass(frozen=True, slots=True)
class BucketStatus:
    """A client's bucket after a request: what Shopify calls `throttleStatus`."""

    maximum: int
    available: float
    restore_rate: float


class Throttled(Exception):
    """The bucket holds less than the request costs; `retry_after` is whole seconds, ≥ 1."""

    def __init__(self, cost: int, status: BucketStatus) -> None:
        self.cost = cost
        self.status = status
        missing = cost - status.available
        self.retry_after = max(1, math.ceil(missing / status.restore_rate))
        super().__init__(
            f"Throttled: this request costs {cost} points and {math.floor(status.available)} "
            f"are available. Try again in {self.retry_after} seconds."
        )


class Buckets(Protocol):
    async def take(self, key: str, cost: int, *, maximum: int, rate: float) -> BucketStatus:
        """Take `cost` points from `key`'s bucket, or raise `Throttled` (nothing taken)."""
        ...

    async def give_back(self, key: str, points: int, *, maximum: int, rate: float) -> BucketStatus:
        """Return `points` to `key`'s bucket (never beyond `maximum`)."""
        ...

    async def peek(self, key: str, *, maximum: int, rate: float) -> BucketStatus:
        """`key`'s bucket as it is now."""
        ...


def _check(maximum: int, rate: float) -> None:
    if maximum < 1:
        raise ValueError("A bucket must hold at least one point.")
    if not rate > 0:
        raise ValueError("A bucket must refill at a positive rate.")


@dataclass(slots=True)
class _Level:
    available: float
    at: float
    #: When the bucket is full again, after which it can be forgotten.
    full_at: float


class MemoryBuckets:
    """Buckets in this process only: right for one process, and for tests.

    Memory is bounded: a bucket is forgotten once it has refilled (a full bucket is the
    same as none), and beyond `max_keys` the least recently used one is dropped.
    """

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self._levels: TLRUCache[str, _Level] = TLRUCache(
            maxsize=max_keys, ttu=lambda _key, level, _now: level.full_at, timer=clock
        )

    def _apply(self, key: str, delta: float, maximum: int, rate: float, *, take: bool) -> float:
        # No await in here: on one event loop, the check and the change are atomic.
        _check(maximum, rate)
        now = self._clock()
        level = self._levels.get(key)
        available = float(maximum)
        if level is not None:
            available = min(maximum, level.available + max(0.0, now - level.at) * rate)
        if take and delta > available:
            raise Throttled(int(delta), BucketStatus(maximum, available, rate))
        available = min(float(maximum), available - delta)
        self._levels[key] = _Level(available, now, now + (maximum - available) / rate)
        return available

    async def take(self, key: str, cost: int, *, maximum: int, rate: float) -> BucketStatus:
        available = self._apply(key, cost, maximum, rate, take=True)
        return BucketStatus(maximum, available, rate)

    async def give_back(self, key: str, points: int, *, maximum: int, rate: float) -> BucketStatus:
        available = self._apply(key, -points, maximum, rate, take=False)
        return BucketStatus(maximum, available, rate)

    async def peek(self, key: str, *, maximum: int, rate: float) -> BucketStatus:
        available = self._apply(key, 0, maximum, rate, take=False)
        return BucketStatus(maximum, available, rate)


#: One bucket as a hash (available points, Redis time of that level), refilled by Redis's
#: own clock so that every server process agrees. ARGV: maximum, rate per second, points,
#: and whether the points are taken ("1": refused when short) or given back ("0"; negative
#: points). Returns {1 or 0 (refused), the points available after, as a string}.
_BUCKET_SCRIPT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local points = tonumber(ARGV[3])
local level = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = maximum
if level[1] then
    local elapsed = math.max(0, now - tonumber(level[2]))
    available = math.min(maximum, tonumber(level[1]) + elapsed * rate)
end
if ARGV[4] == '1' and points > available then
    return {0, tostring(available)}
end
available = math.min(maximum, available - points)
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((maximum - available) / rate * 1000) + 1000)
return {1, tostring(available)}
"""


class RedisBuckets:
    """Buckets in Redis, shared by every server process; each change is one Lua script,
    which Redis runs atomically, so concurrent requests never both spend the same points.
    """

    def __init__(self, redis_client: aioredis.Redis, prefix: str = "tw:cost:") -> None:
        self._redis = redis_client
        self.prefix = prefix
        self._script: AsyncScript = redis_client.register_script(_BUCKET_SCRIPT)

    async def _run(self, key: str, points: float, maximum: int, rate: float, take: bool) -> float:
        _check(maximum, rate)
        allowed, available = await self._script(
            keys=[self.prefix + key], args=[maximum, rate, points, "1" if take else "0"]
        )
        level = float(available)
        if not int(allowed):
            raise Throttled(int(points), BucketStatus(maximum, level, rate))
        return level

    async def take(self, key: str, cost: int, *, maximum: int, rate: float) -> BucketStatus:
        return BucketStatus(maximum, await self._run(key, cost, maximum, rate, True), rate)

    async def give_back(self, key: str, points: int, *, maximum: int, rate: float) -> BucketStatus:
        return BucketStatus(maximum, await self._run(key, -points, maximum, rate, False), rate)

    async def peek(self, key: str, *, maximum: int, rate: float) -> BucketStatus:
        return BucketStatus(maximum, await self._run(key, 0, maximum, rate, False), rate)


class FallbackBuckets:
    """Redis buckets that use the process's own while Redis cannot be reached.

    The outage is logged once when it starts and once when it ends. After a failure Redis
    is left alone for `retry_seconds`, so requests do not each wait for a dead server.
    """

    def __init__(
        self,
        primary: RedisBuckets,
        *,
        fallback: MemoryBuckets | None = None,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.fallback = fallback or MemoryBuckets()
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._down_until: float | None = None

    @property
    def degraded(self) -> bool:
        """True while the buckets are kept in this process because Redis failed."""
        return self._down_until is not None

    def _store(self) -> Buckets:
        if self._down_until is not None and self._clock() < self._down_until:
            return self.fallback
        return self.primary

    def _failed(self, error: Exception) -> None:
        if self._down_until is None:
            log.warning("throttle.redis_unavailable buckets kept in this process: %r", error)
        self._down_until = self._clock() + self.retry_seconds

    def _answered(self) -> None:
        if self._down_until is not None:
            log.warning("throttle.redis_available buckets back in Redis")
            self._down_until = None

    async def _use(self, call: Callable[[Buckets], Awaitable[BucketStatus]]) -> BucketStatus:
        if self._store() is self.primary:
            try:
                status = await call(self.primary)
            except (RedisError, OSError) as error:
                self._failed(error)
            else:
                self._answered()
                return status
        return await call(self.fallback)

    async def take(self, key: str, cost: int, *, maximum: int, rate: float) -> BucketStatus:
        return await self._use(lambda store: store.take(key, cost, maximum=maximum, rate=rate))

    async def give_back(self, key: str, points: int, *, maximum: int, rate: float) -> BucketStatus:
        return await self._use(
            lambda store: store.give_back(key, points, maximum=maximum, rate=rate)
        )

    async def peek(self, key: str, *, maximum: int, rate: float) -> BucketStatus:
        return await self._use(lambda store: store.peek(key, maximum=maximum, rate=rate))


_buckets: Buckets = MemoryBuckets()


def configure(redis_client: aioredis.Redis | None) -> Buckets:
    """Choose the process's buckets: Redis (with the fallback) when a client is given."""
    global _buckets
    _buckets = (
        FallbackBuckets(RedisBuckets(redis_client)) if redis_client is not None else MemoryBuckets()
    )
    return _buckets


def current() -> Buckets:
    """The process's buckets (in-process until `configure` is called)."""
    return _buckets
