"""Answers worked out from a parsed document, kept while the document lives.

Documents are parsed once and reused (`schema.documents`), so what depends only on a
document's nodes and a request's variables (its requested cost, the key of a selection)
need not be worked out again for every request that sends the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar
from weakref import ref

import orjson
from cachetools import LRUCache

V = TypeVar("V")

#: Variables longer than this (as JSON) are not kept in a key: answers for them are worked
#: out each time.
MAX_KEYED_VARIABLES = 2048


def variables_key(variables: object) -> bytes | None:
    """Bytes equal for equal variables (coerced values by their repr), None when too long."""
    if not variables:
        return b""
    try:
        keyed = orjson.dumps(variables, default=repr, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # an integer past 64 bits, a non-text key
        return None
    return keyed if len(keyed) <= MAX_KEYED_VARIABLES else None


class AnchoredMemo(Generic[V]):
    """The last `size` answers, each found by its anchors' identity and a hashable key.

    Anchors are the objects an answer was worked out from (a schema, a document, a field
    node), found by `id()`: equal nodes of two documents may answer differently, and
    hashing a node walks all of it. Entries refer to their anchors weakly, so a document no
    longer parsed-and-kept is not held here; an id taken over by a new object never matches
    the entry of the one gone.
    """

    def __init__(self, size: int) -> None:
        self._entries: LRUCache[tuple[Hashable, ...], tuple[tuple[ref[object], ...], V]] = LRUCache(
            maxsize=size
        )

    def get(self, anchors: tuple[object, ...], key: Hashable, compute: Callable[[], V]) -> V:
        """The answer kept for `anchors` and `key`, else `compute()`, kept."""
        full = (*map(id, anchors), key)
        entry = self._entries.get(full)
        if entry is not None and all(r() is a for r, a in zip(entry[0], anchors, strict=True)):
            return entry[1]
        value = compute()
        self._entries[full] = (tuple(map(ref, anchors)), value)
        return value
