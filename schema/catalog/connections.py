"""Catalog connections, and the facet counts a storefront filter panel shows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import cast

import strawberry

from schema.catalog.types import BrandType, CategoryType, ProductType, build_categories
from schema.context import Info
from schema.currency import CurrencyQuoteType, Prices
from schema.geo import CountryCode
from schema.money import CurrencyCode, MoneyType
from schema.relay import Connection
from services.catalog import browsing
from services.catalog import facets as facet_counts
from services.money import Money, currency_exponent

#: Default price-bucket edges, in whole units of the shop currency; shown in another
#: currency, they are converted and rounded to two significant digits (whole units at least).
DEFAULT_PRICE_BREAKS = (10, 25, 50, 100, 250, 500)


def _round_break(amount: Decimal) -> Decimal:
    """`amount` to two significant digits, and to a whole unit at least."""
    if amount <= 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(max(amount.adjusted() - 1, 0))
    return (amount / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum


def shown_breaks(given: list[Decimal] | None, prices: Prices) -> list[int]:
    """Bucket edges in minor units of the shown currency: sorted, distinct, at most 20.

    Given edges are in the list's currency; the defaults are converted from the shop's.
    """
    if given is not None:
        shown = [cast(int, prices.minor(b, "priceBreaks")) for b in given]
    else:
        exponent = currency_exponent(prices.currency)
        shown = []
        for whole in DEFAULT_PRICE_BREAKS:
            shop = Money.from_decimal(whole, prices.quote.shop_currency).minor
            amount = Money(prices.exact_minor(shop), prices.currency).amount
            shown.append(int(_round_break(amount).scaleb(exponent)))
    return sorted(set(shown))[:20]


@strawberry.type(name="BrandFacet")
class BrandFacetType:
    brand: BrandType
    count: int


@strawberry.type(name="CategoryFacet")
class CategoryFacetType:
    category: CategoryType
    count: int = strawberry.field(description="Products in the category and its subcategories.")


@strawberry.type(name="OriginFacet")
class OriginFacetType:
    country: CountryCode
    count: int


@strawberry.type(name="ValueFacet")
class ValueFacetType:
    value: str
    count: int


@strawberry.type(
    name="PriceBucket",
    description="Products whose lowest price, as the list shows it, is from `min` to `max`; "
    "given back as `filter.price`, it lists exactly them.",
)
class PriceBucketType:
    min: MoneyType | None = strawberry.field(description="Inclusive; none for the first bucket.")
    max: MoneyType | None = strawberry.field(
        description="Inclusive: one minor unit below the next bucket's `min`; none for the "
        "last bucket."
    )
    count: int


@strawberry.type(
    name="ProductFacets",
    description="Counts for a filter panel. Each facet ignores its own selection, so the "
    "other choices of a facet keep their counts. Counting reads at most the newest "
    "`FACET_COUNT_LIMIT` products (50,000 by default) the list's filter matches before "
    "its facet selections; when that many match, `exact` is false and every count "
    "(`total` too) is a lower bound.",
)
class ProductFacetsType:
    total: int
    exact: bool = strawberry.field(
        description="Whether the counts are exact; false when they cover only the newest "
        "`FACET_COUNT_LIMIT` matching products, and are then at least the numbers given."
    )
    brands: list[BrandFacetType]
    categories: list[CategoryFacetType]
    origins: list[OriginFacetType]
    product_types: list[ValueFacetType]
    usages: list[ValueFacetType]
    prices: list[PriceBucketType]


def _values(counts: dict[str, int]) -> list[ValueFacetType]:
    return [
        ValueFacetType(value=v, count=n)
        for v, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    ]


@strawberry.type(name="ProductConnection")
class ProductConnection(Connection[ProductType]):
    _filter: strawberry.Private[browsing.ProductFilter]
    _prices: strawberry.Private[Prices | None] = None

    @strawberry.field(
        description="The currency this list's prices, price filter and facets are in."
    )
    def currency(self) -> CurrencyCode:
        return (self._prices or Prices.shop()).code()

    @strawberry.field(
        description="The rate this list's prices were converted at; when `stale`, show the "
        "prices as indicative."
    )
    def exchange_rate(self) -> CurrencyQuoteType:
        return CurrencyQuoteType.build((self._prices or Prices.shop()).quote)

    @strawberry.field(
        description="Facet counts for this list's filter. `priceBreaks` are bucket edges in "
        "the list's currency (by default the shop's 10, 25, 50, 100, 250 and 500, converted "
        "and rounded to two significant digits)."
    )
    async def facets(
        self, info: Info, price_breaks: list[Decimal] | None = None
    ) -> ProductFacetsType:
        ctx = info.context
        prices = self._prices or Prices.shop()
        shown = shown_breaks(price_breaks, prices)
        # Each shown edge is the least shop price shown at or above it.
        facets = await facet_counts.count_facets(
            self._filter,
            [prices.shop_floor(b) for b in shown],
            limit=ctx.settings.facet_count_limit,
        )
        brand_rows = await ctx.loaders.brand.load_many(list(facets.brands))
        category_rows = [
            r for r in await ctx.loaders.category.load_many(list(facets.categories)) if r
        ]
        categories = await build_categories(category_rows, info, None)
        edges = list(zip([None, *shown], [*shown, None], strict=True))

        def money(minor: int | None) -> MoneyType | None:
            return MoneyType.minor(minor, prices.currency) if minor is not None else None

        return ProductFacetsType(
            total=facets.total,
            exact=facets.exact,
            brands=sorted(
                (
                    BrandFacetType(brand=BrandType.build(b), count=facets.brands[b.id])
                    for b in brand_rows
                    if b
                ),
                key=lambda f: (-f.count, f.brand.name),
            ),
            categories=[
                CategoryFacetType(category=c, count=facets.categories[c.id]) for c in categories
            ],
            origins=[
                OriginFacetType(country=CountryCode(code), count=n)
                for code, n in sorted(facets.origins.items(), key=lambda i: (-i[1], i[0]))
            ],
            product_types=_values(facets.product_types),
            usages=_values(facets.usages),
            prices=[
                PriceBucketType(
                    min=money(low), max=money(high - 1 if high is not None else None), count=b.count
                )
                for (low, high), b in zip(edges, facets.prices, strict=True)
            ],
        )


@strawberry.type(name="BrandConnection")
class BrandConnection(Connection[BrandType]):
    pass


@strawberry.type(name="CategoryConnection")
class CategoryConnection(Connection[CategoryType]):
    pass
