"""A subscription's stream ends when its task is cancelled, whenever an event arrives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

from subscriptions.lifetime import limited


async def test_cancelling_a_stream_as_an_event_arrives_ends_it():
    context: Any = SimpleNamespace(
        settings=SimpleNamespace(subscription_lifetime=3600.0), viewer_expires_at=None
    )
    for turns in range(4):  # the event's wake-up and the cancellation, in every order
        events: asyncio.Queue[int] = asyncio.Queue()
        received: list[int] = []

        async def source(queue: asyncio.Queue[int] = events) -> AsyncIterator[int]:
            while True:
                yield await queue.get()

        async def follow(received: list[int] = received) -> None:
            async for item in limited(source(), context):
                received.append(item)

        task = asyncio.create_task(follow())
        await asyncio.sleep(0)
        events.put_nowait(1)
        for _ in range(turns):
            await asyncio.sleep(0)
        task.cancel()
        done, _ = await asyncio.wait([task], timeout=2)
        assert done, f"the stream outlived its cancellation ({turns} turns, got {received})"
