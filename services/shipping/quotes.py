"""Shipping options for a destination and a parcel: which services go there, and at what price.

A parcel is charged by its chargeable weight, the larger of

- its actual weight: the sum of item weight x quantity, where an item of unknown weight
  counts as `settings.default_item_weight_grams`; and
- its volumetric weight, which each service computes with its own divisor D (cm³ per kg):
  sum of L x W x H (cm³) x quantity / D = kilograms. In the millimetres the catalog
  stores, that is sum(L x W x H in mm³ x quantity) / D grams (mm³ / 1000 = cm³, and
  kg x 1000 = g cancel out), rounded up to the next gram. Items without all three
  dimensions add no volume.

The service's price is that of the lightest band of its rate table for the destination's
zone whose upper bound is at least the chargeable weight. A service is left out when the
parcel is heavier than its last band, or when the actual weight is over the service's own
limit (a carrier refuses a parcel by what it weighs, whatever it is charged as).

Zones are per country; the region and postal code of a `Destination` are carried for
callers (and future regional surcharges) but do not change the options today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from models.catalog import ProductVariant
from models.shipping import ServiceLevel, ShippingRate, ShippingService
from services.catalog.listing import visible_q
from services.errors import Problem
from services.shipping.errors import ShippingError, ShippingErrorCode, fail
from services.shipping.rates import MAX_BAND_GRAMS
from services.shipping.zones import country_code, zone_for
from settings import get_settings

#: Most lines one request may price, and most units of one line.
MAX_LINES = 100
MAX_QUANTITY = 10_000


@dataclass
class ParcelItem:
    """One line of a parcel: a unit's weight (None: unknown) and size, times `quantity`."""

    weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    quantity: int


@dataclass
class Destination:
    #: ISO 3166-1 alpha-2, any case.
    country: str
    region: str = ""
    postal_code: str = ""


@dataclass
class ShippingOption:
    """A service that takes the parcel to the destination, its price and delivery estimate."""

    service_id: int
    carrier_id: int
    carrier_name: str
    service_name: str
    level: ServiceLevel
    #: Minor units of the shop currency.
    price: int
    #: Business days.
    min_days: int
    max_days: int
    chargeable_weight_grams: int


@dataclass(frozen=True)
class Parcel:
    """What pricing needs of a parcel: its actual weight and its volume."""

    weight_grams: int
    volume_mm3: int


@dataclass(frozen=True)
class VariantLine:
    """A line a storefront asks about: units of a catalog variant."""

    variant_id: int
    quantity: int


def volumetric_weight(volume_mm3: int, divisor: int) -> int:
    """Grams a volume weighs for a carrier with `divisor` cm³ per kg, rounded up."""
    return -(-volume_mm3 // divisor)


def parcel_of(items: Sequence[ParcelItem], *, default_weight: int | None = None) -> Parcel:
    """A parcel's actual weight and volume; ShippingError for a bad quantity or size."""
    default = get_settings().default_item_weight_grams if default_weight is None else default_weight
    weight = volume = 0
    for index, item in enumerate(items):
        if not 1 <= item.quantity <= MAX_QUANTITY:
            raise fail(
                ShippingErrorCode.INVALID_QUANTITY,
                f"A quantity is between 1 and {MAX_QUANTITY}.",
                "items",
                str(index),
                "quantity",
            )
        sizes = (item.weight_grams, item.length_mm, item.width_mm, item.height_mm)
        if any(size is not None and size < 0 for size in sizes):
            raise fail(
                ShippingErrorCode.INVALID_DIMENSIONS,
                "Weights and dimensions are 0 or more.",
                "items",
                str(index),
            )
        unit = item.weight_grams if item.weight_grams is not None else default
        weight += unit * item.quantity
        if item.length_mm and item.width_mm and item.height_mm:
            volume += item.length_mm * item.width_mm * item.height_mm * item.quantity
    return Parcel(weight_grams=weight, volume_mm3=volume)


def price_service(
    service: ShippingService, carrier_name: str, bands: Sequence[ShippingRate], parcel: Parcel
) -> ShippingOption | str:
    """The option a service offers for the parcel, or why it offers none.

    `bands` are the service's rates for one zone, lightest first.
    """
    if not bands:
        return "The service does not go to this destination."
    limit = service.max_weight_grams
    if limit is not None and parcel.weight_grams > limit:
        return f"The parcel weighs more than the service's limit of {limit} g."
    chargeable = max(
        parcel.weight_grams, volumetric_weight(parcel.volume_mm3, service.volumetric_divisor)
    )
    band = next((rate for rate in bands if rate.max_weight_grams >= chargeable), None)
    if band is None:
        return f"The parcel is charged as {chargeable} g, more than the service carries."
    return ShippingOption(
        service_id=service.id,
        carrier_id=service.carrier_id,
        carrier_name=carrier_name,
        service_name=service.name,
        level=ServiceLevel(service.level),
        price=band.price,
        min_days=band.min_days,
        max_days=band.max_days,
        chargeable_weight_grams=chargeable,
    )


def _order(option: ShippingOption) -> tuple[int, int, int, str, str, int]:
    """Cheapest first; among equal prices the faster, then by name for a stable list."""
    return (
        option.price,
        option.max_days,
        option.min_days,
        option.carrier_name,
        option.service_name,
        option.service_id,
    )


async def _offers(
    zone_id: int, parcel: Parcel, service_id: int | None = None
) -> dict[int, ShippingOption | str]:
    """Each active service with rates for the zone: its option, or why it has none."""
    rates = ShippingRate.filter(
        zone_id=zone_id, service__active=True, service__carrier__active=True
    ).select_related("service__carrier")
    if service_id is not None:
        rates = rates.filter(service_id=service_id)
    bands: dict[int, list[ShippingRate]] = defaultdict(list)
    for rate in await rates.order_by("service_id", "max_weight_grams"):
        bands[rate.service_id].append(rate)
    return {
        sid: price_service(rows[0].service, rows[0].service.carrier.name, rows, parcel)
        for sid, rows in bands.items()
    }


async def options(destination: Destination, items: Sequence[ParcelItem]) -> list[ShippingOption]:
    """The services that carry the parcel to the destination, cheapest (then fastest) first.

    Empty when no zone lists the destination's country or no service takes the parcel;
    ShippingError (INVALID_QUANTITY, INVALID_DIMENSIONS) for a malformed parcel.
    """
    parcel = parcel_of(items)
    zone = await zone_for(destination.country)
    if zone is None:
        return []
    return await _options_in(zone.id, parcel)


async def _options_in(zone_id: int, parcel: Parcel) -> list[ShippingOption]:
    offers = await _offers(zone_id, parcel)
    return sorted((o for o in offers.values() if isinstance(o, ShippingOption)), key=_order)


async def quote(
    service_id: int, destination: Destination, items: Sequence[ParcelItem]
) -> ShippingOption:
    """The chosen service's option for the parcel and destination.

    ShippingError DESTINATION_NOT_SERVED when no zone lists the country; SERVICE_UNAVAILABLE
    when the service is unknown or inactive, has no rate for the zone, or the parcel is too
    heavy for it.
    """
    parcel = parcel_of(items)
    zone = await zone_for(destination.country)
    if zone is None:
        raise not_served(destination.country)
    offer = (await _offers(zone.id, parcel, service_id)).get(service_id)
    if offer is None:
        offer = (
            "The service does not go to this destination."
            if await ShippingService.exists(id=service_id, active=True, carrier__active=True)
            else "The shipping service is not offered."
        )
    if isinstance(offer, str):
        raise fail(ShippingErrorCode.SERVICE_UNAVAILABLE, offer, "service_id")
    return offer


async def options_for_weight(destination: Destination, weight_grams: int) -> list[ShippingOption]:
    """What a parcel of `weight_grams` (no volume) would cost to send to the destination,
    cheapest first: the merchant's check of a rate table.

    ShippingError INVALID_WEIGHT for a weight out of range; DESTINATION_NOT_SERVED when no
    zone lists the country.
    """
    if not 1 <= weight_grams <= MAX_BAND_GRAMS:
        raise fail(
            ShippingErrorCode.INVALID_WEIGHT,
            f"A parcel weighs between 1 and {MAX_BAND_GRAMS} grams.",
            "weight_grams",
        )
    zone = await zone_for(destination.country)
    if zone is None:
        raise not_served(destination.country)
    return await _options_in(zone.id, Parcel(weight_grams=weight_grams, volume_mm3=0))


def not_served(country: str) -> ShippingError:
    return fail(
        ShippingErrorCode.DESTINATION_NOT_SERVED,
        f"We do not ship to {country_code(country) or country!r}.",
        "destination",
        "country",
    )


async def parcel_items(
    lines: Sequence[VariantLine], *, now: datetime, early_access: bool, see_all: bool
) -> list[ParcelItem]:
    """Parcel items for catalog variants, read in one query.

    A variant the viewer cannot see (a draft product, or members-first without early
    access) is VARIANT_NOT_FOUND, like one that does not exist; `see_all` is catalog staff.
    """
    if len(lines) > MAX_LINES:
        raise fail(
            ShippingErrorCode.TOO_MANY_ITEMS, f"Price at most {MAX_LINES} lines at once.", "items"
        )
    rows = ProductVariant.filter(id__in={line.variant_id for line in lines})
    if not see_all:
        rows = rows.filter(visible_q(now, "product__", early_access=early_access))
    found = {
        row["id"]: row
        for row in await rows.values("id", "weight_grams", "length_mm", "width_mm", "height_mm")
    }
    problems = [
        Problem(
            ShippingErrorCode.VARIANT_NOT_FOUND,
            "The product variant does not exist.",
            ("items", str(index), "variant_id"),
        )
        for index, line in enumerate(lines)
        if line.variant_id not in found
    ]
    if problems:
        raise ShippingError(problems)
    return [
        ParcelItem(
            weight_grams=found[line.variant_id]["weight_grams"],
            length_mm=found[line.variant_id]["length_mm"],
            width_mm=found[line.variant_id]["width_mm"],
            height_mm=found[line.variant_id]["height_mm"],
            quantity=line.quantity,
        )
        for line in lines
    ]


async def options_for_variants(
    destination: Destination,
    lines: Sequence[VariantLine],
    *,
    now: datetime,
    early_access: bool = False,
    see_all: bool = False,
) -> list[ShippingOption]:
    """What a storefront shows before checkout: the options for units of catalog variants.

    Unlike `options`, an unserved destination is an error (DESTINATION_NOT_SERVED), so
    the shopper is told rather than shown an empty list.
    """
    zone = await zone_for(destination.country)
    if zone is None:
        raise not_served(destination.country)
    items = await parcel_items(lines, now=now, early_access=early_access, see_all=see_all)
    return await _options_in(zone.id, parcel_of(items))
