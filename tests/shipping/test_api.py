"""Shipping through the API: staff keep carriers, zones and rates; a storefront asks for options."""

from __future__ import annotations

from demo.shipping import load_demo_shipping
from models.accounts import Role
from models.catalog import ProductVariant
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from tests.factories import gid, make_product, make_user
from tests.shipping.helpers import make_carrier, make_service, make_zone, price_bands

ERRORS = "errors { field code message }"

CREATE_CARRIER = f"""
mutation($input: CreateCarrierInput!) {{
  createCarrier(input: $input) {{ carrier {{ id name code trackingUrl active }} {ERRORS} }}
}}
"""

UPDATE_CARRIER = f"""
mutation($input: UpdateCarrierInput!) {{
  updateCarrier(input: $input) {{ carrier {{ name code trackingUrl active }} {ERRORS} }}
}}
"""

DELETE_CARRIER = f"""
mutation($input: DeleteCarrierInput!) {{ deleteCarrier(input: $input) {{ deletedId {ERRORS} }} }}
"""

CREATE_SERVICE = f"""
mutation($input: CreateShippingServiceInput!) {{
  createShippingService(input: $input) {{
    service {{ id name level volumetricDivisor maxWeightGrams active carrier {{ code }} }}
    {ERRORS}
  }}
}}
"""

UPDATE_SERVICE = f"""
mutation($input: UpdateShippingServiceInput!) {{
  updateShippingService(input: $input) {{ service {{ name level maxWeightGrams }} {ERRORS} }}
}}
"""

DELETE_SERVICE = f"""
mutation($input: DeleteShippingServiceInput!) {{
  deleteShippingService(input: $input) {{ deletedId {ERRORS} }}
}}
"""

CREATE_ZONE = f"""
mutation($input: CreateShippingZoneInput!) {{
  createShippingZone(input: $input) {{ zone {{ id name countries }} {ERRORS} }}
}}
"""

UPDATE_ZONE = f"""
mutation($input: UpdateShippingZoneInput!) {{
  updateShippingZone(input: $input) {{ zone {{ name countries }} {ERRORS} }}
}}
"""

DELETE_ZONE = f"""
mutation($input: DeleteShippingZoneInput!) {{
  deleteShippingZone(input: $input) {{ deletedId {ERRORS} }}
}}
"""

CREATE_RATE = f"""
mutation($input: CreateShippingRateInput!) {{
  createShippingRate(input: $input) {{
    rate {{
      id maxWeightGrams minDays maxDays price {{ amount currency }}
      service {{ name }} zone {{ name }}
    }}
    {ERRORS}
  }}
}}
"""

UPDATE_RATE = f"""
mutation($input: UpdateShippingRateInput!) {{
  updateShippingRate(input: $input) {{ rate {{ maxWeightGrams price {{ amount }} }} {ERRORS} }}
}}
"""

DELETE_RATE = f"""
mutation($input: DeleteShippingRateInput!) {{
  deleteShippingRate(input: $input) {{ deletedId {ERRORS} }}
}}
"""

CARRIERS = """
query($first: Int, $after: String) {
  carriers(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { name code services { name level } }
  }
}
"""

ZONES = """
{ shippingZones(first: 10) { totalCount nodes { name countries } } }
"""

RATES = """
query($service: ID!, $zone: ID, $first: Int) {
  shippingRates(serviceId: $service, zoneId: $zone, first: $first) {
    totalCount nodes { maxWeightGrams price { amount currency } zone { name } }
  }
}
"""

OPTIONS = """
query($destination: ShippingDestinationInput!, $items: [ShippingItemInput!]!,
      $currency: CurrencyCode) {
  shippingOptions(destination: $destination, items: $items, currency: $currency) {
    options {
      serviceId carrierId carrierName serviceName level minDays maxDays chargeableWeightGrams
      price { amount currency } shopPrice { amount currency }
    }
    errors { field code message }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { __typename ... on Carrier { code } } }"


async def settings_staff():
    return await make_user(role=Role.STAFF, permissions=("settings",))


async def test_staff_build_a_rate_table_through_the_api(client):
    staff = await settings_staff()

    async def run(document, input):
        return await client.query(document, {"input": input}, user=staff)

    carrier = (
        await run(
            CREATE_CARRIER,
            {"name": "Japan Post", "code": "JP-Post", "trackingUrl": "https://jp.example/{number}"},
        )
    )["createCarrier"]
    assert carrier["errors"] == []
    assert carrier["carrier"]["code"] == "jp-post"
    carrier_id = carrier["carrier"]["id"]

    service = (
        await run(
            CREATE_SERVICE,
            {
                "carrierId": carrier_id,
                "name": "EMS",
                "level": "EXPRESS",
                "volumetricDivisor": 6000,
                "maxWeightGrams": 30000,
            },
        )
    )["createShippingService"]
    assert service["errors"] == []
    assert service["service"] == {
        "id": service["service"]["id"],
        "name": "EMS",
        "level": "EXPRESS",
        "volumetricDivisor": 6000,
        "maxWeightGrams": 30000,
        "active": True,
        "carrier": {"code": "jp-post"},
    }
    service_id = service["service"]["id"]

    zone = (await run(CREATE_ZONE, {"name": "Europe", "countries": ["FR", "DE"]}))[
        "createShippingZone"
    ]
    assert zone["zone"]["countries"] == ["DE", "FR"]
    zone_id = zone["zone"]["id"]

    created = []
    for grams, price in ((1000, "40.00"), (500, "32.50")):
        result = (
            await run(
                CREATE_RATE,
                {
                    "serviceId": service_id,
                    "zoneId": zone_id,
                    "maxWeightGrams": grams,
                    "price": price,
                    "minDays": 3,
                    "maxDays": 6,
                },
            )
        )["createShippingRate"]
        assert result["errors"] == []
        created.append(result["rate"])
    assert created[1]["price"] == {"amount": "32.50", "currency": "USD"}
    assert created[1]["service"] == {"name": "EMS"}
    assert created[1]["zone"] == {"name": "Europe"}

    table = (await client.query(RATES, {"service": service_id}, user=staff))["shippingRates"]
    assert table["totalCount"] == 2
    assert [(r["maxWeightGrams"], r["price"]["amount"]) for r in table["nodes"]] == [
        (500, "32.50"),
        (1000, "40.00"),
    ]

    other = (await run(CREATE_ZONE, {"name": "Asia", "countries": ["JP"]}))["createShippingZone"]
    for zone_filter, count in ((zone_id, 2), (other["zone"]["id"], 0)):
        variables = {"service": service_id, "zone": zone_filter}
        assert (await client.query(RATES, variables, user=staff))["shippingRates"][
            "totalCount"
        ] == count

    listed = (await client.query(CARRIERS, user=staff))["carriers"]
    assert listed["nodes"] == [
        {"name": "Japan Post", "code": "jp-post", "services": [{"name": "EMS", "level": "EXPRESS"}]}
    ]
    zones = (await client.query(ZONES, user=staff))["shippingZones"]
    assert zones["nodes"] == [
        {"name": "Asia", "countries": ["JP"]},
        {"name": "Europe", "countries": ["DE", "FR"]},
    ]

    node = await client.query(NODE, {"id": carrier_id}, user=staff)
    assert node["node"] == {"__typename": "Carrier", "code": "jp-post"}


async def test_staff_edit_and_delete_through_the_api(client):
    carrier = await make_carrier(name="Post", code="post")
    service = await make_service(carrier, name="Air")
    zone = await make_zone("Asia", ["JP"])
    await price_bands(service, zone, {500: "9.00", 1000: "12.00"})
    rate = await ShippingRate.get(max_weight_grams=500)

    data = await client.staff(
        UPDATE_CARRIER,
        {"input": {"id": gid("Carrier", carrier.id), "name": "Post Office", "trackingUrl": None}},
    )
    assert data["updateCarrier"]["carrier"] == {
        "name": "Post Office",
        "code": "post",
        "trackingUrl": "",
        "active": True,
    }
    data = await client.staff(
        UPDATE_SERVICE,
        {
            "input": {
                "id": gid("ShippingService", service.id),
                "level": "ECONOMY",
                "maxWeightGrams": 2000,
            }
        },
    )
    assert data["updateShippingService"]["service"] == {
        "name": "Air",
        "level": "ECONOMY",
        "maxWeightGrams": 2000,
    }
    data = await client.staff(
        UPDATE_ZONE, {"input": {"id": gid("ShippingZone", zone.id), "countries": ["JP", "KR"]}}
    )
    assert data["updateShippingZone"]["zone"] == {"name": "Asia", "countries": ["JP", "KR"]}
    data = await client.staff(
        UPDATE_RATE, {"input": {"id": gid("ShippingRate", rate.id), "price": "8.75"}}
    )
    assert data["updateShippingRate"]["rate"] == {
        "maxWeightGrams": 500,
        "price": {"amount": "8.75"},
    }

    # A carrier with services stays; its services go first.
    data = await client.staff(DELETE_CARRIER, {"input": {"id": gid("Carrier", carrier.id)}})
    assert data["deleteCarrier"]["errors"][0]["code"] == "CARRIER_IN_USE"
    data = await client.staff(DELETE_RATE, {"input": {"id": gid("ShippingRate", rate.id)}})
    assert data["deleteShippingRate"]["deletedId"] == gid("ShippingRate", rate.id)
    assert await ShippingRate.all().count() == 1
    data = await client.staff(DELETE_SERVICE, {"input": {"id": gid("ShippingService", service.id)}})
    assert data["deleteShippingService"]["errors"] == []
    data = await client.staff(DELETE_CARRIER, {"input": {"id": gid("Carrier", carrier.id)}})
    assert data["deleteCarrier"]["errors"] == []
    data = await client.staff(DELETE_ZONE, {"input": {"id": gid("ShippingZone", zone.id)}})
    assert data["deleteShippingZone"]["errors"] == []
    assert not await Carrier.exists()
    assert not await ShippingZone.exists()
    assert not await ShippingRate.exists()


async def test_bad_definitions_get_payload_errors_and_change_nothing(client):
    await make_zone("Europe", ["DE", "FR"])
    data = await client.staff(CREATE_ZONE, {"input": {"name": "DACH", "countries": ["AT", "DE"]}})
    assert data["createShippingZone"] == {
        "zone": None,
        "errors": [
            {
                "field": ["countries"],
                "code": "COUNTRY_IN_OTHER_ZONE",
                "message": "DE is in the zone Europe; remove it there first.",
            }
        ],
    }
    assert await ShippingZone.all().count() == 1

    data = await client.staff(
        CREATE_CARRIER, {"input": {"name": "X", "code": "x-1", "trackingUrl": "https://x.example"}}
    )
    assert [e["code"] for e in data["createCarrier"]["errors"]] == ["INVALID_TRACKING_URL"]

    data = await client.staff(
        CREATE_SERVICE,
        {"input": {"carrierId": gid("Carrier", 999), "name": "Air", "level": "STANDARD"}},
    )
    assert data["createShippingService"]["errors"] == [
        {"field": ["carrierId"], "code": "NOT_FOUND", "message": "The carrier does not exist."}
    ]
    data = await client.staff(
        CREATE_SERVICE,
        {"input": {"carrierId": gid("Product", 1), "name": "Air", "level": "STANDARD"}},
    )
    assert data["createShippingService"]["errors"][0]["field"] == ["carrierId"]

    carrier = await make_carrier()
    service = await make_service(carrier)
    zone = await ShippingZone.get(name="Europe")
    data = await client.staff(
        CREATE_RATE,
        {
            "input": {
                "serviceId": gid("ShippingService", service.id),
                "zoneId": gid("ShippingZone", zone.id),
                "maxWeightGrams": 500,
                "price": "12.345",
                "minDays": 6,
                "maxDays": 3,
            }
        },
    )
    assert [(e["field"], e["code"]) for e in data["createShippingRate"]["errors"]] == [
        (["price"], "INVALID_AMOUNT")
    ]
    assert not await ShippingRate.exists()
    assert await ShippingService.all().count() == 1


async def test_shipping_settings_are_for_settings_staff_only(client):
    customer = await make_user()
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    settings_user = await settings_staff()
    carrier = await make_carrier(code="dhl")
    for document, variables in (
        (CARRIERS, {}),
        (ZONES, {}),
        (RATES, {"service": gid("ShippingService", 1)}),
        (CREATE_CARRIER, {"input": {"name": "X", "code": "xyz"}}),
        (CREATE_ZONE, {"input": {"name": "Moon"}}),
    ):
        anonymous = await client.request(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for user in (customer, catalog_staff):
            body = await client.request(document, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "errors" not in await client.request(document, variables, user=settings_user)
    assert await Carrier.all().count() == 2  # only the settings staff's one was added
    # Nor can a node lookup reveal them.
    for viewer in (None, customer, catalog_staff):
        data = await client.query(NODE, {"id": gid("Carrier", carrier.id)}, user=viewer)
        assert data["node"] is None


async def shop():
    """A zone for Japan and Germany, two services, and products with weights and sizes."""
    east = await make_zone("East Asia", ["JP"])
    europe = await make_zone("Europe", ["DE"])
    post = await make_carrier(name="Japan Post", code="jp")
    courier = await make_carrier(name="DHL", code="dhl")
    ems = await make_service(post, name="EMS", level=ServiceLevel.EXPRESS, volumetric_divisor=6000)
    express = await make_service(courier, name="Express Worldwide", level=ServiceLevel.EXPRESS)
    bands = {500: "20.00", 1000: "26.00", 2000: "34.00", 5000: "58.00"}
    await price_bands(ems, east, bands, days=(2, 4))
    await price_bands(
        express, east, {k: f"{float(v) * 2:.2f}" for k, v in bands.items()}, days=(1, 3)
    )
    await price_bands(express, europe, bands, days=(2, 5))
    product = await make_product(prices=("30.00", "30.00"))
    first, second = await ProductVariant.filter(product_id=product.id).order_by("id")
    await ProductVariant.filter(id=first.id).update(
        weight_grams=400, length_mm=300, width_mm=200, height_mm=100
    )
    await ProductVariant.filter(id=second.id).update(weight_grams=None)
    return ems, express, first, second


def line(variant, quantity=1):
    return {"variantId": gid("ProductVariant", variant.id), "quantity": quantity}


async def test_a_storefront_sees_options_for_japan_cheapest_first(client, settings):
    ems, _, first, second = await shop()
    data = await client.query(
        OPTIONS,
        {
            "destination": {"country": "JP", "region": "Tokyo", "postalCode": "100-0001"},
            "items": [line(first, 2), line(second)],
        },
    )
    result = data["shippingOptions"]
    assert result["errors"] == []
    # 2 x 400 g + 500 g default = 1300 g; 2 x 6,000,000 mm³ is 2000 g at 6000, 2400 g at 5000.
    assert [
        (o["serviceName"], o["chargeableWeightGrams"], o["shopPrice"]["amount"])
        for o in result["options"]
    ] == [("EMS", 2000, "34.00"), ("Express Worldwide", 2400, "116.00")]
    option = result["options"][0]
    assert option["serviceId"] == gid("ShippingService", ems.id)
    assert option["carrierId"] == gid("Carrier", ems.carrier_id)
    assert (option["carrierName"], option["level"], option["minDays"], option["maxDays"]) == (
        "Japan Post",
        "EXPRESS",
        2,
        4,
    )
    assert option["shopPrice"]["currency"] == settings.shop_currency


async def test_options_for_a_destination_nobody_serves_say_so(client):
    _, _, first, _ = await shop()
    data = await client.query(OPTIONS, {"destination": {"country": "BR"}, "items": [line(first)]})
    assert data["shippingOptions"] == {
        "options": [],
        "errors": [
            {
                "field": ["destination", "country"],
                "code": "DESTINATION_NOT_SERVED",
                "message": "We do not ship to 'BR'.",
            }
        ],
    }


async def test_options_refuse_unknown_hidden_and_bad_lines(client):
    _, _, first, _ = await shop()
    draft = await make_product(publish=False)
    hidden = await ProductVariant.get(product_id=draft.id)
    germany = {"country": "DE"}

    async def errors(items, user=None):
        data = await client.query(OPTIONS, {"destination": germany, "items": items}, user=user)
        assert data["shippingOptions"]["options"] == []
        return [(e["field"], e["code"]) for e in data["shippingOptions"]["errors"]]

    assert await errors([line(first), line(hidden)]) == [
        (["items", "1", "variantId"], "VARIANT_NOT_FOUND")
    ]
    assert await errors([{"variantId": gid("Product", first.id), "quantity": 1}]) == [
        (["items", "0", "variantId"], "VARIANT_NOT_FOUND")
    ]
    assert await errors([line(first, 0)]) == [(["items", "0", "quantity"], "INVALID_QUANTITY")]
    assert await errors([line(first)] * 101) == [(["items"], "TOO_MANY_ITEMS")]
    # Catalog staff price drafts too.
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    data = await client.query(
        OPTIONS, {"destination": germany, "items": [line(hidden)]}, user=catalog_staff
    )
    assert len(data["shippingOptions"]["options"]) == 1


async def test_options_cost_the_same_queries_for_one_line_or_many(client, count_queries):
    _, _, first, second = await shop()
    others = [await make_product() for _ in range(8)]
    many = [line(first), line(second)] + [
        line(await ProductVariant.get(product_id=p.id)) for p in others
    ]

    async def statements(items):
        count_queries.statements.clear()
        data = await client.query(OPTIONS, {"destination": {"country": "JP"}, "items": items})
        assert data["shippingOptions"]["options"]
        return count_queries.count

    assert await statements([line(first)]) == await statements(many)


async def test_demo_shipping_offers_options_to_japan_germany_and_the_us(client):
    assert await load_demo_shipping() is True
    assert await load_demo_shipping() is False
    product = await make_product()
    variant = await ProductVariant.get(product_id=product.id)
    await ProductVariant.filter(id=variant.id).update(weight_grams=800)
    shown = {}
    for country in ("JP", "DE", "US"):
        data = await client.query(
            OPTIONS, {"destination": {"country": country}, "items": [line(variant)]}
        )
        options = data["shippingOptions"]["options"]
        prices = [float(o["shopPrice"]["amount"]) for o in options]
        assert len(options) >= 3 and prices == sorted(prices)
        shown[country] = {o["level"] for o in options}
    assert "DEDICATED_LINE" in shown["JP"] and "ECONOMY" in shown["DE"]
    assert shown["US"] >= {"STANDARD", "EXPRESS"}
    # Every country is in exactly one demo zone.
    zones = await ShippingZone.all()
    listed = [code for zone in zones for code in zone.countries]
    assert len(listed) == len(set(listed)) > 240


PREVIEW = """
query($country: CountryCode!, $grams: Int!, $currency: CurrencyCode) {
  shippingPreview(destination: {country: $country}, weightGrams: $grams, currency: $currency) {
    currency
    options { serviceName chargeableWeightGrams minDays maxDays shopPrice { amount currency } }
    errors { field code message }
  }
}
"""


async def test_staff_preview_what_a_parcel_of_a_weight_costs(client):
    await shop()
    data = await client.staff(PREVIEW, {"country": "JP", "grams": 700})
    preview = data["shippingPreview"]
    assert preview["errors"] == []
    assert [(o["serviceName"], o["shopPrice"]["amount"]) for o in preview["options"]] == [
        ("EMS", "26.00"),
        ("Express Worldwide", "52.00"),
    ]
    assert preview["options"][0]["chargeableWeightGrams"] == 700
    assert (preview["options"][0]["minDays"], preview["options"][0]["maxDays"]) == (2, 4)
    # Heavier than every band: no option; nobody ships to Brazil; a weight of 0 is refused.
    too_heavy = await client.staff(PREVIEW, {"country": "JP", "grams": 6000})
    assert too_heavy["shippingPreview"] == {"currency": "USD", "options": [], "errors": []}
    brazil = (await client.staff(PREVIEW, {"country": "BR", "grams": 700}))["shippingPreview"]
    assert [(e["field"], e["code"]) for e in brazil["errors"]] == [
        (["destination", "country"], "DESTINATION_NOT_SERVED")
    ]
    nothing = (await client.staff(PREVIEW, {"country": "JP", "grams": 0}))["shippingPreview"]
    assert [(e["field"], e["code"]) for e in nothing["errors"]] == [
        (["weightGrams"], "INVALID_WEIGHT")
    ]


async def test_the_preview_is_for_settings_staff_only(client):
    variables = {"country": "JP", "grams": 700}
    anonymous = await client.request(PREVIEW, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    body = await client.request(PREVIEW, variables, user=catalog_staff)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
