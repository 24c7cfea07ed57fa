"""Two API processes and one worker on PostgreSQL and Redis: a job enqueued through either
API process runs exactly once, in the worker."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from redis import asyncio as aioredis

from bench.jobs import PROBE, start_worker
from models.accounts import Role
from models.jobs import Job, JobStatus
from tests.factories import gid, make_user, token_for

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith(("postgres://", "postgresql://")) and REDIS_URL),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
)

RETRY = """
mutation Retry($id: ID!) {
  retryJob(input: {id: $id}) { job { status } errors { code } }
}
"""
JOBS = 20


def _environment(database_url: str) -> dict[str, str]:
    # The API processes run no worker and no scheduler: the worker process runs every job.
    return {**os.environ, "DATABASE_URL": database_url, "JOBS_IN_PROCESS": "0"}


async def _api_process(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not wait for it
        [
            *(sys.executable, "-m", "uvicorn", "server:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                if (await http.get(f"{base}/healthz")).status_code == 200:
                    return process, base
            except httpx.TransportError:
                pass
            assert process.poll() is None, "an API process exited"
            await asyncio.sleep(0.1)
    raise AssertionError("an API process did not start")


@pytest.fixture
async def processes(database_url: str, db: None) -> AsyncIterator[tuple[list[str], set[int]]]:
    """Two API processes (their base URLs) and a worker with two processes of its own."""
    env = _environment(database_url)
    started: list[subprocess.Popen[bytes]] = []
    try:
        worker = start_worker(env, processes=2)
        started.append(worker)
        bases = []
        for _ in range(2):
            process, base = await _api_process(env)
            started.append(process)
            bases.append(base)
        yield bases, {p.pid for p in started[1:]}
    finally:
        for process in started:
            process.terminate()
        for process in started:
            await asyncio.to_thread(process.wait, 30)


async def test_a_job_enqueued_through_either_api_process_runs_once(processes):
    bases, api_pids = processes
    run = f"test-jobs-{uuid.uuid4().hex[:8]}"
    # Jobs that failed for good; staff retry each through both API processes at once.
    created = [
        await Job.create(
            task=PROBE,
            key=f"{run}:{n}",
            kwargs={"run": run, "n": n},
            status=JobStatus.DEAD,
            attempts=5,
            last_error="RuntimeError: down",
            run_after=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for n in range(JOBS)
    ]
    headers = {"Authorization": f"Bearer {token_for(await make_user(role=Role.ADMIN))}"}
    async with httpx.AsyncClient(timeout=30) as http:

        async def retry(base: str, job: Job) -> list[dict[str, str]]:
            response = await http.post(
                f"{base}/graphql",
                json={"query": RETRY, "variables": {"id": gid("Job", job.id)}},
                headers=headers,
            )
            errors: list[dict[str, str]] = response.json()["data"]["retryJob"]["errors"]
            return errors

        outcomes = await asyncio.gather(*(retry(base, job) for job in created for base in bases))
    for first, second in zip(outcomes[::2], outcomes[1::2], strict=True):
        # Exactly one of the two retries of a job took it; the other was refused.
        assert sorted([first, second], key=len) == [[], [{"code": "NOT_RETRYABLE"}]]

    async with asyncio.timeout(90):
        waiting = Job.filter(task=PROBE).exclude(status=JobStatus.DONE)
        while await waiting.exists():  # noqa: ASYNC110 - the rows are the state to wait for
            await asyncio.sleep(0.1)

    redis = aioredis.Redis.from_url(REDIS_URL)
    try:
        await asyncio.sleep(1)  # a second run, had there been one, would show by now
        counts = [await redis.get(f"{run}:count:{n}") for n in range(JOBS)]
        pids = {int(pid) for pid in (await redis.hgetall(f"{run}:pid")).values()}
    finally:
        await redis.aclose()
    assert counts == [b"1"] * JOBS
    assert pids and not pids & api_pids  # the worker ran them, not the API processes
    assert await Job.filter(task=PROBE, attempts=1, status=JobStatus.DONE).count() == JOBS
