"""The statistics domain's expected failures: a report asked for with arguments it refuses."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class StatsErrorCode(Enum):
    INVALID_RANGE = "invalid_range"
    RANGE_TOO_LONG = "range_too_long"
    INVALID_TIMEZONE = "invalid_timezone"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_LIMIT = "invalid_limit"


class StatsError(ServiceError[StatsErrorCode]):
    """A statistics request that was refused; nothing was computed."""


fail = StatsError.fail
