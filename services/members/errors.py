"""The members domain's expected failures (profiles, addresses, privacy and loyalty)."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class MemberErrorCode(Enum):
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    REQUIRED = "required"
    INVALID_COUNTRY = "invalid_country"
    INVALID_POSTAL_CODE = "invalid_postal_code"
    INVALID_PHONE = "invalid_phone"
    INVALID_EMAIL = "invalid_email"
    INVALID_LOCALE = "invalid_locale"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_DATE = "invalid_date"
    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"
    TOO_MANY_ADDRESSES = "too_many_addresses"
    WRONG_PASSWORD = "wrong_password"
    RATE_LIMITED = "rate_limited"
    # Loyalty.
    INSUFFICIENT_POINTS = "insufficient_points"
    ALREADY_CHECKED_IN = "already_checked_in"
    REWARD_UNAVAILABLE = "reward_unavailable"
    OUT_OF_STOCK = "out_of_stock"
    DUPLICATE_NAME = "duplicate_name"
    DUPLICATE_RANK = "duplicate_rank"
    INVALID_THRESHOLD = "invalid_threshold"
    ALREADY_AWARDED = "already_awarded"


class MemberError(ServiceError[MemberErrorCode]):
    """A members request that was refused; nothing was changed."""


fail, not_found = MemberError.fail, MemberError.not_found
