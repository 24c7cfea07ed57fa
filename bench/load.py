"""The load generator: HTTP/1.1 keep-alive connections on raw asyncio streams (uvloop).

Run by `bench.run` in its own process, so that it never competes with the server for an
event loop:

    python -m bench.load --url http://127.0.0.1:8000/graphql --body-file body.json \
        --connections 32 --duration 20 --warmup 3 --expect-products 20 --watch-pid 1234

Each connection sends a request, reads the whole response, checks it and sends the next.
Requests that start and finish inside the measured window (after the warm-up) count.
Prints one JSON object: requests, errors, latency percentiles, its own CPU time per
request (from which its capacity follows) and the watched process's CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

#: Error kinds kept as examples in the output.
MAX_ERROR_KINDS = 10


@dataclass(frozen=True, slots=True)
class Window:
    """The measured interval, in `time.perf_counter()` seconds."""

    start: float
    end: float


@dataclass(slots=True)
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    warmup_requests: int = 0
    warmup_errors: int = 0
    connects: int = 0
    bytes_received: int = 0


Check = Callable[[int, bytes], str | None]


def check_status(status: int, body: bytes) -> str | None:
    return None if status == 200 else f"HTTP {status}"


def product_page_check(products: int) -> Check:
    """200, JSON, no `errors` key and exactly `products` edges under `data.products`."""

    def check(status: int, body: bytes) -> str | None:
        if status != 200:
            return f"HTTP {status}"
        try:
            document = orjson.loads(body)
            if "errors" in document:
                return "GraphQL errors: " + str(document["errors"])[:160]
            edges = document["data"]["products"]["edges"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            return "not a product list: " + body[:120].decode(errors="replace")
        if len(edges) != products:
            return f"{len(edges)} products instead of {products}"
        return None

    return check


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers expected
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one HTTP/1.1 response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head[:-4].split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length: int | None = None
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value
        elif name == b"connection":
            keep_alive = value != b"close"
    if chunked:
        body = await _read_chunked(reader)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()
        keep_alive = False
    return status, body, keep_alive


def build_request(method: str, host: str, port: int, path: str, body: bytes) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json"]
    if body or method == "POST":
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _close(writer: asyncio.StreamWriter | None) -> None:
    if writer is not None:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def connection(
    host: str, port: int, request: bytes, check: Check, window: Window, stats: Stats
) -> None:
    """One keep-alive connection sending requests back to back until the window ends."""
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    clock = time.perf_counter
    while clock() < window.end:
        started = clock()
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(host, port)
                stats.connects += 1
                started = clock()
            writer.write(request)
            status, body, keep_alive = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            if window.start <= started < window.end:
                stats.errors[f"connection: {type(exc).__name__}"] += 1
            await _close(writer)
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        finished = clock()
        if not keep_alive:
            await _close(writer)
            reader = writer = None
        problem = check(status, body)
        if started < window.start:
            stats.warmup_requests += 1
            stats.warmup_errors += problem is not None
        elif finished <= window.end:
            stats.bytes_received += len(body)
            if problem is None:
                stats.latencies.append(finished - started)
            else:
                stats.errors[problem] += 1
    await _close(writer)


def cpu_seconds_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds_of(pid: int) -> float | None:
    """User plus system CPU seconds of a process, from /proc/<pid>/stat."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    # Fields 14 and 15 of stat(5), counted after "pid (comm)": utime, stime.
    ticks = int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


async def drive(
    url: str,
    *,
    method: str,
    body: bytes,
    connections: int,
    duration: float,
    warmup: float,
    check: Check,
    watch_pid: int | None,
) -> dict[str, Any]:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    path = parts.path or "/"
    request = build_request(method, host, port, path, body)
    stats = Stats()
    begin = time.perf_counter()
    window = Window(begin + warmup, begin + warmup + duration)
    samples: dict[str, Any] = {}

    async def sample() -> None:
        await asyncio.sleep(max(window.start - time.perf_counter(), 0))
        samples["self0"], samples["server0"] = cpu_seconds_self(), _cpu(watch_pid)
        await asyncio.sleep(max(window.end - time.perf_counter(), 0))
        samples["self1"], samples["server1"] = cpu_seconds_self(), _cpu(watch_pid)

    await asyncio.gather(
        sample(),
        *(connection(host, port, request, check, window, stats) for _ in range(connections)),
    )
    ordered = sorted(stats.latencies)
    ok = len(ordered)
    errors = sum(stats.errors.values())
    self_cpu = samples["self1"] - samples["self0"]
    server_cpu = (
        samples["server1"] - samples["server0"]
        if samples["server0"] is not None and samples["server1"] is not None
        else None
    )
    ms = 1000.0
    return {
        "url": url,
        "method": method,
        "connections": connections,
        "duration_s": duration,
        "warmup_s": warmup,
        "requests": ok + errors,
        "ok": ok,
        "errors": errors,
        "error_kinds": dict(stats.errors.most_common(MAX_ERROR_KINDS)),
        "warmup_requests": stats.warmup_requests,
        "warmup_errors": stats.warmup_errors,
        "connects": stats.connects,
        "requests_per_s": ok / duration,
        "latency_ms": {
            "p50": percentile(ordered, 0.50) * ms,
            "p90": percentile(ordered, 0.90) * ms,
            "p99": percentile(ordered, 0.99) * ms,
            "max": (ordered[-1] if ordered else float("nan")) * ms,
            "mean": (sum(ordered) / ok if ok else float("nan")) * ms,
        },
        "response_bytes_mean": stats.bytes_received / max(ok + errors, 1),
        "loadgen_cpu_s": self_cpu,
        "loadgen_cpu_us_per_request": self_cpu / max(ok + errors, 1) * 1e6,
        "loadgen_cpu_share": self_cpu / duration,
        "server_cpu_s": server_cpu,
        "server_cpu_share": server_cpu / duration if server_cpu is not None else None,
    }


def _cpu(pid: int | None) -> float | None:
    return cpu_seconds_of(pid) if pid is not None else None


def _run(coroutine: Any) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--method", choices=("GET", "POST"), default="POST")
    parser.add_argument("--body-file", type=Path, help="request body (JSON); POST only")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument(
        "--expect-products",
        type=int,
        default=0,
        help="check each answer is a GraphQL product page of this many products (0: status)",
    )
    parser.add_argument("--watch-pid", type=int, help="report this process's CPU time too")
    args = parser.parse_args(argv)
    body = args.body_file.read_bytes() if args.body_file else b""
    check = product_page_check(args.expect_products) if args.expect_products else check_status
    result = _run(
        drive(
            args.url,
            method=args.method,
            body=body,
            connections=args.connections,
            duration=args.duration,
            warmup=args.warmup,
            check=check,
            watch_pid=args.watch_pid,
        )
    )
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
