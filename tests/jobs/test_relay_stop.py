"""A relay stops when asked, even when a nudge arrives in the same turn."""

from __future__ import annotations

import asyncio

from jobs.relay import Relay


async def test_stop_is_not_lost_when_a_nudge_wakes_the_relay_at_the_same_time(monkeypatch):
    handed: list[int] = []

    async def hand_over(self: Relay) -> int:
        handed.append(1)
        return 0

    monkeypatch.setattr(Relay, "hand_over", hand_over)
    relay = Relay(kick=lambda: None, interval=3600)  # type: ignore[arg-type,misc]
    for turns in range(4):  # the nudge's wake-up and the cancellation, in every order
        relay.start()
        task = relay._task
        assert task is not None
        await asyncio.sleep(0)
        relay.nudge()
        for _ in range(turns):
            await asyncio.sleep(0)
        stopping = asyncio.create_task(relay.stop())
        done, _ = await asyncio.wait([stopping], timeout=5)
        assert done and task.done(), f"the relay outlived stop() ({turns} turns)"
