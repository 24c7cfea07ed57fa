"""Order statistics benchmark: time per `orderStatistics` request over 20,000 orders.

Creates a scratch PostgreSQL database on the server given, migrates it, bulk-inserts
products and orders (deterministic: the same rows on every run), then sends the merchant
console's full statistics query in-process (the app the server runs, through
`httpx.ASGITransport`, as an admin) and times it. The database is dropped afterwards
unless `--keep`.

    .venv/bin/python -m bench.stats [--server-url postgres://postgres@127.0.0.1:5432]
        [--orders 20000] [--requests 30]

Prints a table, and the same figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import orjson
from tortoise import Tortoise
from tortoise.transactions import in_transaction

import cli
from models.accounts import Role, User
from models.catalog import ListingStatus, Product
from models.orders import Order, OrderLine, OrderStatus
from server import create_app
from services.accounts.tokens import issue_access_token
from services.stats import orders as order_stats
from settings import get_settings, tortoise_config

#: Orders are placed over the `HISTORY_DAYS` days up to and including `LAST_DAY`.
LAST_DAY = date(2026, 10, 31)
HISTORY_DAYS = 180
#: The report asked for: the last 90 days.
RANGE = {"from": str(LAST_DAY - timedelta(days=89)), "to": str(LAST_DAY)}
PRODUCTS = 200
BATCH_SIZE = 1000
#: (country, regions) the orders ship to; earlier ones more often.
DESTINATIONS = [
    ("US", ["CA", "NY", "TX", "WA", "FL"]),
    ("DE", ["BE", "BY", "HH", "NW"]),
    ("JP", ["Tokyo", "Osaka", "Hokkaido"]),
    ("GB", ["England", "Scotland", "Wales"]),
    ("FR", ["IDF", "ARA", "PAC"]),
    ("CN", ["Shanghai", "Guangdong", "Beijing"]),
    ("CA", ["ON", "QC", "BC"]),
    ("AU", ["NSW", "VIC", "QLD"]),
    ("BR", ["SP", "RJ"]),
    ("KR", ["Seoul", "Busan"]),
    ("IT", ["Lazio", "Lombardia"]),
    ("ES", ["Madrid", "Cataluña"]),
]
#: (code, presentment units per USD, exponent difference, share of orders)
CURRENCIES = [("USD", 1.0, 0, 0.6), ("EUR", 0.92, 0, 0.25), ("JPY", 150.0, -2, 0.15)]
STATUSES = [
    (OrderStatus.COMPLETED, 0.55),
    (OrderStatus.DELIVERED, 0.15),
    (OrderStatus.SHIPPED, 0.1),
    (OrderStatus.PENDING_SHIPMENT, 0.08),
    (OrderStatus.PENDING_PAYMENT, 0.06),
    (OrderStatus.CANCELLED, 0.06),
]

QUERY = """
query Stats($from: Date!, $to: Date!, $currency: CurrencyCode, $timezone: String) {
  orderStatistics(from: $from, to: $to, currency: $currency, timezone: $timezone) {
    errors { code message }
    statistics {
      orderCount cancelledCount itemsSold
      revenue { amount currency }
      averageOrderValue { amount }
      daily { date orders revenue { amount } }
      byCountry { country orders revenue { amount } share }
      byRegion { country region orders revenue { amount } share }
      topProductsByUnits(limit: 10) { productId name units revenue { amount } product { id } }
      topProductsByRevenue(limit: 10) { productId name units revenue { amount } }
    }
  }
}
"""

#: (label, extra variables) of the requests timed.
SCENARIOS = [
    ("UTC, shop currency (USD)", {}),
    ("Europe/Paris (clocks go back 25 Oct), USD", {"timezone": "Europe/Paris"}),
    ("UTC, JPY orders only", {"currency": "JPY"}),
]


def _pick(rng: random.Random, weighted: list[tuple[Any, float]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _rows(count: int) -> tuple[list[Product], list[Order], list[OrderLine]]:
    """Deterministic products, orders and lines, with fixed ids."""
    rng = random.Random(20261124)
    listed = datetime(2026, 1, 1, tzinfo=UTC)
    prices = [rng.randrange(500, 20_000, 5) for _ in range(PRODUCTS)]
    products = [
        Product(
            id=i,
            slug=f"stats-product-{i:04d}",
            name=f"Stats product {i:04d}",
            status=ListingStatus.ACTIVE,
            listing_visible=True,
            listed_at=listed,
            price_min=prices[i - 1],
            price_max=prices[i - 1],
        )
        for i in range(1, PRODUCTS + 1)
    ]
    first_second = int(datetime.combine(LAST_DAY, datetime.min.time(), UTC).timestamp())
    first_second -= (HISTORY_DAYS - 1) * 86_400
    span = HISTORY_DAYS * 86_400
    orders: list[Order] = []
    lines: list[OrderLine] = []
    line_id = 0
    for n in range(1, count + 1):
        placed = datetime.fromtimestamp(first_second + rng.randrange(span), UTC)
        status = _pick(rng, STATUSES)
        code, rate, shift, _ = rng.choices(CURRENCIES, weights=[c[3] for c in CURRENCIES])[0]
        country, regions = DESTINATIONS[min(int(rng.expovariate(0.35)), len(DESTINATIONS) - 1)]
        total = total_shown = 0
        # Popular products sell more often: a skewed pick over the catalog.
        picked = {min(int(rng.expovariate(1 / 40)), PRODUCTS - 1) + 1 for _ in range(3)}
        for product_id in sorted(picked)[: rng.randint(1, 3)]:
            line_id += 1
            quantity = rng.randint(1, 4)
            unit = prices[product_id - 1]
            unit_shown = round(unit * rate * 10**shift)
            total += unit * quantity
            total_shown += unit_shown * quantity
            lines.append(
                OrderLine(
                    id=line_id,
                    order_id=n,
                    product_id=product_id,
                    product_name=f"Stats product {product_id:04d}",
                    sku=f"STATS-{product_id:04d}",
                    quantity=quantity,
                    unit_price=unit,
                    unit_price_presentment=unit_shown,
                    line_total=unit * quantity,
                    line_total_presentment=unit_shown * quantity,
                )
            )
        orders.append(
            Order(
                id=n,
                number=f"BS{n:08d}",
                email=f"shopper{n}@example.com",
                status=status,
                shop_currency="USD",
                currency=code,
                exchange_rate=str(rate),
                subtotal=total,
                total=total,
                subtotal_presentment=total_shown,
                total_presentment=total_shown,
                ship_country=country,
                ship_region=rng.choice(regions),
                placed_at=placed,
                cancelled_at=placed if status is OrderStatus.CANCELLED else None,
            )
        )
    return products, orders, lines


async def seed(count: int) -> dict[str, Any]:
    products, orders, lines = _rows(count)
    started = time.perf_counter()
    async with in_transaction() as connection:
        await Product.bulk_create(products, batch_size=BATCH_SIZE, using_db=connection)
        await Order.bulk_create(orders, batch_size=BATCH_SIZE, using_db=connection)
        await OrderLine.bulk_create(lines, batch_size=BATCH_SIZE, using_db=connection)
        for table in ("catalog_product", "orders_order", "orders_order_line"):
            await connection.execute_script(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        await connection.execute_script("ANALYZE")
    return {
        "products": len(products),
        "orders": len(orders),
        "lines": len(lines),
        "seed_seconds": round(time.perf_counter() - started, 2),
    }


class StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg == "%s: %s":
            self.count += 1


async def time_requests(requests: int) -> list[dict[str, Any]]:
    settings = get_settings().model_copy(update={"response_cache_seconds": 0.0})
    app = create_app(settings, manage_database=False)
    admin = await User.create(role=Role.ADMIN, email="bench-admin@example.com", permissions=[])
    token = issue_access_token(admin.id, admin.token_epoch, settings)[0]
    headers = {"Authorization": f"Bearer {token}"}
    counter = StatementCounter()
    db_log = logging.getLogger("tortoise.db_client")
    results = []
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.invalid") as http:

        async def send(variables: dict[str, Any]) -> dict[str, Any]:
            response = await http.post(
                "/graphql", json={"query": QUERY, "variables": variables}, headers=headers
            )
            body: dict[str, Any] = response.json()
            assert "errors" not in body and not body["data"]["orderStatistics"]["errors"], body
            return body["data"]["orderStatistics"]["statistics"]

        for label, extra in SCENARIOS:
            variables = {**RANGE, **extra}
            for _ in range(3):  # warm: connections, parser and validation caches
                answer = await send(variables)
            db_log.setLevel(logging.DEBUG)
            db_log.addHandler(counter)
            counter.count = 0
            await send(variables)
            db_log.removeHandler(counter)
            db_log.setLevel(logging.WARNING)
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                await send(variables)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            results.append(
                {
                    "scenario": label,
                    "orders_counted": answer["orderCount"],
                    "statements": counter.count,
                    "mean_ms": round(statistics.fmean(times), 1),
                    "p50_ms": round(times[len(times) // 2], 1),
                    "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
                    "max_ms": round(times[-1], 1),
                }
            )
    return results


async def time_figures(requests: int) -> dict[str, float]:
    """Median milliseconds of each figure's query alone (the service, no GraphQL)."""
    stats = order_stats.order_statistics(
        first=date.fromisoformat(RANGE["from"]),
        last=date.fromisoformat(RANGE["to"]),
        currency=None,
        timezone="UTC",
        shop_currency="USD",
    )
    # A fresh report per call: a report asks for its totals once and shares them.
    figures = {
        "totals": lambda: order_stats.OrderStatistics(
            stats.days, stats.currency, presentment=False
        ).totals(),
        "items_sold": stats.items_sold,
        "daily": stats.daily,
        "by_country": stats.by_country,
        "by_region": stats.by_region,
        "top_by_units": lambda: stats.top_products(order_stats.Ranking.UNITS),
        "top_by_revenue": lambda: stats.top_products(order_stats.Ranking.REVENUE),
    }
    medians = {}
    for name, run in figures.items():
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            await run()
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = round(statistics.median(times), 2)
    return medians


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    server = args.server_url.rstrip("/")
    name = f"tradewind_bench_stats_{uuid.uuid4().hex[:8]}"
    admin_dsn = server.replace("postgres://", "postgresql://", 1) + "/postgres"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"{server}/{name}"
    try:
        await cli.migrate(url)
        await Tortoise.init(config=tortoise_config(url))
        try:
            report: dict[str, Any] = {"database": name, **await seed(args.orders)}
            report["requests"] = await time_requests(args.requests)
            report["figures_ms"] = await time_figures(args.requests)
        finally:
            await Tortoise.close_connections()
    finally:
        if not args.keep:
            admin = await asyncpg.connect(admin_dsn)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    print(
        f"{report['orders']} orders, {report['lines']} lines, seeded in "
        f"{report['seed_seconds']} s; range {RANGE['from']}..{RANGE['to']}, "
        f"{args.requests} requests per scenario"
    )
    for row in report["requests"]:
        print(
            f"  {row['scenario']:<42} {row['orders_counted']:>6} orders  "
            f"{row['statements']} statements  mean {row['mean_ms']} ms  p50 {row['p50_ms']}  "
            f"p90 {row['p90_ms']}  max {row['max_ms']}"
        )
    print("  figure queries alone (median ms):", report["figures_ms"])
    print(orjson.dumps(report).decode())


if __name__ == "__main__":
    asyncio.run(main())
