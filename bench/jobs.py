"""Time from commit to job start on Redis: the outbox, the relay and a taskiq worker.

    .venv/bin/python -m bench.jobs --database-url postgres://postgres@127.0.0.1:5432/DB \\
                                   --redis-url redis://127.0.0.1:6379/N [--jobs 20]

Migrates the database, starts `tradewind worker --processes 1 --import bench.jobs` (a
process of its own, as in production), then in this process commits one job at a time
inside a transaction, with the relay that every server runs, and waits for the worker to
report the job's start in Redis. Prints the median, 90th percentile and maximum of the
time from the end of the commit to the start of the handler.

This module also defines the probe task (`bench.probe`), which the worker imports; the
multi-process test uses it too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from redis import asyncio as aioredis

from jobs import registry
from settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
PROBE = "bench.probe"


@registry.task(PROBE)
async def probe(*, run: str, n: int) -> None:
    """Record in Redis that job `n` of `run` started: when, where, and how many times."""
    started = time.time()
    redis = aioredis.Redis.from_url(get_settings().redis_url or "")
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.incr(f"{run}:count:{n}")
            pipe.hset(f"{run}:started", str(n), repr(started))
            pipe.hset(f"{run}:pid", str(n), str(os.getpid()))
            pipe.expire(f"{run}:count:{n}", 3600)
            pipe.expire(f"{run}:started", 3600)
            pipe.expire(f"{run}:pid", 3600)
            await pipe.execute()
    finally:
        await redis.aclose()


def start_worker(env: dict[str, str], *, processes: int = 1) -> subprocess.Popen[bytes]:
    """`tradewind worker` with the probe task, in a process of its own."""
    return subprocess.Popen(
        [
            sys.executable,
            "cli.py",
            "worker",
            "--processes",
            str(processes),
            "--import",
            "bench.jobs",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )


async def _measure(count: int, redis_url: str) -> list[float]:
    from tortoise import Tortoise

    from jobs.runtime import Runtime
    from services import jobs, transactions
    from settings import tortoise_config

    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    engine = Runtime(settings, worker=False, scheduler=False)
    await engine.start()
    redis = aioredis.Redis.from_url(redis_url)
    run = f"bench-jobs-{uuid.uuid4().hex[:8]}"
    latencies: list[float] = []
    try:
        for n in range(-1, count):  # job -1 warms the worker up and is not counted
            async with transactions.atomic():
                await jobs.enqueue(PROBE, key=f"{run}:{n}", run=run, n=n)
            committed = time.time()
            deadline = committed + (120 if n < 0 else 20)
            while (started := await redis.hget(f"{run}:started", str(n))) is None:
                if time.time() > deadline:
                    raise SystemExit(f"job {n} did not start: is the worker running?")
                await asyncio.sleep(0.001)
            if n >= 0:
                latencies.append(float(started) - committed)
            await asyncio.sleep(0.05)
    finally:
        await redis.aclose()
        await engine.stop()
        await Tortoise.close_connections()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--jobs", type=int, default=20)
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        JOBS_IN_PROCESS="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-secret-key-" + "x" * 32),
    )
    get_settings.cache_clear()  # read once already, when `settings` was imported
    env = dict(os.environ)
    subprocess.run([sys.executable, "cli.py", "migrate"], cwd=ROOT, env=env, check=True)
    worker = start_worker(env)
    try:
        latencies = asyncio.run(_measure(args.jobs, args.redis_url))
    finally:
        worker.terminate()
        worker.wait(30)
    ms = sorted(x * 1000 for x in latencies)
    print(
        f"{datetime.now(UTC):%Y-%m-%d} {platform.machine()} {os.cpu_count()} CPU(s), "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(
        f"commit to job start over {len(ms)} jobs: median {statistics.median(ms):.1f} ms, "
        f"p90 {ms[int(len(ms) * 0.9) - 1]:.1f} ms, max {ms[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
