"""Catalog at scale: list, filter, sort, search and facets at 1,000 and 100,000 products.

    python -m bench.scale --database-url postgres://postgres@127.0.0.1:5432/tradewind_scale
    python -m bench.scale --database-url ... --sizes 1000 100000 --requests 50

For each size it REPLACES the catalog of the database given (migrating it first) with a
generated one: 50 brands, 20 categories, products with two variants each whose names mix
English words ("Winter Jacket"), Chinese ("防晒霜 SPF50") and Japanese ("日焼け止め"), then
builds the search index. Then it sends each query through the server's own app in-process
(`httpx.ASGITransport`, no HTTP, response cache off), one client, and prints p50 and p99
over `--requests` requests after a few warm-up ones.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson

WORDS = (
    "winter jacket", "rain coat", "wool scarf", "leather boots", "cotton shirt",
    "silk dress", "running shoes", "denim jeans", "ceramic teapot", "bamboo tray",
    "防晒霜 SPF50", "保湿面霜", "日焼け止め ミルク", "緑茶 ティーバッグ", "折りたたみ傘",
)  # fmt: skip
COLOURS = ("black", "navy", "red", "olive", "grey", "white", "sand", "teal")
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
BATCH = 1000

GRID = """query Grid($filter: ProductFilter, $sortBy: ProductSortInput) {
  products(first: 20, filter: $filter, sortBy: $sortBy) {
    edges { node { id name slug featuredImage { url } variants { id price { amount } } } }
  }
}"""
FACETS = """query Facets($filter: ProductFilter) {
  products(first: 0, filter: $filter) {
    facets { total brands { count } categories { count } origins { count }
             prices { count } }
  }
}"""


def product_name(i: int) -> str:
    return f"{WORDS[i % len(WORDS)].title()} {COLOURS[i // len(WORDS) % len(COLOURS)]} {i}"


async def seed(size: int) -> None:
    """Replace the catalog with `size` generated products, and index them."""
    from tortoise.transactions import in_transaction

    from models.catalog import (
        Brand,
        Category,
        ListingStatus,
        Product,
        ProductVariant,
    )
    from services.catalog import search

    async with in_transaction() as db:
        for table in (
            "inventory_stock_movement",
            "catalog_product_listing_event",
            "catalog_product_image",
            "catalog_product_translation",
            "catalog_product_variant",
            "catalog_product_search",
            "catalog_search_word",
            "catalog_product",
            "catalog_category_translation",
            "catalog_category",
            "catalog_brand",
        ):
            await db.execute_script(f"DELETE FROM {table}")
        await Brand.bulk_create(
            [Brand(id=b, name=f"Brand {b:02d}", slug=f"brand-{b:02d}") for b in range(1, 51)],
            using_db=db,
        )
        await Category.bulk_create(
            [
                Category(id=c, name=f"Category {c:02d}", slug=f"category-{c:02d}", path=f"/{c}/")
                for c in range(1, 21)
            ],
            using_db=db,
        )
        for start in range(1, size + 1, BATCH):
            ids = range(start, min(start + BATCH, size + 1))
            await Product.bulk_create(
                [
                    Product(
                        id=i,
                        slug=f"p-{i}",
                        name=product_name(i),
                        description=f"A {WORDS[i % len(WORDS)]} for every day, item {i}.",
                        brand_id=(i - 1) % 50 + 1,
                        category_id=(i - 1) % 20 + 1,
                        origin_country=("CN", "JP", "DE", "US", "FR")[i % 5],
                        status=ListingStatus.ACTIVE,
                        listing_visible=True,
                        listed_at=BASE_TIME + timedelta(seconds=i),
                        price_min=500 + i * 7919 % 9500,
                        price_max=750 + i * 7919 % 9500,
                    )
                    for i in ids
                ],
                using_db=db,
            )
            await ProductVariant.bulk_create(
                [
                    ProductVariant(
                        id=2 * i - k,
                        product_id=i,
                        sku=f"S-{i}-{k}",
                        name=("L", "S")[k],
                        price=500 + i * 7919 % 9500 + 250 * (1 - k),
                        position=1 - k,
                        stock_on_hand=i % 7,
                    )
                    for i in ids
                    for k in (1, 0)
                ],
                using_db=db,
            )
            print(f"  seeded {ids[-1]:,}/{size:,}", end="\r", file=sys.stderr)
        await search.rebuild()
        if db.capabilities.dialect == "postgres":
            for table in ("catalog_product", "catalog_product_variant", "catalog_brand"):
                await db.execute_query(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                )
    connection = Product._meta.db
    if connection.capabilities.dialect == "postgres":
        # As autovacuum would soon: statistics, and the visibility map index-only scans need.
        await connection.execute_script("VACUUM ANALYZE")
    print(file=sys.stderr)


CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("list, newest first", GRID, {}),
    (
        "filter: brand + price",
        GRID,
        {"filter": {"brands": ["QnJhbmQ6Nw=="], "price": {"min": "20", "max": "60"}}},
    ),
    ("sort: price ascending", GRID, {"sortBy": {"field": "PRICE", "direction": "ASC"}}),
    ("search: jacket", GRID, {"filter": {"search": "jacket"}}),
    ("search: jaket (typo)", GRID, {"filter": {"search": "jaket"}}),
    ("search: 防晒 (2 CJK chars)", GRID, {"filter": {"search": "防晒"}}),
    ("search: 日焼け", GRID, {"filter": {"search": "日焼け"}}),
    ("search: teapot navy 77", GRID, {"filter": {"search": "teapot navy 77"}}),
    ("facets, whole catalog", FACETS, {}),
    ("facets, search jacket", FACETS, {"filter": {"search": "jacket"}}),
]


async def measure(requests: int) -> list[tuple[str, float, float]]:
    from tortoise import Tortoise

    from server import create_app
    from settings import get_settings, tortoise_config

    # Every request runs its query, and one client may send them back to back.
    settings = get_settings().model_copy(
        update={"response_cache_seconds": 0.0, "query_cost_restore_rate": 1e9}
    )
    await Tortoise.init(config=tortoise_config(settings.database_url))
    app = create_app(settings, manage_database=False)
    rows = []
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client,
    ):
        for label, query, variables in CASES:
            body = orjson.dumps({"query": query, "variables": variables})
            times = []
            for n in range(requests + 3):
                started = time.perf_counter()
                response = await client.post(
                    "/graphql", content=body, headers={"content-type": "application/json"}
                )
                elapsed = (time.perf_counter() - started) * 1000
                answer = response.json()
                if "errors" in answer:
                    raise SystemExit(f"{label}: {answer['errors']}")
                if n >= 3:
                    times.append(elapsed)
            times.sort()
            p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
            rows.append((label, statistics.median(times), p99))
    await Tortoise.close_connections()
    return rows


async def run_size(size: int, requests: int, skip_seed: bool) -> list[tuple[str, float, float]]:
    from tortoise import Tortoise

    import cli
    from settings import get_settings, tortoise_config

    url = get_settings().database_url
    await cli.migrate(url)
    if not skip_seed:
        await Tortoise.init(config=tortoise_config(url))
        started = time.perf_counter()
        await seed(size)
        print(f"  seeded {size:,} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        await Tortoise.close_connections()
    return await measure(requests)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SHOP_CURRENCY", "USD")
    # An in-process bench signs no token anyone keeps.
    os.environ.setdefault("SECRET_KEY", "bench-scale-" + "x" * 40)
    results = {
        size: asyncio.run(run_size(size, args.requests, args.skip_seed)) for size in args.sizes
    }
    header = "| query | " + " | ".join(f"{s:,}: p50 / p99 ms" for s in args.sizes) + " |"
    print(header)
    print("|---" * (len(args.sizes) + 1) + "|")
    for index, (label, _q, _v) in enumerate(CASES):
        cells = [f"{results[s][index][1]:.1f} / {results[s][index][2]:.1f}" for s in args.sizes]
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
