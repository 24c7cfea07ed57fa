"""Jobs a server process repeats in the background: sweeps and imports.

Each job runs in its own task, every `interval` seconds, until the process shuts down. A
failed run is logged and the next one runs as planned. Shutdown cancels the tasks; a job
whose library turns the cancellation into an error of its own (an HTTP client does) still
stops, rather than being logged as a failure and run again forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("tradewind.periodic")

Job = Callable[[], Awaitable[object]]


async def repeat(job: Job, interval: float, *, name: str) -> None:
    """Run `job` every `interval` seconds until cancelled; what it returns, when truthy, is
    logged with `name`, and so is a failed run."""
    task = asyncio.current_task()
    while True:
        try:
            result = await job()
        except Exception:
            if task is not None and task.cancelling():
                raise asyncio.CancelledError from None
            log.exception("%s failed", name)
        else:
            if result:
                log.info(
                    "%s: %s", name, f"{len(result)} done" if isinstance(result, list) else result
                )
        await asyncio.sleep(interval)


class Jobs:
    """The process's repeated jobs, started with the server and stopped with it."""

    def __init__(self) -> None:
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, job: Job, interval: float, *, name: str) -> None:
        """Repeat `job` every `interval` seconds; an interval of 0 or less leaves it off."""
        if interval > 0:
            self._tasks.append(asyncio.create_task(repeat(job, interval, name=name), name=name))

    async def stop(self) -> None:
        """Cancel every job and wait for each to end."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
