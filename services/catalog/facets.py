"""Facet counts for a product list: per brand, category, origin, type, usage and price bucket.

All of them come from one statement. The products the filter matches *before* its facet
selections (brands, categories, origins, types, usages, price) are grouped by the
combination of those columns; the counts of each facet, with its own selection left out
(as filter panels do), are then summed in Python from the few hundred or thousand
combinations a catalog has, rather than by one scan of the products per facet.

Counting stays bounded: at most `limit` products are read (the newest, in the order the
storefront lists them, which a covering index on PostgreSQL serves without touching the
table). When that many match, the counts cover only them, are lower bounds, and the
answer says so (`exact` is False) rather than slowing every page of a large catalog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from tortoise.transactions import in_transaction

from models.catalog import Category, Product
from services.catalog.browsing import ProductFilter, product_queryset

#: Columns a product is grouped by, in the order the statement returns them.
_COLUMNS = ("brand_id", "category_id", "origin_country", "product_type", "usage")


@dataclass(frozen=True)
class PriceBucket:
    min: int | None
    max: int | None
    count: int


@dataclass(frozen=True)
class Facets:
    total: int
    brands: dict[int, int] = field(default_factory=dict)
    origins: dict[str, int] = field(default_factory=dict)
    categories: dict[int, int] = field(default_factory=dict)
    product_types: dict[str, int] = field(default_factory=dict)
    usages: dict[str, int] = field(default_factory=dict)
    prices: list[PriceBucket] = field(default_factory=list)
    #: False when `limit` products or more matched: the counts cover the newest `limit`.
    exact: bool = True


@dataclass(frozen=True, slots=True)
class _Group:
    """Products sharing one combination of facet values, and how many they are."""

    brand_id: int | None
    category_id: int | None
    origin: str | None
    product_type: str | None
    usage: str | None
    bucket: int
    in_price: bool
    count: int


def _bucket_sql(breaks: Sequence[int]) -> str:
    """The index of a product's "from"-price bucket, as SQL over `price_min`."""
    if not breaks:
        return "0"
    whens = " ".join(f"WHEN price_min < {int(b)} THEN {i}" for i, b in enumerate(breaks))
    return f"CASE {whens} ELSE {len(breaks)} END"


def _in_price_sql(f: ProductFilter) -> str:
    """1 when `price_min` is inside the filter's price range, else 0, as SQL."""
    bounds = []
    if f.price_min is not None:
        bounds.append(f"price_min >= {int(f.price_min)}")
    if f.price_max is not None:
        bounds.append(f"price_min <= {int(f.price_max)}")
    return f"CASE WHEN {' AND '.join(bounds)} THEN 1 ELSE 0 END" if bounds else "1"


async def _groups(f: ProductFilter, breaks: Sequence[int], limit: int) -> list[_Group]:
    """The filter's products (without facet selections), newest `limit`, grouped."""
    unselected = replace(
        f,
        brand_ids=(),
        category_ids=(),
        origins=(),
        product_types=(),
        usages=(),
        price_min=None,
        price_max=None,
    )
    newest = (
        product_queryset(unselected)
        .order_by("-listed_at", "-id")
        .limit(limit)
        .values(*_COLUMNS, "price_min")
    )
    # Tortoise has no grouping over a limited subquery: the inner statement is its own,
    # parameters and all; the outer one adds only integers this module wrote.
    newest._choose_db_if_not_chosen()
    newest._make_query()
    inner, params = newest.query.get_parameterized_sql()
    columns = ", ".join(_COLUMNS)
    sql = (
        f"SELECT {columns}, {_bucket_sql(breaks)} AS bucket, {_in_price_sql(f)} AS in_price, "
        f"COUNT(*) AS n FROM ({inner}) AS newest GROUP BY {columns}, bucket, in_price"
    )
    db = Product._meta.db
    if db.capabilities.dialect != "postgres":
        rows = await db.execute_query_dict(sql, params)
    else:
        # The statement is prepared once per connection; after a few runs PostgreSQL would
        # reuse a generic plan, which cannot see how many products a search's patterns
        # match and, for a common word, picked a plan three times slower. Plan it each time.
        async with in_transaction("default") as connection:
            await connection.execute_script("SET LOCAL plan_cache_mode = force_custom_plan")
            rows = await connection.execute_query_dict(sql, params)
    return [
        _Group(
            brand_id=row["brand_id"],
            category_id=row["category_id"],
            origin=row["origin_country"],
            product_type=row["product_type"],
            usage=row["usage"],
            bucket=int(row["bucket"]),
            in_price=bool(row["in_price"]),
            count=int(row["n"]),
        )
        for row in rows
    ]


def _subtree(paths: Iterable[tuple[int, str]], selected: Sequence[int]) -> set[int]:
    """Ids of the selected categories and all their descendants."""
    marks = [f"/{cid}/" for cid in selected]
    return {cid for cid, path in paths if any(m in path for m in marks)}


def _add(counts: Counter[Any], key: Any, n: int) -> None:
    if key not in (None, ""):
        counts[key] += n


async def count_facets(f: ProductFilter, price_breaks: Sequence[int], *, limit: int) -> Facets:
    """Counts per brand, origin, category, type, usage and price bucket for the filter.

    Each facet is counted with its own selection left out, so a shopper who picked one
    brand still sees how many products the other brands have. At most `limit` products
    are counted (the newest); `exact` is False when that many match.
    """
    breaks = sorted(price_breaks)
    groups = await _groups(f, breaks, limit)
    paths = cast(list[tuple[int, str]], await Category.all().values_list("id", "path"))
    chosen_categories = _subtree(paths, f.category_ids) if f.category_ids else None
    total = 0
    seen = 0
    brands: Counter[int] = Counter()
    direct: Counter[int] = Counter()
    origins: Counter[str] = Counter()
    types: Counter[str] = Counter()
    usages: Counter[str] = Counter()
    buckets: Counter[int] = Counter()
    for g in groups:
        seen += g.count
        # Whether the group passes each facet's selection (no selection passes all).
        ok = {
            "brand": not f.brand_ids or g.brand_id in f.brand_ids,
            "category": chosen_categories is None or g.category_id in chosen_categories,
            "origin": not f.origins or g.origin in f.origins,
            "type": not f.product_types or g.product_type in f.product_types,
            "usage": not f.usages or g.usage in f.usages,
            "price": g.in_price,
        }

        def passes_all_but(facet: str, ok: dict[str, bool] = ok) -> bool:
            return all(passed for name, passed in ok.items() if name != facet)

        if all(ok.values()):
            total += g.count
        if passes_all_but("brand"):
            _add(brands, g.brand_id, g.count)
        if passes_all_but("category"):
            _add(direct, g.category_id, g.count)
        if passes_all_but("origin"):
            _add(origins, g.origin, g.count)
        if passes_all_but("type"):
            _add(types, g.product_type, g.count)
        if passes_all_but("usage"):
            _add(usages, g.usage, g.count)
        if passes_all_but("price"):
            buckets[g.bucket] += g.count
    # Products count towards their category and every ancestor of it.
    categories: Counter[int] = Counter()
    for category_id, path in paths:
        if category_id in direct:
            for ancestor in path.strip("/").split("/"):
                categories[int(ancestor)] += direct[category_id]
    edges = list(zip([None, *breaks], [*breaks, None], strict=True))
    return Facets(
        total=total,
        brands=dict(brands),
        origins=dict(origins),
        categories=dict(categories),
        product_types=dict(types),
        usages=dict(usages),
        # A break given twice makes an empty bucket rather than none, so each bucket stays
        # at the index of the breaks it was asked for.
        prices=[PriceBucket(min=lo, max=hi, count=buckets[i]) for i, (lo, hi) in enumerate(edges)],
        exact=seen < limit,
    )
