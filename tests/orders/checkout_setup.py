"""A shop ready for checkout: yen enabled with a known rate, and a carrier serving Japan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from models.currency import ExchangeRate, PresentmentCurrency, RateSource, RoundingRule
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from tests.factories import gid


@dataclass
class Shop:
    service_id: str
    express_id: str
    carrier_id: str


async def ready_shop(*, jpy_rate: str = "150", rounding: RoundingRule = RoundingRule.NONE) -> Shop:
    """USD shop; JPY at `jpy_rate` yen per dollar; standard and express to Japan and Germany."""
    await PresentmentCurrency.create(code="JPY", rounding=rounding)
    await PresentmentCurrency.create(code="EUR")
    await ExchangeRate.create(
        base="USD", quote="JPY", rate=jpy_rate, source=RateSource.MANUAL, rate_date=date.today()
    )
    await ExchangeRate.create(
        base="USD", quote="EUR", rate="0.92", source=RateSource.MANUAL, rate_date=date.today()
    )
    zone = await ShippingZone.create(name="Asia and Europe", countries=["JP", "DE"])
    carrier = await Carrier.create(
        name="Test Post", code="testpost", tracking_url="https://track.test/{number}"
    )
    standard = await ShippingService.create(
        carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
    )
    express = await ShippingService.create(
        carrier=carrier, name="Express", level=ServiceLevel.EXPRESS
    )
    for service, base in ((standard, 800), (express, 2500)):
        for band, extra in ((2000, 0), (10000, 1000), (30000, 4000)):
            await ShippingRate.create(
                service=service,
                zone=zone,
                max_weight_grams=band,
                price=base + extra,
                min_days=3 if service is express else 7,
                max_days=5 if service is express else 14,
            )
    return Shop(
        service_id=gid("ShippingService", standard.id),
        express_id=gid("ShippingService", express.id),
        carrier_id=gid("Carrier", carrier.id),
    )


TOKYO = {
    "fullName": "Hanako Yamada",
    "line1": "1-2-3 Shibuya",
    "city": "Shibuya-ku",
    "region": "Tokyo",
    "postalCode": "1500002",
    "country": "JP",
    "phone": "+81 90 1234 5678",
}
