"""Repeated background jobs: failures are survived, shutdown always ends them."""

from __future__ import annotations

import asyncio
import logging

import pytest

from services import periodic


async def test_a_failed_run_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="tradewind.periodic")
    runs: list[int] = []

    async def flaky() -> int:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("provider down")
        return len(runs)

    off_runs: list[int] = []

    async def off() -> None:
        off_runs.append(1)

    jobs = periodic.Jobs()
    jobs.start(flaky, 0.01, name="flaky")
    jobs.start(off, 0, name="off")  # an interval of 0 leaves a job off
    async with asyncio.timeout(5):
        while len(runs) < 3:  # noqa: ASYNC110 - polling the job's own progress
            await asyncio.sleep(0.01)
    await jobs.stop()
    assert off_runs == []
    assert "flaky failed" in caplog.text
    assert "flaky: 2" in caplog.text


async def test_a_job_that_turns_its_cancellation_into_an_error_still_stops():
    started = asyncio.Event()

    async def swallowing() -> None:
        # What an HTTP client does when cancelled mid-request: raise its own error.
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            raise ConnectionError("request aborted") from None

    jobs = periodic.Jobs()
    jobs.start(swallowing, 0.01, name="swallowing")
    await started.wait()
    async with asyncio.timeout(2):
        await jobs.stop()
