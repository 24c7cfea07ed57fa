"""Running one job: claim its row, run its handler, record the outcome.

The claim is a conditional UPDATE on the row's status and attempt count, so of two
deliveries of the same message (a redelivery after a worker's crash, two relays handing
over the same row) exactly one runs the job. A failure makes the job pending again after an
exponential backoff, until it has failed its last attempt: then it is dead, kept with its
error until staff retry it.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from datetime import UTC, datetime, timedelta

from models.jobs import Job, JobStatus
from settings import get_settings

from . import registry

log = logging.getLogger("tradewind.jobs")

ERROR_MAX_LENGTH = 4000


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed run: 1x, 2x, 4x... the base, capped."""
    settings = get_settings()
    base, cap = settings.jobs_retry_base_seconds, settings.jobs_retry_max_seconds
    return float(min(cap, base * 2 ** max(attempts - 1, 0)))


def describe(exc: BaseException) -> str:
    """The error kept on the row: the exception and the end of its traceback."""
    text = "".join(traceback.format_exception(exc)).strip()
    return text[-ERROR_MAX_LENGTH:]


async def run(job_id: int, attempts: int) -> bool:
    """Claim the job if it is still queued after `attempts` runs, and run it.

    True when this call ran it; False when another delivery already did (or does).
    """
    now = datetime.now(UTC)
    claimed = await Job.filter(id=job_id, status=JobStatus.QUEUED, attempts=attempts).update(
        status=JobStatus.RUNNING, attempts=attempts + 1, updated_at=now
    )
    if not claimed:
        log.debug("jobs.claim_lost id=%s attempts=%s", job_id, attempts)
        return False
    job = await Job.get(id=job_id)
    try:
        entry = registry.get(job.task)
        await registry.call(entry, dict(job.kwargs))
    except asyncio.CancelledError:
        # The worker is stopping: the attempt did not happen, the job waits for another.
        await Job.filter(id=job_id, status=JobStatus.RUNNING, attempts=attempts + 1).update(
            status=JobStatus.PENDING, attempts=attempts, updated_at=datetime.now(UTC)
        )
        raise
    except Exception as exc:
        await fail(job, describe(exc))
        return True
    finished = datetime.now(UTC)
    await Job.filter(id=job_id, status=JobStatus.RUNNING, attempts=attempts + 1).update(
        status=JobStatus.DONE, finished_at=finished, updated_at=finished
    )
    log.info("jobs.done task=%s key=%s id=%s", job.task, job.key, job_id)
    return True


def max_attempts_for(task: str) -> int:
    try:
        own = registry.get(task).max_attempts
    except registry.UnknownTask:
        own = None
    return own or get_settings().jobs_max_attempts


async def fail(job: Job, error: str) -> None:
    """Record a failed run of a running job: pending again after a backoff, or dead."""
    now = datetime.now(UTC)
    if job.attempts >= max_attempts_for(job.task):
        changes: dict[str, object] = {"status": JobStatus.DEAD, "finished_at": now}
        log.error(
            "jobs.dead task=%s key=%s id=%s attempts=%s\n%s",
            job.task,
            job.key,
            job.id,
            job.attempts,
            error,
        )
    else:
        wait = backoff(job.attempts)
        changes = {"status": JobStatus.PENDING, "run_after": now + timedelta(seconds=wait)}
        log.warning(
            "jobs.retry task=%s key=%s id=%s attempts=%s in=%.0fs: %s",
            job.task,
            job.key,
            job.id,
            job.attempts,
            wait,
            error.splitlines()[-1] if error else "",
        )
    await Job.filter(id=job.id, status=JobStatus.RUNNING, attempts=job.attempts).update(
        last_error=error, updated_at=now, **changes
    )
