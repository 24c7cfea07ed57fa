"""The reviews domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class ReviewErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_RATING = "invalid_rating"
    NOT_A_BUYER = "not_a_buyer"
    ALREADY_REVIEWED = "already_reviewed"
    TOO_MANY_IMAGES = "too_many_images"
    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"


class ReviewError(ServiceError[ReviewErrorCode]):
    """A reviews request that was refused; nothing was changed."""


fail, not_found = ReviewError.fail, ReviewError.not_found
