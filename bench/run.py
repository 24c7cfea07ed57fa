"""Benchmark the storefront list query against a real server process.

    .venv/bin/python -m bench.run [--duration 20] [--connections 32] [--database-url URL]
                                  [--port P] [--skip-seed] [--products 1000] [--keep]

1. A fresh SQLite database in a temporary folder (or `--database-url`, e.g. PostgreSQL),
   migrated (`cli.py migrate`) and seeded with the benchmark catalog (`cli.py seed-bench`).
2. SQL statements per request, counted in-process by `bench.probe` (same settings, same
   application, statements as Tortoise logs them), which also checks the answer in full.
3. The server started as a user would: `cli.py serve --port P`, one process, DEBUG unset,
   the listing sweeper off; then /healthz, a checked request, and the load.
4. The load from `bench.load` in its own process: 32 keep-alive connections, a warm-up,
   then `--duration` measured seconds; every answer must be 200, without `errors` and with
   20 products. Then the load generator's own capacity, against /healthz.

Prints the machine, the date and the figures, and writes them as JSON under
`bench/results/` (not committed).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.query import BODY, PAGE_SIZE, QUERY, verify_page

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PACKAGES = (
    "strawberry-graphql",
    "graphql-core",
    "starlette",
    "uvicorn",
    "uvloop",
    "httptools",
    "tortoise-orm",
    "aiosqlite",
    "asyncpg",
)


class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


# ---------------------------------------------------------------- the machine


def machine() -> dict[str, Any]:
    cpu_model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    memory_kib = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    versions = {}
    for name in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "commit": _commit(),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu_model,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "packages": versions,
    }


def _commit() -> str:
    """The checked-out commit, with "+changes" when the working tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head or 'unknown'}{'+changes' if dirty else ''}"


# ---------------------------------------------------------------- processes


@dataclass(frozen=True)
class Setup:
    database_url: str
    media_dir: Path
    port: int
    products: int
    #: Seconds the server may reuse an anonymous answer (its RESPONSE_CACHE_SECONDS).
    cache_seconds: float
    #: Seconds a product's executed answer may be reused (PRODUCT_VIEW_CACHE_SECONDS).
    view_seconds: float = 5.0
    #: SECRET_KEY for the server when the environment has none (PostgreSQL wants one).
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def backend(self) -> str:
        scheme = self.database_url.split("://", 1)[0]
        return "postgresql" if scheme.startswith("postgres") else scheme

    def env(self) -> dict[str, str]:
        """The server's environment: the user's, with the bench database and media folder."""
        env = dict(os.environ)
        env.pop("DEBUG", None)
        env.update(
            DATABASE_URL=self.database_url,
            MEDIA_DIR=str(self.media_dir),
            LISTING_SWEEP_INTERVAL="0",
            RESPONSE_CACHE_SECONDS=str(self.cache_seconds),
            PRODUCT_VIEW_CACHE_SECONDS=str(self.view_seconds),
            # The load comes from one address but stands for many shoppers: the per-client
            # cost throttle would refuse most of it.
            QUERY_COST_RESTORE_RATE="1e12",
            PYTHONUNBUFFERED="1",
        )
        env.setdefault("SECRET_KEY", self.secret_key)
        return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def run_python(args: list[str], setup: Setup, *, what: str, quiet: bool = False) -> str:
    """Run `python <args>` in the project with the server's environment; its stdout.

    `quiet` folds stderr (progress bars, logs) into the output, shown only on failure.
    """
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=setup.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if quiet else None,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = "\n".join(completed.stdout.splitlines()[-30:]) if quiet else ""
        raise BenchError(f"{what} failed (exit status {completed.returncode})\n{output}")
    return completed.stdout


@contextlib.contextmanager
def server(setup: Setup, log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`cli.py serve` in its own process, stopped (SIGINT, as Ctrl-C) at the end."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "cli.py", "serve", "--port", str(setup.port)],
            cwd=ROOT,
            env=setup.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(setup, process, log_path)
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(
    setup: Setup, process: subprocess.Popen[bytes], log_path: Path, timeout: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the server exited ({process.returncode}):\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{setup.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BenchError(f"/healthz did not answer 200 within {timeout:.0f} s:\n{_tail(log_path)}")


def _tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def memory_of(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of a process, in MiB."""
    figures: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            figures[key] = int(value.split()[0]) / 1024
    return figures


def load(
    setup: Setup,
    *,
    path: str,
    method: str,
    body_file: Path | None,
    connections: int,
    duration: float,
    warmup: float,
    expect_products: int,
    watch_pid: int,
) -> dict[str, Any]:
    """One run of the load generator, in its own process; its JSON report."""
    args = [
        "-m",
        "bench.load",
        f"--url={setup.base_url}{path}",
        f"--method={method}",
        f"--connections={connections}",
        f"--duration={duration}",
        f"--warmup={warmup}",
        f"--expect-products={expect_products}",
        f"--watch-pid={watch_pid}",
    ]
    if body_file is not None:
        args.append(f"--body-file={body_file}")
    report: dict[str, Any] = orjson.loads(
        run_python(args, setup, what=f"the load generator ({path})")
    )
    return report


def check_live(setup: Setup) -> int:
    """One request to the running server, checked in full; returns the response size."""
    with httpx.Client(base_url=setup.base_url, timeout=30) as client:
        response = client.post(
            "/graphql", content=BODY, headers={"content-type": "application/json"}
        )
        if response.status_code != 200:
            raise BenchError(f"POST /graphql answered {response.status_code}: {response.text}")
        document = response.json()
        problems = verify_page(document, setup.products, f"{setup.base_url}/media/")
        if problems:
            raise BenchError("the server's answer is wrong:\n  " + "\n  ".join(problems[:20]))
        image_url = document["data"]["products"]["edges"][0]["node"]["featuredImage"]["url"]
        image = client.get(image_url)
        if image.status_code != 200 or image.headers.get("content-type") != "image/png":
            raise BenchError(f"GET {image_url} answered {image.status_code}")
        return len(response.content)


# ---------------------------------------------------------------- the run


def bench(args: argparse.Namespace) -> dict[str, Any]:
    host = machine()
    print(
        f"Tradewind storefront benchmark, {host['date']}\n"
        f"machine: nproc {host['nproc']}, {host['cpu_model']}, {host['memory_gib']} GiB, "
        f"Linux {host['kernel']}, Python {host['python']}, commit {host['commit']}\n"
        "packages: " + ", ".join(f"{k} {v}" for k, v in host["packages"].items()),
        flush=True,
    )
    workdir = Path(tempfile.mkdtemp(prefix="tradewind-bench-"))
    try:
        setup = Setup(
            database_url=args.database_url or f"sqlite://{workdir / 'bench.sqlite3'}",
            media_dir=args.media_dir or workdir / "media",
            port=args.port or free_port(),
            products=args.products,
            cache_seconds=0.0 if args.no_cache else 5.0,
            view_seconds=0.0 if args.no_views else 5.0,
        )
        cache = "off" if args.no_cache else "on (5 s, flushed on change)"
        views = "off" if args.no_views else "on (5 s, flushed on change)"
        print(
            f"database: {setup.backend}   response cache: {cache}   product views: {views}   "
            f"work folder: {workdir}"
        )
        if not args.skip_seed:
            print("migrating and seeding ...", flush=True)
            run_python(["cli.py", "migrate"], setup, what="cli.py migrate", quiet=True)
            started = time.perf_counter()
            run_python(
                ["cli.py", "seed-bench", "--products", str(setup.products)],
                setup,
                what="cli.py seed-bench",
                quiet=True,
            )
            print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)

        print("counting SQL statements in-process ...", flush=True)
        probe_args = ["-m", "bench.probe", f"--products={setup.products}"]
        if args.profile:
            probe_args.append(f"--profile={args.profile.resolve()}")
        probe: dict[str, Any] = orjson.loads(run_python(probe_args, setup, what="bench.probe"))
        if probe["problems"]:
            raise BenchError("the in-process answer is wrong:\n  " + "\n  ".join(probe["problems"]))
        if probe["debug"]:
            print("WARNING: the server's settings have DEBUG on (a .env file?)", flush=True)

        body_file = workdir / "body.json"
        body_file.write_bytes(BODY)
        print(f"starting the server on port {setup.port} ...", flush=True)
        with server(setup, workdir / "server.log") as process:
            response_bytes = check_live(setup)
            print(
                f"load: {args.connections} connections, {args.warmup:g} s warm-up, "
                f"{args.duration:g} s measured ...",
                flush=True,
            )
            graphql = load(
                setup,
                path="/graphql",
                method="POST",
                body_file=body_file,
                connections=args.connections,
                duration=args.duration,
                warmup=args.warmup,
                expect_products=PAGE_SIZE,
                watch_pid=process.pid,
            )
            memory = memory_of(process.pid)
            print("load generator capacity against /healthz ...", flush=True)
            healthz = load(
                setup,
                path="/healthz",
                method="GET",
                body_file=None,
                connections=args.connections,
                duration=args.capacity_duration,
                warmup=1.0,
                expect_products=0,
                watch_pid=process.pid,
            )
        return {
            "machine": host,
            "database": setup.backend,
            "response_cache_seconds": setup.cache_seconds,
            "product_view_cache_seconds": setup.view_seconds,
            "products": setup.products,
            "query": QUERY,
            "response_bytes": response_bytes,
            "sql_statements_per_request": probe["statements_per_request"][-1],
            "probe": probe,
            "graphql": graphql,
            "server_memory_mib": memory,
            "healthz": healthz,
        }
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(result: dict[str, Any]) -> str:
    g, h, probe = result["graphql"], result["healthz"], result["probe"]
    latency = g["latency_ms"]
    floor_ms = probe["floor_cpu_ms_per_request"]
    ratio = probe["in_process_cpu_ms_per_request"] / floor_ms
    page = probe["product_page"]
    server_cpu_ms = (
        g["server_cpu_s"] / g["requests"] * 1000 if g["server_cpu_s"] and g["requests"] else None
    )

    def share(value: float | None) -> str:
        return f"{value * 100:.0f}%" if value is not None else "n/a"

    lines = [
        "",
        f"database {result['database']}, {result['products']} products; first page of "
        f"{PAGE_SIZE}, {result['response_bytes']:,} bytes per answer",
        f"  requests/s              {g['requests_per_s']:.1f}",
        f"  latency p50/p90/p99     {latency['p50']:.1f} / {latency['p90']:.1f} / "
        f"{latency['p99']:.1f} ms (max {latency['max']:.1f})",
        f"  errors                  {g['errors']} of {g['requests']} requests "
        f"(warm-up: {g['warmup_errors']} of {g['warmup_requests']})"
        + (f" {g['error_kinds']}" if g["errors"] else ""),
        f"  SQL statements/request  {result['sql_statements_per_request']}",
        f"  server peak RSS         {result['server_memory_mib']['VmHWM']:.1f} MiB (VmHWM)",
        f"  server CPU              {share(g['server_cpu_share'])} of one core",
        f"  server CPU per request  {server_cpu_ms:.2f} ms"
        if server_cpu_ms is not None
        else "  server CPU per request  n/a",
        f"  in-process handler      {probe['in_process_ms_per_request']:.2f} ms per request, "
        f"{probe['in_process_cpu_ms_per_request']:.2f} ms CPU (httpx.ASGITransport, no HTTP)",
        f"  GraphQL floor           {floor_ms:.2f} ms CPU (graphql-core over the answer in "
        f"memory); in-process CPU / floor = {ratio:.1f}",
        *(
            [
                f"  every answer built      {built:.2f} ms CPU in-process (no reused product "
                f"views); built / floor = {built / floor_ms:.1f}"
            ]
            if (built := probe.get("built_cpu_ms_per_request"))
            else []
        ),
        f"  product page            {page['in_process_cpu_ms_per_request']:.2f} ms CPU in-process, "
        f"floor {page['floor_cpu_ms_per_request']:.2f} ms; ratio "
        f"{page['in_process_cpu_ms_per_request'] / page['floor_cpu_ms_per_request']:.1f}",
        f"  load generator          {share(g['loadgen_cpu_share'])} of one core, "
        f"{g['loadgen_cpu_us_per_request']:.0f} us CPU per request "
        f"(capacity ~{1e6 / max(g['loadgen_cpu_us_per_request'], 1):,.0f} requests/s)",
        f"  load generator, /healthz {h['requests_per_s']:,.0f} requests/s, "
        f"{h['errors']} errors, generator {share(h['loadgen_cpu_share'])} / server "
        f"{share(h['server_cpu_share'])} of a core, "
        f"{h['loadgen_cpu_us_per_request']:.0f} us CPU per request "
        f"(capacity ~{1e6 / max(h['loadgen_cpu_us_per_request'], 1):,.0f} requests/s)",
    ]
    return "\n".join(lines)


def save_result(result: dict[str, Any], name: str) -> Path:
    """Write a run's figures to `bench/results/<UTC stamp>-<name>.json` and say where."""
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = RESULTS / f"{stamp}-{name}.json"
    target.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    print(f"\nsaved {target.relative_to(ROOT)}")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds before them")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-url", help="database to seed and serve from (default: a temporary SQLite)"
    )
    parser.add_argument("--media-dir", type=Path, help="media folder (default: temporary)")
    parser.add_argument("--port", type=int, help="server port (default: a free one)")
    parser.add_argument("--products", type=int, default=1000, help="catalog size")
    parser.add_argument(
        "--skip-seed",
        action="store_true",
        help="use the catalog already in --database-url (seeded with --products products)",
    )
    parser.add_argument(
        "--capacity-duration", type=float, default=5.0, help="seconds of /healthz load"
    )
    parser.add_argument("--profile", type=Path, help="cProfile the in-process requests here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the server's response cache off: every request is executed",
    )
    parser.add_argument(
        "--no-views",
        action="store_true",
        help="turn reused product answers off: every product's answer is built",
    )
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args(argv)
    if args.skip_seed and not args.database_url:
        parser.error("--skip-seed needs --database-url (the default database is new and empty)")
    try:
        result = bench(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(report(result))
    if not args.no_save:
        save_result(result, result["database"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
