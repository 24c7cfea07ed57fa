"""Transactions whose side effects wait for the commit.

Events must be published only once the change they announce is committed: a subscriber
who re-reads on an event must find it, and a rolled-back change must announce nothing.
Inside `atomic()`, `after_commit(callback)` queues the callback until the outermost
`atomic()` block commits; outside any, it runs at once. A nested block (a savepoint) that
rolls back drops what it queued, even when the outer block goes on and commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar

from tortoise.transactions import in_transaction

Callback = Callable[[], Awaitable[object]]

_pending: ContextVar[list[Callback] | None] = ContextVar("after_commit", default=None)


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """A transaction (a savepoint when nested) that runs queued callbacks after committing."""
    outer = _pending.get()
    queued: list[Callback] = []
    token = _pending.set(queued)
    try:
        async with in_transaction("default"):
            yield
    finally:
        _pending.reset(token)
    if outer is not None:
        outer.extend(queued)  # the savepoint held: its callbacks wait for the outer commit
        return
    for callback in queued:
        await callback()


async def after_commit(callback: Callback) -> None:
    """Run `callback` once the current `atomic()` block commits (at once outside one).

    A rolled-back block drops what it queued.
    """
    queued = _pending.get()
    if queued is None:
        await callback()
    else:
        queued.append(callback)


def in_atomic() -> bool:
    """Whether an `atomic()` block is open here (so `after_commit` waits for its commit)."""
    return _pending.get() is not None
