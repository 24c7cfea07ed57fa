"""Side effects wait for the commit, and a rollback drops them."""

from __future__ import annotations

import pytest

from models.catalog import Brand
from services.transactions import after_commit, atomic


async def test_callbacks_run_after_the_outermost_commit(db):
    seen: list[str] = []

    async def record() -> None:
        seen.append(f"brands={await Brand.all().count()}")

    async with atomic():
        await Brand.create(name="A", slug="a")
        async with atomic():
            await after_commit(record)
        assert seen == []
    assert seen == ["brands=1"]


async def test_a_rollback_drops_what_it_queued(db):
    seen: list[str] = []

    async def record() -> None:
        seen.append("ran")

    with pytest.raises(RuntimeError):
        async with atomic():
            await after_commit(record)
            raise RuntimeError("refused")
    assert seen == []
    await after_commit(record)  # outside a transaction: at once
    assert seen == ["ran"]


async def test_a_rolled_back_savepoint_drops_its_callbacks_while_the_outer_block_commits(db):
    seen: list[str] = []

    async def record(label: str) -> None:
        seen.append(label)

    async with atomic():
        await after_commit(lambda: record("outer"))
        with pytest.raises(RuntimeError):
            async with atomic():
                await after_commit(lambda: record("inner"))
                raise RuntimeError("refused")
    assert seen == ["outer"]
