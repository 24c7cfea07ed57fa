"""Currencies through GraphQL: rates and offered currencies for staff, prices for shoppers."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from tortoise import timezone

from models.accounts import Role
from models.catalog import ProductVariant
from models.currency import ExchangeRate, PresentmentCurrency, RateSource
from server import create_app
from settings import Settings
from tests.conftest import GraphQLClient
from tests.currency.helpers import ECB_DAY, ecb_xml, import_rates
from tests.currency.test_services import serving
from tests.factories import make_product, make_user

CURRENCIES = """{ currencies {
  code name symbol decimalPlaces rounding isShopCurrency
  exchangeRate { currency rate source rateDate stale rounding }
} }"""

QUOTE = """query($currency: CurrencyCode) {
  currencyQuote(currency: $currency) { currency rate source rateDate stale rounding }
}"""

EXCHANGE_RATES = "{ exchangeRates { base quote rate source rateDate stale } }"

SET_RATE = """mutation($input: SetExchangeRateInput!) {
  setExchangeRate(input: $input) {
    exchangeRate { base quote rate source rateDate stale }
    quote { currency rate source }
    errors { field code message }
  }
}"""

IMPORT = "mutation { importExchangeRates { dates written errors { code message } } }"

ENABLE = """mutation($input: EnableCurrencyInput!) {
  enableCurrency(input: $input) {
    currency { code rounding exchangeRate { rate source } }
    errors { field code message }
  }
}"""

DISABLE = """mutation($input: DisableCurrencyInput!) {
  disableCurrency(input: $input) { currency { code } errors { field code } }
}"""

ROUNDING = """mutation($input: UpdateCurrencyRoundingInput!) {
  updateCurrencyRounding(input: $input) { currency { code rounding } errors { field code } }
}"""

PRODUCTS = """query($currency: CurrencyCode) {
  products(first: 10, currency: $currency) {
    currency
    exchangeRate { currency rate source stale }
    edges { node {
      slug
      priceRange { min { amount currency } max { amount currency } }
      variants { sku price { amount currency formatted } compareAtPrice { amount currency } }
    } }
    facets(priceBreaks: [1500]) { prices { min { amount currency } max { amount currency } } }
  }
}"""

PRODUCT = """query($slug: String!, $currency: CurrencyCode) {
  product(slug: $slug, currency: $currency) {
    priceRange { min { amount currency } }
    variants { price { amount currency } product { priceRange { min { currency } } } }
  }
}"""

SHOP_PRICE = """query($currency: CurrencyCode) {
  products(first: 1, currency: $currency) {
    nodes { variants { price { amount currency } shopPrice { amount currency } } }
  }
}"""


def today() -> date:
    return timezone.now().date()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


def problems(body: dict[str, Any]) -> list[str]:
    return [p["code"] for e in body["errors"] for p in e["extensions"].get("problems", [])]


def first_variant(data: dict[str, Any]) -> dict[str, Any]:
    return data["products"]["edges"][0]["node"]["variants"][0]


# Staff: rates and offered currencies.


async def test_staff_set_a_rate_by_hand_and_see_it_among_the_latest_rates(client):
    await import_rates(today())
    data = await client.staff(SET_RATE, {"input": {"currency": "JPY", "rate": "150.25"}})
    payload = data["setExchangeRate"]
    assert payload["errors"] == []
    assert payload["exchangeRate"] == {
        "base": "USD",
        "quote": "JPY",
        "rate": "150.25",
        "source": "MANUAL",
        "rateDate": today().isoformat(),
        "stale": False,
    }
    assert payload["quote"] == {"currency": "JPY", "rate": "150.25", "source": "MANUAL"}
    listed = (await client.staff(EXCHANGE_RATES))["exchangeRates"]
    assert len(listed) == 30
    assert {"base": "EUR", "quote": "JPY", "rate": "181.35", "source": "ECB"}.items() <= next(
        r for r in listed if r["quote"] == "JPY" and r["source"] == "ECB"
    ).items()
    row = await ExchangeRate.get(source=RateSource.MANUAL)
    assert row.created_by_id == (await client.admin()).id


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"currency": "JPY", "rate": "-2"}, "INVALID_RATE", ["rate"]),
        ({"currency": "JPY", "rate": "0"}, "INVALID_RATE", ["rate"]),
        ({"currency": "JPY", "rate": "1.12345678901234"}, "INVALID_RATE", ["rate"]),
        ({"currency": "USD", "rate": "1.5"}, "SHOP_CURRENCY", ["currency"]),
    ],
)
async def test_a_bad_manual_rate_is_a_payload_error_and_stores_nothing(
    client, variables, code, field
):
    data = await client.staff(SET_RATE, {"input": variables})
    assert data["setExchangeRate"]["exchangeRate"] is None
    assert [(e["code"], e["field"]) for e in data["setExchangeRate"]["errors"]] == [(code, field)]
    assert not await ExchangeRate.exists()


async def test_only_staff_with_the_settings_permission_manage_rates_and_currencies(client):
    customer = await make_user()
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    settings_staff = await make_user(role=Role.STAFF, permissions=("settings",))
    operations = [
        (SET_RATE, {"input": {"currency": "JPY", "rate": "150"}}),
        (ENABLE, {"input": {"code": "CHF"}}),
        (DISABLE, {"input": {"code": "CNY"}}),
        (ROUNDING, {"input": {"code": "EUR", "rounding": "WHOLE"}}),
        (EXCHANGE_RATES, None),
        (IMPORT, None),
    ]
    for document, variables in operations:
        assert codes(await client.request(document, variables)) == ["UNAUTHENTICATED"]
        for user in (customer, catalog_staff):
            assert codes(await client.request(document, variables, user=user)) == ["FORBIDDEN"]
    assert not await ExchangeRate.exists()
    assert not await PresentmentCurrency.filter(code="CHF").exists()
    body = await client.request(ENABLE, {"input": {"code": "CHF"}}, user=settings_staff)
    assert body["data"]["enableCurrency"]["errors"] == []


async def test_staff_import_the_ecb_rates_from_the_configured_url(client, settings, monkeypatch):
    with serving(ecb_xml(today())) as url:
        monkeypatch.setattr(settings, "ecb_rates_url", url)
        first = (await client.staff(IMPORT))["importExchangeRates"]
        again = (await client.staff(IMPORT))["importExchangeRates"]
    assert first == {"dates": [today().isoformat()], "written": 29, "errors": []}
    assert again["written"] == 0
    with serving(b"<html>Moved</html>") as url:
        monkeypatch.setattr(settings, "ecb_rates_url", url)
        broken = (await client.staff(IMPORT))["importExchangeRates"]
    assert [e["code"] for e in broken["errors"]] == ["INVALID_RATES_FILE"]
    assert await ExchangeRate.all().count() == 29


async def test_staff_enable_disable_and_round_presentment_currencies(client):
    await import_rates(today())
    enabled = await client.staff(ENABLE, {"input": {"code": "KRW", "rounding": "NINETY_NINE"}})
    assert enabled["enableCurrency"]["currency"] == {
        "code": "KRW",
        "rounding": "NINETY_NINE",
        "exchangeRate": {"rate": "1469.8324987", "source": "ECB"},
    }
    rounded = await client.staff(ROUNDING, {"input": {"code": "KRW", "rounding": "WHOLE"}})
    assert rounded["updateCurrencyRounding"]["currency"] == {"code": "KRW", "rounding": "WHOLE"}
    disabled = await client.staff(DISABLE, {"input": {"code": "KRW"}})
    assert disabled["disableCurrency"] == {"currency": {"code": "KRW"}, "errors": []}
    listed = [c["code"] for c in (await client.query(CURRENCIES))["currencies"]]
    assert "KRW" not in listed


async def test_the_shop_currency_cannot_be_disabled_through_the_api(client):
    data = await client.staff(DISABLE, {"input": {"code": "USD"}})
    assert data["disableCurrency"] == {
        "currency": None,
        "errors": [{"field": ["code"], "code": "SHOP_CURRENCY"}],
    }
    data = await client.staff(ROUNDING, {"input": {"code": "CHF", "rounding": "WHOLE"}})
    assert data["updateCurrencyRounding"]["errors"] == [
        {"field": ["code"], "code": "CURRENCY_NOT_ENABLED"}
    ]


# Anyone: the offered currencies and quotes.


async def test_anyone_lists_the_offered_currencies_with_their_rates(client):
    await import_rates(today())
    listed = (await client.query(CURRENCIES, headers={"Accept-Language": "ja"}))["currencies"]
    assert [c["code"] for c in listed] == ["CNY", "EUR", "GBP", "JPY", "USD"]
    usd = next(c for c in listed if c["code"] == "USD")
    assert usd["isShopCurrency"] and usd["exchangeRate"]["source"] == "SHOP"
    assert usd["exchangeRate"]["rate"] == "1"
    yen = next(c for c in listed if c["code"] == "JPY")
    assert (yen["name"], yen["symbol"], yen["decimalPlaces"]) == ("日本円", "￥", 0)
    assert yen["exchangeRate"] == {
        "currency": "JPY",
        "rate": "156.579174581",
        "source": "ECB",
        "rateDate": today().isoformat(),
        "stale": False,
        "rounding": "NONE",
    }


async def test_a_currency_without_any_rate_is_listed_without_one(client):
    await client.staff(ENABLE, {"input": {"code": "TWD"}})
    listed = (await client.query(CURRENCIES))["currencies"]
    assert next(c for c in listed if c["code"] == "TWD")["exchangeRate"] is None


async def test_a_quote_flags_a_stale_rate(client):
    await import_rates()  # the file's own Friday, long past
    quote = (await client.query(QUOTE, {"currency": "JPY"}))["currencyQuote"]
    assert (quote["source"], quote["rateDate"], quote["stale"]) == (
        "ECB",
        ECB_DAY.isoformat(),
        True,
    )


async def test_a_quote_for_a_currency_not_offered_is_a_typed_input_error(client):
    await import_rates(today())
    body = await client.request(QUOTE, {"currency": "CHF"})
    assert codes(body) == ["BAD_USER_INPUT"]
    assert problems(body) == ["CURRENCY_NOT_ENABLED"]
    assert "CHF" in body["errors"][0]["message"]
    # A code that is no ISO 4217 currency is not a `CurrencyCode` at all: the request is
    # refused before it runs.
    unknown = await client.request(QUOTE, {"currency": "XYZ"})
    assert codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "'XYZ' does not exist in 'CurrencyCode'" in unknown["errors"][0]["message"]


# Prices in the shopper's currency.


async def make_priced_product() -> None:
    product = await make_product(prices=("19.99", "25.00"), slug="teapot")
    await ProductVariant.filter(product_id=product.id, price=1999).update(compare_at_price=2500)


async def test_products_show_prices_in_the_requested_currency(client):
    await import_rates(today())
    await make_priced_product()
    data = await client.query(PRODUCTS, {"currency": "JPY"})
    products = data["products"]
    assert products["exchangeRate"] == {
        "currency": "JPY",
        "rate": "156.579174581",
        "source": "ECB",
        "stale": False,
    }
    node = products["edges"][0]["node"]
    # 19.99 x 156.579... = 3130.02 -> 3130 yen; 25.00 -> 3914.48 -> 3914 yen.
    assert node["priceRange"] == {
        "min": {"amount": "3130", "currency": "JPY"},
        "max": {"amount": "3914", "currency": "JPY"},
    }
    cheap = next(v for v in node["variants"] if v["price"]["amount"] == "3130")
    assert cheap["price"]["formatted"] == "¥3,130"
    assert cheap["compareAtPrice"] == {"amount": "3914", "currency": "JPY"}
    # Bucket edges are in the list's currency; a bucket's `max` is its last minor unit.
    assert products["facets"]["prices"][0]["max"] == {"amount": "1499", "currency": "JPY"}


async def test_a_price_ending_rule_applies_to_shown_prices(client):
    await import_rates(today())
    await make_priced_product()
    await client.staff(ROUNDING, {"input": {"code": "EUR", "rounding": "NINETY_NINE"}})
    node = (await client.query(PRODUCTS, {"currency": "EUR"}))["products"]["edges"][0]["node"]
    # 19.99 / 1.1582 = 17.26 -> 17.99; 25.00 / 1.1582 = 21.59 -> 21.99.
    assert node["priceRange"]["min"] == {"amount": "17.99", "currency": "EUR"}
    assert node["priceRange"]["max"] == {"amount": "21.99", "currency": "EUR"}


async def test_without_an_argument_prices_follow_the_header_then_the_profile(client):
    await import_rates(today())
    await make_priced_product()
    anonymous = await client.query(PRODUCTS)
    assert first_variant(anonymous)["price"]["currency"] == "USD"
    assert anonymous["products"]["exchangeRate"]["source"] == "SHOP"

    by_header = await client.query(PRODUCTS, headers={"X-Currency": "gbp"})
    assert first_variant(by_header)["price"]["currency"] == "GBP"

    member = await make_user(currency="JPY")
    by_profile = await client.query(PRODUCTS, user=member)
    assert first_variant(by_profile)["price"]["currency"] == "JPY"
    # The storefront's current choice beats the member's standing default.
    chosen = await client.query(PRODUCTS, user=member, headers={"X-Currency": "GBP"})
    assert first_variant(chosen)["price"]["currency"] == "GBP"

    by_argument = await client.query(
        PRODUCTS, {"currency": "EUR"}, user=member, headers={"X-Currency": "GBP"}
    )
    assert first_variant(by_argument)["price"]["currency"] == "EUR"


async def test_a_header_currency_that_cannot_be_priced_is_refused_like_an_argument(client):
    await import_rates(today())
    await make_priced_product()
    by_argument = await client.request(PRODUCTS, {"currency": "CHF"})
    by_header = await client.request(PRODUCTS, headers={"X-Currency": "CHF"})
    assert by_header == by_argument
    assert codes(by_header) == ["BAD_USER_INPUT"]
    assert problems(by_header) == ["CURRENCY_NOT_ENABLED"]
    nonsense = await client.request(PRODUCTS, headers={"X-Currency": "nonsense"})
    assert codes(nonsense) == ["BAD_USER_INPUT"] and problems(nonsense) == ["INVALID_CURRENCY"]


async def test_a_profile_currency_that_cannot_be_priced_falls_back_to_the_shop_currency(client):
    await import_rates(today())
    await make_priced_product()
    member = await make_user(currency="CHF")
    data = await client.query(PRODUCTS, user=member)
    assert first_variant(data)["price"]["currency"] == "USD"
    assert data["products"]["currency"] == "USD"
    data = await client.query(PRODUCTS, user=member, headers={"X-Currency": "JPY"})
    assert first_variant(data)["price"]["currency"] == "JPY"


async def test_a_requested_currency_that_cannot_be_priced_is_refused_not_shown_unconverted(
    client,
):
    await make_priced_product()
    await import_rates(today())
    refused = await client.request(PRODUCTS, {"currency": "CHF"})
    assert codes(refused) == ["BAD_USER_INPUT"] and problems(refused) == ["CURRENCY_NOT_ENABLED"]
    assert refused["data"] is None
    await client.staff(ENABLE, {"input": {"code": "TWD"}})
    no_rate = await client.request(PRODUCT, {"slug": "teapot", "currency": "TWD"})
    assert problems(no_rate) == ["RATE_UNAVAILABLE"] and no_rate["data"] == {"product": None}


async def test_stale_rates_still_convert_but_are_flagged_on_the_list(client):
    await import_rates()  # the file's own Friday, long past
    await make_priced_product()
    data = await client.query(PRODUCTS, {"currency": "JPY"})
    assert data["products"]["exchangeRate"]["stale"] is True
    assert first_variant(data)["price"]["currency"] == "JPY"


async def test_one_product_and_its_nested_parts_share_the_requested_currency(client):
    await import_rates(today())
    await make_priced_product()
    data = await client.query(PRODUCT, {"slug": "teapot", "currency": "GBP"})
    product = data["product"]
    assert product["priceRange"]["min"] == {"amount": "15.21", "currency": "GBP"}
    assert {v["price"]["currency"] for v in product["variants"]} == {"GBP"}
    assert {v["product"]["priceRange"]["min"]["currency"] for v in product["variants"]} == {"GBP"}


async def test_staff_also_see_the_price_they_set_in_the_shop_currency(client):
    await import_rates(today())
    await make_priced_product()
    data = await client.staff(SHOP_PRICE, {"currency": "JPY"})
    variant = data["products"]["nodes"][0]["variants"][0]
    assert variant["price"]["currency"] == "JPY"
    assert variant["shopPrice"] == {"amount": "19.99", "currency": "USD"}
    assert codes(await client.request(SHOP_PRICE, {"currency": "JPY"})) == ["UNAUTHENTICATED"]


async def test_a_converted_list_runs_the_same_statements_for_10_and_30_products(
    client, count_queries
):
    await import_rates(today())
    for _ in range(30):
        await make_product(prices=("1.00", "2.50"))
    member = await make_user(currency="EUR")
    query = """query($first: Int) { products(first: $first) {
      edges { node { priceRange { min { amount } } variants { price { amount currency } } } } } }"""
    await client.query(query, {"first": 1}, user=member)  # the first use seeds the currencies
    counts = {}
    for first in (10, 30):
        count_queries.statements.clear()
        data = await client.query(query, {"first": first}, user=member)
        assert len(data["products"]["edges"]) == first
        assert first_variant(data)["price"]["currency"] == "EUR"
        counts[first] = list(count_queries.statements)
    assert len(counts[10]) == len(counts[30]), "\n".join(counts[10] + ["----"] + counts[30])


async def test_the_response_cache_keeps_each_currency_apart(db):
    app = create_app(Settings(response_cache_seconds=60), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        cached = GraphQLClient(http)
        await import_rates(today())
        await make_priced_product()
        yen = await cached.query(PRODUCTS, headers={"X-Currency": "JPY"})
        pounds = await cached.query(PRODUCTS, headers={"X-Currency": "GBP"})
    assert first_variant(yen)["price"]["currency"] == "JPY"
    assert first_variant(pounds)["price"]["currency"] == "GBP"


async def test_the_demo_shows_yen_prices_offline(client):
    from demo.currency import load_demo_currencies

    await make_priced_product()
    assert await load_demo_currencies() is True
    assert await load_demo_currencies() is False
    data = await client.query(PRODUCTS, {"currency": "JPY"})
    assert data["products"]["exchangeRate"]["stale"] is False
    assert first_variant(data)["price"]["currency"] == "JPY"
    assert await ExchangeRate.filter(rate_date=today()).count() == 29
