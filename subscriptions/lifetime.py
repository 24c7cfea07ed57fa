"""A lifetime cap for subscriptions, so that no stream holds server resources forever."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime
from typing import TypeVar

from schema.context import Context

T = TypeVar("T")


async def limited(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Items of `source` until `seconds` have passed; the client then subscribes again."""
    deadline = asyncio.get_running_loop().time() + seconds
    iterator = aiter(source)
    while True:
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0:
            return
        try:
            yield await asyncio.wait_for(anext(iterator), timeout=remaining)
        except (TimeoutError, StopAsyncIteration):
            return


def stream_seconds(context: Context) -> float:
    """How long a stream may run for this connection: the lifetime cap, and never past the
    viewer's access token, so that a revoked or expired sign-in stops receiving events."""
    seconds = context.settings.subscription_lifetime
    if context.viewer_expires_at is not None:
        left = (context.viewer_expires_at - datetime.now(UTC)).total_seconds()
        seconds = min(seconds, left)
    return max(seconds, 0.0)
