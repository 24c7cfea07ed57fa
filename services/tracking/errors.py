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


class TrackingError(ServiceError[TrackingErrorCode]):
    """A tracking request that was refused; nothing was changed."""


fail, not_found = TrackingError.fail, TrackingError.not_found
