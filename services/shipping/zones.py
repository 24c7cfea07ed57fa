"""Shipping zones: destinations priced alike, each a list of countries.

A country belongs to at most one zone, so a destination always resolves to one rate
table or to none (not served). There is no catch-all zone: "Rest of world" lists its
countries like any other, and a country moves between zones by leaving one first.
"""

from __future__ import annotations

from typing import Any, TypedDict

import pycountry
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet

from models.shipping import ShippingZone
from services.errors import Problems
from services.pagination import Page, PageRequest, paginate
from services.shipping.errors import ShippingError, ShippingErrorCode, fail, not_found, text
from services.transactions import atomic

NAME_MAX = 80


class ZoneFields(TypedDict, total=False):
    name: str
    #: ISO 3166-1 alpha-2 codes, in any case; stored upper-case, sorted, once each.
    countries: list[str]


def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code `value` spells (any case, trimmed), or None."""
    code = value.strip().upper()
    return code if len(code) == 2 and pycountry.countries.get(alpha_2=code) else None


async def zone_for(country: str) -> ShippingZone | None:
    """The zone a destination country is in; None when no zone lists it (not served)."""
    code = country_code(country)
    if code is None:
        return None
    # Zones are a handful of rows: reading them all beats a JSON lookup that SQLite and
    # PostgreSQL spell differently.
    for zone in await ShippingZone.all():
        if code in zone.countries:
            return zone
    return None


async def _zone_values(fields: ZoneFields, current: ShippingZone | None) -> dict[str, Any]:
    checks = Problems(ShippingError)
    if current is not None:
        checks.refuse_nulls(fields, only=("name", "countries"))
        checks.raise_if_any()
    values: dict[str, Any] = {}
    if "name" in fields or current is None:
        values["name"] = text(checks, fields.get("name"), "name", max_length=NAME_MAX)
    if "countries" in fields:
        codes: set[str] = set()
        for index, given in enumerate(fields.get("countries") or []):
            code = country_code(str(given))
            if code is None:
                checks.add(
                    ShippingErrorCode.INVALID_COUNTRY,
                    f"{given!r} is not an ISO 3166-1 alpha-2 country code.",
                    "countries",
                    str(index),
                )
            else:
                codes.add(code)
        values["countries"] = sorted(codes)
    checks.raise_if_any()
    return values


async def _check_unique(values: dict[str, Any], zone_id: int | None) -> None:
    """Refuse a name or a country another zone has; every zone row is locked meanwhile."""
    others = [z for z in await ShippingZone.all().select_for_update() if z.id != zone_id]
    checks = Problems(ShippingError)
    if "name" in values and any(z.name.lower() == values["name"].lower() for z in others):
        checks.add(ShippingErrorCode.DUPLICATE_NAME, "Another zone has that name.", "name")
    owner = {code: z.name for z in others for code in z.countries}
    for code in values.get("countries", []):
        if code in owner:
            checks.add(
                ShippingErrorCode.COUNTRY_IN_OTHER_ZONE,
                f"{code} is in the zone {owner[code]}; remove it there first.",
                "countries",
            )
    checks.raise_if_any()


def _duplicate_name() -> ShippingError:
    return fail(ShippingErrorCode.DUPLICATE_NAME, "Another zone has that name.", "name")


async def create_zone(fields: ZoneFields) -> ShippingZone:
    """A new zone; its countries must not be in any other zone."""
    values = await _zone_values(fields, None)
    values.setdefault("countries", [])
    try:
        async with atomic():
            await _check_unique(values, None)
            return await ShippingZone.create(**values)
    except IntegrityError:  # the same name created at the same moment
        raise _duplicate_name() from None


async def update_zone(zone_id: int, fields: ZoneFields) -> ShippingZone:
    """Rename a zone or replace its list of countries."""
    values = await _zone_values(fields, await get_zone(zone_id))
    try:
        async with atomic():
            zone = await ShippingZone.filter(id=zone_id).select_for_update().first()
            if zone is None:
                raise not_found("The zone", "id")
            await _check_unique(values, zone.id)
            zone.update_from_dict(values)
            await zone.save()
    except IntegrityError:
        raise _duplicate_name() from None
    return zone


async def delete_zone(zone_id: int) -> None:
    """Delete a zone and its rates: its countries are no longer served."""
    if not await ShippingZone.filter(id=zone_id).delete():
        raise not_found("The zone", "id")


async def get_zone(zone_id: int) -> ShippingZone:
    zone = await ShippingZone.get_or_none(id=zone_id)
    if zone is None:
        raise not_found("The zone", "id")
    return zone


def zone_queryset() -> QuerySet[ShippingZone]:
    return ShippingZone.all()


async def list_zones(page: PageRequest, *, max_size: int = 100) -> Page[ShippingZone]:
    """Zones by name."""
    return await paginate(zone_queryset(), page, sort_field="name", max_size=max_size)
