"""How long a subscription streams: a lifetime cap, and never past the viewer's access token."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime
from typing import TypeVar

from graphql import GraphQLError

from schema.context import Context

T = TypeVar("T")

#: `extensions.code` of the error that ends a stream when its access token expires.
TOKEN_EXPIRED = "TOKEN_EXPIRED"


class TokenExpired(GraphQLError):
    """The access token a stream runs under has expired: refresh it and subscribe again."""

    def __init__(self) -> None:
        super().__init__(
            "The access token has expired: refresh it and subscribe again.",
            extensions={"code": TOKEN_EXPIRED},
        )


async def limited(source: AsyncIterable[T], context: Context) -> AsyncIterator[T]:
    """Items of `source` for the connection's time: at the lifetime cap the stream completes
    (the client subscribes again); when the viewer's access token expires first, it raises
    `TokenExpired`, so that a revoked or expired sign-in stops receiving events and the
    client knows to refresh its token."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + context.settings.subscription_lifetime
    token_ends_first = False
    if context.viewer_expires_at is not None:
        left = (context.viewer_expires_at - datetime.now(UTC)).total_seconds()
        if loop.time() + left <= deadline:
            deadline, token_ends_first = loop.time() + left, True
    iterator = aiter(source)
    while True:
        # Not `asyncio.wait_for`: on Python 3.11 it loses a cancellation (the client left)
        # that arrives with an event, and the stream would outlive its connection.
        try:
            async with asyncio.timeout_at(deadline):
                item = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            if token_ends_first:
                raise TokenExpired() from None
            return
        yield item
