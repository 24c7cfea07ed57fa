"""The mixed load over both API processes (`--role drive`, a process of its own, uvloop).

- browsers: anonymous GETs of the storefront's own trusted documents by hash (persisted
  queries): the product grid (`Products`, 20 with facets) and a product page (`Product`).
- shoppers: guest checkouts paid with the test gateway (`bench.checkout.flow`).
- followers: a guest checkout left unpaid on one process, its `orderStatusChanged` feed
  opened there with the order's access token, then the order paid, shipped, delivered and
  completed (the last three by a staff token) through the OTHER process: four events
  expected on the feed.
- the console: one `newOrders` feed per process, for the whole run, which must receive
  every order placed and every status change of the run, whichever process caused it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from bench.checkout.flow import Catalog, Placed, Step, checkout, pay, sender
from bench.checkout.load import Connection
from bench.load import cpu_seconds_of, cpu_seconds_self, percentile
from bench.seed import bench_product
from bench.topology.live import FOLLOW, NEW_ORDERS, Feed, Probes
from bench.topology.procs import process_tree

GRID_HASH = "5f418161f3706ba4b9b04202db4e91a02eafb5130c083194b5669650918e29fa"
PRODUCT_HASH = "bde2c2ae30997483dada0b9504fceb88879095893721568fc142af4c6551f5cb"
GRID_SIZE = 20
SHIP_ORDER = """mutation ShipOrder($input: ShipOrderInput!) {
  shipOrder(input: $input) { errors { field code message } order { status } }
}"""
MARK_DELIVERED = """mutation MarkOrderDelivered($input: MarkOrderDeliveredInput!) {
  markOrderDelivered(input: $input) { errors { field code message } order { status } }
}"""
COMPLETE_ORDER = """mutation CompleteOrder($input: CompleteOrderInput!) {
  completeOrder(input: $input) { errors { field code message } order { status } }
}"""
#: The statuses a followed order's feed must show, in order, and the request causing each.
FOLLOWED = (
    ("payWithTestCard", "PENDING_SHIPMENT"),
    ("shipOrder", "SHIPPED"),
    ("markOrderDelivered", "DELIVERED"),
    ("completeOrder", "COMPLETED"),
)
#: Seconds an expected event may take to arrive after the run's last request.
EVENT_WAIT = 15.0
MAX_KINDS = 12

#: One expected event: (order number, kind, status), e.g. ("TW…", "STATUS", "SHIPPED").
Key = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Plan:
    """What the driver needs from the orchestrator, read from the plan file."""

    api_urls: list[str]
    redis_url: str
    catalog: Catalog
    carrier_id: str
    staff_token: str
    products: int
    duration: float
    browsers: int
    shoppers: int
    followers: int
    watch: dict[str, int]

    @classmethod
    def read(cls, path: Path) -> Plan:
        data = orjson.loads(path.read_bytes())
        data["catalog"] = Catalog(**data["catalog"])
        return cls(**data)


@dataclass(slots=True)
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    error_kinds: Counter[str] = field(default_factory=Counter)
    checkouts: Counter[str] = field(default_factory=Counter)
    #: When the request causing each expected event started (perf_counter).
    caused: dict[Key, float] = field(default_factory=dict)
    followed_expected: int = 0
    followed_received: int = 0
    followed_problems: Counter[str] = field(default_factory=Counter)
    event_delays: list[float] = field(default_factory=list)

    def record(self, steps: list[Step]) -> None:
        for step in steps:
            self.requests[step.op] += 1
            if step.problem is None:
                self.latencies.setdefault(step.op, []).append(step.finished - step.started)
            else:
                self.errors[step.op] += 1
                self.error_kinds[step.problem] += 1

    def expect(self, key: Key, steps: list[Step], op: str) -> None:
        """The event `key`, caused by the last successful `op` of `steps`."""
        started = next(s.started for s in reversed(steps) if s.op == op and s.problem is None)
        self.caused[key] = started


def _connection(base_url: str, headers: dict[str, str] | None = None) -> Connection:
    parts = urlsplit(base_url)
    return Connection(parts.hostname or "127.0.0.1", parts.port or 80, "/graphql", None, headers)


def _ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + "/graphql"


# ---------------------------------------------------------------- browsing


def _target(operation: str, digest: str, variables: dict[str, Any]) -> str:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    query = {
        "operationName": operation,
        "variables": orjson.dumps(variables).decode(),
        "extensions": orjson.dumps(extensions).decode(),
    }
    return "/graphql?" + urlencode(query)


def _browse_problem(op: str, status: int, body: bytes, slug: str | None) -> str | None:
    if status != 200:
        return f"{op}: HTTP {status}"
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return f"{op}: not JSON"
    if document.get("errors"):
        return f"{op}: GraphQL error: {str(document['errors'][0].get('message'))[:100]}"
    data = document.get("data") or {}
    if slug is None:
        nodes = (data.get("products") or {}).get("nodes") or []
        return None if len(nodes) == GRID_SIZE else f"{op}: {len(nodes)} products"
    return None if (data.get("product") or {}).get("slug") == slug else f"{op}: wrong product"


async def browser(n: int, plan: Plan, tally: Tally, end: float) -> None:
    """Anonymous browsing, by GET: the grid, then a random product page, again and again."""
    connection = _connection(plan.api_urls[n % len(plan.api_urls)])
    rng = random.Random(n)
    grid = _target("Products", GRID_HASH, {"first": GRID_SIZE, "withFacets": True})
    clock = time.perf_counter
    try:
        while clock() < end:
            slug = bench_product(rng.randint(1, plan.products)).slug
            page = _target("Product", PRODUCT_HASH, {"slug": slug, "reviews": 5})
            for op, target, expected in (("grid", grid, None), ("product", page, slug)):
                started = clock()
                try:
                    status, body = await connection.get(target)
                    problem = _browse_problem(op, status, body, expected)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    problem = f"{op}: connection: {type(exc).__name__}"
                tally.record([Step(op, started, clock(), problem)])
    finally:
        await connection.close()


# ---------------------------------------------------------------- checking out


async def shopper(n: int, plan: Plan, tally: Tally, end: float) -> None:
    """Guest checkouts, each paid with the test gateway, until the end of the run."""
    connection = _connection(plan.api_urls[n % len(plan.api_urls)])
    rng = random.Random(10_000 + n)
    try:
        while time.perf_counter() < end:
            steps, placed = await checkout(connection.post, plan.catalog, rng, n)
            tally.record(steps)
            if placed is None:
                tally.checkouts["failed"] += 1
                continue
            tally.checkouts["paid"] += 1
            tally.expect((placed.number, "PLACED", "PENDING_PAYMENT"), steps, "placeOrder")
            tally.expect((placed.number, "STATUS", "PENDING_SHIPMENT"), steps, "payWithTestCard")
    finally:
        await connection.close()


async def follower(n: int, plan: Plan, probes: Probes, tally: Tally, end: float) -> None:
    """Orders followed live on one process while the other one changes them."""
    near_url = plan.api_urls[n % len(plan.api_urls)]
    far_url = plan.api_urls[(n + 1) % len(plan.api_urls)]
    near, far = _connection(near_url), _connection(far_url)
    staff = _connection(far_url, {"Authorization": f"Bearer {plan.staff_token}"})
    unpaid = dataclasses.replace(plan.catalog, pay=False)
    rng = random.Random(20_000 + n)
    try:
        while time.perf_counter() < end:
            steps, placed = await checkout(near.post, unpaid, rng, 1000 + n)
            tally.record(steps)
            if placed is None:
                tally.checkouts["failed"] += 1
                continue
            tally.expect((placed.number, "PLACED", "PENDING_PAYMENT"), steps, "placeOrder")
            await _follow(placed, near_url, far, staff, plan, probes, tally, n)
    finally:
        for connection in (near, far, staff):
            await connection.close()


async def _follow(
    placed: Placed,
    near_url: str,
    far: Connection,
    staff: Connection,
    plan: Plan,
    probes: Probes,
    tally: Tally,
    n: int,
) -> None:
    from subscriptions.events import order_channel

    variables = {"number": placed.number, "accessToken": placed.access_token}
    feed = Feed(_ws_url(near_url), FOLLOW, variables)
    started = time.perf_counter()
    try:
        await feed.open()
        await feed.ready(probes, order_channel(placed.number))
    except (OSError, ConnectionError, TimeoutError) as exc:
        tally.record([Step("subscribe", started, time.perf_counter(), f"subscribe: {exc}")])
        await feed.close()
        return
    tally.record([Step("subscribe", started, time.perf_counter())])
    steps = await _change_order(placed, far, staff, plan, n)
    tally.record(steps)
    caused = [
        (op, status)
        for op, status in FOLLOWED
        if any(s.op == op and s.problem is None for s in steps)
    ]
    for op, status in caused:
        tally.expect((placed.number, "STATUS", status), steps, op)
    tally.checkouts["followed" if len(caused) == len(FOLLOWED) else "followed_unfinished"] += 1
    await feed.wait_for(len(caused), within=EVENT_WAIT)
    await feed.close()
    received = [(c.kind, c.status) for c in feed.changes]
    wanted = [("STATUS", status) for _, status in caused]
    tally.followed_expected += len(wanted)
    tally.followed_received += sum(1 for w in wanted if w in received)
    if received != wanted:
        tally.followed_problems[f"expected {wanted}, received {received}"] += 1
    for problem in feed.problems:
        tally.followed_problems[problem] += 1
    for change in feed.changes:
        cause = tally.caused.get((placed.number, change.kind, change.status))
        if cause is not None:
            tally.event_delays.append(change.at - cause)


async def _change_order(
    placed: Placed, far: Connection, staff: Connection, plan: Plan, n: int
) -> list[Step]:
    """Pay (as the guest), ship, deliver and complete (as staff) the order through `far`;
    the requests, stopped at the first problem."""
    steps: list[Step] = []
    if not await pay(sender(far.post, steps), steps, placed.number, placed.email):
        return steps
    send = sender(staff.post, steps)
    order = {"orderId": placed.order_id}
    ship = {
        **order,
        "carrierId": plan.carrier_id,
        "trackingNumber": f"BENCH{n:03d}{placed.number}",
        "acceptInvalidTrackingNumber": True,
    }
    for op, query, variables in (
        ("shipOrder", SHIP_ORDER, ship),
        ("markOrderDelivered", MARK_DELIVERED, order),
        ("completeOrder", COMPLETE_ORDER, order),
    ):
        if await send(op, query, {"input": variables}) is None:
            break
    return steps


# ---------------------------------------------------------------- the console


async def console_feeds(plan: Plan, probes: Probes) -> list[Feed]:
    """A listening `newOrders` feed on every API process, as staff."""
    from subscriptions.events import MERCHANT_ORDERS_CHANNEL

    feeds = [Feed(_ws_url(url), NEW_ORDERS, token=plan.staff_token) for url in plan.api_urls]
    for feed in feeds:
        await feed.open()
        await feed.ready(probes, MERCHANT_ORDERS_CHANNEL)
    return feeds


async def drain(feeds: list[Feed], expected: set[Key]) -> None:
    """Wait until every feed received every expected event, or `EVENT_WAIT` seconds."""
    deadline = time.perf_counter() + EVENT_WAIT
    while time.perf_counter() < deadline:
        if all(expected <= {(c.number, c.kind, c.status) for c in f.changes} for f in feeds):
            return
        await asyncio.sleep(0.1)


def _console_figures(feeds: list[Feed], tally: Tally) -> dict[str, Any]:
    expected = set(tally.caused)
    per_feed = []
    for feed in feeds:
        keys = [(c.number, c.kind, c.status) for c in feed.changes]
        received = set(keys)
        for change in feed.changes:
            cause = tally.caused.get((change.number, change.kind, change.status))
            if cause is not None:
                tally.event_delays.append(change.at - cause)
        per_feed.append(
            {
                "url": feed.url,
                "expected": len(expected),
                "received": len(expected & received),
                "lost": sorted("/".join(k) for k in expected - received)[:MAX_KINDS],
                "lost_count": len(expected - received),
                "unexpected": len(received - expected),
                "duplicates": len(keys) - len(received),
                "problems": feed.problems,
            }
        )
    return {"feeds": per_feed}


# ---------------------------------------------------------------- the run


def _cpu_by_name(watch: dict[str, int]) -> dict[str, float]:
    """CPU seconds of each watched process and its descendants (worker processes)."""
    return {
        name: sum(cpu_seconds_of(p) or 0.0 for p in process_tree(pid))
        for name, pid in watch.items()
    }


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50": percentile(ordered, 0.50) * 1000,
        "p99": percentile(ordered, 0.99) * 1000,
        "max": (ordered[-1] if ordered else float("nan")) * 1000,
    }


async def drive(plan: Plan) -> dict[str, Any]:
    tally = Tally()
    probes = Probes(plan.redis_url)
    try:
        feeds = await console_feeds(plan, probes)
        cpu0, self0 = _cpu_by_name(plan.watch), cpu_seconds_self()
        begin = time.perf_counter()
        end = begin + plan.duration
        await asyncio.gather(
            *(browser(n, plan, tally, end) for n in range(plan.browsers)),
            *(shopper(n, plan, tally, end) for n in range(plan.shoppers)),
            *(follower(n, plan, probes, tally, end) for n in range(plan.followers)),
        )
        elapsed = time.perf_counter() - begin
        cpu1, self1 = _cpu_by_name(plan.watch), cpu_seconds_self()
        await drain(feeds, set(tally.caused))
        for feed in feeds:
            await feed.close()
        console = _console_figures(feeds, tally)
    finally:
        await probes.close()
    return {
        "duration_s": plan.duration,
        "elapsed_s": elapsed,
        "connections": {
            "browsers": plan.browsers,
            "shoppers": plan.shoppers,
            "followers": plan.followers,
        },
        "requests": dict(tally.requests),
        "requests_per_s": {k: v / elapsed for k, v in tally.requests.items()},
        "latency_ms": {k: _ms(v) for k, v in sorted(tally.latencies.items())},
        "errors": dict(tally.errors),
        "error_kinds": dict(tally.error_kinds.most_common(MAX_KINDS)),
        "checkouts": dict(tally.checkouts),
        "orders_placed": sum(1 for k in tally.caused if k[1] == "PLACED"),
        "events": {
            "followed_expected": tally.followed_expected,
            "followed_received": tally.followed_received,
            "followed_lost": tally.followed_expected - tally.followed_received,
            "followed_problems": dict(tally.followed_problems.most_common(MAX_KINDS)),
            "console": console,
            "delay_ms": _ms(tally.event_delays),
        },
        "cpu_s": {name: cpu1[name] - cpu0[name] for name in cpu0},
        "loadgen_cpu_s": self1 - self0,
    }
