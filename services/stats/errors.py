"""The statistics domain's expected failures: a report asked for with arguments it refuses."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


class StatsErrorCode(Enum):
    INVALID_RANGE = "invalid_range"
    RANGE_TOO_LONG = "range_too_long"
    INVALID_TIMEZONE = "invalid_timezone"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_LIMIT = "invalid_limit"


class StatsError(ServiceError):
    """A statistics request that was refused; nothing was computed."""


def fail(code: StatsErrorCode, message: str, *field: str) -> StatsError:
    """A one-problem `StatsError`, ready to raise."""
    return StatsError(Problem(code, message, field or None))
