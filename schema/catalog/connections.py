"""Catalog connections, and the facet counts a storefront filter panel shows."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.catalog.types import BrandType, CategoryType, ProductType, build_categories
from schema.context import Info
from schema.currency import CurrencyQuoteType, Prices
from schema.errors import BadUserInput
from schema.geo import CountryCode
from schema.money import MoneyType
from schema.relay import Connection
from services.catalog import browsing
from services.money import InvalidAmount, Money

#: Default price-bucket edges, in whole units of the shop currency.
DEFAULT_PRICE_BREAKS = (10, 25, 50, 100, 250, 500)


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


@strawberry.type(name="PriceBucket")
class PriceBucketType:
    min: MoneyType | None = strawberry.field(description="Inclusive; none for the first bucket.")
    max: MoneyType | None = strawberry.field(description="Exclusive; none for the last bucket.")
    count: int


@strawberry.type(
    name="ProductFacets",
    description="Counts for a filter panel. Each facet ignores its own selection, so the "
    "other choices of a facet keep their counts.",
)
class ProductFacetsType:
    total: int
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
        description="The rate this list's prices were converted at; when `stale`, show the "
        "prices as indicative."
    )
    def exchange_rate(self) -> CurrencyQuoteType:
        return CurrencyQuoteType.build((self._prices or Prices.shop()).quote)

    @strawberry.field(description="Facet counts for this list's filter.")
    async def facets(
        self, info: Info, price_breaks: list[Decimal] | None = None
    ) -> ProductFacetsType:
        ctx = info.context
        currency = ctx.settings.shop_currency
        try:
            breaks = [
                Money.from_decimal(b, currency).minor
                for b in (price_breaks if price_breaks is not None else DEFAULT_PRICE_BREAKS)
            ]
        except InvalidAmount as exc:
            raise BadUserInput(str(exc), field="priceBreaks") from None
        facets = await browsing.facets(self._filter, breaks[:20])
        brand_rows = await ctx.loaders.brand.load_many(list(facets.brands))
        category_rows = [
            r for r in await ctx.loaders.category.load_many(list(facets.categories)) if r
        ]
        categories = await build_categories(category_rows, info, None)

        # Bucket edges get the same price ending as the prices they bound.
        prices = self._prices or Prices.shop()

        def money(minor: int | None) -> MoneyType | None:
            return prices.money(minor) if minor is not None else None

        return ProductFacetsType(
            total=facets.total,
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
                PriceBucketType(min=money(b.min), max=money(b.max), count=b.count)
                for b in facets.prices
            ],
        )


@strawberry.type(name="BrandConnection")
class BrandConnection(Connection[BrandType]):
    pass


@strawberry.type(name="CategoryConnection")
class CategoryConnection(Connection[CategoryType]):
    pass
