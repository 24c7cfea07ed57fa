"""The returns domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class ReturnErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    INVALID_QUANTITY = "invalid_quantity"
    #: The line cannot be returned: `message` says why (final sale, window over, not
    #: delivered yet, already returned).
    NOT_RETURNABLE = "not_returnable"
    #: More units asked back than the line has left to return.
    OVER_RETURNED = "over_returned"
    #: The exchange variant is not for sale, out of stock, or another product's.
    EXCHANGE_UNAVAILABLE = "exchange_unavailable"
    PHOTO_REQUIRED = "photo_required"
    INVALID_PHOTO = "invalid_photo"
    ILLEGAL_TRANSITION = "illegal_transition"
    #: The return changed since the screen read it (its `version`): read it again.
    STALE = "stale"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    #: More units inspected or restocked than came back.
    OVER_RESTOCKED = "over_restocked"
    #: The outcome would give back more than the lines were paid, or than was captured.
    OVER_REFUNDED = "over_refunded"
    #: The outcome's refund failed at the gateway: nothing else was done; try again.
    REFUND_FAILED = "refund_failed"
    #: The order cannot be cancelled any more (shipped), or a request is already open.
    NOT_CANCELLABLE = "not_cancellable"
    #: The return parcel's tracking number fails its check digit (or format); staff may
    #: give it all the same.
    TRACKING_NUMBER_INVALID = "tracking_number_invalid"
    #: The return parcel's tracking number is clearly another carrier's.
    TRACKING_NUMBER_CARRIER_MISMATCH = "tracking_number_carrier_mismatch"


class ReturnError(ServiceError[ReturnErrorCode]):
    """A returns request that was refused; nothing was changed."""


fail, not_found = ReturnError.fail, ReturnError.not_found
