"""The members domain's expected failures (profiles, addresses, privacy and loyalty)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum
from typing import Any

from services.errors import Problem, ServiceError


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


class MemberError(ServiceError):
    """A members request that was refused; nothing was changed."""


def fail(code: MemberErrorCode, message: str, *field: str) -> MemberError:
    """A one-problem `MemberError`, ready to raise."""
    return MemberError(Problem(code, message, field or None))


def not_found(what: str, *field: str) -> MemberError:
    """A NOT_FOUND `MemberError`: also what another member's row reads as."""
    return fail(MemberErrorCode.NOT_FOUND, f"{what} does not exist.", *field)


def null_problems(
    fields: Mapping[str, Any], nullable: Collection[str], names: Mapping[str, str] | None = None
) -> list[Problem]:
    """REQUIRED for each given field set to None that cannot be null (left out is fine).

    An update's explicit null means "clear it"; a field that cannot be cleared refuses it
    rather than storing a default or the text "None". `names` maps a key to its API name
    when the snake-case key does not camel-case to it.
    """
    return [
        Problem(
            MemberErrorCode.REQUIRED,
            "This field cannot be null; leave it out to keep its value.",
            ((names or {}).get(key) or camel(key),),
        )
        for key, value in fields.items()
        if value is None and key not in nullable
    ]


def camel(key: str) -> str:
    """`min_orders` -> `minOrders`: a service key as the API names it."""
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


class Problems:
    """Collects the problems of one request, so the member sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: MemberErrorCode, message: str, *field: str) -> None:
        self.items.append(Problem(code, message, field or None))

    def add_from(self, error: ServiceError) -> None:
        """Take another domain's problems under the member code of the same name."""
        for problem in error.problems:
            code = MemberErrorCode.__members__.get(problem.code.name, MemberErrorCode.INVALID)
            self.items.append(Problem(code, problem.message, problem.field))

    def raise_if_any(self) -> None:
        if self.items:
            raise MemberError(self.items)
