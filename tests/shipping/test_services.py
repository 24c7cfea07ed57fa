"""Staff definitions: carriers, services, zones and rates, and what each refuses."""

from __future__ import annotations

from typing import Any

import pytest

from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from services.shipping import carriers, rates, zones
from services.shipping.errors import ShippingError, ShippingErrorCode
from tests.shipping.helpers import make_carrier, make_service, make_zone, price_bands


async def refused(pending) -> list[tuple[ShippingErrorCode, tuple[str, ...] | None]]:
    with pytest.raises(ShippingError) as caught:
        await pending
    return [(p.code, p.field) for p in caught.value.problems]  # type: ignore[misc]


def test_tracking_link_puts_the_number_in_its_place_escaped():
    template = "https://track.example/?n={number}"
    assert carriers.tracking_link(template, " JD01 4600 ") == "https://track.example/?n=JD01%204600"
    assert carriers.tracking_link(template, "a/b&c") == "https://track.example/?n=a%2Fb%26c"
    assert carriers.tracking_link("", "JD01") is None


async def test_carrier_code_is_stored_lower_case_and_unique(db):
    carrier = await carriers.create_carrier({"name": " DHL ", "code": "DHL"})
    assert (carrier.name, carrier.code, carrier.tracking_url, carrier.active) == (
        "DHL",
        "dhl",
        "",
        True,
    )
    assert await refused(carriers.create_carrier({"name": "Other", "code": "dhl"})) == [
        (ShippingErrorCode.DUPLICATE_CODE, ("code",))
    ]
    other = await carriers.create_carrier({"name": "UPS", "code": "ups"})
    assert await refused(carriers.update_carrier(other.id, {"code": "DHL"})) == [
        (ShippingErrorCode.DUPLICATE_CODE, ("code",))
    ]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://track.example/{number}",
        "https://track.example/",
        "https://track.example/{number}/{number}",
        "https://track.example/{id}?n={number}",
        "https://track.example/" + "x" * 300 + "{number}",
    ],
)
async def test_tracking_url_needs_one_number_placeholder(db, url):
    assert await refused(
        carriers.create_carrier({"name": "X", "code": "xx", "tracking_url": url})
    ) == [(ShippingErrorCode.INVALID_TRACKING_URL, ("tracking_url",))]
    assert not await Carrier.exists()


async def test_carrier_problems_are_reported_together(db):
    problems = await refused(carriers.create_carrier({"name": " ", "code": "a b"}))
    assert problems == [
        (ShippingErrorCode.REQUIRED, ("name",)),
        (ShippingErrorCode.INVALID_CODE, ("code",)),
    ]


async def test_update_keeps_what_it_omits_and_refuses_nulls(db):
    carrier = await make_carrier(name="Post", tracking_url="https://p.example/{number}")
    updated = await carriers.update_carrier(carrier.id, {"tracking_url": None, "active": False})
    assert (updated.name, updated.tracking_url, updated.active) == ("Post", "", False)
    nameless: Any = {"name": None}
    assert await refused(carriers.update_carrier(carrier.id, nameless)) == [
        (ShippingErrorCode.REQUIRED, ("name",))
    ]
    assert await refused(carriers.update_carrier(10**9, {"name": "X"})) == [
        (ShippingErrorCode.NOT_FOUND, ("id",))
    ]


async def test_carrier_with_services_cannot_be_deleted(db):
    carrier = await make_carrier()
    service = await make_service(carrier)
    assert await refused(carriers.delete_carrier(carrier.id)) == [
        (ShippingErrorCode.CARRIER_IN_USE, ("id",))
    ]
    await carriers.delete_service(service.id)
    await carriers.delete_carrier(carrier.id)
    assert not await Carrier.exists()


async def test_service_definition_is_checked(db):
    carrier = await make_carrier()
    problems = await refused(
        carriers.create_service(
            {
                "carrier_id": 10**9,
                "name": "",
                "level": "overnight",
                "volumetric_divisor": 139,
                "max_weight_grams": 0,
            }
        )
    )
    assert problems == [
        (ShippingErrorCode.NOT_FOUND, ("carrier_id",)),
        (ShippingErrorCode.REQUIRED, ("name",)),
        (ShippingErrorCode.REQUIRED, ("level",)),
        (ShippingErrorCode.INVALID_DIVISOR, ("volumetric_divisor",)),
        (ShippingErrorCode.INVALID_WEIGHT, ("max_weight_grams",)),
    ]
    service = await make_service(carrier, name="EMS", level=ServiceLevel.EXPRESS)
    assert (service.volumetric_divisor, service.max_weight_grams) == (5000, None)
    assert await refused(make_service(carrier, name="EMS")) == [
        (ShippingErrorCode.DUPLICATE_NAME, ("name",))
    ]
    # The same name at another carrier is a different service.
    await make_service(await make_carrier(name="Other"), name="EMS")
    assert await ShippingService.all().count() == 2


async def test_a_country_is_in_at_most_one_zone(db):
    europe = await make_zone("Europe", ["de", "FR", "DE"])
    assert europe.countries == ["DE", "FR"]
    assert await refused(zones.create_zone({"name": "Germany", "countries": ["DE", "AT"]})) == [
        (ShippingErrorCode.COUNTRY_IN_OTHER_ZONE, ("countries",))
    ]
    assert not await ShippingZone.filter(name="Germany").exists()
    # Moving a country is leaving one zone, then joining another.
    await zones.update_zone(europe.id, {"countries": ["FR"]})
    germany = await make_zone("Germany", ["DE", "AT"])
    assert (await zones.zone_for("de")).id == germany.id  # type: ignore[union-attr]
    # A zone keeps its own countries when renamed.
    await zones.update_zone(germany.id, {"name": "DACH", "countries": ["DE", "AT", "CH"]})


async def test_zone_names_are_unique_and_countries_real(db):
    await make_zone("Europe", ["DE"])
    assert await refused(zones.create_zone({"name": "europe", "countries": []})) == [
        (ShippingErrorCode.DUPLICATE_NAME, ("name",))
    ]
    assert await refused(zones.create_zone({"name": "Moon", "countries": ["FR", "XX"]})) == [
        (ShippingErrorCode.INVALID_COUNTRY, ("countries", "1"))
    ]


async def test_rate_price_is_money_of_the_shop_currency(db, settings):
    assert settings.shop_currency == "USD"
    carrier = await make_carrier()
    service = await make_service(carrier)
    zone = await make_zone("Europe", ["DE"])
    base: rates.RateFields = {
        "service_id": service.id,
        "zone_id": zone.id,
        "min_days": 2,
        "max_days": 5,
    }
    rate = await rates.create_rate({**base, "max_weight_grams": 500, "price": "12.50"})
    assert rate.price == 1250
    for price in ("12.345", "abc", "-1", "NaN"):
        assert await refused(
            rates.create_rate({**base, "max_weight_grams": 900, "price": price})
        ) == [(ShippingErrorCode.INVALID_AMOUNT, ("price",))]
    assert await ShippingRate.all().count() == 1
    free = await rates.create_rate({**base, "max_weight_grams": 1000, "price": "0"})
    assert free.price == 0


async def test_rate_band_and_estimate_are_checked(db):
    carrier = await make_carrier()
    service = await make_service(carrier)
    zone = await make_zone("Europe", ["DE"])
    await price_bands(service, zone, {500: "5.00", 1000: "8.00"})
    base: rates.RateFields = {"service_id": service.id, "zone_id": zone.id, "price": "1"}
    assert await refused(
        rates.create_rate({**base, "max_weight_grams": 500, "min_days": 1, "max_days": 2})
    ) == [(ShippingErrorCode.DUPLICATE_BAND, ("max_weight_grams",))]
    assert await refused(
        rates.create_rate({**base, "max_weight_grams": 0, "min_days": 5, "max_days": 2})
    ) == [(ShippingErrorCode.INVALID_WEIGHT, ("max_weight_grams",))]
    assert await refused(
        rates.create_rate({**base, "max_weight_grams": 2000, "min_days": 5, "max_days": 2})
    ) == [(ShippingErrorCode.INVALID_DAYS, ("max_days",))]
    assert await refused(rates.create_rate({"service_id": service.id, "zone_id": zone.id})) == [
        (ShippingErrorCode.REQUIRED, ("max_weight_grams",)),
        (ShippingErrorCode.REQUIRED, ("price",)),
        (ShippingErrorCode.REQUIRED, ("min_days",)),
        (ShippingErrorCode.REQUIRED, ("max_days",)),
    ]
    first = await ShippingRate.get(max_weight_grams=500)
    assert await refused(rates.update_rate(first.id, {"max_weight_grams": 1000})) == [
        (ShippingErrorCode.DUPLICATE_BAND, ("max_weight_grams",))
    ]
    assert await refused(rates.update_rate(first.id, {"min_days": 9})) == [
        (ShippingErrorCode.INVALID_DAYS, ("max_days",))
    ]
    moved = await rates.update_rate(first.id, {"max_weight_grams": 250, "price": "4.00"})
    assert (moved.max_weight_grams, moved.price) == (250, 400)


async def test_deleting_a_service_or_zone_deletes_its_rates(db):
    carrier = await make_carrier()
    kept, dropped = await make_service(carrier, name="A"), await make_service(carrier, name="B")
    europe, asia = await make_zone("Europe", ["DE"]), await make_zone("Asia", ["JP"])
    for service in (kept, dropped):
        for zone in (europe, asia):
            await price_bands(service, zone, {500: "5.00"})
    await carriers.delete_service(dropped.id)
    await zones.delete_zone(asia.id)
    assert await ShippingRate.all().values_list("service_id", "zone_id") == [(kept.id, europe.id)]
