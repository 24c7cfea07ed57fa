"""The port services hand background work through: an outbox row in their own transaction.

`enqueue("orders.send_email", key=f"placed:{order.number}", order_id=order.id)` writes a job
row with the change it belongs to: a rolled-back change leaves no job, and a committed one
cannot lose its job to a crash before the queue, since the row is the job. After the commit
the process's relay is nudged to hand it to the job engine at once; its periodic sweep
picks up whatever a crash left behind. Services never import `jobs/`: the engine registers
its nudge here with `configure()`, and its handlers by task name on its side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

import orjson
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.queryset import QuerySet

from models.jobs import Job, JobStatus
from services import transactions
from services.errors import ServiceError
from services.pagination import Page, PageRequest, paginate

#: Called (without awaiting anything) when new jobs are committed; set by the job engine.
Nudge = Callable[[], None]

_nudge: Nudge | None = None

TASK_MAX_LENGTH = 100
KEY_MAX_LENGTH = 200


def configure(nudge: Nudge | None) -> None:
    """Register what wakes this process's relay after a commit (None: the sweep only)."""
    global _nudge
    _nudge = nudge


async def enqueue(task: str, /, *, key: str, delay: float = 0.0, **kwargs: Any) -> None:
    """Write a job for `task` with `kwargs` in the current transaction (or at once outside one).

    `key` makes it idempotent: a second enqueue of the same task with the same key is a
    no-op, whatever became of the first. `kwargs` must be JSON values. A `delay` (seconds)
    holds the job back that long; the relay's sweep hands it over once it is due.
    """
    if not task or len(task) > TASK_MAX_LENGTH:
        raise ValueError(f"task name must be 1 to {TASK_MAX_LENGTH} characters")
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"job key must be 1 to {KEY_MAX_LENGTH} characters")
    try:
        arguments = orjson.loads(orjson.dumps(kwargs))
    except TypeError as exc:
        raise ValueError(f"job arguments must be JSON values: {exc}") from None
    if not delay >= 0:
        raise ValueError("a job's delay must be zero or more seconds")
    now = datetime.now(UTC)
    run_after = now + timedelta(seconds=delay)
    # ON CONFLICT DO NOTHING: a duplicate must not abort the caller's transaction.
    await Job.bulk_create(
        [
            Job(
                task=task,
                key=key,
                kwargs=arguments,
                run_after=run_after,
                created_at=now,
                updated_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    if isinstance(Job._meta.db, TransactionalDBClient) and not transactions.in_atomic():
        # A bare `in_transaction()` block has no commit hook: wake the relay a little
        # later, and leave the row to the sweep if the block is still open by then.
        _wake(later=True)
    else:
        await transactions.after_commit(_wake_async)


async def _wake_async() -> None:
    _wake()


def _wake(*, later: bool = False) -> None:
    if _nudge is None:
        return
    if later:
        loop = asyncio.get_running_loop()
        for delay in (0.05, 0.5, 2.0):
            loop.call_later(delay, _nudge)
    else:
        _nudge()


# Staff: jobs that failed for good, and retrying them.


class JobErrorCode(Enum):
    NOT_FOUND = "not_found"
    NOT_RETRYABLE = "not_retryable"


class JobError(ServiceError[JobErrorCode]):
    """A jobs request that was refused; nothing was changed."""


def _jobs(status: JobStatus | None, task: str | None = None) -> QuerySet[Job]:
    jobs = Job.filter(status=status) if status is not None else Job.all()
    return jobs.filter(task=task) if task else jobs


async def list_jobs(
    status: JobStatus | None,
    request: PageRequest,
    *,
    task: str | None = None,
    max_size: int = 100,
) -> Page[Job]:
    """A page of jobs, the newest first; only those in `status`, of `task`, when given."""
    return await paginate(_jobs(status, task), request, descending=True, max_size=max_size)


async def count_jobs(status: JobStatus | None, task: str | None = None) -> int:
    return await _jobs(status, task).count()


async def job_tasks() -> list[str]:
    """The tasks that have jobs, by name (what a list of jobs can be narrowed to)."""
    rows = await Job.all().distinct().order_by("task").values_list("task", flat=True)
    return [str(task) for task in rows]


async def get_job(job_id: int) -> Job:
    """One job; NOT_FOUND when there is none."""
    job = await Job.get_or_none(id=job_id)
    if job is None:
        raise JobError.not_found("The job", "id")
    return job


async def retry_job(job_id: int) -> Job:
    """Run a dead job again: pending now, with all its attempts ahead of it."""
    now = datetime.now(UTC)
    async with transactions.atomic():
        retried = await Job.filter(id=job_id, status=JobStatus.DEAD).update(
            status=JobStatus.PENDING, attempts=0, run_after=now, finished_at=None, updated_at=now
        )
        job = await Job.get_or_none(id=job_id)
        if job is None:
            raise JobError.not_found("The job", "id")
        if not retried:
            raise JobError.fail(
                JobErrorCode.NOT_RETRYABLE,
                f"Only a dead job can be retried; this one is {job.status.value}.",
                "id",
            )
        await transactions.after_commit(_wake_async)
    return job
