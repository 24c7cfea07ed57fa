"""Reuse of executed object views: a node's answer, completed once, served to later requests.

A list resolver that knows a node's answer depends only on the node's row, the selection
below it and a few request facts (locale, currency, media host) asks the cache for it by a
key made of those. A hit skips the node's fetching, building and the execution of every
field below it: the engine takes the stored answer as the node's completed value. A miss
builds the node as usual, carrying a `ViewSlot`; once the engine has completed it, without
an error, the slot stores the answer.

Entries expire after a few seconds and the whole cache empties on the same events as the
response cache (`schema.response_cache.FLUSH_CHANNELS`): a view computed across a flush is
never stored.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass
from typing import Any, cast

from graphql import GraphQLObjectType, GraphQLResolveInfo
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext


@dataclass(frozen=True, slots=True)
class CachedView:
    """A node's answer as the engine completed it: the dict its response holds."""

    data: dict[str, Any]
    expires_at: float


class ViewCache:
    """Completed views for `seconds` each, at most `size` of them.

    Views are grouped by shape (what the answer depends on besides the object: the
    selection, the locale...), then by object: a page hashes its shape once, then looks up
    its objects by id.
    """

    def __init__(self, *, seconds: float, size: int) -> None:
        self.enabled = seconds > 0 and size > 0
        self.seconds = seconds
        self.size = size
        self._shapes: dict[Hashable, dict[Hashable, CachedView]] = {}
        self._count = 0
        #: Bumped on every flush, so that a view built across a flush is never stored.
        self.generation = 0

    def shape(self, key: Hashable) -> ViewShape:
        """The views of one shape, as they stand now."""
        return ViewShape(self, key, self._shapes.get(key), self.generation, time.monotonic())

    def flush(self) -> None:
        self.generation += 1
        self._shapes = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _store(self, shape: Hashable, key: Hashable, data: dict[str, Any], generation: int) -> None:
        if generation != self.generation:
            return
        if self._count >= self.size:
            # Full: start again rather than keep the order of use of every view.
            self._shapes = {}
            self._count = 0
        views = self._shapes.setdefault(shape, {})
        self._count += key not in views
        views[key] = CachedView(data, time.monotonic() + self.seconds)


class ViewShape:
    """The views of one shape, read at one moment, by object key."""

    __slots__ = ("_cache", "_generation", "_key", "_now", "_views")

    def __init__(
        self,
        cache: ViewCache,
        key: Hashable,
        views: dict[Hashable, CachedView] | None,
        generation: int,
        now: float,
    ) -> None:
        self._cache, self._key, self._views = cache, key, views
        self._generation, self._now = generation, now

    def get(self, key: Hashable) -> CachedView | None:
        """The object's view if one is stored and fresh."""
        if self._views is None or (view := self._views.get(key)) is None:
            return None
        return view if view.expires_at > self._now else None

    def slot(self, key: Hashable) -> ViewSlot:
        """Where the object's view, about to be built, goes once it is complete."""
        return ViewSlot(self._cache, self._key, key, self._generation)


@dataclass(frozen=True, slots=True)
class ViewSlot:
    cache: ViewCache
    shape: Hashable
    key: Hashable
    generation: int

    def store(self, data: dict[str, Any]) -> None:
        """Keep `data` unless the cache was flushed since the shape was read."""
        self.cache._store(self.shape, self.key, data, self.generation)


class ViewExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, taking a `CachedView` as its object's completed value and
    handing what it completes for an object with a `_view` slot to that slot."""

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        if type(result) is CachedView:
            return result.data
        slot: ViewSlot | None = getattr(result, "_view", None)
        if slot is None:
            return super().complete_object_value(
                return_type, field_details_list, info, path, result, position_context
            )
        errors = self.collected_errors.errors
        before = len(errors)
        completed = super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )
        if self.is_awaitable(completed):
            return self._store_when_done(completed, slot, before)
        if len(errors) == before:
            slot.store(cast(dict[str, Any], completed))
        return completed

    async def _store_when_done(
        self, completed: Awaitable[dict[str, Any]], slot: ViewSlot, before: int
    ) -> dict[str, Any]:
        data = await completed
        # Another node's error in the meantime also keeps this one out: never one too many.
        if len(self.collected_errors.errors) == before:
            slot.store(data)
        return data
