"""Catalog queries: what the storefront and the merchant console read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated, cast

import strawberry
from tortoise.expressions import Q

from models.catalog import Brand, Category, Product
from resolvers.catalog.common import (
    by_id_or_slug,
    product_filter,
    resolve_locale,
)
from schema.catalog import inputs
from schema.catalog.connections import BrandConnection, CategoryConnection, ProductConnection
from schema.catalog.customs import HsCodeType
from schema.catalog.types import (
    BrandType,
    CatalogSettingsType,
    CategoryType,
    ProductType,
    build_categories,
    build_products,
    can_see,
    early_access_of,
    prime_related,
)
from schema.catalog.views import ProductViews
from schema.context import Info
from schema.currency import shown_prices
from schema.kit import connection, page_or_error, pk_or_none, query
from schema.kit.selection import selected
from schema.money import CurrencyCode
from schema.permissions import CanManageCatalog
from schema.relay import SortDirection, page_request
from schema.view_cache import CachedView
from services.catalog import (
    browsing,
)
from services.customs import hs
from services.pagination import paginate


@strawberry.type
class CatalogQuery:
    @query(description="Products shoppers see now (staff may filter by status).")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: inputs.ProductFilter | None = None,
        sort_by: inputs.ProductSortInput | None = None,
        locale: Annotated[
            str | None,
            strawberry.argument(description="Language of text fields; else Accept-Language."),
        ] = None,
        currency: Annotated[
            CurrencyCode | None,
            strawberry.argument(
                description="Currency of prices, price filter and facets; else X-Currency, "
                "the member's or the shop's."
            ),
        ] = None,
    ) -> ProductConnection:
        ctx = info.context
        prices = await shown_prices(info, currency)
        # Members-first products are listed only to tiers with early access.
        service_filter = await browsing.prepare(
            replace(product_filter(filter, info, prices), early_access=await early_access_of(info))
        )
        shown = selected(info, "edges", "node") | selected(info, "nodes")
        locale = resolve_locale(locale, ctx)
        views = ProductViews.of(info, locale, prices, (("edges", "node"), ("nodes",)))
        # Brands and categories asked for come joined to the page; their loaders are primed.
        # With reusable answers, the page reads ids only, and whole rows for the others.
        related = [name for name in ("brand", "category") if name in shown]
        page = await page_or_error(
            browsing.list_products(
                service_filter,
                page_request(first, after, last, before),
                sort=sort_by.field if sort_by else None,
                descending=sort_by is None or sort_by.direction == SortDirection.DESC,
                max_size=ctx.settings.max_page_size,
                related=related,
                narrow=views is not None,
            )
        )

        async def whole(ids: list[int]) -> list[Product]:
            rows = await browsing.products_by_id(ids, related)
            prime_related(info, rows, related)
            return rows

        nodes: Sequence[ProductType | CachedView]
        if views is None:
            prime_related(info, page.items, related)
            nodes = await build_products(page.items, info, locale, prices=prices, shown=shown)
        else:
            page, nodes = await views.page(page, shown=shown, complete=whole)
        return connection(
            ProductConnection,
            page,
            nodes,
            lambda: browsing.count_products(service_filter),
            _filter=service_filter,
            _prices=prices,
        )

    @strawberry.field(description="One product by ID or slug; shoppers see visible ones only.")
    async def product(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
        currency: CurrencyCode | None = None,
    ) -> ProductType | None:
        prices = await shown_prices(info, currency)
        row = await by_id_or_slug(Product, info.context.loaders.product, id, slug)
        if row is None or not can_see(row, info, early_access=await early_access_of(info)):
            return None
        locale = resolve_locale(locale, info.context)
        shown = selected(info)
        views = ProductViews.of(info, locale, prices, ((),))
        if views is None:
            return (await build_products([row], info, locale, prices=prices, shown=shown))[0]
        # Its completed answer when another request left it (`schema.view_cache`).
        return cast(ProductType, (await views.nodes([row], shown=shown))[0])

    @strawberry.field(description="Categories in display order: top-level ones, or a parent's.")
    async def categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        parent_id: strawberry.ID | None = None,
        top_level: bool = False,
        locale: str | None = None,
    ) -> CategoryConnection:
        qs = Category.all()
        if parent_id is not None:
            qs = qs.filter(parent_id=pk_or_none(parent_id, "Category") or 0)
        elif top_level:
            qs = qs.filter(parent_id__isnull=True)
        page = await page_or_error(
            paginate(
                qs,
                page_request(first, after, last, before),
                sort_field="position",
                max_size=info.context.settings.max_page_size,
            )
        )
        nodes = await build_categories(page.items, info, resolve_locale(locale, info.context))
        return connection(CategoryConnection, page, nodes, qs.count)

    @strawberry.field
    async def category(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
    ) -> CategoryType | None:
        row = await by_id_or_slug(Category, info.context.loaders.category, id, slug)
        if row is None:
            return None
        return (await build_categories([row], info, resolve_locale(locale, info.context)))[0]

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="Harmonized System codes (HS 2022) whose code starts with the digits "
        "searched and whose description holds its words; subheadings first.",
    )
    def hs_codes(
        self,
        search: Annotated[
            str,
            strawberry.argument(description="Digits of a code (6109, 6109.10) and/or words."),
        ],
        first: int = 20,
    ) -> list[HsCodeType]:
        return [HsCodeType.build(entry) for entry in hs.search(search, first)]

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="Catalog staff: the shop's language and the locales translations may use.",
    )
    def catalog_settings(self, info: Info) -> CatalogSettingsType:
        settings = info.context.settings
        default = settings.default_locale
        return CatalogSettingsType(
            default_locale=default,
            locales=[default, *(c for c in settings.supported_locales if c != default)],
            shop_currency=CurrencyCode(settings.shop_currency),
        )

    @strawberry.field(description="Brands by name.")
    async def brands(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> BrandConnection:
        qs = Brand.all()
        if search and search.strip():
            qs = qs.filter(Q(name__icontains=search.strip()) | Q(slug__icontains=search.strip()))
        page = await page_or_error(
            paginate(
                qs,
                page_request(first, after, last, before),
                sort_field="name",
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(BrandConnection, page, [BrandType.build(b) for b in page.items], qs.count)

    @strawberry.field
    async def brand(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> BrandType | None:
        row = await by_id_or_slug(Brand, info.context.loaders.brand, id, slug)
        return BrandType.build(row) if row else None
