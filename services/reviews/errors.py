"""The reviews domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


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


class ReviewError(ServiceError):
    """A reviews request that was refused; nothing was changed."""


def fail(code: ReviewErrorCode, message: str, *field: str) -> ReviewError:
    """A one-problem `ReviewError`, ready to raise."""
    return ReviewError(Problem(code, message, field or None))


def not_found(what: str, *field: str) -> ReviewError:
    """A NOT_FOUND `ReviewError`: also what another shopper's review reads as."""
    return fail(ReviewErrorCode.NOT_FOUND, f"{what} does not exist.", *field)
