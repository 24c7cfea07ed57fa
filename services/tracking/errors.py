"""The tracking domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class TrackingErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_STATUS = "invalid_status"
    INVALID_SUB_STATUS = "invalid_sub_status"
    INVALID_TIME = "invalid_time"
    INVALID_COUNTRY = "invalid_country"
    INVALID_DATE = "invalid_date"
    NOT_A_PROBLEM = "not_a_problem"
    #: The parcel was already sent again; reship its replacement if that one is in trouble.
    ALREADY_RESHIPPED = "already_reshipped"
    #: The tracking number's check digit (or its format) is wrong; staff may send it anyway.
    TRACKING_NUMBER_INVALID = "tracking_number_invalid"
    #: The tracking number is clearly another carrier's; staff may send it anyway.
    TRACKING_NUMBER_CARRIER_MISMATCH = "tracking_number_carrier_mismatch"
    #: Not enough units available to send the parcel again.
    INSUFFICIENT_STOCK = "insufficient_stock"


class TrackingError(ServiceError[TrackingErrorCode]):
    """A tracking request that was refused; nothing was changed."""


fail, not_found = TrackingError.fail, TrackingError.not_found
