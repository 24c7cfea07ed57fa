"""Carriers and the services they sell, as staff keep them.

A carrier (DHL, Japan Post) has a code used in reports and a tracking-page template; each
of its services has a level, the divisor that turns a parcel's volume into weight, and an
optional weight limit. Services are priced by the rate tables in `services.shipping.rates`.
"""

from __future__ import annotations

import re
from typing import Any, TypedDict
from urllib.parse import quote

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.shipping import Carrier, ServiceLevel, ShippingService
from services.errors import Problems
from services.pagination import Page, PageRequest, paginate
from services.shipping.errors import ShippingError, ShippingErrorCode, fail, not_found, text

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,31}$")
NAME_MAX = 80
URL_MAX = 300
#: The longest tracking link a shipment keeps (its column).
LINK_MAX = 400
NUMBER = "{number}"
#: Cubic centimetres per kilogram couriers use lie between 1000 and 10000 (5000 and 6000
#: are the common ones); anything outside is a typo that would misprice every parcel.
DIVISOR_RANGE = (1000, 10000)
#: Quiet days before a parcel's tracking expires: carriers keep a number's history for
#: weeks to months; a year without news is no longer tracking.
EXPIRY_DAYS = (1, 365)
#: Heaviest service limit accepted, in grams: freight, not parcels, lies beyond.
MAX_LIMIT_GRAMS = 1_000_000


class CarrierFields(TypedDict, total=False):
    name: str
    #: Lower-case letters, digits, `-` and `_`; stored lower-case.
    code: str
    #: An http(s) URL with `{number}` where the tracking number goes; "" for none.
    tracking_url: str | None
    #: Days without a tracking event before a parcel's tracking expires, 1 to 365.
    tracking_expiry_days: int
    active: bool


class ServiceFields(TypedDict, total=False):
    carrier_id: int
    name: str
    level: ServiceLevel | str
    volumetric_divisor: int
    #: Grams; None: no limit.
    max_weight_grams: int | None
    active: bool


def tracking_link(template: str, number: str) -> str | None:
    """The carrier's tracking page for a parcel, or None when the carrier has no template.

    The one rule for every tracking link: the number, trimmed, is percent-encoded whole
    (`/`, `&`, `?` and `#` too) where the template says `{number}`. A link longer than a
    shipment keeps (a long template and a number of punctuation) is None rather than cut.
    """
    if not template or not number.strip():
        return None
    link = template.replace(NUMBER, quote(number.strip(), safe=""))
    return link if len(link) <= LINK_MAX else None


def _tracking_url_problem(url: str) -> str | None:
    if len(url) > URL_MAX:
        return f"At most {URL_MAX} characters."
    if not url.startswith(("https://", "http://")):
        return "The tracking URL starts with https:// or http://."
    rest = url.replace(NUMBER, "", 1)
    if NUMBER not in url or "{" in rest or "}" in rest:
        return "The tracking URL contains {number} once, where the tracking number goes."
    return None


# Carriers.


def _carrier_values(fields: CarrierFields, current: Carrier | None) -> dict[str, Any]:
    checks = Problems(ShippingError)
    if current is not None:
        checks.refuse_nulls(fields, only=("name", "code", "tracking_expiry_days", "active"))
        checks.raise_if_any()
    values: dict[str, Any] = {}
    if "name" in fields or current is None:
        values["name"] = text(checks, fields.get("name"), "name", max_length=NAME_MAX)
    if "code" in fields or current is None:
        code = str(fields.get("code") or "").strip().lower()
        if not CODE_RE.match(code):
            checks.add(
                ShippingErrorCode.INVALID_CODE,
                "A code is 2 to 32 letters a-z, digits, hyphens or underscores.",
                "code",
            )
        values["code"] = code
    if "tracking_url" in fields:
        url = str(fields.get("tracking_url") or "").strip()
        problem = _tracking_url_problem(url) if url else None
        if problem:
            checks.add(ShippingErrorCode.INVALID_TRACKING_URL, problem, "tracking_url")
        values["tracking_url"] = url
    if "tracking_expiry_days" in fields:
        days = fields["tracking_expiry_days"]
        low, high = EXPIRY_DAYS
        if not low <= days <= high:
            checks.add(
                ShippingErrorCode.INVALID_DAYS,
                f"Tracking expires after {low} to {high} quiet days.",
                "tracking_expiry_days",
            )
        values["tracking_expiry_days"] = days
    if "active" in fields:
        values["active"] = bool(fields["active"])
    checks.raise_if_any()
    return values


def _duplicate_code(code: str) -> ShippingError:
    return fail(ShippingErrorCode.DUPLICATE_CODE, f"The code {code} is taken.", "code")


async def create_carrier(fields: CarrierFields) -> Carrier:
    """A new carrier from staff's definition."""
    values = _carrier_values(fields, None)
    if await Carrier.exists(code=values["code"]):
        raise _duplicate_code(values["code"])
    try:
        return await Carrier.create(**values)
    except IntegrityError:  # the same code created at the same moment
        raise _duplicate_code(values["code"]) from None


async def update_carrier(carrier_id: int, fields: CarrierFields) -> Carrier:
    """Change the fields given; what is left out stays as it is."""
    carrier = await get_carrier(carrier_id)
    values = _carrier_values(fields, carrier)
    code = values.get("code", carrier.code)
    if code != carrier.code and await Carrier.filter(code=code).exclude(id=carrier.id).exists():
        raise _duplicate_code(code)
    carrier.update_from_dict(values)
    try:
        await carrier.save()
    except IntegrityError:
        raise _duplicate_code(code) from None
    return carrier


def in_use() -> ShippingError:
    return fail(
        ShippingErrorCode.CARRIER_IN_USE,
        "The carrier still has services; delete them or deactivate the carrier.",
        "id",
    )


async def delete_carrier(carrier_id: int) -> None:
    """Delete a carrier that has no services left; deactivate one that has."""
    async with in_transaction("default") as connection:
        carrier = await Carrier.filter(id=carrier_id).select_for_update().using_db(connection)
        if not carrier:
            raise not_found("The carrier", "id")
        if await ShippingService.filter(carrier_id=carrier_id).using_db(connection).exists():
            raise in_use()
        try:
            await Carrier.filter(id=carrier_id).using_db(connection).delete()
        except IntegrityError:  # a service added at the same moment
            raise in_use() from None


async def get_carrier(carrier_id: int) -> Carrier:
    carrier = await Carrier.get_or_none(id=carrier_id)
    if carrier is None:
        raise not_found("The carrier", "id")
    return carrier


def carrier_queryset() -> QuerySet[Carrier]:
    return Carrier.all()


async def list_carriers(page: PageRequest, *, max_size: int = 100) -> Page[Carrier]:
    """Carriers by name."""
    return await paginate(carrier_queryset(), page, sort_field="name", max_size=max_size)


# Services.


def _limit_problem(value: int) -> str | None:
    if not 1 <= value <= MAX_LIMIT_GRAMS:
        return f"A weight is between 1 and {MAX_LIMIT_GRAMS} grams."
    return None


async def _service_values(fields: ServiceFields, current: ShippingService | None) -> dict[str, Any]:
    checks = Problems(ShippingError)
    if current is not None:
        checks.refuse_nulls(
            fields, only=("carrier_id", "name", "level", "volumetric_divisor", "active")
        )
        checks.raise_if_any()
    values: dict[str, Any] = {}
    if "carrier_id" in fields or current is None:
        carrier_id = fields.get("carrier_id")
        if carrier_id is None or not await Carrier.exists(id=carrier_id):
            checks.add(ShippingErrorCode.NOT_FOUND, "The carrier does not exist.", "carrier_id")
        values["carrier_id"] = carrier_id
    if "name" in fields or current is None:
        values["name"] = text(checks, fields.get("name"), "name", max_length=NAME_MAX)
    if "level" in fields or current is None:
        try:
            values["level"] = ServiceLevel(fields.get("level") or "")
        except ValueError:
            checks.add(ShippingErrorCode.REQUIRED, "Choose the service level.", "level")
    if "volumetric_divisor" in fields:
        divisor = fields["volumetric_divisor"]
        low, high = DIVISOR_RANGE
        if not low <= divisor <= high:
            checks.add(
                ShippingErrorCode.INVALID_DIVISOR,
                f"The divisor (cm³ per kg) is between {low} and {high}; 5000 is usual.",
                "volumetric_divisor",
            )
        values["volumetric_divisor"] = divisor
    if "max_weight_grams" in fields:
        limit = fields["max_weight_grams"]
        problem = _limit_problem(limit) if limit is not None else None
        if problem:
            checks.add(ShippingErrorCode.INVALID_WEIGHT, problem, "max_weight_grams")
        values["max_weight_grams"] = limit
    if "active" in fields:
        values["active"] = bool(fields["active"])
    checks.raise_if_any()

    # Two services of one carrier with one name would be indistinguishable at checkout.
    carrier_id = values.get("carrier_id", current.carrier_id if current else None)
    name = values.get("name", current.name if current else "")
    same = ShippingService.filter(carrier_id=carrier_id, name=name)
    if current is not None:
        same = same.exclude(id=current.id)
    if ("name" in values or "carrier_id" in values) and await same.exists():
        checks.add(
            ShippingErrorCode.DUPLICATE_NAME, "The carrier has a service of that name.", "name"
        )
    checks.raise_if_any()
    return values


async def create_service(fields: ServiceFields) -> ShippingService:
    """A new service of a carrier; offered wherever it is given rates."""
    values = await _service_values(fields, None)
    return await ShippingService.create(**values)


async def update_service(service_id: int, fields: ServiceFields) -> ShippingService:
    """Change the fields given; what is left out stays as it is."""
    service = await get_service(service_id)
    service.update_from_dict(await _service_values(fields, service))
    await service.save()
    return service


async def delete_service(service_id: int) -> None:
    """Delete a service and its rates; orders keep the method's name they were placed with."""
    if not await ShippingService.filter(id=service_id).delete():
        raise not_found("The shipping service", "id")


async def get_service(service_id: int) -> ShippingService:
    service = await ShippingService.get_or_none(id=service_id)
    if service is None:
        raise not_found("The shipping service", "id")
    return service
