"""Facet counts (services.catalog.facets) against a count of each facet done the long way."""

from __future__ import annotations

from dataclasses import replace
from itertools import product as combinations
from typing import cast

import pytest

from services.catalog import browsing, facets
from tests.factories import make_brand, make_category, make_product

pytestmark = pytest.mark.usefixtures("db")

BREAKS = [1000, 5000]


async def _by(f: browsing.ProductFilter, column: str) -> dict[object, int]:
    values = await browsing.product_queryset(f).values_list(column, flat=True)
    counts: dict[object, int] = {}
    for value in values:
        if value not in (None, ""):
            counts[value] = counts.get(value, 0) + 1
    return counts


async def test_every_facet_ignores_only_its_own_selection():
    north, south = await make_brand(name="North"), await make_brand(name="South")
    home = await make_category(name="Home")
    kitchen = await make_category(home, name="Kitchen")
    garden = await make_category(name="Garden")
    for i, (brand, category, origin, price, kind) in enumerate(
        combinations(
            (north, south), (home, kitchen, garden), ("JP", "DE"), ("5.00", "20.00", "80.00"), "ab"
        )
    ):
        if i % 3 != 1:  # a catalog where not every combination exists
            await make_product(
                brand=brand,
                category=category,
                origin_country=origin,
                prices=(price,),
                product_type=f"type-{kind}",
                usage="daily" if i % 2 else "",
            )
    picks = [
        browsing.ProductFilter(),
        browsing.ProductFilter(brand_ids=(north.id,)),
        browsing.ProductFilter(category_ids=(home.id,), origins=("JP",)),
        browsing.ProductFilter(price_min=1000, price_max=5000, product_types=("type-a",)),
        browsing.ProductFilter(
            brand_ids=(south.id,), category_ids=(garden.id,), price_min=2000, usages=("daily",)
        ),
    ]
    for f in picks:
        got = await facets.count_facets(f, BREAKS, limit=1000)
        assert got.exact is True
        assert got.total == await browsing.count_products(f)
        assert got.brands == await _by(replace(f, brand_ids=()), "brand_id")
        assert got.origins == await _by(replace(f, origins=()), "origin_country")
        assert got.product_types == await _by(replace(f, product_types=()), "product_type")
        assert got.usages == await _by(replace(f, usages=()), "usage")
        direct = await _by(replace(f, category_ids=()), "category_id")
        assert got.categories.get(garden.id, 0) == direct.get(garden.id, 0)
        assert got.categories.get(home.id, 0) == direct.get(home.id, 0) + direct.get(kitchen.id, 0)
        unpriced = replace(f, price_min=None, price_max=None)
        prices = cast(
            list[int],
            await browsing.product_queryset(unpriced).values_list("price_min", flat=True),
        )
        assert [b.count for b in got.prices] == [
            sum(1 for p in prices if p < 1000),
            sum(1 for p in prices if 1000 <= p < 5000),
            sum(1 for p in prices if p >= 5000),
        ]


async def test_a_break_given_twice_makes_an_empty_bucket():
    await make_product(prices=("5.00",))
    await make_product(prices=("20.00",))
    got = await facets.count_facets(browsing.ProductFilter(), [1000, 1000], limit=10)
    assert [(b.min, b.max, b.count) for b in got.prices] == [
        (None, 1000, 1),
        (1000, 1000, 0),
        (1000, None, 1),
    ]


async def test_past_the_limit_only_the_newest_are_counted():
    for _ in range(5):
        await make_product(origin_country="JP")
    got = await facets.count_facets(browsing.ProductFilter(), BREAKS, limit=3)
    assert (got.exact, got.total, got.origins) == (False, 3, {"JP": 3})
    got = await facets.count_facets(browsing.ProductFilter(), BREAKS, limit=6)
    assert (got.exact, got.total) == (True, 5)
