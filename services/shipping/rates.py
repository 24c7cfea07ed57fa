"""Rate tables: the price of a service to a zone, by weight band, with a delivery estimate.

A band is named by its upper bound in grams, inclusive: a service with bands of 500, 1000
and 2000 g to Europe charges the 1000 g price for a parcel of 501 to 1000 g. Prices arrive
as decimal strings of the shop currency and are stored as integer minor units.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from models.shipping import ShippingRate, ShippingService, ShippingZone
from services.errors import Problems
from services.money import InvalidAmount, Money
from services.pagination import Page, PageRequest, paginate
from services.shipping.errors import ShippingError, ShippingErrorCode, fail, not_found
from settings import get_settings

#: Heaviest band accepted, in grams (a tonne: beyond it is freight, not parcels).
MAX_BAND_GRAMS = 1_000_000
#: Largest price accepted, in minor units: far above any parcel, far below 2**63.
MAX_PRICE_MINOR = 10**12
#: Longest delivery estimate accepted, in business days.
MAX_DAYS = 365


class RateFields(TypedDict, total=False):
    service_id: int
    zone_id: int
    max_weight_grams: int
    #: A decimal amount of the shop currency, e.g. "24.50".
    price: Decimal | str
    min_days: int
    max_days: int


def _rate_values(fields: RateFields, current: ShippingRate | None) -> dict[str, Any]:
    checks = Problems(ShippingError)
    if current is not None:
        checks.refuse_nulls(fields, only=("max_weight_grams", "price", "min_days", "max_days"))
        checks.raise_if_any()
    else:
        for name in ("max_weight_grams", "price", "min_days", "max_days"):
            if fields.get(name) is None:
                checks.add(ShippingErrorCode.REQUIRED, "This field is required.", name)
        checks.raise_if_any()
    values: dict[str, Any] = {}
    if "max_weight_grams" in fields:
        grams = fields["max_weight_grams"]
        if not 1 <= grams <= MAX_BAND_GRAMS:
            checks.add(
                ShippingErrorCode.INVALID_WEIGHT,
                f"A band's upper bound is between 1 and {MAX_BAND_GRAMS} grams.",
                "max_weight_grams",
            )
        values["max_weight_grams"] = grams
    if "price" in fields:
        try:
            minor = Money.from_decimal(fields["price"], get_settings().shop_currency).minor
        except InvalidAmount as exc:
            checks.add(ShippingErrorCode.INVALID_AMOUNT, f"{exc}.", "price")
        else:
            if not 0 <= minor <= MAX_PRICE_MINOR:
                checks.add(ShippingErrorCode.INVALID_AMOUNT, "A price is 0 or more.", "price")
            values["price"] = minor
    for name in ("min_days", "max_days"):
        if name in fields:
            days = fields[name]  # type: ignore[literal-required]
            if not 0 <= days <= MAX_DAYS:
                checks.add(
                    ShippingErrorCode.INVALID_DAYS,
                    f"Business days are between 0 and {MAX_DAYS}.",
                    name,
                )
            values[name] = days
    low = values.get("min_days", current.min_days if current else 0)
    high = values.get("max_days", current.max_days if current else 0)
    if low > high and not checks:
        checks.add(
            ShippingErrorCode.INVALID_DAYS,
            "The longest estimate is at least the shortest.",
            "max_days",
        )
    checks.raise_if_any()
    return values


def _duplicate_band() -> ShippingError:
    return fail(
        ShippingErrorCode.DUPLICATE_BAND,
        "The service already has a band with that upper bound for this zone.",
        "max_weight_grams",
    )


async def create_rate(fields: RateFields) -> ShippingRate:
    """A new weight band of a service's price list for one zone."""
    values = _rate_values(fields, None)
    checks = Problems(ShippingError)
    service_id, zone_id = fields.get("service_id"), fields.get("zone_id")
    if service_id is None or not await ShippingService.exists(id=service_id):
        checks.add(
            ShippingErrorCode.NOT_FOUND, "The shipping service does not exist.", "service_id"
        )
    if zone_id is None or not await ShippingZone.exists(id=zone_id):
        checks.add(ShippingErrorCode.NOT_FOUND, "The zone does not exist.", "zone_id")
    checks.raise_if_any()
    band = {
        "service_id": service_id,
        "zone_id": zone_id,
        "max_weight_grams": values["max_weight_grams"],
    }
    if await ShippingRate.exists(**band):
        raise _duplicate_band()
    try:
        return await ShippingRate.create(service_id=service_id, zone_id=zone_id, **values)
    except IntegrityError:  # the same band created at the same moment
        raise _duplicate_band() from None


async def update_rate(rate_id: int, fields: RateFields) -> ShippingRate:
    """Change a band's bound, price or estimate; what is left out stays as it is."""
    rate = await get_rate(rate_id)
    values = _rate_values(fields, rate)
    grams = values.get("max_weight_grams", rate.max_weight_grams)
    if (
        grams != rate.max_weight_grams
        and await ShippingRate.filter(
            service_id=rate.service_id, zone_id=rate.zone_id, max_weight_grams=grams
        ).exists()
    ):
        raise _duplicate_band()
    rate.update_from_dict(values)
    try:
        await rate.save()
    except IntegrityError:
        raise _duplicate_band() from None
    return rate


async def delete_rate(rate_id: int) -> None:
    if not await ShippingRate.filter(id=rate_id).delete():
        raise not_found("The rate", "id")


async def get_rate(rate_id: int) -> ShippingRate:
    rate = await ShippingRate.get_or_none(id=rate_id)
    if rate is None:
        raise not_found("The rate", "id")
    return rate


def rate_queryset(service_id: int, zone_id: int | None = None) -> QuerySet[ShippingRate]:
    qs = ShippingRate.filter(service_id=service_id)
    return qs.filter(zone_id=zone_id) if zone_id is not None else qs


async def list_rates(
    service_id: int, zone_id: int | None, page: PageRequest, *, max_size: int = 100
) -> Page[ShippingRate]:
    """A service's rate table (for one zone, if given), lightest band first."""
    return await paginate(
        rate_queryset(service_id, zone_id), page, sort_field="max_weight_grams", max_size=max_size
    )
