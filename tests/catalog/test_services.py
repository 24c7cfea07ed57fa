"""Catalog rules that need no API: input checks, slugs, visibility, pagination cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import Enum

import pytest
from tortoise.exceptions import IntegrityError

from models.catalog import ListingStatus, Product, ProductVariant
from services.catalog import customs, rules
from services.catalog.errors import CatalogError, CatalogErrorCode
from services.catalog.products import ProductInput
from services.catalog.rules import Checks, option_key, slugify
from services.pagination import PageRequest, PaginationError, paginate
from services.validation import validate
from tests.factories import make_product

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def codes(checks: Checks) -> list[Enum]:
    return [p.code for p in checks.items]


def test_country_codes_are_checked_and_normalised():
    checks = Checks()
    assert checks.apply(rules.country, " de ", "origin_country") == "DE"
    checks.apply(rules.country, "XX", "origin_country")
    checks.apply(rules.country, "DEU", "origin_country")
    assert codes(checks) == [CatalogErrorCode.INVALID_COUNTRY] * 2


def test_hs_codes_are_six_digit_subheadings_ignoring_dots_and_spaces():
    checks = Checks()
    assert checks.apply(customs.hs_code, "6109.10", "hs_code") == "610910"
    checks.apply(customs.hs_code, "61091", "hs_code")
    checks.apply(customs.hs_code, "6109.10 00", "hs_code")
    checks.apply(customs.hs_code, "610999", "hs_code")
    assert codes(checks) == [CatalogErrorCode.INVALID_HS_CODE] * 2 + [
        CatalogErrorCode.UNKNOWN_HS_CODE
    ]


def test_prices_become_minor_units_or_problems():
    def price(value: str, currency: str) -> int | None:
        return checks.apply(lambda v: rules.price(v, currency), Decimal(value), "price")

    checks = Checks()
    assert price("12.50", "USD") == 1250
    assert price("1200", "JPY") == 1200
    price("-1", "USD")
    price("1.999", "USD")
    price("1", "XXX")
    price("1e20", "USD")
    assert codes(checks) == [
        CatalogErrorCode.NEGATIVE_PRICE,
        CatalogErrorCode.INVALID_PRICE,
        CatalogErrorCode.INVALID_CURRENCY,
        CatalogErrorCode.INVALID_PRICE,
    ]


def test_problems_are_raised_together():
    checks = Checks()
    checks.text("", "name", max_length=10)
    checks.apply(rules.valid_slug, "Bad Slug", "slug")
    with pytest.raises(CatalogError) as raised:
        checks.raise_if_any()
    assert [(p.code, p.field) for p in raised.value.problems] == [
        (CatalogErrorCode.REQUIRED, ("name",)),
        (CatalogErrorCode.INVALID_SLUG, ("slug",)),
    ]


def test_a_product_input_reports_every_problem_at_its_snake_case_path():
    checks = Checks()
    given = {
        "name": " ",
        "origin_country": "XX",
        "hs_code": "12",
        "parameters": [{"name": "Size", "value": "S"}, {"name": " ", "value": "M"}],
        "delist_when_sold_out": None,
    }
    assert validate(ProductInput, given, checks) is None
    assert [(p.code, p.field) for p in checks.items] == [
        (CatalogErrorCode.REQUIRED, ("name",)),
        (CatalogErrorCode.REQUIRED, ("parameters", "1")),
        (CatalogErrorCode.INVALID_COUNTRY, ("origin_country",)),
        (CatalogErrorCode.INVALID_HS_CODE, ("hs_code",)),
        (CatalogErrorCode.REQUIRED, ("delist_when_sold_out",)),
    ]


def test_name_value_pairs_need_unique_names():
    checks = Checks()
    pairs = checks.name_values(
        [{"name": "Size", "value": " S "}, {"name": "size", "value": "M"}], "options"
    )
    assert pairs[0] == {"name": "Size", "value": "S"}
    assert [(p.code, p.field) for p in checks.items] == [
        (CatalogErrorCode.INVALID, ("options", "1"))
    ]


def test_sale_window_must_end_after_it_starts_and_not_in_the_past():
    checks = Checks()
    checks.sale_window(NOW, NOW + timedelta(days=1), NOW)
    assert checks.items == []
    checks.sale_window(NOW, NOW, NOW)
    checks.sale_window(None, NOW - timedelta(seconds=1), NOW)
    assert codes(checks) == [CatalogErrorCode.INVALID_SALE_WINDOW] * 2


def test_slugs_are_ascii_and_may_be_empty():
    assert slugify("Crème Brûlée — 2 pack!") == "creme-brulee-2-pack"
    assert slugify("茶杯") == ""


def test_option_keys_ignore_order_and_case():
    a = option_key([{"name": "Size", "value": "S"}, {"name": "colour", "value": "Red"}])
    b = option_key([{"name": "colour", "value": "red"}, {"name": "size", "value": "s"}])
    assert a == b


def test_visibility_needs_active_status_and_the_window():
    product = Product(status=ListingStatus.ACTIVE)
    assert product.is_visible_at(NOW)
    product.publish_at = NOW + timedelta(seconds=1)
    assert not product.is_visible_at(NOW)
    product.publish_at, product.unpublish_at = NOW - timedelta(days=1), NOW
    assert not product.is_visible_at(NOW)
    product.unpublish_at = None
    product.status = ListingStatus.DRAFT
    assert not product.is_visible_at(NOW)


async def test_pagination_refuses_tampered_cursors(db):
    await make_product()
    for cursor in ("not-base64!", "WzEsICJ4Il0=", "W251bGwsIHRydWVd"):
        with pytest.raises(PaginationError):
            await paginate(Product.all(), PageRequest(first=1, after=cursor))


async def test_pagination_returns_an_empty_last_page(db):
    await make_product()
    page = await paginate(Product.all(), PageRequest(first=0))
    assert page.items == [] and page.has_next_page is True


async def test_the_database_refuses_negative_prices_and_stock(db):
    product = await make_product()
    variant = await ProductVariant.get(product_id=product.id)
    for change in ({"price": -1}, {"stock_on_hand": -1}, {"compare_at_price": -5}):
        with pytest.raises(IntegrityError):
            await ProductVariant.filter(id=variant.id).update(**change)
    unchanged = await ProductVariant.get(id=variant.id)
    assert (unchanged.price, unchanged.stock_on_hand) == (variant.price, variant.stock_on_hand)
