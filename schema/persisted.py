"""Persisted queries: documents sent by their SHA-256 hash instead of their text.

Two sources of known documents:
- the trusted documents, `trusted_documents.json` beside this module: every document the
  storefront and the console send, found in `web/` by `cli.py trusted-documents`. Every
  process knows them from start-up.
- documents registered by clients with Apollo's automatic persisted queries protocol (which
  urql's persisted exchange speaks too): a request carrying
  `extensions.persistedQuery = {version: 1, sha256Hash}` and no `query` runs the document
  of that hash; an unknown hash is answered `PersistedQueryNotFound`, and the client sends
  the hash again with the text, which registers it once the hash is checked. Registered
  documents are kept in a bounded LRU per process: another process may answer
  `PersistedQueryNotFound` for a hash this one knows, and the client resends the text.

With `trusted_documents_only`, anonymous callers may run the trusted documents only.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache

from services.auth import Viewer
from settings import Settings

MANIFEST = Path(__file__).resolve().with_name("trusted_documents.json")

#: The protocol's message and code for a hash the server does not know, as Apollo sends them.
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
#: A `persistedQuery` extension that is not version 1 with a SHA-256 hash in hex.
INVALID = "PERSISTED_QUERY_INVALID"
#: A document sent with a hash that is not its own.
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
#: An anonymous caller's document that is not a trusted one, under `trusted_documents_only`.
UNTRUSTED = "UNTRUSTED_DOCUMENT"

_HASH = re.compile(r"[0-9a-fA-F]{64}")


class PersistedQueryError(Exception):
    """A request the protocol refuses, answered before any GraphQL runs."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def sha256(text: str) -> str:
    """The hash a document is persisted under: SHA-256 of its UTF-8 text, in lower-case hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1)
def trusted_documents(path: Path = MANIFEST) -> Mapping[str, str]:
    """The trusted manifest, hash -> text; raises `ValueError` when an entry is not its hash's."""
    documents = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(documents, dict):
        raise ValueError(f"{path.name} must be an object of hash -> document")
    for digest, text in documents.items():
        if not isinstance(text, str) or sha256(text) != digest:
            raise ValueError(f"{path.name}: the entry {digest[:12]} is not the hash of its text")
    return documents


class DocumentStore:
    """Documents by hash: the trusted ones, then those clients registered (an LRU).

    `size` bounds the registered documents in number and `max_chars` each one's length; a
    longer document still runs, but is not kept.
    """

    def __init__(self, *, trusted: Mapping[str, str], size: int, max_chars: int) -> None:
        self.trusted = trusted
        self.max_chars = max_chars
        self._registered: LRUCache[str, str] = LRUCache(maxsize=max(size, 1))

    def get(self, digest: str) -> str | None:
        return self.trusted.get(digest) or self._registered.get(digest)

    def register(self, digest: str, text: str) -> None:
        if digest not in self.trusted and len(text) <= self.max_chars:
            self._registered[digest] = text


def _persisted_hash(extensions: Any) -> str | None:
    """The hash of a request's `persistedQuery` extension, None without one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise PersistedQueryError(400, INVALID, "`extensions.persistedQuery` must be an object.")
    version = persisted.get("version")
    if type(version) is not int or version != 1:
        raise PersistedQueryError(400, INVALID, "Unsupported persisted query version: send 1.")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise PersistedQueryError(
            400, INVALID, "`persistedQuery.sha256Hash` must be a SHA-256 hash in hex."
        )
    return digest.lower()


def without_hash(extensions: Any) -> Any:
    """A request's extensions without `persistedQuery`, which names the document only."""
    if isinstance(extensions, dict) and "persistedQuery" in extensions:
        return {k: v for k, v in extensions.items() if k != "persistedQuery"}
    return extensions


def _untrusted() -> PersistedQueryError:
    return PersistedQueryError(
        403,
        UNTRUSTED,
        "This server runs only its own storefront's documents for anonymous callers: "
        "sign in to send other queries.",
    )


def must_be_trusted(viewer: Viewer, settings: Settings) -> bool:
    """Whether this caller may run trusted documents only.

    Signed-in customers and staff are unaffected: a token names an account that can be
    limited, disabled or held to account, and staff scripts and integrations write their own
    queries. Anonymous traffic is anyone's, so the strict setting closes hand-written (and
    expensive) documents to it; the query cost limits still hold for everybody.
    """
    return settings.trusted_documents_only and not viewer.is_authenticated


def resolve(
    store: DocumentStore,
    *,
    query: str | None,
    extensions: Any,
    viewer: Viewer,
    settings: Settings,
) -> str | None:
    """The text of the document a request runs (None when it sent none); or raises
    `PersistedQueryError` for what the protocol or the strict setting refuses."""
    digest = _persisted_hash(extensions)
    strict = must_be_trusted(viewer, settings)
    if digest is None:
        if query is not None and strict and sha256(query) not in store.trusted:
            raise _untrusted()
        return query
    if query is None:
        text = store.trusted.get(digest) if strict else store.get(digest)
        if text is None:
            if strict:
                raise _untrusted()
            raise PersistedQueryError(200, NOT_FOUND, NOT_FOUND_MESSAGE)
        return text
    if sha256(query) != digest:
        raise PersistedQueryError(400, HASH_MISMATCH, "provided sha does not match query")
    if strict and digest not in store.trusted:
        raise _untrusted()  # and nothing is registered
    store.register(digest, query)
    return query


def untrusted_socket_document(query: str, viewer: Viewer, settings: Settings) -> str | None:
    """Why a WebSocket operation may not run under the strict setting (a message), or None.

    graphql-transport-ws sends the text of each document: an anonymous socket may run a
    trusted document (the storefront's guest order tracking and chat), nothing else.
    """
    if must_be_trusted(viewer, settings) and sha256(query) not in trusted_documents():
        return _untrusted().message
    return None
