"""A client over a rate limit: a GraphQL error saying when to try again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from schema.errors import UserFacingError
from services import rate_limit


class RateLimitedError(UserFacingError):
    """Too many attempts from this client; `retryAfter` says when to try again."""

    code = "RATE_LIMITED"


@contextmanager
def rate_limited(message: str) -> Iterator[None]:
    """Turns `rate_limit.RateLimited` raised in the block into a RATE_LIMITED error."""
    try:
        yield
    except rate_limit.RateLimited as exc:
        raise RateLimitedError(message, retryAfter=exc.retry_after) from None
