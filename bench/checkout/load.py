"""The load: guest shoppers checking out over keep-alive connections (`--role load`)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench.checkout.flow import CURRENCY, OPS, Catalog, checkout
from bench.load import cpu_seconds_of, cpu_seconds_self, percentile, read_response

#: Error kinds kept in the output.
MAX_ERROR_KINDS = 12
#: uvicorn closes a keep-alive connection idle for 5 s (`timeout_keep_alive`); a request
#: written just as it does finds the socket closed. Like browsers and httpx, a connection
#: idle longer than this is not reused.
IDLE_REUSE_SECONDS = 4.0


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
    """One HTTP/1.1 keep-alive connection on raw asyncio streams; `headers` are sent with
    every request (e.g. `Authorization`)."""

    def __init__(
        self,
        host: str,
        port: int,
        path: str,
        stats: LoadStats | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.host, self.port, self.path, self.stats = host, port, path, stats
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.last_used = 0.0
        extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        common = f"Host: {host}:{port}\r\nAccept: application/json\r\nX-Currency: {CURRENCY}\r\n"
        self.head = (
            f"POST {path} HTTP/1.1\r\n{common}Content-Type: application/json\r\n{extra}"
        ).encode()
        self.get_head = f"HTTP/1.1\r\n{common}{extra}\r\n".encode()

    async def post(self, body: bytes) -> tuple[int, bytes]:
        return await self._exchange(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    async def get(self, target: str) -> tuple[int, bytes]:
        """GET `target` (a path with its query string)."""
        return await self._exchange(b"GET " + target.encode() + b" " + self.get_head)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is not None and time.perf_counter() - self.last_used > IDLE_REUSE_SECONDS:
            await self.close()
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            if self.stats is not None:
                self.stats.connects += 1
        try:
            self.writer.write(request)
            status, response, keep_alive = await read_response(self.reader)
        except BaseException:
            await self.close()
            raise
        self.last_used = time.perf_counter()
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


async def run_load(
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
