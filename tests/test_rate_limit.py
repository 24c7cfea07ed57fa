"""Rate limits: the in-process limiter always, the Redis one when `REDIS_URL` is set.

The behaviour tests run against both through the `limiter` fixture, so the two cannot drift
apart. Windows are fractions of a second to keep the suite fast.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator

import pytest
from redis import asyncio as aioredis

from services import rate_limit
from services.rate_limit import MemoryRateLimiter, RateLimited, RateLimiter, RedisRateLimiter

REDIS_URL = os.environ.get("REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set")


@contextlib.asynccontextmanager
async def isolated_redis() -> AsyncIterator[tuple[aioredis.Redis, str]]:
    """A client on the test Redis and a prefix of this test's own; its keys go afterwards."""
    assert REDIS_URL is not None
    client = aioredis.from_url(REDIS_URL)
    prefix = f"tw:test:rl:{uuid.uuid4().hex}:"
    try:
        yield client, prefix
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture(params=["memory", pytest.param("redis", marks=needs_redis)])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    """Each limiter in turn, empty."""
    if request.param == "memory":
        yield MemoryRateLimiter()
        return
    async with isolated_redis() as (client, prefix):
        yield RedisRateLimiter(client, prefix=prefix)


@pytest.fixture
async def redis_setup() -> AsyncIterator[tuple[RedisRateLimiter, aioredis.Redis]]:
    """A Redis limiter and the client under it, for the Redis-only tests."""
    if not REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    async with isolated_redis() as (client, prefix):
        yield RedisRateLimiter(client, prefix=prefix), client


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_attempts_beyond_the_limit_are_refused_with_retry_after(
    limiter: RateLimiter,
) -> None:
    for _ in range(3):
        await limiter.hit("sign-in:ada", limit=3, window=30)

    with pytest.raises(RateLimited) as caught:
        await limiter.hit("sign-in:ada", limit=3, window=30)

    assert 29 <= caught.value.retry_after <= 30
    assert (
        str(caught.value) == f"Too many attempts. Try again in {caught.value.retry_after} seconds."
    )


async def test_retry_after_is_at_least_one_second(limiter: RateLimiter) -> None:
    await limiter.hit("code-send:ada", limit=1, window=0.3)

    with pytest.raises(RateLimited) as caught:
        await limiter.hit("code-send:ada", limit=1, window=0.3)

    assert caught.value.retry_after == 1
    assert str(caught.value) == "Too many attempts. Try again in 1 second."


async def test_attempts_pass_again_once_the_window_has_passed(limiter: RateLimiter) -> None:
    for _ in range(2):
        await limiter.hit("sign-in:ada", limit=2, window=0.3)
    with pytest.raises(RateLimited):
        await limiter.hit("sign-in:ada", limit=2, window=0.3)

    await asyncio.sleep(0.35)

    await limiter.hit("sign-in:ada", limit=2, window=0.3)


async def test_the_window_slides_with_each_attempt(limiter: RateLimiter) -> None:
    await limiter.hit("sign-in:ada", limit=2, window=0.5)
    await asyncio.sleep(0.25)
    await limiter.hit("sign-in:ada", limit=2, window=0.5)
    await asyncio.sleep(0.3)

    # The first attempt has aged out, the second has not: one slot, not a fresh window.
    await limiter.hit("sign-in:ada", limit=2, window=0.5)
    with pytest.raises(RateLimited):
        await limiter.hit("sign-in:ada", limit=2, window=0.5)


async def test_refused_attempts_are_not_counted(limiter: RateLimiter) -> None:
    await limiter.hit("sign-in:ada", limit=1, window=0.3)
    for _ in range(5):
        with pytest.raises(RateLimited):
            await limiter.hit("sign-in:ada", limit=1, window=0.3)

    await asyncio.sleep(0.35)

    await limiter.hit("sign-in:ada", limit=1, window=0.3)


async def test_reset_clears_a_key(limiter: RateLimiter) -> None:
    for _ in range(2):
        await limiter.hit("sign-in:ada", limit=2, window=30)

    await limiter.reset("sign-in:ada")

    for _ in range(2):
        await limiter.hit("sign-in:ada", limit=2, window=30)


async def test_reset_of_an_unknown_key_is_harmless(limiter: RateLimiter) -> None:
    await limiter.reset("sign-in:nobody")


async def test_keys_are_counted_independently(limiter: RateLimiter) -> None:
    await limiter.hit("sign-in:ada", limit=1, window=30)
    with pytest.raises(RateLimited):
        await limiter.hit("sign-in:ada", limit=1, window=30)

    await limiter.hit("sign-in:grace", limit=1, window=30)
    await limiter.reset("sign-in:grace")
    with pytest.raises(RateLimited):
        await limiter.hit("sign-in:ada", limit=1, window=30)


async def test_concurrent_attempts_let_exactly_the_limit_through(limiter: RateLimiter) -> None:
    results = await asyncio.gather(
        *(limiter.hit("code-send:ada", limit=5, window=30) for _ in range(20)),
        return_exceptions=True,
    )

    assert sum(isinstance(result, str) for result in results) == 5
    assert sum(isinstance(result, RateLimited) for result in results) == 15


async def test_a_forgiven_attempt_no_longer_counts(limiter: RateLimiter) -> None:
    first = await limiter.hit("sign-in:office", limit=2, window=30)
    second = await limiter.hit("sign-in:office", limit=2, window=30)
    await limiter.forgive("sign-in:office", first)
    await limiter.hit("sign-in:office", limit=2, window=30)
    with pytest.raises(RateLimited):
        await limiter.hit("sign-in:office", limit=2, window=30)
    await limiter.forgive("sign-in:office", second)
    await limiter.hit("sign-in:office", limit=2, window=30)


@pytest.mark.parametrize(("limit", "window"), [(0, 30), (-1, 30), (5, 0), (5, -1)])
async def test_a_limit_that_allows_nothing_is_a_programming_error(
    limiter: RateLimiter, limit: int, window: float
) -> None:
    with pytest.raises(ValueError):
        await limiter.hit("sign-in:ada", limit=limit, window=window)


async def test_memory_limiter_drops_keys_whose_attempts_aged_out() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    await limiter.hit("a", limit=5, window=10)
    await limiter.hit("b", limit=5, window=60)

    clock.now += 11
    await limiter.hit("c", limit=5, window=10)

    assert len(limiter) == 2  # "a" went, "b" is still within its window


async def test_memory_limiter_forgets_the_least_recently_used_key_beyond_max_keys() -> None:
    limiter = MemoryRateLimiter(max_keys=3)
    for key in ("a", "b", "c"):
        await limiter.hit(key, limit=1, window=30)
    await limiter.reset("never-hit")

    await limiter.hit("d", limit=1, window=30)

    assert len(limiter) == 3
    await limiter.hit("a", limit=1, window=30)  # forgotten, so counted afresh
    with pytest.raises(RateLimited):
        await limiter.hit("d", limit=1, window=30)


async def test_memory_limiter_retry_after_counts_from_the_oldest_attempt() -> None:
    clock = FakeClock()
    limiter = MemoryRateLimiter(clock=clock)
    await limiter.hit("a", limit=2, window=60)
    clock.now += 20
    await limiter.hit("a", limit=2, window=60)
    clock.now += 15.5

    with pytest.raises(RateLimited) as caught:
        await limiter.hit("a", limit=2, window=60)

    assert caught.value.retry_after == 25  # 24.5 s left, rounded up


async def test_redis_key_expires_with_its_window(
    redis_setup: tuple[RedisRateLimiter, aioredis.Redis],
) -> None:
    redis_limiter, redis_client = redis_setup
    await redis_limiter.hit("sign-in:ada", limit=5, window=30)

    ttl_ms = await redis_client.pttl(f"{redis_limiter.prefix}sign-in:ada")

    assert 29_000 < ttl_ms <= 30_000


async def test_redis_limiter_is_shared_by_every_client(
    redis_setup: tuple[RedisRateLimiter, aioredis.Redis],
) -> None:
    redis_limiter, _ = redis_setup
    # A second client stands for a second server process.
    assert REDIS_URL is not None
    other_client = aioredis.from_url(REDIS_URL)
    try:
        other = RedisRateLimiter(other_client, prefix=redis_limiter.prefix)
        await redis_limiter.hit("sign-in:ada", limit=2, window=30)
        await other.hit("sign-in:ada", limit=2, window=30)

        with pytest.raises(RateLimited):
            await redis_limiter.hit("sign-in:ada", limit=2, window=30)
    finally:
        await other_client.aclose()


async def test_module_functions_use_the_in_process_limiter_until_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rate_limit, "_limiter", rate_limit.current())
    rate_limit.configure(None)
    assert isinstance(rate_limit.current(), MemoryRateLimiter)

    await rate_limit.hit("sign-in:ada", limit=1, window=30)
    with pytest.raises(RateLimited):
        await rate_limit.hit("sign-in:ada", limit=1, window=30)
    await rate_limit.reset("sign-in:ada")
    await rate_limit.hit("sign-in:ada", limit=1, window=30)


async def test_configure_with_a_redis_client_picks_redis_with_the_memory_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rate_limit, "_limiter", rate_limit.current())
    # A client connects lazily, so none is made here and no server is needed.
    client = aioredis.Redis()
    try:
        rate_limit.configure(client)
        limiter = rate_limit.current()
        assert isinstance(limiter, rate_limit.FallbackRateLimiter)
        assert isinstance(limiter.primary, RedisRateLimiter)
    finally:
        await client.aclose()


class _Unreachable:
    """A limiter store that is away until told otherwise, counting the calls it gets."""

    def __init__(self) -> None:
        self.down = True
        self.calls = 0

    async def hit(self, key: str, *, limit: int, window: float) -> str:
        self.calls += 1
        if self.down:
            raise aioredis.ConnectionError("Connection refused")
        return "1"

    async def forgive(self, key: str, attempt: str) -> None:
        if self.down:
            raise aioredis.ConnectionError("Connection refused")

    async def reset(self, key: str) -> None:
        if self.down:
            raise aioredis.ConnectionError("Connection refused")


async def test_while_redis_is_away_limits_are_counted_in_memory_and_logged_once(caplog):
    now = [0.0]
    store = _Unreachable()
    limiter = rate_limit.FallbackRateLimiter(store, retry_seconds=5, clock=lambda: now[0])
    await limiter.hit("k", limit=2, window=60)
    await limiter.hit("k", limit=2, window=60)
    with pytest.raises(RateLimited):
        await limiter.hit("k", limit=2, window=60)
    assert limiter.degraded
    # Redis is not asked again before the retry time: an outage costs no wait per request.
    assert store.calls == 1
    assert caplog.text.count("rate_limit.redis_unavailable") == 1
    store.down = False
    now[0] = 6.0
    await limiter.hit("k", limit=2, window=60)
    assert not limiter.degraded
    assert store.calls == 2
    assert "rate_limit.redis_back" in caplog.text


async def test_an_attempt_counted_in_memory_while_redis_is_away_can_be_forgiven():
    store = _Unreachable()
    limiter = rate_limit.FallbackRateLimiter(store, retry_seconds=5, clock=lambda: 0.0)
    first = await limiter.hit("k", limit=2, window=60)
    await limiter.hit("k", limit=2, window=60)
    await limiter.forgive("k", first)
    await limiter.hit("k", limit=2, window=60)  # the forgiven slot is free again
    with pytest.raises(RateLimited):
        await limiter.hit("k", limit=2, window=60)
