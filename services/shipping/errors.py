"""The shipping domain's expected failures: bad definitions, and parcels nobody can carry."""

from __future__ import annotations

from enum import Enum

from services.errors import Problems, ServiceError


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


class ShippingError(ServiceError[ShippingErrorCode]):
    """A shipping request that was refused; nothing was changed."""

    @property
    def code(self) -> Enum:
        """The first problem's code: a refused quote has exactly one."""
        return self.problems[0].code


fail, not_found = ShippingError.fail, ShippingError.not_found


def text(
    problems: Problems[ShippingErrorCode], value: object, field: str, *, max_length: int
) -> str:
    """A trimmed, required one-line text of at most `max_length` characters."""
    text = str(value or "").strip()
    if not text:
        problems.add(ShippingErrorCode.REQUIRED, "This field is required.", field)
    elif len(text) > max_length:
        problems.add(ShippingErrorCode.INVALID, f"At most {max_length} characters.", field)
    return text
