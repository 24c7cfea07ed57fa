"""Checkouts in-process, their SQL counted and their time taken (`--role probe`)."""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from bench import floor
from bench.checkout.flow import CURRENCY, OPS, Catalog, checkout

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


async def probe_checkouts(catalog: Catalog, timed: int, profile: Path | None) -> dict[str, Any]:
    import httpx
    from tortoise import Tortoise

    from bench.probe import UNTHROTTLED, StatementCounter
    from server import create_app, settle_memory
    from settings import get_settings, tortoise_config

    # As bench.probe: the request's own statements, no throttle for the one address.
    settings = get_settings().model_copy(
        update={
            "response_cache_seconds": 0.0,
            "jobs_in_process": False,
            "query_cost_restore_rate": UNTHROTTLED,
        }
    )
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
            settle_memory()  # as the served app does once started
            current: dict[str, Any] = {"op": None, "profile": None, "timing": False}
            per_op: list[dict[str, Any]] = []
            cpu: dict[str, list[float]] = {op: [] for op in OPS}
            #: The last request and answer of each operation, for the floor.
            exchanges: dict[str, tuple[bytes, bytes]] = {}

            async def post(body: bytes) -> tuple[int, bytes]:
                op = next(o for o in OPS if f'"query":"{_QUERY_HEADS[o]}' in body.decode())
                counter.reset()
                transactions.counts.clear()
                profiler = current["profile"] if op == "placeOrder" else None
                if profiler is not None:
                    profiler.enable()
                started = time.process_time()
                response = await client.post("/graphql", content=body)
                if current["timing"]:
                    cpu[op].append(time.process_time() - started)
                if profiler is not None:
                    profiler.disable()
                exchanges[op] = (body, response.content)
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
            current["timing"] = True
            for n in range(timed * (2 if profiler else 1)):
                if n == timed:
                    current["profile"] = profiler
                    current["timing"] = False
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
            result["in_process_cpu_ms"] = {
                op: round(sum(v) / len(v) * 1000, 2) for op, v in cpu.items() if v
            }
            result["floor_cpu_ms"] = {
                op: round(_floor_ms(*exchanges[op]), 3) for op in result["in_process_cpu_ms"]
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


def _floor_ms(body: bytes, answer: bytes) -> float:
    """The GraphQL floor of one exchange: its document executed over its own answer."""
    request = orjson.loads(body)
    return floor.cpu_ms_per_execution(
        request["query"], request.get("variables"), orjson.loads(answer)["data"]
    )


def _op_summary(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "op": record["op"],
        "statements": len(record["statements"]),
        "transaction_control": record["transaction_control"],
    }
