"""Every price a shopper reads is in one negotiated currency, converted as checkout converts.

A yen cart is told its coupon saving and its shipping in yen, by `checkCoupon` and
`shippingOptions` as by the checkout quote; the product list's price filter and facet
buckets are in the list's currency and agree with each other; a currency that is not
offered is refused the same way whether an argument or the `X-Currency` header asks.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLObjectType, build_schema
from graphql import get_named_type as named

from models.catalog import ProductVariant
from models.coupons import CouponKind
from models.currency import PresentmentCurrency, RoundingRule
from models.orders import Cart
from services.coupons import coupons
from tests.factories import gid, make_product
from tests.orders.checkout_setup import ready_shop

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) {
    cartToken errors { field code message }
    cart { quote { currency lines { variant { price { amount currency } } unitPrice { amount } } } }
  } }"""

QUOTE = """query($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { field code message }
    quote { currency amounts { subtotal { amount currency } couponDiscount { amount currency } }
            shippingOptions { serviceId price { amount currency } }
            couponProblem { code message } }
  } }"""

CHECK = """query($code: String!, $subtotal: Decimal!, $currency: CurrencyCode) {
  checkCoupon(code: $code, subtotal: $subtotal, currency: $currency) {
    currency
    quote { explanation discount { amount currency } totalDiscount { amount currency } }
    errors { code message amountNeeded { amount currency } }
  } }"""

OPTIONS = """query($items: [ShippingItemInput!]!, $currency: CurrencyCode) {
  shippingOptions(destination: {country: JP}, items: $items, currency: $currency) {
    currency options { serviceId price { amount currency } shopPrice { amount currency } }
    errors { code }
  } }"""

CART = """query($token: String, $currency: CurrencyCode) {
  cart(cartToken: $token, currency: $currency) { quote { currency } } }"""

CART_LINES = """query($token: String, $currency: CurrencyCode) {
  cart(cartToken: $token, currency: $currency) {
    quote { currency lines { variant { price { amount currency } } unitPrice { amount } } } } }"""

TIERS = """query($currency: CurrencyCode) {
  membershipTiers(first: 5) { nodes { name minSpend(currency: $currency) { amount currency }
                                      minSpendInShopCurrency { amount currency } } } }"""

LIST = """query($currency: CurrencyCode, $filter: ProductFilter, $breaks: [Decimal!]) {
  products(first: 100, currency: $currency, filter: $filter) {
    currency totalCount
    nodes { id priceRange { min { amount currency } } }
    facets(priceBreaks: $breaks) { prices { min { amount } max { amount } count } }
  } }"""

QUOTE_OF = "query($currency: CurrencyCode) { currencyQuote(currency: $currency) { currency } }"


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def problems(body: dict[str, Any]) -> list[str]:
    return [p["code"] for e in body["errors"] for p in e["extensions"].get("problems", [])]


async def yen_cart(client: Any, price: str = "12.52") -> tuple[Any, str, ProductVariant]:
    """A shop with yen at 150 to the dollar, and a guest cart of one item at `price` dollars."""
    shop = await ready_shop(jpy_rate="150")
    product = await make_product(prices=(price,), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}
    )
    assert data["addToCart"]["errors"] == []
    return shop, data["addToCart"]["cartToken"], variant


async def yen_quote(client: Any, token: str, **extra: Any) -> dict[str, Any]:
    given = {"cartToken": token, "currency": "JPY", "destination": {"country": "JP"}, **extra}
    data = await client.query(QUOTE, {"input": given})
    assert data["checkoutQuote"]["errors"] == []
    return data["checkoutQuote"]["quote"]


# The example: a ¥1,878 cart and a 10 % code.


async def test_a_yen_cart_is_told_its_coupon_saving_in_yen_as_checkout_counts_it(client):
    await coupons.create_coupon(
        {"code": "WELCOME10", "kind": CouponKind.PERCENTAGE, "percent": "10"}
    )
    _, token, _ = await yen_cart(client)
    quote = await yen_quote(client, token, couponCode="WELCOME10")
    assert quote["amounts"]["subtotal"] == {"amount": "1878", "currency": "JPY"}
    assert quote["amounts"]["couponDiscount"] == {"amount": "188", "currency": "JPY"}

    by_argument = await client.query(
        CHECK, {"code": "WELCOME10", "subtotal": "1878", "currency": "JPY"}
    )
    check = by_argument["checkCoupon"]
    assert check["currency"] == "JPY"
    # Not "$187.80": the subtotal is read in yen and the saving answered in yen.
    assert check["quote"]["discount"] == quote["amounts"]["couponDiscount"]
    assert check["quote"]["totalDiscount"] == {"amount": "188", "currency": "JPY"}
    by_header = await client.query(
        CHECK, {"code": "WELCOME10", "subtotal": "1878"}, headers={"X-Currency": "JPY"}
    )
    assert by_header == by_argument


async def test_a_yen_cart_is_told_its_shipping_options_in_yen_as_checkout_prices_them(client):
    _, token, variant = await yen_cart(client)
    quote = await yen_quote(client, token)
    items = [{"variantId": gid("ProductVariant", variant.id), "quantity": 1}]
    data = await client.query(OPTIONS, {"items": items, "currency": "JPY"})
    options = data["shippingOptions"]
    assert options["currency"] == "JPY"
    assert [(o["serviceId"], o["price"]) for o in options["options"]] == [
        (o["serviceId"], o["price"]) for o in quote["shippingOptions"]
    ]
    # $8.00 and $25.00 at 150 yen to the dollar, converted exactly.
    assert [o["price"]["amount"] for o in options["options"]] == ["1200", "3750"]
    assert {o["shopPrice"]["currency"] for o in options["options"]} == {"USD"}
    by_header = await client.query(OPTIONS, {"items": items}, headers={"X-Currency": "JPY"})
    assert by_header == data


async def test_a_refused_code_says_what_is_missing_in_the_shoppers_currency(client):
    await coupons.create_coupon(
        {"code": "BIGCART", "kind": CouponKind.PERCENTAGE, "percent": "10", "min_spend": "20"}
    )
    _, token, _ = await yen_cart(client)
    data = await client.query(CHECK, {"code": "BIGCART", "subtotal": "1878", "currency": "JPY"})
    # $20.00 is ¥3,000; the cart's ¥1,878 is $12.52 of it: $7.48 more, ¥1,122.
    assert data["checkCoupon"]["errors"] == [
        {
            "code": "MIN_SPEND_NOT_MET",
            "message": "Spend ¥1,122 more to use this code (it needs ¥3,000).",
            "amountNeeded": {"amount": "1122", "currency": "JPY"},
        }
    ]
    quote = await yen_quote(client, token, couponCode="BIGCART")
    assert quote["couponProblem"] == {
        "code": "MIN_SPEND_NOT_MET",
        "message": "Spend ¥1,122 more to use this code (it needs ¥3,000).",
    }


async def test_cart_lines_show_their_variant_price_in_the_carts_currency(client):
    _, token, _ = await yen_cart(client)
    data = await client.query(CART_LINES, {"token": token, "currency": "JPY"})
    line = data["cart"]["quote"]["lines"][0]
    assert line["variant"]["price"] == {"amount": "1878", "currency": "JPY"}
    assert line["unitPrice"] == {"amount": "1878"}


async def test_tier_thresholds_are_shown_in_the_shoppers_currency(client):
    from models.members import MembershipTier

    await ready_shop(jpy_rate="150")
    await MembershipTier.create(name="Gold", rank=1, min_spend=50000)
    data = await client.query(TIERS, headers={"X-Currency": "JPY"})
    assert data["membershipTiers"]["nodes"] == [
        {
            "name": "Gold",
            "minSpend": {"amount": "75000", "currency": "JPY"},
            "minSpendInShopCurrency": {"amount": "500.00", "currency": "USD"},
        }
    ]


# The price filter and the facet buckets, in the list's currency.

#: Shop prices close around the default edges and the explicit ones the test picks.
PRICES = (
    "0.00",
    "6.66",
    "6.67",
    "9.99",
    "10.00",
    "11.53",
    "11.54",
    "16.66",
    "16.67",
    "24.99",
    "33.33",
    "54.00",
    "99.99",
    "100.00",
    "480.00",
    "999.00",
)


@pytest.mark.parametrize(
    ("currency", "rate", "rounding"),
    [
        ("JPY", "150", RoundingRule.NONE),  # no decimals
        ("JPY", "151.37", RoundingRule.NINETY_NINE),  # no decimals, prices end in 9
        ("EUR", "0.8673", RoundingRule.NINETY_NINE),  # many shop prices show as one
        ("USD", "1", RoundingRule.NONE),  # the shop currency
    ],
)
async def test_each_price_bucket_given_back_as_a_filter_lists_exactly_its_products(
    client, currency, rate, rounding
):
    from datetime import date

    from models.currency import ExchangeRate, RateSource

    if currency != "USD":
        await PresentmentCurrency.create(code=currency, rounding=rounding)
        await ExchangeRate.create(
            base="USD", quote=currency, rate=rate, source=RateSource.MANUAL, rate_date=date.today()
        )
    for price in PRICES:
        await make_product(prices=(price,))
    listed = (await client.query(LIST, {"currency": currency}))["products"]
    assert listed["currency"] == currency
    shown = {n["id"]: Decimal(n["priceRange"]["min"]["amount"]) for n in listed["nodes"]}
    # Explicit edges at prices the list shows, so that products sit exactly on them.
    edges = sorted(set(shown.values()))[2::4]
    for breaks in (None, [str(e) for e in edges]):
        buckets = (await client.query(LIST, {"currency": currency, "breaks": breaks}))["products"][
            "facets"
        ]["prices"]
        assert sum(b["count"] for b in buckets) == len(PRICES)
        for bucket in buckets:
            low = bucket["min"]["amount"] if bucket["min"] else None
            high = bucket["max"]["amount"] if bucket["max"] else None
            expected = {
                pid
                for pid, amount in shown.items()
                if (low is None or amount >= Decimal(low))
                and (high is None or amount <= Decimal(high))
            }
            bounds = {"min": low, "max": high}
            found = (await client.query(LIST, {"currency": currency, "filter": {"price": bounds}}))[
                "products"
            ]
            assert bucket["count"] == len(expected), (bucket, sorted(expected))
            assert found["totalCount"] == len(expected)
            assert {n["id"] for n in found["nodes"]} == expected


@pytest.mark.parametrize("amount", ["1500.5", "1e100000", "1e30", "-1e1000000"])
async def test_amounts_a_currency_cannot_hold_are_refused_not_crashed_on(client, amount):
    await ready_shop()
    await make_product(prices=("10.00",))
    for variables in (
        {"currency": "JPY", "filter": {"price": {"min": amount}}},
        {"currency": "JPY", "filter": {"price": {"max": amount}}},
        {"currency": "JPY", "breaks": [amount]},
    ):
        body = await client.request(LIST, variables)
        assert codes(body) == ["BAD_USER_INPUT"], body
        assert body["data"] is None
    data = await client.query(CHECK, {"code": "ANY", "subtotal": amount, "currency": "JPY"})
    assert [e["code"] for e in data["checkCoupon"]["errors"]] == ["INVALID_AMOUNT"]


# A currency that is not offered, asked by argument or by header.


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (LIST, {}),
        (QUOTE_OF, {}),
        (CHECK, {"code": "WELCOME10", "subtotal": "10"}),
        (OPTIONS, {"items": []}),
        (TIERS, {}),
        (CART, {"token": "no-such-cart-but-priced-first"}),
    ],
)
async def test_a_currency_not_offered_is_refused_alike_by_argument_and_by_header(
    client, document, variables
):
    from models.members import MembershipTier

    await ready_shop()
    await MembershipTier.create(name="Gold", rank=1, min_spend=50000)
    _, token, _ = await yen_cart_only(client)
    if "token" in variables:
        variables = {"token": token}
    by_argument = await client.request(document, {**variables, "currency": "CHF"})
    by_header = await client.request(document, variables, headers={"X-Currency": "CHF"})
    assert codes(by_argument) == ["BAD_USER_INPUT"]
    assert problems(by_argument) == ["CURRENCY_NOT_ENABLED"]
    assert by_argument["errors"][0]["extensions"]["problems"][0]["field"] == ["currency"]
    # Alike but for what each request cost the client's bucket (which refills between them).
    assert "cost" in by_header.pop("extensions")
    assert "cost" in by_argument.pop("extensions")
    assert by_header == by_argument


async def yen_cart_only(client: Any) -> tuple[None, str, ProductVariant]:
    product = await make_product(prices=("12.52",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}
    )
    return None, data["addToCart"]["cartToken"], variant


async def test_checkout_refuses_a_currency_not_offered_alike_by_argument_and_by_header(client):
    _, token, _ = await yen_cart(client)
    base = {"cartToken": token, "destination": {"country": "JP"}}
    by_argument = await client.query(QUOTE, {"input": {**base, "currency": "CHF"}})
    by_header = await client.query(QUOTE, {"input": base}, headers={"X-Currency": "CHF"})
    assert by_argument["checkoutQuote"]["errors"] == [
        {
            "field": ["currency"],
            "code": "CURRENCY_NOT_ENABLED",
            "message": "Prices are not offered in CHF.",
        }
    ]
    assert by_header == by_argument


async def test_a_cart_change_in_a_currency_not_offered_is_refused_and_changes_nothing(client):
    await ready_shop()
    product = await make_product(prices=("12.52",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        ADD,
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
        headers={"X-Currency": "CHF"},
    )
    payload = data["addToCart"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [
        ("CURRENCY_NOT_ENABLED", ["currency"])
    ]
    assert payload["cartToken"] is None and payload["cart"] is None
    assert await Cart.all().count() == 0


def test_every_currency_argument_and_input_field_is_a_currency_code():
    schema = build_schema((Path(__file__).parents[2] / "schema" / "schema.graphql").read_text())
    found = []
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLObjectType):
            for field_name, field in type_.fields.items():
                for arg_name, arg in field.args.items():
                    if arg_name.lower().endswith("currency"):
                        found.append((f"{type_.name}.{field_name}({arg_name})", named(arg.type)))
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if field_name.lower().endswith("currency"):
                    found.append((f"{type_.name}.{field_name}", named(field.type)))
    assert len(found) >= 10
    wrong = [name for name, kind in found if not isinstance(kind, GraphQLEnumType)]
    assert wrong == []
    assert {kind.name for _, kind in found} == {"CurrencyCode"}
