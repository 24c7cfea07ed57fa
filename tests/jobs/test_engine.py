"""The engine in a process: the relay hands committed jobs over at once, the scheduler
enqueues each periodic job once per slot, and only the lease holder schedules."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from redis import asyncio as aioredis

from jobs import registry, relay, runtime
from jobs.periodic import SCHEDULE
from jobs.scheduler import Scheduler
from models.jobs import Job, JobStatus
from services import jobs, transactions
from tests.jobs.test_outbox import Boom

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def ran() -> Iterator[asyncio.Queue[dict[str, Any]]]:
    seen: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def record(**kwargs: Any) -> None:
        await seen.put(kwargs)

    registry.register("test.record", record)
    try:
        yield seen
    finally:
        registry.unregister("test.record")


@pytest.fixture
async def engine(settings) -> AsyncIterator[runtime.Runtime]:
    """This process's engine with a worker (the in-memory broker, or Redis with REDIS_URL)."""
    engine = runtime.Runtime(settings, worker=True, scheduler=False)
    await engine.start()
    try:
        yield engine
    finally:
        await engine.stop()


async def test_a_committed_job_runs_right_after_the_commit(ran, engine):
    async with transactions.atomic():
        await jobs.enqueue("test.record", key="now", n=1)
    async with asyncio.timeout(10):
        assert await ran.get() == {"n": 1}
    async with asyncio.timeout(10):
        while (await Job.get(key="now")).status != JobStatus.DONE:  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_a_job_left_behind_runs_when_the_engine_starts(ran, settings):
    # Committed while no engine ran (a crash between commit and hand-over).
    await jobs.enqueue("test.record", key="left", n=2)
    engine = runtime.Runtime(settings, worker=True, scheduler=False)
    await engine.start()
    try:
        async with asyncio.timeout(10):
            assert await ran.get() == {"n": 2}
    finally:
        await engine.stop()


async def test_the_scheduler_enqueues_each_job_once_per_slot(settings, monkeypatch):
    monkeypatch.setattr(settings, "listing_sweep_interval", 30.0)
    monkeypatch.setattr(settings, "unpaid_sweep_interval", 0.0)  # off
    first, second = Scheduler(settings), Scheduler(settings)
    started = await first.tick(now=90_000.0)
    assert "catalog.sweep_listings" in started
    assert "orders.cancel_unpaid" not in started
    assert await first.tick(now=90_010.0) == []  # the same slots
    # A second scheduler overlapping (a lease changing hands) enqueues nothing twice.
    await second.tick(now=90_020.0)
    assert await Job.filter(task="catalog.sweep_listings").count() == 1
    assert await first.tick(now=90_030.0) == ["catalog.sweep_listings"]
    assert await Job.filter(task="catalog.sweep_listings").count() == 2
    assert not await Job.filter(task="orders.cancel_unpaid").exists()


def test_every_periodic_job_has_a_handler():
    assert {p.task for p in SCHEDULE} <= set(registry.names())
    assert {p.task for p in SCHEDULE} >= {
        "catalog.sweep_listings",
        "currency.import_rates",
        "orders.cancel_unpaid",
        "payments.reconcile",
        "members.recompute_tiers",
        "members.expire_points",
    }


async def test_a_failed_periodic_run_is_kept_and_the_next_slot_runs(settings, monkeypatch):
    runs: list[int] = []

    async def flaky() -> None:
        runs.append(1)
        if len(runs) == 1:
            raise Boom("provider down")

    monkeypatch.setattr(settings, "listing_sweep_interval", 30.0)
    monkeypatch.setitem(
        registry._tasks,
        "catalog.sweep_listings",
        registry.Task("catalog.sweep_listings", flaky, max_attempts=1),
    )
    scheduler = Scheduler(settings)
    await scheduler.tick(now=60_000.0)
    await relay.run_due()
    await scheduler.tick(now=60_030.0)
    await relay.run_due()
    statuses = (
        await Job.filter(task="catalog.sweep_listings")
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses == [JobStatus.DEAD, JobStatus.DONE]
    assert len(runs) == 2


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the lease needs Redis")
async def test_one_scheduler_holds_the_lease_at_a_time(settings):
    redis = aioredis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        a, b = Scheduler(settings), Scheduler(settings)
        name = f"test-lease-{uuid.uuid4().hex}"
        lease_a = redis.lock(name, timeout=15, blocking=False, thread_local=False)
        lease_b = redis.lock(name, timeout=15, blocking=False, thread_local=False)
        assert await a._renew(lease_a, holding=False)
        assert not await b._renew(lease_b, holding=False)
        assert await a._renew(lease_a, holding=True)  # renewed
        await lease_a.release()
        assert await b._renew(lease_b, holding=False)  # taken over
        assert not await a._renew(lease_a, holding=True)  # lost, and noticed
        await lease_b.release()
    finally:
        await redis.aclose()
