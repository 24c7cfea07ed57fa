"""The customer service domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class SupportErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    #: A conversation cannot make this move from its status (closed, already resolved...).
    ILLEGAL_TRANSITION = "illegal_transition"
    #: The conversation changed since the screen read it (its `version`): read it again.
    STALE = "stale"
    #: Too many messages or conversations in a short time: wait `message` seconds.
    RATE_LIMITED = "rate_limited"
    #: An attachment is not an accepted file, or too large.
    INVALID_ATTACHMENT = "invalid_attachment"
    #: The conversation is closed to new messages: start a new one.
    CLOSED = "closed"
    #: The conversation cannot be rated (not resolved, or not the rater's).
    NOT_RATABLE = "not_ratable"
    #: The staff member lacks the permission this action from the conversation needs.
    FORBIDDEN = "forbidden"


class SupportError(ServiceError[SupportErrorCode]):
    """A customer service request that was refused; nothing was changed."""


fail, not_found = SupportError.fail, SupportError.not_found
