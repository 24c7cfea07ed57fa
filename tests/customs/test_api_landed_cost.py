"""The same basket to Germany, the UK, Australia, Japan and the US, through the checkout quote
and `placeOrder`, as a storefront does it: the right duties and taxes before paying, and the
order keeps them with totals that are the sum of their parts in both currencies.

A USD shop shipping from China: two cotton T-shirts (HS 610910) at USD 40.00, shipping
USD 8.00. Rates: EUR 0.8, GBP 0.75, AUD 1.6, JPY 160. Germany and Australia are DAP (the
default), the US and the UK DDP.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from models.catalog import Product, ProductVariant
from models.currency import ExchangeRate, PresentmentCurrency, RateSource
from models.customs import CustomsMarket, DutyRate, Incoterm, OrderCharge
from models.orders import Order, OrderLine
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from tests.factories import gid, make_product

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken errors { code } } }"""
CHARGES = """customs { destination domestic regime basis incoterm
  charges { kind name variantId basis rate amount { amount currency } shopAmount { amount }
            chargedNow }
  dutyNow { amount } importTaxNow { amount } dutyAtDoor { amount } importTaxAtDoor { amount }
  unknown { kind variantId reason message }
  threshold { regime limit { amount currency } value { amount currency } measuredOn held
              rate rateSource } }"""
QUOTE = (
    """query($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { field code message }
    quote { currency
      amounts { subtotal { amount } shipping { amount } duty { amount } importTax { amount }
                total { amount currency } }
      shopAmounts { duty { amount } importTax { amount } total { amount } }
      """
    + CHARGES
    + """ } } }"""
)
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    errors { field code message }
    order { number total { amount currency } dutyTotal { amount } importTaxTotal { amount }
            totalInShopCurrency { amount } dutyTotalInShopCurrency { amount }
            importTaxTotalInShopCurrency { amount } incoterm customsRegime
            lines { id customs { hsCode } }
            charges { kind name lineId regime destination basis rate amount { amount currency }
                      amountInShopCurrency { amount } baseInShopCurrency { amount }
                      chargedNow } } } }"""
STAFF_ORDER = """query($number: String!) {
  order(number: $number) { lines { customs { hsCode originCountry description material
                                             netWeightGrams excise: exciseGoods } } } }"""

ADDRESSES = {
    "DE": ("EUR", {"city": "Berlin", "postalCode": "10115"}),
    "GB": ("GBP", {"city": "London", "postalCode": "SW1A 1AA"}),
    "AU": ("AUD", {"city": "Sydney", "region": "NSW", "postalCode": "2000"}),
    "JP": ("JPY", {"city": "Shibuya-ku", "region": "Tokyo", "postalCode": "150-0002"}),
    "US": ("USD", {"city": "Portland", "region": "OR", "postalCode": "97201"}),
    "CN": ("USD", {"city": "Shanghai", "postalCode": "200000"}),
    "BR": ("USD", {"city": "Sao Paulo", "postalCode": "01000-000"}),
}


async def _shop() -> tuple[str, ProductVariant]:
    for code, rate in (("EUR", "0.8"), ("GBP", "0.75"), ("AUD", "1.6"), ("JPY", "160")):
        await PresentmentCurrency.create(code=code)
        await ExchangeRate.create(
            base="USD", quote=code, rate=rate, source=RateSource.MANUAL, rate_date=date.today()
        )
    zone = await ShippingZone.create(name="World", countries=[*ADDRESSES, "FR"])
    carrier = await Carrier.create(name="Post", code="post", tracking_url="https://t/{number}")
    service = await ShippingService.create(
        carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
    )
    await ShippingRate.create(
        service=service, zone=zone, max_weight_grams=30000, price=800, min_days=5, max_days=10
    )
    for country, prefix, bps in (
        ("DE", "61", 1200),
        ("GB", "61", 1200),
        ("AU", "", 500),
        ("JP", "6109", 1090),
        ("US", "610910", 1650),
    ):
        await DutyRate.create(country=country, hs_prefix=prefix, rate_bps=bps, source="test")
    await CustomsMarket.create(country="US", incoterm=Incoterm.DDP)
    await CustomsMarket.create(country="GB", incoterm=Incoterm.DDP)
    product = await make_product(prices=("40.00",), stock=(50,), name="Cotton T-shirt")
    await Product.filter(id=product.id).update(
        hs_code="610910",
        origin_country="CN",
        customs_description="Men's cotton T-shirt, knitted",
        material="100% cotton",
        net_weight_grams=180,
    )
    return gid("ShippingService", service.id), await ProductVariant.get(product_id=product.id)


async def _cart(client, variant: ProductVariant) -> str:
    data = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 2}}
    )
    assert data["addToCart"]["errors"] == []
    return data["addToCart"]["cartToken"]


def _address(country: str) -> dict[str, str]:
    return {"fullName": "Sam Shopper", "line1": "1 Main Street", "country": country} | ADDRESSES[
        country
    ][1]


async def _quote(client, token: str, service: str, country: str) -> dict:
    currency, address = ADDRESSES[country]
    data = await client.query(
        QUOTE,
        {
            "input": {
                "cartToken": token,
                "currency": currency,
                "destination": {
                    "country": country,
                    "region": address.get("region", ""),
                    "postalCode": address["postalCode"],
                },
                "shippingServiceId": service,
            }
        },
    )
    assert data["checkoutQuote"]["errors"] == []
    return data["checkoutQuote"]["quote"]


def _charges(quote: dict) -> list[tuple]:
    return [
        (c["kind"], c["basis"], c["rate"], c["shopAmount"]["amount"], c["amount"]["amount"],
         c["chargedNow"])
        for c in quote["customs"]["charges"]
    ]  # fmt: skip


# Each row: regime, incoterm, charges (kind, basis, rate, shop amount, shown amount, charged
# now), presentment total, shop total.
EXPECTED = {
    # 64 EUR of goods: IOSS. VAT 19 % of 88.00 = 16.72 (EUR 13.38) now; EUR 3 flat duty at the door.
    "DE": (
        "EU-IOSS",
        "DAP",
        [
            ("DUTY", "price", None, "3.75", "3.00", False),
            ("IMPORT_TAX", "price", "19", "16.72", "13.38", True),
        ],
        "83.78",
        "104.72",
    ),
    # GBP 60: VAT 20 % at the point of sale, no duty.
    "GB": (
        "GB-LVI",
        "DDP",
        [("IMPORT_TAX", "price", "20", "17.60", "13.20", True)],
        "79.20",
        "105.60",
    ),
    # AUD 64 a good: GST 10 % at the point of sale.
    "AU": (
        "AU-LVG",
        "DAP",
        [("IMPORT_TAX", "price", "10", "8.80", "14.08", True)],
        "154.88",
        "96.80",
    ),
    # Knitted clothing is never exempt: duty 10.9 % of 0.6 x 80 + 8 = 56.00 -> 6.10, tax 10 %
    # of 62.10 -> 6.21, both at the door.
    "JP": (
        "JP-STANDARD",
        "DAP",
        [
            ("DUTY", "cif", "10.9", "6.10", "976", False),
            ("IMPORT_TAX", "cif", "10", "6.21", "994", False),
        ],
        "14080",
        "88.00",
    ),
    # No de minimis: duty 16.5 % of FOB 80.00 = 13.20, charged now (DDP).
    "US": (
        "US-NO-DE-MINIMIS",
        "DDP",
        [("DUTY", "fob", "16.5", "13.20", "13.20", True)],
        "101.20",
        "101.20",
    ),
}


@pytest.mark.parametrize("country", list(EXPECTED))
async def test_the_same_basket_gets_each_destinations_duties_and_taxes(client, country):
    service, variant = await _shop()
    token = await _cart(client, variant)
    regime, incoterm, charges, total, shop_total = EXPECTED[country]

    quote = await _quote(client, token, service, country)
    customs = quote["customs"]
    assert (customs["regime"], customs["incoterm"], customs["domestic"]) == (
        regime,
        incoterm,
        False,
    )
    assert _charges(quote) == charges
    assert customs["unknown"] == []
    assert all(
        c["variantId"] == (gid("ProductVariant", variant.id) if c["kind"] != "DUTY" or
                           c["basis"] != "price" else None)
        for c in customs["charges"]
    )  # fmt: skip
    amounts = quote["amounts"]
    assert amounts["total"] == {"amount": total, "currency": ADDRESSES[country][0]}
    assert quote["shopAmounts"]["total"]["amount"] == shop_total
    now = [c for c in charges if c[5]]
    assert amounts["duty"]["amount"] == _sum([c[4] for c in now if c[0] == "DUTY"], total)
    assert amounts["importTax"]["amount"] == _sum([c[4] for c in now if c[0] != "DUTY"], total)

    placed = await client.query(
        PLACE,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": "sam@example.com",
                "shippingAddress": _address(country),
                "shippingServiceId": service,
                "currency": ADDRESSES[country][0],
                "expectedTotal": total,
            }
        },
    )
    payload = placed["placeOrder"]
    assert payload["errors"] == []
    view = payload["order"]
    assert view["total"]["amount"] == total
    assert view["totalInShopCurrency"]["amount"] == shop_total
    assert (view["customsRegime"], view["incoterm"]) == (regime, incoterm)
    assert [
        (c["kind"], c["basis"], c["rate"], c["amountInShopCurrency"]["amount"],
         c["amount"]["amount"], c["chargedNow"])
        for c in view["charges"]
    ] == charges  # fmt: skip
    assert all(c["regime"] == regime and c["destination"] == country for c in view["charges"])
    # The shopper does not see the customs snapshot of the lines.
    assert [line["customs"] for line in view["lines"]] == [None]

    order = await Order.get(number=view["number"])
    rows = await OrderCharge.filter(order_id=order.id).order_by("position")
    line = await OrderLine.get(order_id=order.id)
    assert [r.line_id for r in rows] == [
        None if r.kind == "duty" and r.basis == "price" else line.id for r in rows
    ]
    collected = [r for r in rows if r.collected]
    for suffix, amount in (("", "amount"), ("_presentment", "amount_presentment")):
        duty = sum(getattr(r, amount) for r in collected if r.kind == "duty")
        tax = sum(getattr(r, amount) for r in collected if r.kind == "import_tax")
        assert getattr(order, "duty_total" + suffix) == duty
        assert getattr(order, "import_tax_total" + suffix) == tax
        assert getattr(order, "total" + suffix) == (
            getattr(order, "subtotal" + suffix)
            - getattr(order, "discount_total" + suffix)
            + getattr(order, "shipping_total" + suffix)
            + duty
            + tax
        )
    assert order.customs is not None and order.customs["regime"] == regime
    assert (line.hs_code, line.origin_country, line.material) == ("610910", "CN", "100% cotton")
    assert line.customs_description == "Men's cotton T-shirt, knitted"

    staff = await client.staff(STAFF_ORDER, {"number": view["number"]})
    assert staff["order"]["lines"][0]["customs"] == {
        "hsCode": "610910",
        "originCountry": "CN",
        "description": "Men's cotton T-shirt, knitted",
        "material": "100% cotton",
        "netWeightGrams": 180,
        "excise": False,
    }


def _sum(amounts: list[str], like: str) -> str:
    """The sum of decimal strings, written with as many decimals as `like`."""
    from decimal import Decimal

    places = len(like.split(".")[1]) if "." in like else 0
    return str(sum((Decimal(a) for a in amounts), Decimal(0)).quantize(Decimal(1).scaleb(-places)))


async def test_a_german_quote_keeps_the_threshold_it_was_tested_at(client):
    service, variant = await _shop()
    token = await _cart(client, variant)
    threshold = (await _quote(client, token, service, "DE"))["customs"]["threshold"]
    assert threshold == {
        "regime": "EU-IOSS",
        "limit": {"amount": "150.00", "currency": "EUR"},
        "value": {"amount": "64.00", "currency": "EUR"},
        "measuredOn": "intrinsic",
        "held": True,
        "rate": "0.8",
        "rateSource": "manual",
    }


async def test_a_parcel_to_the_ship_from_country_is_domestic(client):
    service, variant = await _shop()
    token = await _cart(client, variant)
    customs = (await _quote(client, token, service, "CN"))["customs"]
    assert (customs["domestic"], customs["regime"], customs["charges"]) == (True, None, [])


async def test_unknown_rates_are_shown_not_guessed_and_cost_nothing(client):
    service, variant = await _shop()
    token = await _cart(client, variant)
    customs = (await _quote(client, token, service, "BR"))["customs"]
    assert customs["regime"] == "DEFAULT"
    assert customs["charges"] == []
    assert [(u["kind"], u["reason"]) for u in customs["unknown"]] == [
        ("DUTY", "NO_DUTY_RATE"),
        ("IMPORT_TAX", "NO_TAX_RATE"),
    ]
    assert all(u["message"] for u in customs["unknown"])


async def test_a_quote_without_destination_has_no_customs_yet(client):
    _, variant = await _shop()
    token = await _cart(client, variant)
    data = await client.query(QUOTE, {"input": {"cartToken": token, "currency": "EUR"}})
    assert data["checkoutQuote"]["quote"]["customs"] is None


async def test_an_unknown_country_is_refused_by_type(client):
    service, variant = await _shop()
    token = await _cart(client, variant)
    body = await client.request(
        QUOTE,
        {
            "input": {
                "cartToken": token,
                "destination": {"country": "XX"},
                "shippingServiceId": service,
            }
        },
    )
    assert body.get("data") is None
    assert "CountryCode" in body["errors"][0]["message"]


async def test_a_total_agreed_before_duties_is_refused_and_nothing_written(client):
    service, variant = await _shop()
    token = await _cart(client, variant)
    placed = await client.query(
        PLACE,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": "sam@example.com",
                "shippingAddress": _address("US"),
                "shippingServiceId": service,
                "currency": "USD",
                "expectedTotal": "88.00",  # goods and shipping, without the US duty
            }
        },
    )
    assert [e["code"] for e in placed["placeOrder"]["errors"]] == ["PRICE_CHANGED"]
    assert await Order.all().count() == 0
    assert await OrderCharge.all().count() == 0


async def test_the_confirmation_email_shows_the_charges_paid_and_those_due_at_the_door(client):
    from models.emails import EmailKind
    from services.emails.sending import render_order_email

    service, variant = await _shop()
    token = await _cart(client, variant)
    placed = await client.query(
        PLACE,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": "sam@example.com",
                "shippingAddress": _address("DE"),
                "shippingServiceId": service,
                "currency": "EUR",
            }
        },
        headers={"Accept-Language": "de"},
    )
    order = await Order.get(number=placed["placeOrder"]["order"]["number"])
    email = await render_order_email(order, EmailKind.ORDER_PLACED)
    text = " ".join(email.text.split())
    assert "VAT 19 %: 13,38 €" in text
    assert "Gesamtsumme: 83,78 €" in text
    door = "Geschätzt, bei Zustellung an den Zusteller zu zahlen:"
    assert f"{door} - Customs duty (flat): 3,00 €" in text
    assert "VAT 19 %" in email.html and "Customs duty (flat)" in email.html
