"""The event bus: the in-process one always, Redis when REDIS_URL is set."""

from __future__ import annotations

import asyncio
import os

import pytest

from subscriptions import bus


async def _one_message(publisher: bus.EventBus, subscriber: bus.EventBus) -> dict:
    async with subscriber.subscribe("product:7") as messages:
        await asyncio.sleep(0.05)
        await publisher.publish("product:8", {"ignored": True})
        await publisher.publish("product:7", {"visible": True})
        iterator = aiter(messages)
        return await asyncio.wait_for(anext(iterator), timeout=5)


async def test_memory_bus_delivers_to_subscribers_of_the_channel():
    memory = bus.MemoryBus()
    assert await _one_message(memory, memory) == {"visible": True}
    assert await memory.ping()


async def test_a_slow_subscriber_loses_the_oldest_messages_not_the_newest():
    memory = bus.MemoryBus()
    async with memory.subscribe("c") as messages:
        for i in range(bus.QUEUE_SIZE + 5):
            await memory.publish("c", {"i": i})
        first = await anext(aiter(messages))
    assert first == {"i": 5}


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_redis_bus_carries_events_between_processes():
    url = os.environ["REDIS_URL"]
    one, two = bus.RedisBus(url), bus.RedisBus(url)  # two server processes
    await one.start()
    await two.start()
    try:
        assert await one.ping()
        assert await _one_message(one, two) == {"visible": True}
    finally:
        await one.stop()
        await two.stop()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_shops_on_other_redis_databases_do_not_hear_each_other():
    url = os.environ["REDIS_URL"]
    base, _, db = url.rpartition("/")
    other = f"{base}/{(int(db or 0) + 1) % 16}"
    ours, theirs, listener = bus.RedisBus(url), bus.RedisBus(other), bus.RedisBus(url)
    for one in (ours, theirs, listener):
        await one.start()
    try:
        async with listener.subscribe("product:7") as messages:
            await asyncio.sleep(0.05)
            await theirs.publish("product:7", {"shop": "theirs"})
            await ours.publish("product:7", {"shop": "ours"})
            iterator = aiter(messages)
            assert await asyncio.wait_for(anext(iterator), timeout=5) == {"shop": "ours"}
    finally:
        for one in (ours, theirs, listener):
            await one.stop()
