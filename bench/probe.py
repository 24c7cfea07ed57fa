"""In-process probe: SQL statements and handler time of the storefront query.

Run by `bench.run` in its own process with the server's environment (DATABASE_URL,
MEDIA_DIR, ...), so that its settings are the server's. It builds the very application the
server runs (`server.create_app(settings, manage_database=False)` after `Tortoise.init`),
sends the query through `httpx.ASGITransport`, and counts the statements Tortoise logs on
the `tortoise.db_client` logger: each statement is one DEBUG record `"%s: %s" % (sql,
values)` (scripts log the SQL alone); "Created/Closed connection" records are not
statements and are reported apart.

    python -m bench.probe --products 1000 [--timed 200] [--profile out.prof]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import logging
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import orjson
from tortoise import Tortoise

from bench import floor
from bench.query import BODY, PRODUCT_PAGE, QUERY, VARIABLES, product_page_body, verify_page
from server import create_app, settle_memory
from settings import Settings, get_settings, tortoise_config

BASE_URL = "http://bench.invalid"
#: Points per second the cost throttle gives back: a bench client never waits for them.
UNTHROTTLED = 1e12
_NOT_STATEMENTS = ("Created connection", "Closed connection", "Created connection pool")


class StatementCounter(logging.Handler):
    """Counts the SQL statements logged on `tortoise.db_client`, and keeps them."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.statements: list[str] = []
        self.other: Counter[str] = Counter()

    def reset(self) -> None:
        self.statements = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.msg == "%s: %s" and len(args) == 2:
            self.statements.append(str(args[0]))
        elif (
            not args and isinstance(record.msg, str) and not record.msg.startswith(_NOT_STATEMENTS)
        ):
            self.statements.append(record.msg)  # execute_script logs the bare SQL
        else:
            self.other[str(record.msg)] += 1


async def _post(client: httpx.AsyncClient) -> httpx.Response:
    return await client.post("/graphql", content=BODY, headers={"content-type": "application/json"})


async def probe(catalog_size: int, timed: int, profile: Path | None) -> dict[str, Any]:
    # Every probe request must run the query: statements are counted and time is measured.
    # Background jobs stay out of the process, so that the statements counted are the
    # request's own, and the cost throttle is off: every request comes from one address.
    # Product views stay as the environment sets them (PRODUCT_VIEW_CACHE_SECONDS); with
    # them on, the grid is also timed with every answer built.
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
    db_log = logging.getLogger("tortoise.db_client")
    result: dict[str, Any] = {
        "debug": settings.debug,
        "database": settings.database_url.split("://", 1)[0],
        "currency": settings.shop_currency,
    }
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client,
        ):
            settle_memory()  # as the served app does once started
            db_log.addHandler(counter)
            db_log.setLevel(logging.DEBUG)
            try:
                cold = await _post(client)
                result["cold_statements"] = len(counter.statements)
                problems = (
                    verify_page(cold.json(), catalog_size, f"{BASE_URL}/media/")
                    if cold.status_code == 200
                    else [f"HTTP {cold.status_code}: {cold.text[:300]}"]
                )
                counts = []
                for _ in range(5):
                    counter.reset()
                    response = await _post(client)
                    if response.status_code != 200 or "errors" in response.json():
                        problems.append(f"warm request failed: {response.text[:300]}")
                    counts.append(len(counter.statements))
                result["statements_per_request"] = counts
                result["statements"] = counter.statements
                result["other_log_records"] = dict(counter.other)
            finally:
                db_log.removeHandler(counter)
                db_log.setLevel(logging.NOTSET)
            result["problems"] = problems
            result["response_bytes"] = len(cold.content)

            # Handler time, with statement logging off as in the server. Every answer is
            # checked: a refused request would be timed as a fast one.
            profiler = cProfile.Profile() if profile else None
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            failed = 0
            for _ in range(timed):
                response = await _post(client)
                failed += response.status_code != 200 or b'"errors"' in response.content
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            if failed:
                problems.append(f"{failed} of {timed} timed requests failed")
            result["in_process_ms_per_request"] = elapsed / max(timed, 1) * 1000
            result["in_process_cpu_ms_per_request"] = cpu / max(timed, 1) * 1000
            result["floor_cpu_ms_per_request"] = floor.cpu_ms_per_execution(
                QUERY, VARIABLES, cold.json()["data"]
            )
            result["product_page"] = await _product_page(client, catalog_size, timed, problems)
            if settings.product_view_cache_seconds > 0:
                result["built_cpu_ms_per_request"] = await _built(settings, timed, problems)
            if profiler and profile:
                profiler.dump_stats(profile)
                text = io.StringIO()
                stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
                stats.print_stats(40)
                stats.sort_stats("tottime").print_stats(40)
                result["profile_text"] = text.getvalue()
    finally:
        await Tortoise.close_connections()
    return result


async def _built(settings: Settings, timed: int, problems: list[str]) -> float:
    """The grid's CPU per request with every product's answer built (no reused views)."""
    app = create_app(
        settings.model_copy(update={"product_view_cache_seconds": 0.0}), manage_database=False
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client,
    ):
        await _post(client)
        started, failed = time.process_time(), 0
        for _ in range(timed):
            response = await _post(client)
            failed += response.status_code != 200 or b'"errors"' in response.content
        cpu_ms = (time.process_time() - started) / max(timed, 1) * 1000
    if failed:
        problems.append(f"{failed} of {timed} requests without reused views failed")
    return cpu_ms


async def _product_page(
    client: httpx.AsyncClient, catalog_size: int, timed: int, problems: list[str]
) -> dict[str, Any]:
    """The product page's CPU per request and its floor, measured as the grid's are."""
    variables, body = product_page_body(catalog_size)
    headers = {"content-type": "application/json"}
    first = await client.post("/graphql", content=body, headers=headers)
    answer = first.json()
    if first.status_code != 200 or "errors" in answer or not answer["data"]["product"]:
        problems.append(f"product page: {first.text[:300]}")
        return {}
    started = time.process_time()
    for _ in range(timed):
        await client.post("/graphql", content=body, headers=headers)
    cpu_ms = (time.process_time() - started) / max(timed, 1) * 1000
    return {
        "in_process_cpu_ms_per_request": cpu_ms,
        "floor_cpu_ms_per_request": floor.cpu_ms_per_execution(
            PRODUCT_PAGE, variables, answer["data"]
        ),
        "response_bytes": len(first.content),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.probe", description=__doc__)
    parser.add_argument("--products", type=int, default=1000, help="size of the seeded catalog")
    parser.add_argument("--timed", type=int, default=200, help="requests to time in-process")
    parser.add_argument("--profile", type=Path, help="cProfile the timed requests into this file")
    args = parser.parse_args(argv)
    result = asyncio.run(probe(args.products, args.timed, args.profile))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
