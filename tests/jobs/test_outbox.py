"""The outbox: jobs are written with the change that causes them, once per key, and run
once; a failing job is retried with backoff, then dead, and runs again when retried."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from jobs import registry, relay, runner
from models.jobs import Job, JobStatus
from services import jobs, transactions

pytestmark = pytest.mark.usefixtures("db")


class Boom(Exception):
    pass


@pytest.fixture
def calls() -> Iterator[list[dict[str, Any]]]:
    """A test-only task `test.record` that records its arguments, and `test.fail` that
    records them and fails."""
    seen: list[dict[str, Any]] = []

    async def record(**kwargs: Any) -> None:
        seen.append(kwargs)

    async def fail(**kwargs: Any) -> None:
        seen.append(kwargs)
        raise Boom("provider down")

    registry.register("test.record", record)
    registry.register("test.fail", fail)
    try:
        yield seen
    finally:
        registry.unregister("test.record")
        registry.unregister("test.fail")


async def test_a_job_enqueued_outside_a_transaction_runs_once(calls):
    await jobs.enqueue("test.record", key="k1", order_id=7, note="hello")
    job = await Job.get(task="test.record", key="k1")
    assert (job.status, job.attempts, job.kwargs) == (
        JobStatus.PENDING,
        0,
        {"order_id": 7, "note": "hello"},
    )
    assert await relay.run_due() == 1
    assert await relay.run_due() == 0
    assert calls == [{"order_id": 7, "note": "hello"}]
    job = await Job.get(id=job.id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert job.finished_at is not None


async def test_the_same_key_twice_is_one_job(calls):
    await jobs.enqueue("test.record", key="same", n=1)
    async with transactions.atomic():
        await jobs.enqueue("test.record", key="same", n=2)
        await jobs.enqueue("test.record", key="other", n=3)
    assert await Job.filter(task="test.record").count() == 2
    await relay.run_due()
    assert sorted(c["n"] for c in calls) == [1, 3]
    # Even once done, the key stays taken.
    await jobs.enqueue("test.record", key="same", n=4)
    assert await relay.run_due() == 0


async def test_the_same_key_in_another_task_is_another_job(calls):
    await jobs.enqueue("test.record", key="k")
    await jobs.enqueue("test.fail", key="k")
    assert await Job.all().count() == 2


@pytest.mark.parametrize("block", ["atomic", "in_transaction"])
async def test_a_rolled_back_transaction_leaves_no_job(calls, block):
    with pytest.raises(Boom):
        async with transactions.atomic() if block == "atomic" else in_transaction():
            await jobs.enqueue("test.record", key="rolled-back")
            assert await Job.filter(key="rolled-back").exists()
            raise Boom
    assert not await Job.filter(key="rolled-back").exists()
    assert await relay.run_due() == 0
    assert calls == []


@pytest.mark.parametrize("block", ["atomic", "in_transaction"])
async def test_a_committed_transaction_keeps_its_job(calls, block):
    async with transactions.atomic() if block == "atomic" else in_transaction():
        await jobs.enqueue("test.record", key="committed")
    assert await relay.run_due() == 1
    assert calls == [{}]


async def test_a_duplicate_inside_a_transaction_does_not_abort_it(calls):
    await jobs.enqueue("test.record", key="dup")
    async with transactions.atomic():
        await jobs.enqueue("test.record", key="dup")
        # The transaction still works after the duplicate.
        await jobs.enqueue("test.record", key="after-dup")
    assert set(await Job.all().values_list("key", flat=True)) == {"dup", "after-dup"}


@pytest.mark.parametrize(
    ("task", "key", "kwargs"),
    [
        ("", "k", {}),
        ("t" * 101, "k", {}),
        ("test.record", "", {}),
        ("test.record", "k" * 201, {}),
        ("test.record", "k", {"when": object()}),
    ],
)
async def test_bad_arguments_are_refused_and_write_nothing(task, key, kwargs):
    with pytest.raises(ValueError):
        await jobs.enqueue(task, key=key, **kwargs)
    assert await Job.all().count() == 0


async def test_the_commit_nudges_the_relay_and_a_rollback_does_not(calls):
    nudges: list[int] = []
    jobs.configure(lambda: nudges.append(1))
    try:
        async with transactions.atomic():
            await jobs.enqueue("test.record", key="a")
            assert nudges == []  # not before the commit
        assert nudges == [1]
        with pytest.raises(Boom):
            async with transactions.atomic():
                await jobs.enqueue("test.record", key="b")
                raise Boom
        assert nudges == [1]
    finally:
        jobs.configure(None)


async def _make_due(job_id: int) -> None:
    await Job.filter(id=job_id).update(run_after=datetime.now(UTC) - timedelta(seconds=1))


async def test_a_failing_job_retries_with_backoff_then_dies(calls, settings, monkeypatch):
    monkeypatch.setattr(settings, "jobs_max_attempts", 3)
    monkeypatch.setattr(settings, "jobs_retry_base_seconds", 10.0)
    await jobs.enqueue("test.fail", key="f", n=1)
    job = await Job.get(key="f")
    waits = []
    for attempt in (1, 2):
        before = datetime.now(UTC)
        assert await relay.run_due() == 1
        job = await Job.get(id=job.id)
        assert (job.status, job.attempts) == (JobStatus.PENDING, attempt)
        assert "Boom: provider down" in job.last_error
        waits.append((job.run_after - before).total_seconds())
        assert await relay.run_due() == 0  # not due before its backoff has passed
        await _make_due(job.id)
    assert 9 <= waits[0] <= 11 and 19 <= waits[1] <= 21  # 10 s, then twice as long
    assert await relay.run_due() == 1
    job = await Job.get(id=job.id)
    assert (job.status, job.attempts) == (JobStatus.DEAD, 3)
    assert "provider down" in job.last_error
    await _make_due(job.id)
    assert await relay.run_due() == 0  # dead jobs are not run again by themselves
    assert len(calls) == 3


def test_backoff_doubles_up_to_its_cap(settings, monkeypatch):
    monkeypatch.setattr(settings, "jobs_retry_base_seconds", 10.0)
    monkeypatch.setattr(settings, "jobs_retry_max_seconds", 60.0)
    assert [runner.backoff(n) for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]


async def test_an_unknown_task_fails_like_any_error(settings, monkeypatch):
    monkeypatch.setattr(settings, "jobs_max_attempts", 1)
    await jobs.enqueue("test.nobody", key="u")
    await relay.run_due()
    job = await Job.get(key="u")
    assert job.status == JobStatus.DEAD
    assert "no task is registered as 'test.nobody'" in job.last_error


async def test_a_job_is_claimed_by_one_delivery_only(calls):
    await jobs.enqueue("test.record", key="once")
    job = await Job.get(key="once")
    await Job.filter(id=job.id).update(status=JobStatus.QUEUED)
    # Two deliveries of the same message (a redelivery, or two relays), one stale one.
    results = [
        await runner.run(job.id, 0),
        await runner.run(job.id, 0),
        await runner.run(job.id, 5),
    ]
    assert results == [True, False, False]
    assert len(calls) == 1
