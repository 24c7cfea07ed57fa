"""The job engine's parts, started in a process: the relay always, a receiver (worker) and
the scheduler where wanted.

- `tradewind serve`: the relay, and with `JOBS_IN_PROCESS` (the default) a receiver and the
  scheduler too. Embedded, the in-memory broker runs each job in the server's event loop.
- `tradewind worker`: taskiq's worker processes, each opening the database and a relay of
  its own on startup (`open_worker_process`).
- `tradewind scheduler`: the relay and the scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from taskiq import InMemoryBroker
from taskiq.receiver import Receiver
from tortoise import Tortoise

from services import jobs, messaging
from services.payments.gateways import close_gateways
from settings import Settings, tortoise_config
from subscriptions import bus

from . import tasks
from .broker import broker, kick
from .relay import Relay
from .scheduler import Scheduler

log = logging.getLogger("tradewind.jobs")

__all__ = ["Runtime", "open_worker_process", "tasks"]


class Runtime:
    """The parts of the job engine this process runs; `start()` then `stop()`."""

    def __init__(self, settings: Settings, *, worker: bool, scheduler: bool) -> None:
        self._settings = settings
        self._worker = worker
        self._scheduler = scheduler
        self._relay = Relay(kick, settings.jobs_relay_interval)
        self._tasks: list[asyncio.Task[None]] = []
        self._finish = asyncio.Event()
        self._started_broker = False

    async def start(self) -> None:
        if not broker.is_worker_process:
            await broker.startup()
            self._started_broker = True
        self._relay.start()
        jobs.configure(self._relay.nudge)
        if self._worker and not isinstance(broker, InMemoryBroker):
            # The in-memory broker runs each job as it is kicked; Redis needs a listener.
            receiver = Receiver(broker, max_async_tasks=20, run_startup=False)
            self._tasks.append(asyncio.create_task(receiver.listen(self._finish)))
        if self._scheduler:
            self._tasks.append(asyncio.create_task(Scheduler(self._settings).run()))
        self._relay.nudge()  # whatever a previous run left behind

    async def stop(self) -> None:
        jobs.configure(None)
        self._finish.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self._relay.stop()
        if isinstance(broker, InMemoryBroker):
            await broker.wait_all()
        elif self._started_broker:
            await broker.shutdown()


class WorkerProcess:
    """What one `tradewind worker` process opens on startup and closes on shutdown."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._runtime = Runtime(settings, worker=False, scheduler=False)
        self._bus: bus.EventBus | None = None

    async def open(self) -> None:
        await Tortoise.init(config=tortoise_config(self._settings.database_url))
        self._bus = bus.configure(self._settings.redis_url)
        await self._bus.start()
        messaging.configure(self._settings)
        await self._runtime.start()
        log.info("jobs.worker_ready tasks=%s", ",".join(tasks.registry.names()))

    async def aclose(self) -> None:
        await self._runtime.stop()
        if self._bus is not None:
            await self._bus.stop()
        await close_gateways()
        await Tortoise.close_connections()


async def open_worker_process(settings: Settings) -> WorkerProcess:
    process = WorkerProcess(settings)
    await process.open()
    return process
