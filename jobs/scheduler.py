"""The scheduler: enqueues each periodic job once per interval, from one process at a time.

With Redis, the scheduler holds a lease (a Redis lock with a time-out, renewed every tick):
of several `tradewind scheduler` processes, or several servers running it in-process, one
schedules and the others wait to take over when its lease lapses. Embedded, there is one
process and no lease. Either way each run is keyed by its time slot, so an overlap while a
lease changes hands enqueues nothing twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

from redis import asyncio as aioredis
from redis.exceptions import LockError, RedisError

from services import jobs
from settings import Settings

from .periodic import SCHEDULE

log = logging.getLogger("tradewind.jobs")

LEASE_NAME = "tradewind:scheduler"
#: Seconds a lease lasts unless renewed; a dead scheduler's successor waits this long.
LEASE_SECONDS = 15.0
TICK_SECONDS = 1.0


class Scheduler:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._last_slot: dict[str, int] = {}

    async def tick(self, now: float | None = None) -> list[str]:
        """Enqueue every periodic job whose slot has begun since the last tick; their names."""
        now = time.time() if now is None else now
        started: list[str] = []
        for periodic in SCHEDULE:
            interval = periodic.interval(self._settings)
            if interval <= 0:
                continue
            slot = int(now // interval)
            if self._last_slot.get(periodic.task) == slot:
                continue
            begins = datetime.fromtimestamp(slot * interval, UTC).isoformat()
            await jobs.enqueue(periodic.task, key=f"every {interval:g}s from {begins}")
            self._last_slot[periodic.task] = slot
            started.append(periodic.task)
        return started

    async def run(self) -> None:
        """Tick every second while holding the lease (always, without Redis)."""
        redis = (
            aioredis.Redis.from_url(
                self._settings.redis_url, socket_timeout=5, socket_connect_timeout=5
            )
            if self._settings.redis_url
            else None
        )
        lease = (
            redis.lock(LEASE_NAME, timeout=LEASE_SECONDS, blocking=False, thread_local=False)
            if redis is not None
            else None
        )
        holding = lease is None
        task = asyncio.current_task()
        try:
            while True:
                try:
                    if lease is not None:
                        holding = await self._renew(lease, holding)
                    if holding:
                        await self.tick()
                except Exception:
                    if task is not None and task.cancelling():
                        raise asyncio.CancelledError from None
                    log.exception("jobs.scheduler_failed")
                await asyncio.sleep(TICK_SECONDS)
        finally:
            if lease is not None and holding:
                with contextlib.suppress(LockError, RedisError):
                    await asyncio.shield(lease.release())
            if redis is not None:
                await redis.aclose()

    async def _renew(self, lease: aioredis.lock.Lock, holding: bool) -> bool:
        if holding:
            try:
                await lease.reacquire()
                return True
            except LockError:
                log.warning("jobs.scheduler_lease_lost")
                self._last_slot.clear()
        if await lease.acquire():
            log.info("jobs.scheduler_lease_taken")
            return True
        return False
