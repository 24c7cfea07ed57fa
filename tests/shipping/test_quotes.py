"""The pricing rules: chargeable weight, bands, exclusions, order, and the quote checkout asks."""

from __future__ import annotations

import pytest

from models.shipping import ServiceLevel
from services.shipping import carriers, quotes
from services.shipping.errors import ShippingError, ShippingErrorCode
from services.shipping.quotes import Destination, ParcelItem
from tests.shipping.helpers import make_carrier, make_service, make_zone, price_bands

GERMANY = Destination(country="DE", region="BE", postal_code="10115")


def item(weight: int | None = 300, size: tuple[int, int, int] | None = None, qty: int = 1):
    length, width, height = size or (None, None, None)
    return ParcelItem(
        weight_grams=weight, length_mm=length, width_mm=width, height_mm=height, quantity=qty
    )


def test_volumetric_weight_is_cubic_millimetres_over_the_divisor_rounded_up():
    # 40 x 30 x 20 cm = 24,000 cm³; / 5000 cm³ per kg = 4.8 kg.
    assert quotes.volumetric_weight(400 * 300 * 200, 5000) == 4800
    assert quotes.volumetric_weight(1, 5000) == 1  # any volume weighs at least a gram
    assert quotes.volumetric_weight(0, 5000) == 0
    assert quotes.volumetric_weight(24_000_001, 6000) == 4001


def test_parcel_counts_quantities_and_unknown_weights_as_the_default(settings):
    parcel = quotes.parcel_of([item(200, qty=3), item(None, (100, 100, 100), qty=2)])
    assert parcel.weight_grams == 600 + 2 * settings.default_item_weight_grams
    assert parcel.volume_mm3 == 2 * 1_000_000
    # An item without all three dimensions adds no volume.
    assert quotes.parcel_of([item(100, (100, 100, None))]).volume_mm3 == 0  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (item(qty=0), ShippingErrorCode.INVALID_QUANTITY),
        (item(qty=quotes.MAX_QUANTITY + 1), ShippingErrorCode.INVALID_QUANTITY),
        (item(-1), ShippingErrorCode.INVALID_DIMENSIONS),
        (item(100, (10, -5, 10)), ShippingErrorCode.INVALID_DIMENSIONS),
    ],
)
def test_malformed_parcel_is_refused(bad, code):
    with pytest.raises(ShippingError) as caught:
        quotes.parcel_of([item(), bad])
    assert caught.value.code is code
    assert (caught.value.problems[0].field or ())[:2] == ("items", "1")


async def world():
    """Europe (DE, FR) served by an economy post and an express courier; Japan by the post."""
    europe = await make_zone("Europe", ["DE", "FR"])
    japan = await make_zone("Japan", ["JP"])
    post = await make_carrier(name="Post", code="post")
    courier = await make_carrier(name="Courier", code="courier")
    economy = await make_service(
        post, name="Economy", level=ServiceLevel.ECONOMY, volumetric_divisor=8000
    )
    express = await make_service(
        courier,
        name="Express",
        level=ServiceLevel.EXPRESS,
        volumetric_divisor=5000,
        max_weight_grams=20000,
    )
    await price_bands(economy, europe, {500: "8.00", 1000: "12.00", 2000: "18.00"}, days=(8, 15))
    await price_bands(economy, japan, {500: "9.00", 1000: "13.00"}, days=(7, 12))
    await price_bands(
        express,
        europe,
        {500: "30.00", 1000: "36.00", 5000: "60.00", 30000: "150.00"},
        days=(2, 4),
    )
    return europe, economy, express


async def test_options_are_priced_by_band_cheapest_first(db):
    _, economy, _ = await world()
    found = await quotes.options(GERMANY, [item(300), item(200)])
    assert [(o.service_name, o.price, o.min_days, o.max_days) for o in found] == [
        ("Economy", 800, 8, 15),
        ("Express", 3000, 2, 4),
    ]
    first = found[0]
    assert first.service_id == economy.id
    assert first.carrier_id == economy.carrier_id
    assert first.carrier_name == "Post"
    assert first.level is ServiceLevel.ECONOMY
    assert first.chargeable_weight_grams == 500  # a band's bound is inclusive


async def test_band_is_the_lightest_that_holds_the_chargeable_weight(db):
    await world()
    found = await quotes.options(GERMANY, [item(501)])
    assert [(o.service_name, o.price) for o in found] == [("Economy", 1200), ("Express", 3600)]


async def test_each_service_weighs_volume_with_its_own_divisor(db):
    await world()
    # 400 x 300 x 100 mm = 12,000,000 mm³: 1500 g at 8000, 2400 g at 5000; it weighs 700 g.
    found = {o.service_name: o for o in await quotes.options(GERMANY, [item(700, (400, 300, 100))])}
    assert found["Economy"].chargeable_weight_grams == 1500
    assert found["Economy"].price == 1800
    assert found["Express"].chargeable_weight_grams == 2400
    assert found["Express"].price == 6000


async def test_parcel_heavier_than_every_band_leaves_the_service_out(db):
    await world()
    found = await quotes.options(GERMANY, [item(2500)])
    assert [o.service_name for o in found] == ["Express"]


async def test_parcel_over_the_service_limit_leaves_it_out_though_a_band_would_hold_it(db):
    await world()
    assert await quotes.options(GERMANY, [item(20000)]) != []
    assert await quotes.options(GERMANY, [item(20001)]) == []  # Express: 30 kg band, 20 kg cap


async def test_inactive_services_and_carriers_are_not_offered(db):
    _, economy, express = await world()
    await carriers.update_service(economy.id, {"active": False})
    assert [o.service_name for o in await quotes.options(GERMANY, [item()])] == ["Express"]
    await carriers.update_carrier(express.carrier_id, {"active": False})
    assert await quotes.options(GERMANY, [item()]) == []


async def test_equal_prices_put_the_faster_service_first(db):
    europe, _, _ = await world()
    courier = await make_carrier(name="Another", code="another")
    quick = await make_service(courier, name="Quick", level=ServiceLevel.EXPRESS)
    await price_bands(quick, europe, {500: "8.00"}, days=(1, 2))
    found = await quotes.options(GERMANY, [item()])
    assert [o.service_name for o in found][:2] == ["Quick", "Economy"]


async def test_unserved_destination_has_no_options(db):
    await world()
    assert await quotes.options(Destination(country="BR"), [item()]) == []
    assert await quotes.options(Destination(country="XX"), [item()]) == []
    # Country codes are read in any case.
    assert len(await quotes.options(Destination(country="fr"), [item()])) == 2


async def test_quote_returns_the_chosen_services_option(db):
    _, _, express = await world()
    option = await quotes.quote(express.id, GERMANY, [item(900)])
    assert (option.service_name, option.price, option.chargeable_weight_grams) == (
        "Express",
        3600,
        900,
    )


async def quote_code(service_id, destination, items):
    with pytest.raises(ShippingError) as caught:
        await quotes.quote(service_id, destination, items)
    return caught.value.code


async def test_quote_refuses_what_cannot_be_shipped(db):
    _, economy, express = await world()
    japan = Destination(country="JP")
    assert await quote_code(express.id, japan, [item()]) is ShippingErrorCode.SERVICE_UNAVAILABLE
    assert await quote_code(economy.id, GERMANY, [item(2001)]) is (
        ShippingErrorCode.SERVICE_UNAVAILABLE
    )
    assert await quote_code(express.id, GERMANY, [item(25000)]) is (
        ShippingErrorCode.SERVICE_UNAVAILABLE
    )
    assert await quote_code(express.id, Destination(country="BR"), [item()]) is (
        ShippingErrorCode.DESTINATION_NOT_SERVED
    )
    assert await quote_code(999_999, GERMANY, [item()]) is ShippingErrorCode.SERVICE_UNAVAILABLE
    await carriers.update_service(economy.id, {"active": False})
    assert await quote_code(economy.id, GERMANY, [item()]) is (
        ShippingErrorCode.SERVICE_UNAVAILABLE
    )
