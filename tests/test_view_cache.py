"""The view cache and the executor that reuses its views, on a schema of their own."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import strawberry

from schema.response_cache import announce_change, following
from schema.view_cache import ViewCache, ViewExecutionContext, ViewSlot


@strawberry.type
class Part:
    name: str
    _view: strawberry.Private[ViewSlot | None] = None

    @strawberry.field
    def label(self) -> str:
        if self.name == "broken":
            raise ValueError("no label")
        return self.name.upper()

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name[::-1]


CACHE = ViewCache(seconds=60, size=10)


@strawberry.type
class Query:
    @strawberry.field
    def parts(self, names: list[str]) -> list[Part]:
        shape = CACHE.shape("parts")
        found: list[Any] = []
        for name in names:
            view = shape.get(name)
            found.append(view if view is not None else Part(name=name, _view=shape.slot(name)))
        return found


SCHEMA = strawberry.Schema(query=Query, execution_context_class=ViewExecutionContext)
PARTS = "query($names: [String!]!) { parts(names: $names) { name label later } }"


@pytest.fixture(autouse=True)
def _empty() -> None:
    CACHE.flush()


async def test_a_completed_object_is_stored_and_reused_as_is():
    first = await SCHEMA.execute(PARTS, {"names": ["cup", "pot"]})
    assert first.data == {
        "parts": [
            {"name": "cup", "label": "CUP", "later": "puc"},
            {"name": "pot", "label": "POT", "later": "top"},
        ]
    }
    assert len(CACHE) == 2
    stored = CACHE.shape("parts").get("cup")
    assert stored is not None
    # A reused view is taken as the object's answer, whatever it holds.
    CACHE._store("parts", "cup", {"name": "reused", "label": "", "later": ""}, CACHE.generation)
    second = await SCHEMA.execute(PARTS, {"names": ["cup"]})
    assert second.data == {"parts": [{"name": "reused", "label": "", "later": ""}]}


async def test_an_object_answered_with_an_error_is_not_stored():
    result = await SCHEMA.execute(PARTS, {"names": ["broken"]})
    assert result.errors and result.data is None
    assert len(CACHE) == 0


async def test_a_view_built_across_a_flush_is_not_stored():
    slot = CACHE.shape("parts").slot("cup")
    CACHE.flush()
    slot.store({"name": "cup"})
    assert len(CACHE) == 0
    CACHE.shape("parts").slot("cup").store({"name": "cup"})
    stored = CACHE.shape("parts").get("cup")
    assert stored is not None and stored.data == {"name": "cup"}


async def test_views_expire_and_the_cache_stays_within_its_size(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("schema.view_cache.time.monotonic", lambda: now[0])
    cache = ViewCache(seconds=5, size=3)
    for key in range(3):
        cache.shape("s").slot(key).store({"key": key})
    assert len(cache) == 3
    now[0] += 4.9
    assert cache.shape("s").get(0) is not None
    now[0] += 0.2
    assert cache.shape("s").get(0) is None
    cache.shape("other").slot(0).store({"key": 0})
    assert len(cache) <= 3


def test_an_empty_or_timeless_cache_is_off():
    assert not ViewCache(seconds=0, size=10).enabled
    assert not ViewCache(seconds=5, size=0).enabled
    assert ViewCache(seconds=5, size=1).enabled


async def test_a_change_announced_on_the_bus_flushes_the_views(event_bus):
    cache = ViewCache(seconds=60, size=10)
    cache.shape("s").slot(1).store({"id": 1})
    async with following([cache], event_bus):
        await asyncio.sleep(0.05)
        await announce_change()
        for _ in range(100):
            if not len(cache):
                break
            await asyncio.sleep(0.01)
    assert len(cache) == 0
    assert cache.generation == 1
