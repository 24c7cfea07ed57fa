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
from datetime import UTC, datetime
from typing import Any

import orjson
from tortoise.backends.base.client import TransactionalDBClient

from models.jobs import Job
from services import transactions

#: Called (without awaiting anything) when new jobs are committed; set by the job engine.
Nudge = Callable[[], None]

_nudge: Nudge | None = None

TASK_MAX_LENGTH = 100
KEY_MAX_LENGTH = 200


def configure(nudge: Nudge | None) -> None:
    """Register what wakes this process's relay after a commit (None: the sweep only)."""
    global _nudge
    _nudge = nudge


async def enqueue(task: str, /, *, key: str, **kwargs: Any) -> None:
    """Write a job for `task` with `kwargs` in the current transaction (or at once outside one).

    `key` makes it idempotent: a second enqueue of the same task with the same key is a
    no-op, whatever became of the first. `kwargs` must be JSON values.
    """
    if not task or len(task) > TASK_MAX_LENGTH:
        raise ValueError(f"task name must be 1 to {TASK_MAX_LENGTH} characters")
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"job key must be 1 to {KEY_MAX_LENGTH} characters")
    try:
        arguments = orjson.loads(orjson.dumps(kwargs))
    except TypeError as exc:
        raise ValueError(f"job arguments must be JSON values: {exc}") from None
    now = datetime.now(UTC)
    # ON CONFLICT DO NOTHING: a duplicate must not abort the caller's transaction.
    await Job.bulk_create(
        [Job(task=task, key=key, kwargs=arguments, run_after=now, created_at=now, updated_at=now)],
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
