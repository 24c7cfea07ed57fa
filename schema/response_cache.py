"""Reuse of anonymous query results, as a storefront CDN would, but knowing when they go stale.

Only queries from anonymous callers are cached: their answer depends on nothing but the
HTTP method, the document and operation, the variables and extensions, the negotiated
locale, the host and the X-Currency header, which make the key. Every mutation, every
listing change the sweeper records and every import of exchange rates is announced on the
event bus and empties the cache of every server process; entries also expire after a few
seconds, which bounds how late a sale window that opens or closes on its own is seen.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol

import orjson
from cachetools import TTLCache
from graphql import FieldNode, OperationDefinitionNode, OperationType

from schema.context import Context
from schema.http_cache import answer_tag
from services.auth import Viewer
from subscriptions import bus
from subscriptions.events import (
    LISTING_CHANNEL,
    RATES_CHANNEL,
    STOREFRONT_CHANNEL,
    StorefrontChanged,
    publish,
)

#: `StorefrontChanged` is published after every mutation; the catalog's listing changes
#: and rate imports flush the cache too.
FLUSH_CHANNELS = (STOREFRONT_CHANNEL, LISTING_CHANNEL, RATES_CHANNEL)

#: (HTTP method, document, operation name, variables and extensions, locale, media base,
#: currency).
Key = tuple[str, str, str | None, bytes, str, str, str | None]

#: Root query fields whose anonymous answers are the same for everyone and change only
#: with the catalog, the shop's settings or the rates, all of which flush the cache. Carts,
#: checkout quotes, order lookups and payment methods are a shopper's own: never reused.
SHARED_FIELDS = frozenset(
    {
        "__typename",
        "products",
        "product",
        "categories",
        "category",
        "brands",
        "brand",
        "currencies",
        "currencyQuote",
        "membershipTiers",
        "rewards",
        "shippingOptions",
        "oauthProviders",
    }
)


def shared_answer(operation: OperationDefinitionNode) -> bool:
    """Whether every root field of the operation is in `SHARED_FIELDS`."""
    return all(
        isinstance(selection, FieldNode) and selection.name.value in SHARED_FIELDS
        for selection in operation.selection_set.selections
    )


def reusable(operation: OperationDefinitionNode, viewer: Viewer) -> bool:
    """Whether the operation's answer is everyone's: an anonymous query of shared fields."""
    return (
        not viewer.is_authenticated
        and operation.operation is OperationType.QUERY
        and shared_answer(operation)
    )


class ResponseCache:
    def __init__(self, *, seconds: float, size: int) -> None:
        self.enabled = seconds > 0
        #: Each answer with its ETag.
        self._entries: TTLCache[Key, tuple[Any, str | None]] = TTLCache(
            maxsize=max(size, 1), ttl=max(seconds, 0.001)
        )
        #: Bumped on every flush, so a result computed across a flush is never stored.
        self.generation = 0
        self._running: dict[Key, asyncio.Future[tuple[Any, str | None]]] = {}

    def key(
        self,
        *,
        method: str,
        query: str,
        operation: OperationDefinitionNode,
        variables: Any,
        extensions: Any,
        context: Context,
    ) -> Key | None:
        """The cache key of a request, or None when its answer must not be reused.

        `operation` is the one the request runs, from the document parsed once per request.
        """
        if not self.enabled or not reusable(operation, context.viewer):
            return None
        try:
            encoded = orjson.dumps([variables or {}, extensions or {}], option=orjson.OPT_SORT_KEYS)
        except TypeError:  # uploads and other values that are not plain JSON
            return None
        return (
            method,
            query,
            operation.name.value if operation.name else None,
            encoded,
            context.locale,
            context.media_base,
            context.currency,
        )

    async def get_or_run(self, key: Key, run: Callable[[], Awaitable[Any]]) -> Any:
        """The cached result for `key`, else `run()`'s, stored if it has no errors."""
        result, _ = await self.get_or_run_tagged(key, run)
        return result

    async def get_or_run_tagged(
        self, key: Key, run: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, str | None]:
        """As `get_or_run`, with the answer's ETag (None with errors), computed once per run.

        Requests that miss the same key at the same time share one run, so an expiry
        under load costs one execution, not one per waiting client.
        """
        if (cached := self._entries.get(key)) is not None:
            return cached
        if (pending := self._running.get(key)) is not None:
            return await asyncio.shield(pending)

        async def tagged() -> tuple[Any, str | None]:
            result = await run()
            return result, None if result.errors else answer_tag(result)

        generation = self.generation
        pending = asyncio.ensure_future(tagged())
        self._running[key] = pending
        try:
            entry = await asyncio.shield(pending)
        finally:
            self._running.pop(key, None)
        if generation == self.generation and entry[1] is not None:
            self._entries[key] = entry
        return entry

    def flush(self) -> None:
        self.generation += 1
        self._entries.clear()


async def announce_change() -> None:
    """Tell every process that data shown to shoppers may have changed."""
    await publish(StorefrontChanged())


class Flushable(Protocol):
    """A cache of answers that a change shown to shoppers makes stale."""

    enabled: bool

    def flush(self) -> None: ...


async def follow(caches: Sequence[Flushable], events: bus.EventBus) -> None:
    """Flush `caches` on every change announced on the bus, from any process, until
    cancelled."""

    async def listen(channel: str) -> None:
        async with events.subscribe(channel) as messages:
            async for _ in messages:
                for cache in caches:
                    cache.flush()

    async with asyncio.TaskGroup() as group:
        for channel in FLUSH_CHANNELS:
            group.create_task(listen(channel))


@contextlib.asynccontextmanager
async def following(caches: Sequence[Flushable], events: bus.EventBus) -> Any:
    """Keep the enabled `caches` flushed from the bus while the block runs."""
    enabled = [cache for cache in caches if cache.enabled]
    task = asyncio.create_task(follow(enabled, events)) if enabled else None
    try:
        yield
    finally:
        if task:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
