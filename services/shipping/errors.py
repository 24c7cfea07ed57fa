"""The shipping domain's expected failures: bad definitions, and parcels nobody can carry."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


class ShippingErrorCode(Enum):
    # Staff definitions.
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_CODE = "invalid_code"
    DUPLICATE_CODE = "duplicate_code"
    DUPLICATE_NAME = "duplicate_name"
    INVALID_TRACKING_URL = "invalid_tracking_url"
    INVALID_COUNTRY = "invalid_country"
    COUNTRY_IN_OTHER_ZONE = "country_in_other_zone"
    INVALID_WEIGHT = "invalid_weight"
    INVALID_DIVISOR = "invalid_divisor"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_DAYS = "invalid_days"
    DUPLICATE_BAND = "duplicate_band"
    CARRIER_IN_USE = "carrier_in_use"
    # A parcel to price.
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_DIMENSIONS = "invalid_dimensions"
    TOO_MANY_ITEMS = "too_many_items"
    VARIANT_NOT_FOUND = "variant_not_found"
    DESTINATION_NOT_SERVED = "destination_not_served"
    SERVICE_UNAVAILABLE = "service_unavailable"


class ShippingError(ServiceError):
    """A shipping request that was refused; nothing was changed."""

    @property
    def code(self) -> Enum:
        """The first problem's code: a refused quote has exactly one."""
        return self.problems[0].code


def fail(code: ShippingErrorCode, message: str, *field: str) -> ShippingError:
    """A one-problem `ShippingError`, ready to raise."""
    return ShippingError(Problem(code, message, field or None))


def not_found(what: str, *field: str) -> ShippingError:
    return fail(ShippingErrorCode.NOT_FOUND, f"{what} does not exist.", *field)


class Checks:
    """Collects the problems of one definition, so staff see them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: ShippingErrorCode, message: str, *field: str) -> None:
        self.problems.append(Problem(code, message, field or None))

    def refuse_nulls(self, fields: dict[str, object], names: tuple[str, ...]) -> None:
        """Raise REQUIRED for each of `names` given as null (an update keeps what it omits)."""
        for name in names:
            if name in fields and fields[name] is None:
                self.add(
                    ShippingErrorCode.REQUIRED,
                    "This field cannot be null; leave it out to keep its value.",
                    _camel(name),
                )
        self.raise_any()

    def text(self, value: object, field: str, *, max_length: int) -> str:
        """A trimmed, required one-line text of at most `max_length` characters."""
        text = str(value or "").strip()
        if not text:
            self.add(ShippingErrorCode.REQUIRED, "This field is required.", field)
        elif len(text) > max_length:
            self.add(ShippingErrorCode.INVALID, f"At most {max_length} characters.", field)
        return text

    def raise_any(self) -> None:
        if self.problems:
            raise ShippingError(self.problems)


def _camel(name: str) -> str:
    """The GraphQL spelling of a service field name, for an error's input path."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
