"""A lifetime cap for subscriptions, so that no stream holds server resources forever."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

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
