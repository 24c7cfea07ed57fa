"""Benchmark guest checkouts (cart, quote, order) against a real server process.

    .venv/bin/python -m bench.checkout [--shoppers 32] [--duration 20] [--warmup 3]
                                       [--database-url postgres://postgres@127.0.0.1:5432/]
                                       [--products 200] [--pay] [--profile FILE] [--keep]
                                       [--no-save]

1. A fresh SQLite database in a temporary folder, or with `--database-url` a scratch
   PostgreSQL database `tradewind_checkout_bench` on that server (made anew, dropped at the
   end; the database name in the URL is not used), migrated (`cli.py migrate`) and seeded
   with the benchmark catalog (`cli.py seed-bench`).
2. `--role setup` (own process, the server's environment): JPY and EUR enabled at manual
   rates (150 and 0.92 per USD), one zone (JP, DE, US), carrier, service and rate table,
   and 100,000 units received for every variant (`services.inventory.stock.receive_many`).
3. `--role probe`: the server's own app in-process (`httpx.ASGITransport`): one cold and
   five warm checkouts with the SQL statements of each request counted on the
   `tortoise.db_client` logger (and the transaction control Tortoise does not log), then
   30 checkouts timed one at a time; `--profile` cProfiles their `placeOrder` requests.
4. The server as `bench.run` starts it (`cli.py serve`, one process), with
   RESPONSE_CACHE_SECONDS, UNPAID_SWEEP_INTERVAL and LISTING_SWEEP_INTERVAL at 0.
5. `--role load` (own process, uvloop): `--shoppers` keep-alive connections, each a guest
   checking out again and again: `addToCart` for 1-3 random variants (1-2 units each),
   `checkoutQuote` to Tokyo with the service in JPY, `placeOrder` with a fresh idempotency
   key and the quoted total as `expectedTotal`; with `--pay`, then `createPayment` (card, the
   guest's email as proof) and `payWithTestCard` with the built-in test gateway's succeeding
   card, whose notification pays the order and records its settlement. Events that finish
   inside the measured window count (completions, requests, errors), after `--warmup` seconds.
6. `--role verify`: orders written against the load's count, the stock ledger
   (`verify_ledger`), and no variant reserved beyond its stock; with `--pay`, one succeeded
   and settled payment per order, every order paid.

Prints the figures and writes them as JSON under `bench/results/` (not committed).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import logging
import math
import pstats
import random
import secrets
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import orjson

from bench.load import cpu_seconds_of, cpu_seconds_self, percentile, read_response
from bench.run import (
    RESULTS,
    ROOT,
    BenchError,
    Setup,
    free_port,
    machine,
    memory_of,
    run_python,
    server,
)

SCRATCH_DATABASE = "tradewind_checkout_bench"
CURRENCY = "JPY"
JPY_RATE = "150"
EUR_RATE = "0.92"
COUNTRIES = ["JP", "DE", "US"]
#: Units received for every variant before the run, so that nothing sells out.
STOCK_PER_VARIANT = 100_000
#: Error kinds kept in the output.
MAX_ERROR_KINDS = 12

DESTINATION = {"country": "JP", "region": "Tokyo", "postalCode": "150-0002"}
TOKYO = {
    "fullName": "Hanako Yamada",
    "line1": "1-2-3 Shibuya",
    "city": "Shibuya-ku",
    "region": "Tokyo",
    "postalCode": "150-0002",
    "country": "JP",
    "phone": "+81 90 1234 5678",
}

ADD_TO_CART = """mutation AddToCart($input: CartLineInput!) {
  addToCart(input: $input) {
    cartToken
    errors { field code message }
    cart { quote { currency itemCount
                   lines { quantity unitPrice { amount currency } lineTotal { amount } inStock }
                   amounts { subtotal { amount currency } total { amount currency } } } }
  }
}"""
CHECKOUT_QUOTE = """query CheckoutQuote($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { field code message }
    quote { currency rate { rate source }
            lines { quantity unitPrice { amount currency } lineTotal { amount } inStock }
            amounts { subtotal { amount } shipping { amount } total { amount currency } }
            shippingOptions { serviceId serviceName price { amount currency } minDays maxDays } }
  }
}"""
PLACE_ORDER = """mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    errors { field code message }
    order { id number status total { amount currency } }
  }
}"""
CREATE_PAYMENT = """mutation CreatePayment($input: CreatePaymentInput!) {
  createPayment(input: $input) {
    errors { field code message }
    payment { id status clientSecret amount { amount currency } }
  }
}"""
PAY_WITH_TEST_CARD = """mutation PayWithTestCard($input: PayWithTestCardInput!) {
  payWithTestCard(input: $input) {
    errors { field code message }
    payment { id status amountReceived { amount } }
  }
}"""
#: The test gateway's card that succeeds.
TEST_CARD = "4242424242424242"
OPS = ("addToCart", "checkoutQuote", "placeOrder", "createPayment", "payWithTestCard")


# ---------------------------------------------------------------- one checkout


#: post(body) -> (HTTP status, response body)
Post = Callable[[bytes], Awaitable[tuple[int, bytes]]]


@dataclass(slots=True)
class Step:
    op: str
    started: float
    finished: float
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Catalog:
    service_id: str
    variant_ids: list[str]
    #: Whether each checkout also pays its order (`--pay`).
    pay: bool = False


def _body(query: str, variables: dict[str, Any]) -> bytes:
    return orjson.dumps({"query": query, "variables": variables})


def _payload(op: str, status: int, body: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """The mutation's or query's payload, or what is wrong with the answer."""
    if status != 200:
        return None, f"{op}: HTTP {status}"
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None, f"{op}: not JSON"
    if document.get("errors"):
        message = str(document["errors"][0].get("message", ""))[:100]
        return None, f"{op}: GraphQL error: {message}"
    payload = (document.get("data") or {}).get(op)
    if not isinstance(payload, dict):
        return None, f"{op}: no payload"
    errors = payload.get("errors") or []
    if errors:
        codes = ",".join(sorted({str(e.get("code")) for e in errors}))
        return None, f"{op}: {codes}"
    return payload, None


async def checkout(
    post: Post, catalog: Catalog, rng: random.Random, shopper: int
) -> tuple[list[Step], str | None]:
    """One guest checkout; its steps (stopped at the first problem) and the order number."""
    clock = time.perf_counter
    steps: list[Step] = []

    async def send(op: str, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        started = clock()
        try:
            status, body = await post(_body(query, variables))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            steps.append(Step(op, started, clock(), f"connection: {type(exc).__name__}"))
            return None
        payload, problem = _payload(op, status, body)
        steps.append(Step(op, started, clock(), problem))
        return payload

    token: str | None = None
    for variant_id in rng.sample(catalog.variant_ids, rng.randint(1, 3)):
        line = {"cartToken": token, "variantId": variant_id, "quantity": rng.randint(1, 2)}
        added = await send("addToCart", ADD_TO_CART, {"input": line})
        if added is None:
            return steps, None
        token = token or added.get("cartToken")
        if not token:
            steps[-1].problem = "addToCart: no cartToken"
            return steps, None

    quoted = await send(
        "checkoutQuote",
        CHECKOUT_QUOTE,
        {
            "input": {
                "cartToken": token,
                "currency": CURRENCY,
                "destination": DESTINATION,
                "shippingServiceId": catalog.service_id,
            }
        },
    )
    if quoted is None:
        return steps, None
    try:
        total = quoted["quote"]["amounts"]["total"]["amount"]
    except (KeyError, TypeError):
        steps[-1].problem = "checkoutQuote: no total"
        return steps, None

    placed = await send(
        "placeOrder",
        PLACE_ORDER,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": token,
                "email": f"shopper{shopper}@example.jp",
                "shippingAddress": TOKYO,
                "shippingServiceId": catalog.service_id,
                "currency": CURRENCY,
                "expectedTotal": total,
            }
        },
    )
    if placed is None:
        return steps, None
    order = placed.get("order") or {}
    if not order.get("number"):
        steps[-1].problem = "placeOrder: no order"
        return steps, None
    number = str(order["number"])
    if catalog.pay and not await _pay(send, steps, number, f"shopper{shopper}@example.jp"):
        return steps, None
    return steps, number


Send = Callable[[str, str, dict[str, Any]], Awaitable[dict[str, Any] | None]]


async def _pay(send: Send, steps: list[Step], number: str, email: str) -> bool:
    """Pay a guest's order with the test gateway's succeeding card; False on a problem."""
    created = await send(
        "createPayment",
        CREATE_PAYMENT,
        {"input": {"orderNumber": number, "method": "card", "email": email}},
    )
    payment = (created or {}).get("payment") or {}
    if created is None or not payment.get("clientSecret"):
        if created is not None:
            steps[-1].problem = "createPayment: no client secret"
        return False
    paid = await send(
        "payWithTestCard",
        PAY_WITH_TEST_CARD,
        {
            "input": {
                "paymentId": payment["id"],
                "cardNumber": TEST_CARD,
                "clientSecret": payment["clientSecret"],
            }
        },
    )
    status = ((paid or {}).get("payment") or {}).get("status")
    if paid is not None and status != "SUCCEEDED":
        steps[-1].problem = f"payWithTestCard: {status}"
    return status == "SUCCEEDED"


# ---------------------------------------------------------------- the setup script


async def _setup_shop() -> dict[str, Any]:
    from datetime import date

    from tortoise import Tortoise

    from models.catalog import ProductVariant
    from models.currency import ExchangeRate, PresentmentCurrency, RateSource
    from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
    from schema.relay import encode_id
    from services.inventory import stock
    from settings import get_settings, tortoise_config

    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        for code, rate in (("JPY", JPY_RATE), ("EUR", EUR_RATE)):
            await PresentmentCurrency.update_or_create(code=code, defaults={"enabled": True})
            await ExchangeRate.create(
                base=settings.shop_currency,
                quote=code,
                rate=rate,
                source=RateSource.MANUAL,
                rate_date=date.today(),
            )
        zone = await ShippingZone.create(name="Checkout bench", countries=COUNTRIES)
        carrier = await Carrier.create(name="Bench Post", code="benchpost")
        service = await ShippingService.create(
            carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
        )
        for band, price in ((2000, 800), (10000, 1800), (30000, 4800)):
            await ShippingRate.create(
                service=service,
                zone=zone,
                max_weight_grams=band,
                price=price,
                min_days=3,
                max_days=7,
            )
        ids = sorted(cast(list[int], await ProductVariant.all().values_list("id", flat=True)))
        started = time.perf_counter()
        await stock.receive_many([(v, STOCK_PER_VARIANT) for v in ids], reference="checkout bench")
        return {
            "service_id": str(encode_id("ShippingService", service.id)),
            "variant_ids": [str(encode_id("ProductVariant", v)) for v in ids],
            "stock_received_s": round(time.perf_counter() - started, 2),
        }
    finally:
        await Tortoise.close_connections()


# ---------------------------------------------------------------- the in-process probe


class _TransactionCounter:
    """Counts BEGIN/COMMIT/ROLLBACK and savepoints, which Tortoise does not log.

    On asyncpg a savepoint is a nested `begin` (and its release a `commit`): only the
    outermost call is counted.
    """

    METHODS = ("begin", "commit", "rollback", "savepoint", "release_savepoint")

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._saved: list[tuple[type, str, Any]] = []
        self._depth = 0

    def install(self) -> None:
        from tortoise.backends.asyncpg.client import TransactionWrapper
        from tortoise.backends.sqlite.client import SqliteTransactionWrapper

        for cls in (SqliteTransactionWrapper, TransactionWrapper):
            for name in self.METHODS:
                original = getattr(cls, name)
                self._saved.append((cls, name, original))
                setattr(cls, name, self._wrap(name, original))

    def _wrap(self, name: str, original: Any) -> Any:
        counter = self

        async def wrapped(self: Any) -> Any:
            if counter._depth == 0:
                counter.counts[name] += 1
            counter._depth += 1
            try:
                return await original(self)
            finally:
                counter._depth -= 1

        return wrapped

    def uninstall(self) -> None:
        for cls, name, original in self._saved:
            setattr(cls, name, original)


async def _probe(catalog: Catalog, timed: int, profile: Path | None) -> dict[str, Any]:
    import httpx
    from tortoise import Tortoise

    from bench.probe import StatementCounter
    from server import create_app
    from settings import get_settings, tortoise_config

    settings = get_settings().model_copy(update={"response_cache_seconds": 0.0})
    await Tortoise.init(config=tortoise_config(settings.database_url))
    app = create_app(settings, manage_database=False)
    counter = StatementCounter()
    transactions = _TransactionCounter()
    db_log = logging.getLogger("tortoise.db_client")
    rng = random.Random(7)
    result: dict[str, Any] = {"debug": settings.debug}
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app),
                base_url="http://bench.invalid",
                headers={"content-type": "application/json", "x-currency": CURRENCY},
            ) as client,
        ):
            current: dict[str, Any] = {"op": None, "profile": None}
            per_op: list[dict[str, Any]] = []

            async def post(body: bytes) -> tuple[int, bytes]:
                op = next(o for o in OPS if f'"query":"{_QUERY_HEADS[o]}' in body.decode())
                counter.reset()
                transactions.counts.clear()
                profiler = current["profile"] if op == "placeOrder" else None
                if profiler is not None:
                    profiler.enable()
                response = await client.post("/graphql", content=body)
                if profiler is not None:
                    profiler.disable()
                per_op.append(
                    {
                        "op": op,
                        "statements": list(counter.statements),
                        "transaction_control": dict(transactions.counts),
                    }
                )
                return response.status_code, response.content

            db_log.addHandler(counter)
            db_log.setLevel(logging.DEBUG)
            transactions.install()
            problems: list[str] = []
            counted: list[list[dict[str, Any]]] = []
            try:
                for n in range(6):
                    per_op.clear()
                    steps, number = await checkout(post, catalog, rng, n)
                    if number is None:
                        problems.append(str([s.problem for s in steps if s.problem]))
                    counted.append(list(per_op))
            finally:
                transactions.uninstall()
                db_log.removeHandler(counter)
                db_log.setLevel(logging.NOTSET)
            result["problems"] = problems
            result["cold"] = [_op_summary(r) for r in counted[0]]
            result["warm"] = [[_op_summary(r) for r in c] for c in counted[1:]]
            place = [r for c in counted[1:] for r in c if r["op"] == "placeOrder"]
            result["place_order_statements"] = [len(r["statements"]) for r in place]
            result["place_order_sql"] = place[-1]["statements"] if place else []
            result["sql_by_op"] = {r["op"]: r["statements"] for r in reversed(counted[-1])}
            result["place_order_transaction_control"] = (
                place[-1]["transaction_control"] if place else {}
            )

            # Time, one checkout at a time, with statement logging off; then, with
            # `--profile`, as many again with placeOrder under cProfile.
            times: dict[str, list[float]] = {op: [] for op in OPS}
            placed = 6 - len(problems)
            profiler = cProfile.Profile() if profile else None
            for n in range(timed * (2 if profiler else 1)):
                if n == timed:
                    current["profile"] = profiler
                per_op.clear()
                steps, number = await checkout(post, catalog, rng, 100 + n)
                if number is None:
                    problems.append(str([s.problem for s in steps if s.problem]))
                placed += number is not None
                for s in steps if n < timed else ():
                    times[s.op].append(s.finished - s.started)
            result["in_process_ms"] = {
                op: round(sum(v) / len(v) * 1000, 2) for op, v in times.items() if v
            }
            result["orders_placed"] = placed
            if profiler is not None and profile is not None:
                profiler.dump_stats(profile)
                text = io.StringIO()
                stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
                stats.print_stats(35)
                stats.sort_stats("tottime").print_stats(25)
                result["profile_text"] = text.getvalue()
    finally:
        await Tortoise.close_connections()
    return result


_QUERY_HEADS = {
    "addToCart": "mutation AddToCart",
    "checkoutQuote": "query CheckoutQuote",
    "placeOrder": "mutation PlaceOrder",
    "createPayment": "mutation CreatePayment",
    "payWithTestCard": "mutation PayWithTestCard",
}


def _op_summary(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "op": record["op"],
        "statements": len(record["statements"]),
        "transaction_control": record["transaction_control"],
    }


# ---------------------------------------------------------------- the load


@dataclass(slots=True)
class LoadStats:
    #: Latency of the requests that finished inside the window, by operation.
    latencies: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPS})
    #: Latency of the checkouts whose placeOrder finished inside the window.
    checkouts: list[float] = field(default_factory=list)
    requests_per_checkout: list[int] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    failed_checkouts: int = 0
    warmup_requests: int = 0
    warmup_errors: int = 0
    #: Orders placed over the whole run (warm-up and edges too), to check against the database.
    orders_placed: int = 0
    connects: int = 0


class Connection:
    """One HTTP/1.1 keep-alive connection on raw asyncio streams."""

    def __init__(self, host: str, port: int, path: str, stats: LoadStats) -> None:
        self.host, self.port, self.path, self.stats = host, port, path, stats
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
            f"Content-Type: application/json\r\nX-Currency: {CURRENCY}\r\n"
        ).encode()

    async def post(self, body: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            self.stats.connects += 1
        try:
            self.writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            status, response, keep_alive = await read_response(self.reader)
        except BaseException:
            await self.close()
            raise
        if not keep_alive:
            await self.close()
        return status, response

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _shopper(
    n: int, url: str, catalog: Catalog, start: float, end: float, stats: LoadStats
) -> None:
    parts = urlsplit(url)
    connection = Connection(parts.hostname or "127.0.0.1", parts.port or 80, parts.path, stats)
    rng = random.Random(n)
    clock = time.perf_counter
    try:
        while clock() < end:
            steps, number = await checkout(connection.post, catalog, rng, n)
            stats.orders_placed += number is not None
            for s in steps:
                if s.finished < start:
                    stats.warmup_requests += 1
                    stats.warmup_errors += s.problem is not None
                elif s.finished <= end:
                    if s.problem is None:
                        stats.latencies[s.op].append(s.finished - s.started)
                    else:
                        stats.errors[s.problem] += 1
            last = steps[-1]
            if start <= last.finished <= end:
                if number is not None:
                    stats.checkouts.append(last.finished - steps[0].started)
                    stats.requests_per_checkout.append(len(steps))
                else:
                    stats.failed_checkouts += 1
            if last.problem and last.problem.startswith("connection"):
                await asyncio.sleep(0.01)
    finally:
        await connection.close()


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50": percentile(ordered, 0.50) * 1000,
        "p90": percentile(ordered, 0.90) * 1000,
        "p99": percentile(ordered, 0.99) * 1000,
        "max": (ordered[-1] if ordered else math.nan) * 1000,
        "mean": (sum(ordered) / len(ordered) if ordered else math.nan) * 1000,
    }


async def _load(
    url: str, catalog: Catalog, shoppers: int, duration: float, warmup: float, watch_pid: int
) -> dict[str, Any]:
    stats = LoadStats()
    begin = time.perf_counter()
    start, end = begin + warmup, begin + warmup + duration
    samples: dict[str, float | None] = {}

    async def sample() -> None:
        await asyncio.sleep(max(start - time.perf_counter(), 0))
        samples["self0"], samples["server0"] = cpu_seconds_self(), cpu_seconds_of(watch_pid)
        await asyncio.sleep(max(end - time.perf_counter(), 0))
        samples["self1"], samples["server1"] = cpu_seconds_self(), cpu_seconds_of(watch_pid)

    await asyncio.gather(
        sample(), *(_shopper(n, url, catalog, start, end, stats) for n in range(shoppers))
    )
    server0, server1 = samples["server0"], samples["server1"]
    server_cpu = server1 - server0 if server0 is not None and server1 is not None else None
    self_cpu = (samples["self1"] or 0.0) - (samples["self0"] or 0.0)
    ok_requests = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    completed = len(stats.checkouts)
    return {
        "shoppers": shoppers,
        "duration_s": duration,
        "warmup_s": warmup,
        "checkouts_completed": completed,
        "checkouts_failed": stats.failed_checkouts,
        "checkouts_per_s": completed / duration,
        "requests": ok_requests + errors,
        "requests_ok": ok_requests,
        "requests_per_s": (ok_requests + errors) / duration,
        "requests_per_checkout_mean": (
            sum(stats.requests_per_checkout) / completed if completed else math.nan
        ),
        "errors": errors,
        "error_kinds": dict(stats.errors.most_common(MAX_ERROR_KINDS)),
        "warmup_requests": stats.warmup_requests,
        "warmup_errors": stats.warmup_errors,
        "orders_placed_total": stats.orders_placed,
        "connects": stats.connects,
        "checkout_ms": _ms(stats.checkouts),
        "request_ms": {op: _ms(v) for op, v in stats.latencies.items()},
        "server_cpu_s": server_cpu,
        "server_cpu_share": server_cpu / duration if server_cpu is not None else None,
        "loadgen_cpu_share": self_cpu / duration,
        "loadgen_cpu_us_per_request": self_cpu / max(ok_requests + errors, 1) * 1e6,
    }


# ---------------------------------------------------------------- the check afterwards


async def _verify() -> dict[str, Any]:
    from tortoise import Tortoise
    from tortoise.expressions import F

    from models.catalog import ProductVariant
    from models.orders import Order, OrderLine, OrderStatus
    from models.payments import Payment, PaymentStatus
    from services.inventory import stock
    from settings import get_settings, tortoise_config

    await Tortoise.init(config=tortoise_config(get_settings().database_url))
    try:
        mismatches = await stock.verify_ledger()
        succeeded = Payment.filter(status=PaymentStatus.SUCCEEDED)
        return {
            "orders": await Order.all().count(),
            "order_lines": await OrderLine.all().count(),
            "ledger_mismatches": len(mismatches),
            "over_reserved_variants": await ProductVariant.filter(
                stock_reserved__gt=F("stock_on_hand")
            ).count(),
            "orders_paid": await Order.filter(status=OrderStatus.PENDING_SHIPMENT).count(),
            "payments_succeeded": await succeeded.count(),
            "payments_settled": await succeeded.filter(settled_amount__isnull=False).count(),
            "payments_other": await Payment.exclude(status=PaymentStatus.SUCCEEDED).count(),
        }
    finally:
        await Tortoise.close_connections()


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class CheckoutSetup(Setup):
    #: SECRET_KEY for the server when the environment has none (PostgreSQL wants one).
    secret_key: str = ""

    def env(self) -> dict[str, str]:
        env = super().env()
        env["UNPAID_SWEEP_INTERVAL"] = "0"
        # Every shopper comes from 127.0.0.1: the per-address limit on guests proving an order
        # by its email (`createPayment`) would otherwise stop the run after 30 payments.
        env["ORDER_LOOKUP_LIMIT"] = "100000000"
        if self.secret_key and not env.get("SECRET_KEY"):
            env["SECRET_KEY"] = self.secret_key
        return env


def _admin_dsn(server_url: str) -> str:
    parts = urlsplit(server_url)
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/postgres", "", ""))


def _scratch_url(server_url: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{SCRATCH_DATABASE}", parts.query, ""))


async def _scratch_database(server_url: str, *, create: bool) -> None:
    import asyncpg

    admin = await asyncpg.connect(_admin_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DATABASE}" WITH (FORCE)')
        if create:
            await admin.execute(f'CREATE DATABASE "{SCRATCH_DATABASE}"')
    finally:
        await admin.close()


@contextlib.contextmanager
def database(args: argparse.Namespace, workdir: Path) -> Iterator[str]:
    """The database URL for the run: a temp SQLite file, or a scratch PostgreSQL database."""
    if not args.database_url:
        yield f"sqlite://{workdir / 'checkout.sqlite3'}"
        return
    if not args.database_url.startswith("postgres"):
        raise BenchError("--database-url must be a PostgreSQL URL (SQLite is the default)")
    asyncio.run(_scratch_database(args.database_url, create=True))
    try:
        yield _scratch_url(args.database_url)
    finally:
        if args.keep:
            print(f"kept the database {SCRATCH_DATABASE}")
        else:
            asyncio.run(_scratch_database(args.database_url, create=False))


def _role(setup: Setup, role: str, extra: list[str], what: str) -> dict[str, Any]:
    output = run_python(["-m", "bench.checkout", f"--role={role}", *extra], setup, what=what)
    result: dict[str, Any] = orjson.loads(output.strip().splitlines()[-1])
    return result


def bench(args: argparse.Namespace) -> dict[str, Any]:
    host = machine()
    print(
        f"Tradewind checkout benchmark, {host['date']}\n"
        f"machine: nproc {host['nproc']}, {host['cpu_model']}, {host['memory_gib']} GiB, "
        f"Linux {host['kernel']}, Python {host['python']}, commit {host['commit']}",
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="tradewind-checkout-"))
    try:
        with database(args, workdir) as url:
            setup = CheckoutSetup(
                database_url=url,
                media_dir=workdir / "media",
                port=args.port or free_port(),
                products=args.products,
                cache_seconds=0.0,
                secret_key=secrets.token_urlsafe(48),
            )
            print(f"database: {setup.backend}   work folder: {workdir}", flush=True)
            print("migrating and seeding ...", flush=True)
            run_python(["cli.py", "migrate"], setup, what="cli.py migrate", quiet=True)
            run_python(
                ["cli.py", "seed-bench", "--products", str(args.products)],
                setup,
                what="cli.py seed-bench",
                quiet=True,
            )
            shop = _role(setup, "setup", [], "the shop setup")
            catalog_file = workdir / "catalog.json"
            catalog_file.write_bytes(orjson.dumps({**shop, "pay": args.pay}))
            print(
                f"shop ready: JPY at {JPY_RATE}, {len(shop['variant_ids'])} variants with "
                f"{STOCK_PER_VARIANT:,} units each; counting SQL in-process ...",
                flush=True,
            )
            probe_args = [f"--catalog={catalog_file}", f"--timed={args.timed}"]
            if args.profile:
                probe_args.append(f"--profile={args.profile.resolve()}")
            probe = _role(setup, "probe", probe_args, "the in-process probe")
            if probe["problems"]:
                raise BenchError("in-process checkouts failed: " + "; ".join(probe["problems"]))

            print(f"starting the server on port {setup.port} ...", flush=True)
            with server(setup, workdir / "server.log") as process:
                print(
                    f"load: {args.shoppers} shoppers, {args.warmup:g} s warm-up, "
                    f"{args.duration:g} s measured ...",
                    flush=True,
                )
                load = _role(
                    setup,
                    "load",
                    [
                        f"--catalog={catalog_file}",
                        f"--url={setup.base_url}/graphql",
                        f"--shoppers={args.shoppers}",
                        f"--duration={args.duration}",
                        f"--warmup={args.warmup}",
                        f"--watch-pid={process.pid}",
                    ],
                    "the load generator",
                )
                memory = memory_of(process.pid)
            verify = _role(setup, "verify", [], "the check of the orders")
            expected = load["orders_placed_total"] + probe["orders_placed"]
            if verify["orders"] != expected:
                verify["problem"] = f"{verify['orders']} orders in the database, {expected} placed"
            elif args.pay and not (
                verify["orders_paid"] == verify["payments_succeeded"] == expected
                and verify["payments_settled"] == expected
                and verify["payments_other"] == 0
            ):
                verify["problem"] = (
                    f"{expected} orders placed and paid, {verify['orders_paid']} paid in the "
                    f"database, {verify['payments_succeeded']} payments succeeded "
                    f"({verify['payments_settled']} settled, {verify['payments_other']} other)"
                )
        return {
            "machine": host,
            "database": setup.backend,
            "products": args.products,
            "variants": len(shop["variant_ids"]),
            "currency": CURRENCY,
            "pay": args.pay,
            "probe": probe,
            "load": load,
            "server_memory_mib": memory,
            "verify": verify,
        }
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _statements(warm: list[list[dict[str, Any]]], op: str) -> str:
    counts = sorted({r["statements"] for c in warm for r in c if r["op"] == op})
    return "/".join(str(c) for c in counts)


def report(result: dict[str, Any]) -> str:
    load, probe = result["load"], result["probe"]
    whole, place = load["checkout_ms"], load["request_ms"]["placeOrder"]

    def lat(figures: dict[str, float]) -> str:
        return (
            f"{figures['p50']:.0f} / {figures['p90']:.0f} / {figures['p99']:.0f} ms "
            f"(max {figures['max']:.0f})"
        )

    def share(value: float | None) -> str:
        return f"{value * 100:.0f}%" if value is not None else "n/a"

    control = probe["place_order_transaction_control"]
    lines = [
        "",
        f"database {result['database']}, {result['products']} products "
        f"({result['variants']} variants), {load['shoppers']} shoppers, "
        f"{load['duration_s']:g} s measured; guest checkouts in {result['currency']}"
        + (", each paid by card (test gateway)" if result.get("pay") else ""),
        f"  checkouts/s                {load['checkouts_per_s']:.1f} "
        f"({load['checkouts_completed']} completed, {load['checkouts_failed']} failed)",
        f"  checkout p50/p90/p99       {lat(whole)}, "
        f"{load['requests_per_checkout_mean']:.2f} requests each",
        f"  placeOrder p50/p90/p99     {lat(place)}",
    ]
    paying = ("createPayment", "payWithTestCard") if result.get("pay") else ()
    for op in ("addToCart", "checkoutQuote", *paying):
        lines.append(f"  {op + ' p50/p90/p99':<26} {lat(load['request_ms'][op])}")
    lines += [
        f"  requests/s                 {load['requests_per_s']:.1f}",
        f"  errors                     {load['errors']} of {load['requests']} requests "
        f"(warm-up: {load['warmup_errors']} of {load['warmup_requests']})"
        + (f" {load['error_kinds']}" if load["errors"] else ""),
        f"  SQL statements             placeOrder {_statements(probe['warm'], 'placeOrder')}, "
        f"checkoutQuote {_statements(probe['warm'], 'checkoutQuote')}, "
        f"addToCart {_statements(probe['warm'], 'addToCart')}"
        + "".join(f", {op} {_statements(probe['warm'], op)}" for op in paying)
        + " (warm; logged statements)",
        "  placeOrder transactions    "
        + ", ".join(f"{k} {v}" for k, v in sorted(control.items()))
        + " (not logged by Tortoise)",
        f"  server peak RSS            {result['server_memory_mib']['VmHWM']:.1f} MiB (VmHWM)",
        f"  server CPU                 {share(load['server_cpu_share'])} of one core",
        f"  load generator             {share(load['loadgen_cpu_share'])} of one core, "
        f"{load['loadgen_cpu_us_per_request']:.0f} us CPU per request",
        "  in-process, one at a time  "
        + ", ".join(f"{op} {ms:.1f} ms" for op, ms in probe["in_process_ms"].items()),
        f"  database afterwards        {result['verify']['orders']} orders, "
        f"{result['verify']['ledger_mismatches']} ledger mismatches, "
        f"{result['verify']['over_reserved_variants']} variants reserved beyond stock"
        + (
            f", {result['verify']['payments_succeeded']} payments succeeded "
            f"({result['verify']['payments_settled']} settled)"
            if paying
            else ""
        )
        + (f"; {result['verify']['problem']}" if result["verify"].get("problem") else ""),
    ]
    if probe.get("profile_text"):
        lines += ["", "cProfile of placeOrder (in-process):", probe["profile_text"]]
    return "\n".join(lines)


def _catalog(path: Path) -> Catalog:
    data = orjson.loads(path.read_bytes())
    return Catalog(
        service_id=data["service_id"],
        variant_ids=list(data["variant_ids"]),
        pay=bool(data.get("pay")),
    )


def _run(coroutine: Awaitable[Any]) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    return uvloop.run(coroutine)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--shoppers", type=int, default=32, help="concurrent shoppers")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds before them")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server (postgres://user@host:port/); the scratch database "
        f"{SCRATCH_DATABASE} is made on it and dropped afterwards (default: a temp SQLite)",
    )
    parser.add_argument("--port", type=int, help="server port (default: a free one)")
    parser.add_argument("--products", type=int, default=200, help="catalog size")
    parser.add_argument(
        "--pay", action="store_true", help="each checkout also pays with the test gateway"
    )
    parser.add_argument("--timed", type=int, default=30, help="in-process checkouts timed")
    parser.add_argument("--profile", type=Path, help="cProfile in-process placeOrder into FILE")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (and database)")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    # The steps run in their own processes.
    parser.add_argument(
        "--role", choices=("setup", "probe", "load", "verify"), help=argparse.SUPPRESS
    )
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--watch-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.role is not None:
        if args.role == "setup":
            result = asyncio.run(_setup_shop())
        elif args.role == "probe":
            result = asyncio.run(_probe(_catalog(args.catalog), args.timed, args.profile))
        elif args.role == "load":
            result = _run(
                _load(
                    args.url,
                    _catalog(args.catalog),
                    args.shoppers,
                    args.duration,
                    args.warmup,
                    args.watch_pid,
                )
            )
        else:
            result = asyncio.run(_verify())
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
        return 0

    try:
        result = bench(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(report(result))
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = RESULTS / f"{stamp}-checkout-{result['database']}.json"
        target.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
        print(f"\nsaved {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
