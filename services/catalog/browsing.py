"""The storefront's view of the catalog: filter, search, sort and paginate (facet counts:
`services.catalog.facets`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from tortoise import timezone
from tortoise.expressions import F, Q, Subquery
from tortoise.queryset import QuerySet

from models.catalog import Category, ListingStatus, Product, ProductVariant
from services.catalog import search as product_search
from services.catalog.listing import visible_q
from services.pagination import Page, PageRequest, paginate


class ProductSort(Enum):
    """Sort keys, each a column of the product table (the storefront's are indexed)."""

    SALES = "sales_count"
    RATING = "rating_average"
    PRICE = "price_min"
    LISTED_AT = "listed_at"
    NAME = "name"
    CREATED_AT = "created_at"
    #: The console's "recently edited" order.
    UPDATED_AT = "updated_at"
    #: How well a product matches the search (the default when there is one); without a
    #: search, newest listed first.
    RELEVANCE = "relevance"


@dataclass(frozen=True)
class ProductFilter:
    """What a product list is narrowed to; empty lists and None mean "any"."""

    category_ids: Sequence[int] = ()
    brand_ids: Sequence[int] = ()
    origins: Sequence[str] = ()
    product_types: Sequence[str] = ()
    usages: Sequence[str] = ()
    #: "From" price (the lowest variant price) bounds, inclusive, in shop-currency minor units.
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool | None = None
    search: str | None = None
    #: The search made ready by `prepare` (typo corrections looked up); without it the
    #: search matches its terms exactly.
    search_match: product_search.SearchMatch | None = None
    #: None shows what shoppers see now; staff may list any statuses instead.
    statuses: Sequence[ListingStatus] | None = None
    #: Whether the shopper's tier sees members-first products before everyone.
    early_access: bool = False


async def prepare(f: ProductFilter) -> ProductFilter:
    """The filter with its search made ready (typos looked up once for list, count and facets).

    Raises `CatalogError` for a search too long to be meant.
    """
    if f.search is None:
        return f
    return replace(f, search_match=await product_search.match(f.search))


def _search_match(f: ProductFilter) -> product_search.SearchMatch | None:
    if f.search_match is not None:
        return f.search_match
    return product_search.exact_match(f.search) if f.search else None


def product_queryset(f: ProductFilter) -> QuerySet[Product]:
    """Products matching the filter, unordered."""
    qs = Product.all()
    if f.statuses is None:
        qs = qs.filter(visible_q(timezone.now(), early_access=f.early_access))
    else:
        qs = qs.filter(status__in=list(f.statuses))
    if f.category_ids:
        # A category stands for its whole subtree: its id appears in each descendant's path.
        subtree = Category.filter(
            Q(*[Q(path__contains=f"/{cid}/") for cid in f.category_ids], join_type="OR")
        ).values("id")
        qs = qs.filter(category_id__in=Subquery(subtree))
    if f.brand_ids:
        qs = qs.filter(brand_id__in=list(f.brand_ids))
    if f.origins:
        qs = qs.filter(origin_country__in=list(f.origins))
    if f.product_types:
        qs = qs.filter(product_type__in=list(f.product_types))
    if f.usages:
        qs = qs.filter(usage__in=list(f.usages))
    if f.price_min is not None:
        qs = qs.filter(price_min__gte=f.price_min)
    if f.price_max is not None:
        qs = qs.filter(price_min__lte=f.price_max)
    if f.in_stock is not None:
        stocked = Subquery(
            ProductVariant.filter(stock_on_hand__gt=F("stock_reserved")).values("product_id")
        )
        qs = qs.filter(id__in=stocked) if f.in_stock else qs.exclude(id__in=stocked)
    match = _search_match(f)
    if match is not None:
        qs = qs.filter(id__in=match.ids())
    return qs


async def list_products(
    f: ProductFilter,
    page: PageRequest,
    *,
    sort: ProductSort | None = None,
    descending: bool = True,
    max_size: int = 100,
    related: Sequence[str] = ("brand", "category"),
    narrow: bool = False,
) -> Page[Product]:
    """One page of matching products, with the `related` rows (brand, category) joined.

    With no sort given, a search lists the most relevant first, anything else the newest.
    `narrow` rows hold only their id and sort value (`related` is then ignored): for a
    caller that has the rest already, or reads it with `products_by_id`.
    """
    qs = product_queryset(f)
    match = _search_match(f)
    if sort is None:
        sort, descending = (ProductSort.RELEVANCE if match else ProductSort.LISTED_AT), True
    if sort is ProductSort.RELEVANCE and match is None:
        sort = ProductSort.LISTED_AT
    if narrow:
        qs = qs.only("id", sort.value) if sort is not ProductSort.RELEVANCE else qs.only("id")
    elif related:
        qs = qs.select_related(*related)
    if sort is ProductSort.RELEVANCE:
        assert match is not None
        qs = qs.annotate(relevance=match.relevance())
    return await paginate(qs, page, sort_field=sort.value, descending=descending, max_size=max_size)


async def products_by_id(ids: Sequence[int], related: Sequence[str] = ()) -> list[Product]:
    """The products of `ids` that exist, in that order, with the `related` rows joined."""
    if not ids:
        return []
    qs = Product.filter(id__in=list(ids))
    rows = {row.id: row for row in await (qs.select_related(*related) if related else qs)}
    return [rows[i] for i in ids if i in rows]


async def count_products(f: ProductFilter) -> int:
    return await product_queryset(f).count()
