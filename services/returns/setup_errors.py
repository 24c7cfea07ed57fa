"""The expected failures of the merchant's returns setup: policies and reasons."""

from __future__ import annotations

import unicodedata
from enum import Enum

from services.errors import ServiceError


class ReturnSetupErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    #: A number outside its range: the window (0 to 365 days), the restocking fee (0 to
    #: 5000 basis points), the return shipping fee.
    OUT_OF_RANGE = "out_of_range"
    #: Not one of the shop's locales, or the default one (the reason's own name).
    INVALID_LOCALE = "invalid_locale"
    #: A reason that returns name cannot be deleted: deactivate it instead.
    IN_USE = "in_use"


class ReturnSetupError(ServiceError[ReturnSetupErrorCode]):
    """A change to the return policies or reasons that was refused; nothing was changed."""


fail, not_found = ReturnSetupError.fail, ReturnSetupError.not_found


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control character, a line or paragraph separator, or a lone
    surrogate: a one-line name shown to shoppers and written in reports holds none."""
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in text)
