"""Limits against abuse (sign-in attempts, codes sent), counted per key.

A key names what is limited, such as `sign-in:account:42` or `code-send:address:203.0.113.9`.
Windows slide: an attempt counts for exactly `window` seconds after it was made, so there
is no burst of twice the limit at a window boundary. Refused attempts are not counted, so a
client that keeps hammering is let through again once its counted attempts age out.

A counted attempt can be forgiven afterwards (a sign-in that succeeded), so that only
failures use up a limit while concurrent attempts are still counted before they run.

Two implementations behind one interface: in-process (the embedded default) and Redis,
which every server process shares. While Redis does not answer, limits are counted in the
process's own memory (logged once per outage) rather than failing the request; Redis is
tried again every `RETRY_SECONDS` and used again as soon as it answers.
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from cachetools import TLRUCache
from redis import asyncio as aioredis
from redis.commands.core import AsyncScript

log = logging.getLogger("tradewind.rate_limit")

#: Seconds between attempts to reach Redis again while it is away.
RETRY_SECONDS = 5.0


class RateLimited(Exception):
    """Too many attempts for one key; `retry_after` is whole seconds, at least 1."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = max(1, retry_after)
        unit = "second" if self.retry_after == 1 else "seconds"
        super().__init__(f"Too many attempts. Try again in {self.retry_after} {unit}.")


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> str:
        """Count one attempt for `key`, or raise `RateLimited` if `limit` are already counted
        within the last `window` seconds (the refused attempt is not counted). Returns an
        opaque id of the counted attempt, for `forgive`."""
        ...

    async def forgive(self, key: str, attempt: str) -> None:
        """Stop counting one attempt `hit` counted for `key` (nothing if it aged out)."""
        ...

    async def reset(self, key: str) -> None:
        """Forget every attempt counted for `key`."""
        ...


def _check(limit: int, window: float) -> None:
    if limit < 1:
        raise ValueError("A rate limit must allow at least one attempt.")
    if not window > 0:
        raise ValueError("A rate-limit window must be a positive number of seconds.")


def _whole_seconds(seconds: float) -> int:
    # Rounded up: a client that waits the advertised time must find the slot free.
    return max(1, math.ceil(seconds))


@dataclass(slots=True)
class _Attempts:
    """The times of one key's counted attempts, oldest first; never more than `limit`."""

    window: float
    times: deque[float] = field(default_factory=deque)

    @property
    def expires(self) -> float:
        return self.times[-1] + self.window if self.times else -math.inf


class MemoryRateLimiter:
    """Counts attempts in this process only: right for one process, and for tests.

    Memory is bounded: a key is dropped once its last attempt has aged out, and beyond
    `max_keys` the least recently used key is dropped (forgetting its attempts).
    """

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        # TLRUCache expires each key at its own time (windows differ between kinds of key)
        # and evicts the least recently used key when full.
        self._keys: TLRUCache[str, _Attempts] = TLRUCache(
            maxsize=max_keys, ttu=lambda _key, attempts, _now: attempts.expires, timer=clock
        )

    def __len__(self) -> int:
        """Keys currently tracked (expired ones are dropped lazily, on the next change)."""
        return len(self._keys)

    async def hit(self, key: str, *, limit: int, window: float) -> str:
        """Count one attempt for `key`, or raise `RateLimited` (see `RateLimiter.hit`)."""
        _check(limit, window)
        # No await from here to the end: on one event loop this check-and-count is atomic,
        # so concurrent callers can never both take the last slot.
        now = self._clock()
        attempts = self._keys.get(key)
        if attempts is None:
            attempts = _Attempts(window)
        # The latest window wins, should a caller change it for a key that already has one.
        attempts.window = window
        times = attempts.times
        while times and times[0] <= now - window:
            times.popleft()
        if len(times) >= limit:
            raise RateLimited(_whole_seconds(times[0] + window - now))
        times.append(now)
        # Set again even when present: refreshes the key's expiry and its LRU position.
        self._keys[key] = attempts
        # Attempts made at the same instant are interchangeable: the time names one.
        return repr(now)

    async def forgive(self, key: str, attempt: str) -> None:
        """Stop counting one attempt (see `RateLimiter.forgive`)."""
        attempts = self._keys.get(key)
        if attempts is not None and float(attempt) in attempts.times:
            attempts.times.remove(float(attempt))

    async def reset(self, key: str) -> None:
        """Forget every attempt counted for `key`."""
        self._keys.pop(key, None)


#: Sliding window on a sorted set scored by Redis's own clock in microseconds, so every
#: server process agrees on the time. Returns 0 when the attempt was counted, otherwise
#: the microseconds until the oldest counted attempt ages out.
_HIT_SCRIPT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return 0
"""


class RedisRateLimiter:
    """Counts attempts in Redis, shared by every server process.

    Each hit is one Lua script, which Redis runs atomically: concurrent callers in any
    process never both take the last slot.
    """

    def __init__(self, redis_client: aioredis.Redis, prefix: str = "tw:rl:") -> None:
        self._redis = redis_client
        self.prefix = prefix
        self._hit_script: AsyncScript = redis_client.register_script(_HIT_SCRIPT)

    async def hit(self, key: str, *, limit: int, window: float) -> str:
        """Count one attempt for `key`, or raise `RateLimited` (see `RateLimiter.hit`)."""
        _check(limit, window)
        window_us = max(1, math.ceil(window * 1_000_000))
        # A unique member: two attempts in the same microsecond must count twice.
        member = uuid.uuid4().hex
        wait_us = int(
            await self._hit_script(keys=[self.prefix + key], args=[window_us, limit, member])
        )
        if wait_us > 0:
            raise RateLimited(_whole_seconds(wait_us / 1_000_000))
        return member

    async def forgive(self, key: str, attempt: str) -> None:
        """Stop counting one attempt (see `RateLimiter.forgive`)."""
        await self._redis.zrem(self.prefix + key, attempt)

    async def reset(self, key: str) -> None:
        """Forget every attempt counted for `key`."""
        await self._redis.delete(self.prefix + key)


#: Marks on a `FallbackRateLimiter` attempt id: counted in Redis, or in this process.
_PRIMARY, _FALLBACK = "r:", "m:"


class FallbackRateLimiter:
    """Counts in Redis while it answers, and in this process's memory while it does not.

    An outage costs the limits their sharing between processes, never a request: a
    sign-in must not fail because the limiter's store is away. Attempts counted in memory
    are not carried over to Redis when it returns.
    """

    def __init__(
        self,
        primary: RateLimiter,
        *,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.fallback = MemoryRateLimiter(clock=clock)
        self._retry_seconds = retry_seconds
        self._clock = clock
        #: While Redis is away, when to try it again.
        self._retry_at: float | None = None

    @property
    def degraded(self) -> bool:
        """True while limits are counted in this process's memory."""
        return self._retry_at is not None

    def _primary_due(self) -> bool:
        return self._retry_at is None or self._clock() >= self._retry_at

    def _lost(self, exc: BaseException) -> None:
        if self._retry_at is None:
            log.warning(
                "rate_limit.redis_unavailable error=%s; counting in this process until it is back",
                type(exc).__name__,
            )
        self._retry_at = self._clock() + self._retry_seconds

    def _answered(self) -> None:
        if self._retry_at is not None:
            log.warning("rate_limit.redis_back; counting in Redis again")
            self._retry_at = None

    async def hit(self, key: str, *, limit: int, window: float) -> str:
        """Count one attempt for `key`, or raise `RateLimited` (see `RateLimiter.hit`).

        The attempt's id says where it was counted, so `forgive` finds it there.
        """
        if self._primary_due():
            try:
                attempt = await self.primary.hit(key, limit=limit, window=window)
            except (aioredis.RedisError, OSError) as exc:
                self._lost(exc)
            else:
                self._answered()
                return f"{_PRIMARY}{attempt}"
        return f"{_FALLBACK}{await self.fallback.hit(key, limit=limit, window=window)}"

    async def forgive(self, key: str, attempt: str) -> None:
        """Give back one attempt `hit` counted, wherever it was counted."""
        if attempt.startswith(_FALLBACK):
            await self.fallback.forgive(key, attempt.removeprefix(_FALLBACK))
            return
        if self._primary_due():
            try:
                await self.primary.forgive(key, attempt.removeprefix(_PRIMARY))
            except (aioredis.RedisError, OSError) as exc:
                self._lost(exc)
            else:
                self._answered()

    async def reset(self, key: str) -> None:
        """Forget every attempt counted for `key`, in Redis and in memory."""
        await self.fallback.reset(key)
        if self._primary_due():
            try:
                await self.primary.reset(key)
            except (aioredis.RedisError, OSError) as exc:
                self._lost(exc)
            else:
                self._answered()


_limiter: RateLimiter = MemoryRateLimiter()


def configure(redis_client: aioredis.Redis | None) -> None:
    """Choose the process's limiter: Redis (with the in-process fallback) when a client is
    given, in-process otherwise."""
    global _limiter
    _limiter = (
        FallbackRateLimiter(RedisRateLimiter(redis_client))
        if redis_client is not None
        else MemoryRateLimiter()
    )


def current() -> RateLimiter:
    """The process's limiter (in-process until `configure` is called)."""
    return _limiter


async def hit(key: str, *, limit: int, window: float) -> str:
    """Count one attempt for `key` on the process's limiter, or raise `RateLimited`;
    returns the attempt's id for `forgive`."""
    return await _limiter.hit(key, limit=limit, window=window)


async def forgive(key: str, attempt: str) -> None:
    """Stop counting one attempt `hit` counted for `key` on the process's limiter."""
    await _limiter.forgive(key, attempt)


async def reset(key: str) -> None:
    """Forget every attempt counted for `key` on the process's limiter."""
    await _limiter.reset(key)
