"""The outbox relay: hands committed jobs to the engine, and recovers what a crash left.

`hand_over` marks each due pending row queued (a conditional UPDATE, so two relays never
hand over the same row twice) and kicks one message per row. A process wakes its relay
right after a commit (the `services.jobs` nudge) and also sweeps every
`jobs_relay_interval` seconds for rows left behind: a crash between commit and kick, a
retry whose backoff has passed. `recover` puts back jobs whose worker was lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from models.jobs import Job, JobStatus
from settings import get_settings

from . import runner

log = logging.getLogger("tradewind.jobs")

#: Sends one job to the engine: (job id, attempts so far).
Kick = Callable[[int, int], Awaitable[object]]

BATCH = 200


async def hand_over(kick: Kick, *, limit: int = BATCH) -> int:
    """Queue and kick every pending job that is due (at most `limit`); how many were."""
    now = datetime.now(UTC)
    due = (
        await Job.filter(status=JobStatus.PENDING, run_after__lte=now)
        .order_by("run_after", "id")
        .limit(limit)
        .values_list("id", "attempts")
    )
    handed = 0
    for job_id, attempts in due:
        taken = await Job.filter(id=job_id, status=JobStatus.PENDING, attempts=attempts).update(
            status=JobStatus.QUEUED, updated_at=datetime.now(UTC)
        )
        if not taken:
            continue
        try:
            await kick(job_id, attempts)
        except Exception:
            # The engine is unreachable: the row waits for the next sweep.
            log.exception("jobs.kick_failed id=%s", job_id)
            await Job.filter(id=job_id, status=JobStatus.QUEUED, attempts=attempts).update(
                status=JobStatus.PENDING, updated_at=datetime.now(UTC)
            )
            break
        handed += 1
    return handed


async def run_here(job_id: int, attempts: int) -> None:
    """A kick that runs the job in this task, without the engine (tests, one-off runs)."""
    await runner.run(job_id, attempts)


async def run_due(*, limit: int = BATCH) -> int:
    """Run every due pending job here and now, one after the other; how many ran."""
    return await hand_over(run_here, limit=limit)


async def recover(*, stale_seconds: float | None = None) -> int:
    """Put back jobs queued or running for longer than `jobs_stale_seconds`.

    A queued one lost its message (the engine's process died): it is handed over again. A
    running one lost its worker: that counts as a failed attempt.
    """
    stale = stale_seconds if stale_seconds is not None else get_settings().jobs_stale_seconds
    now = datetime.now(UTC)
    cutoff = now - timedelta(seconds=stale)
    requeued = await Job.filter(status=JobStatus.QUEUED, updated_at__lt=cutoff).update(
        status=JobStatus.PENDING, updated_at=now
    )
    lost = await Job.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff)
    for job in lost:
        await runner.fail(job, f"worker lost: no outcome after {stale:.0f} s")
    return requeued + len(lost)


async def prune(*, keep_days: float | None = None) -> int:
    """Delete jobs done more than `jobs_keep_days` ago; dead jobs stay for staff."""
    days = keep_days if keep_days is not None else get_settings().jobs_keep_days
    cutoff = datetime.now(UTC) - timedelta(days=days)
    return await Job.filter(status=JobStatus.DONE, finished_at__lt=cutoff).delete()


class Relay:
    """A process's relay: a task that hands over jobs when nudged and every `interval`."""

    def __init__(self, kick: Kick, interval: float) -> None:
        self._kick = kick
        self._interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def nudge(self) -> None:
        """Wake the relay now (safe to call from any code on the loop; never blocks)."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="jobs.relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        task = asyncio.current_task()
        while True:
            # Not `asyncio.wait_for`: on Python 3.11 it loses a cancellation that arrives
            # as the event is set, and the relay then outlives the server's shutdown.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._interval):
                    await self._wake.wait()
            self._wake.clear()
            try:
                while await self.hand_over() >= BATCH:
                    pass
            except Exception:
                if task is not None and task.cancelling():
                    raise asyncio.CancelledError from None
                log.exception("jobs.relay_failed")

    async def hand_over(self) -> int:
        return await hand_over(self._kick)
