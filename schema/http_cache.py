"""HTTP caching of GraphQL answers: which may be stored by browsers and CDNs, and 304s.

Only a GET query whose answer the response cache would share (anonymous, every root field
in `SHARED_FIELDS`, no errors) is public: `Cache-Control: public` with an `ETag` that is a
hash of the answer's `data`, so it changes exactly when the answer does. A client that
sends that tag back in `If-None-Match` gets `304 Not Modified` and no body. Everything
else (POST, signed-in callers, a shopper's own fields, errors) is `private, no-store`.

`Vary` names every request header the answer depends on, so a CDN keeps one copy per
language, currency and media type, and never hands an anonymous copy to a request that
carries a token (whose answer may be that member's own).
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from starlette.datastructures import MutableHeaders
from starlette.responses import Response

#: Request headers a GraphQL answer depends on (the host is part of the URL already).
VARY = "Accept, Accept-Language, Authorization, X-Currency"
PRIVATE = "private, no-store"


def answer_tag(result: Any) -> str:
    """The strong `ETag` of an answer: a hash of its data (extensions such as the cost
    report differ between requests without the answer changing)."""
    digest = hashlib.blake2b(orjson.dumps(result.data), digest_size=16).hexdigest()
    return f'"{digest}"'


def public(headers: MutableHeaders, tag: str, seconds: float) -> None:
    """Mark a shared answer storable by anyone, to be revalidated after `seconds`."""
    age = int(seconds)
    headers["Cache-Control"] = f"public, max-age={age}" if age > 0 else "public, no-cache"
    headers["ETag"] = tag
    headers["Vary"] = VARY


def private(headers: MutableHeaders) -> None:
    """Mark an answer no cache may keep (unless it was marked already)."""
    headers.setdefault("Cache-Control", PRIVATE)


def matches(if_none_match: str | None, tag: str) -> bool:
    """Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for it)."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def not_modified(headers: MutableHeaders) -> Response:
    """`304 Not Modified` with the headers the full answer would have had, and no body."""
    kept = {
        name: value
        for name, value in headers.items()
        if name.lower() not in ("content-type", "content-length")
    }
    return Response(status_code=304, headers=kept)
