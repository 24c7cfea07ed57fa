"""Small builders for shipping tests: a priced world in a few lines."""

from __future__ import annotations

from typing import Any

from models.shipping import Carrier, ServiceLevel, ShippingService, ShippingZone
from services.shipping import carriers, rates, zones


async def make_carrier(**fields: Any) -> Carrier:
    data = {"name": "Carrier", "code": f"c{await Carrier.all().count() + 1}", **fields}
    return await carriers.create_carrier(data)  # type: ignore[arg-type]


async def make_service(
    carrier: Carrier,
    *,
    name: str = "Standard",
    level: ServiceLevel = ServiceLevel.STANDARD,
    **fields: Any,
) -> ShippingService:
    data = {"carrier_id": carrier.id, "name": name, "level": level, **fields}
    return await carriers.create_service(data)  # type: ignore[arg-type]


async def make_zone(name: str, countries: list[str]) -> ShippingZone:
    return await zones.create_zone({"name": name, "countries": countries})


async def price_bands(
    service: ShippingService,
    zone: ShippingZone,
    bands: dict[int, str],
    *,
    days: tuple[int, int] = (3, 5),
) -> None:
    """Rates of `service` to `zone`: upper bound in grams -> price in the shop currency."""
    for grams, price in bands.items():
        await rates.create_rate(
            {
                "service_id": service.id,
                "zone_id": zone.id,
                "max_weight_grams": grams,
                "price": price,
                "min_days": days[0],
                "max_days": days[1],
            }
        )
