"""The demo shop's shipping: five carriers, five zones and their rate tables.

The shop ships from the United States in its currency (USD). Every zone has options of
several levels, so a shopper in Japan, Germany or the US sees a choice at once. Prices are
made up but shaped like real tables: a first half kilogram, then a price per kilogram,
over bands of 0.5, 1, 2, 5, 10, 20 and 30 kg. Made only while the shop has no carriers.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import pycountry
from tortoise.transactions import in_transaction

from models.shipping import Carrier, ServiceLevel
from services.shipping import carriers, rates, zones

log = logging.getLogger("tradewind.demo")

#: Upper bounds of the weight bands, in grams.
BANDS = (500, 1000, 2000, 5000, 10000, 20000, 30000)

DOMESTIC = "Domestic US"
NORTH_AMERICA = "North America"
EUROPE = "Europe"
EAST_ASIA = "East Asia"
REST = "Rest of world"

#: The European Union, the United Kingdom, the EFTA states and the microstates.
# fmt: off
EUROPE_COUNTRIES = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB",
    "CH", "NO", "IS", "LI", "MC", "AD", "SM",
]
# fmt: on

#: Zone name -> countries; "Rest of world" takes every country the others leave.
ZONES: dict[str, list[str]] = {
    DOMESTIC: ["US", "PR"],
    NORTH_AMERICA: ["CA", "MX"],
    EUROPE: EUROPE_COUNTRIES,
    EAST_ASIA: ["JP", "CN", "KR", "TW", "HK", "MO", "MN"],
}

#: (name, code, tracking page template)
CARRIERS = [
    (
        "DHL Express",
        "dhl",
        "https://www.dhl.com/global-en/home/tracking.html?tracking-id={number}",
    ),
    ("UPS", "ups", "https://www.ups.com/track?tracknum={number}"),
    (
        "Japan Post EMS",
        "japan-post",
        "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1={number}",
    ),
    ("China Post", "china-post", "https://www.ems.com.cn/qps/yjcx?mailNum={number}"),
    ("Tradewind Line", "tradewind-line", "https://track.tradewind.example/{number}"),
]

#: Per zone: price of the first 0.5 kg, price of each further kg, and business days.
Table = dict[str, tuple[str, str, int, int]]

#: (carrier code, service name, level, volumetric divisor, weight limit in grams, table)
SERVICES: list[tuple[str, str, ServiceLevel, int, int, Table]] = [
    (
        "dhl",
        "Express Worldwide",
        ServiceLevel.EXPRESS,
        5000,
        70000,
        {
            NORTH_AMERICA: ("45.00", "9.00", 1, 3),
            EUROPE: ("62.00", "12.00", 2, 4),
            EAST_ASIA: ("58.00", "11.00", 2, 4),
            REST: ("75.00", "15.00", 3, 6),
        },
    ),
    ("ups", "Ground", ServiceLevel.STANDARD, 5000, 68000, {DOMESTIC: ("9.50", "1.60", 1, 5)}),
    ("ups", "2nd Day Air", ServiceLevel.EXPRESS, 5000, 68000, {DOMESTIC: ("18.00", "3.00", 2, 2)}),
    (
        "ups",
        "Next Day Air",
        ServiceLevel.EXPRESS,
        5000,
        68000,
        {DOMESTIC: ("32.00", "4.50", 1, 1)},
    ),
    (
        "ups",
        "Worldwide Saver",
        ServiceLevel.EXPRESS,
        5000,
        68000,
        {
            NORTH_AMERICA: ("40.00", "8.00", 1, 3),
            EUROPE: ("58.00", "11.50", 2, 5),
            EAST_ASIA: ("56.00", "11.00", 2, 5),
            REST: ("70.00", "14.00", 3, 7),
        },
    ),
    (
        "japan-post",
        "EMS",
        ServiceLevel.EXPRESS,
        6000,
        30000,
        {
            EAST_ASIA: ("28.00", "7.00", 2, 4),
            NORTH_AMERICA: ("34.00", "9.00", 3, 6),
            EUROPE: ("36.00", "10.00", 3, 6),
            REST: ("40.00", "12.00", 4, 8),
        },
    ),
    (
        "china-post",
        "ePacket",
        ServiceLevel.ECONOMY,
        8000,
        2000,
        {
            NORTH_AMERICA: ("9.00", "6.00", 10, 20),
            EUROPE: ("10.00", "6.50", 10, 20),
            EAST_ASIA: ("7.00", "5.00", 7, 15),
            REST: ("12.00", "8.00", 15, 30),
        },
    ),
    (
        "china-post",
        "Air Parcel",
        ServiceLevel.STANDARD,
        6000,
        30000,
        {
            NORTH_AMERICA: ("22.00", "7.00", 7, 15),
            EUROPE: ("24.00", "7.50", 7, 15),
            EAST_ASIA: ("18.00", "5.50", 5, 10),
            REST: ("28.00", "9.00", 10, 25),
        },
    ),
    (
        "tradewind-line",
        "Cross-border DDP",
        ServiceLevel.DEDICATED_LINE,
        6000,
        30000,
        {
            NORTH_AMERICA: ("16.00", "5.00", 6, 10),
            EUROPE: ("18.00", "5.50", 7, 12),
            EAST_ASIA: ("14.00", "4.50", 5, 9),
        },
    ),
]


def band_price(first: str, per_kg: str, grams: int) -> Decimal:
    """The first half kilogram plus each further kilogram, to the cent."""
    extra_kg = Decimal(grams - 500) / 1000
    return (Decimal(first) + Decimal(per_kg) * extra_kg).quantize(Decimal("0.01"))


def rest_of_world() -> list[str]:
    listed = {code for codes in ZONES.values() for code in codes}
    return sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in listed)


async def load_demo_shipping() -> bool:
    """Creates the demo carriers, zones and rates; False, doing nothing, when carriers exist."""
    if await Carrier.exists():
        return False
    async with in_transaction("default"):
        zone_ids = {}
        for name, countries in [*ZONES.items(), (REST, rest_of_world())]:
            zone = await zones.create_zone({"name": name, "countries": countries})
            zone_ids[name] = zone.id
        carrier_ids = {}
        for name, code, tracking_url in CARRIERS:
            carrier = await carriers.create_carrier(
                {"name": name, "code": code, "tracking_url": tracking_url}
            )
            carrier_ids[code] = carrier.id
        for code, name, level, divisor, limit, table in SERVICES:
            service = await carriers.create_service(
                {
                    "carrier_id": carrier_ids[code],
                    "name": name,
                    "level": level,
                    "volumetric_divisor": divisor,
                    "max_weight_grams": limit,
                }
            )
            for zone_name, (first, per_kg, min_days, max_days) in table.items():
                for grams in BANDS:
                    if grams > limit:
                        break
                    await rates.create_rate(
                        {
                            "service_id": service.id,
                            "zone_id": zone_ids[zone_name],
                            "max_weight_grams": grams,
                            "price": band_price(first, per_kg, grams),
                            "min_days": min_days,
                            "max_days": max_days,
                        }
                    )
    log.info("demo.shipping_created carriers=%d services=%d", len(CARRIERS), len(SERVICES))
    return True
