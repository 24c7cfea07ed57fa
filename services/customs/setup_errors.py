"""The expected failures of the merchant's customs setup: duty rates, markets, registrations."""

from __future__ import annotations

import unicodedata
from enum import Enum

import pycountry

from services.errors import ServiceError


class CustomsSetupErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    TOO_LONG = "too_long"
    INVALID_COUNTRY = "invalid_country"
    INVALID_HS_PREFIX = "invalid_hs_prefix"
    INVALID_RATE = "invalid_rate"
    RATE_OUT_OF_RANGE = "rate_out_of_range"
    INVALID_SOURCE = "invalid_source"
    # A CSV file of duty rates.
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    INVALID_ENCODING = "invalid_encoding"
    INVALID_HEADER = "invalid_header"
    INVALID_ROW = "invalid_row"
    DUPLICATE_ROW = "duplicate_row"
    TOO_MANY_ERRORS = "too_many_errors"
    # Markets and registrations.
    INVALID_INCOTERM = "invalid_incoterm"
    INVALID_REGISTRATION_KIND = "invalid_registration_kind"
    INVALID_REGISTRATION_NUMBER = "invalid_registration_number"


class CustomsSetupError(ServiceError[CustomsSetupErrorCode]):
    """A change to the customs setup that was refused; nothing was changed."""


fail, not_found = CustomsSetupError.fail, CustomsSetupError.not_found


def country_code(value: object) -> str | None:
    """The ISO 3166-1 alpha-2 code `value` spells (any case, trimmed), or None."""
    code = str(value or "").strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return None
    return code if pycountry.countries.get(alpha_2=code) is not None else None


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control, format-less separator or unpaired surrogate character.

    A one-line value (a source, a number) is printed on documents and written to CSV: a line
    break, a NUL or a lone surrogate in it would break both.
    """
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in text)
