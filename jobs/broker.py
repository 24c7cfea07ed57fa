"""The job engine's broker: taskiq's in-memory broker embedded, its Redis stream broker with
`REDIS_URL`.

One taskiq task carries every job: `run_job(job_id, attempts)`. The message holds no more
than the row's id, so the outbox row stays the one record of what to run; the handler runs
by the row's task name (see `registry`). `tradewind worker` starts taskiq's own worker
processes on `jobs.broker:broker`; each one opens the database on startup.
"""

from __future__ import annotations

import logging
from typing import Any

from taskiq import AsyncBroker, InMemoryBroker, TaskiqEvents, TaskiqState
from taskiq_redis import RedisStreamBroker

from settings import get_settings

from . import runner

log = logging.getLogger("tradewind.jobs")

#: The Redis stream and consumer group the jobs go through.
STREAM = "tradewind:jobs"
GROUP = "tradewind-workers"


def make_broker(redis_url: str | None) -> AsyncBroker:
    """The broker for this deployment: Redis streams (acknowledged delivery) or in-memory."""
    if not redis_url:
        # Runs each kicked task at once as a task of this process's event loop.
        return InMemoryBroker(max_async_tasks=100)
    return RedisStreamBroker(
        redis_url,
        queue_name=STREAM,
        consumer_group_name=GROUP,
        # The group reads from the stream's start: a message added before the first worker
        # ever ran is still delivered ("$", the default, would skip it).
        consumer_id="0",
        # A message a dead worker took is claimed by another after this long (ms).
        idle_timeout=int(get_settings().jobs_stale_seconds * 1000),
        # Without it, a worker killed while reclaiming holds the reclaim lock for ever.
        unacknowledged_lock_timeout=30,
        xread_block=1000,
        maxlen=100_000,
    )


broker = make_broker(get_settings().redis_url)


@broker.task(task_name="tradewind.run_job")
async def run_job(job_id: int, attempts: int) -> None:
    await runner.run(job_id, attempts)


async def kick(job_id: int, attempts: int) -> Any:
    """Send one job to the engine."""
    return await run_job.kiq(job_id, attempts)


@broker.on_event(TaskiqEvents.WORKER_STARTUP)
async def _worker_startup(state: TaskiqState) -> None:
    if isinstance(broker, InMemoryBroker):
        return  # embedded: the server runs the jobs and has opened all they need
    from . import runtime

    state.process = await runtime.open_worker_process(get_settings())


@broker.on_event(TaskiqEvents.WORKER_SHUTDOWN)
async def _worker_shutdown(state: TaskiqState) -> None:
    process = getattr(state, "process", None)
    if process is not None:
        await process.aclose()
