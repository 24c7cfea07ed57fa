"""Run the topology load test: set up, start the processes, drive, check, report."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench.checkout.__main__ import CheckoutSetup, _run
from bench.run import (
    ROOT,
    BenchError,
    free_port,
    machine,
    memory_of,
    run_python,
    save_result,
    server,
    stop,
)
from bench.scratch import scratch_database
from bench.topology import __doc__ as PACKAGE_DOC
from bench.topology.procs import process_tree

SCRATCH_DATABASE = "tradewind_topology_bench"
STAFF_EMAIL = "topology-bench@example.com"


@dataclass(frozen=True)
class TopologySetup(CheckoutSetup):
    redis_url: str = ""

    def env(self) -> dict[str, str]:
        env = super().env()
        # The scheduler's periodic work runs at its usual intervals, as in production.
        for name in ("LISTING_SWEEP_INTERVAL", "UNPAID_SWEEP_INTERVAL"):
            env.pop(name, None)
        env.update(REDIS_URL=self.redis_url, JOBS_IN_PROCESS="0")
        return env


# ---------------------------------------------------------------- roles (own processes)


async def make_staff() -> dict[str, Any]:
    """An admin (by the command-line service) and an access token for it; the carrier id."""
    from tortoise import Tortoise

    from models.shipping import Carrier
    from schema.relay import encode_id
    from services.accounts import staff, tokens
    from settings import get_settings, tortoise_config

    settings = get_settings()
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        user, _ = await staff.create_admin(STAFF_EMAIL, secrets.token_urlsafe(24))
        token, _ = tokens.issue_access_token(user.id, user.token_epoch, settings)
        carrier = await Carrier.get(code="benchpost")
        return {"staff_token": token, "carrier_id": str(encode_id("Carrier", carrier.id))}
    finally:
        await Tortoise.close_connections()


async def verify_topology() -> dict[str, Any]:
    """The checkout benchmark's figures of the database, and the jobs by status."""
    from collections import Counter

    from tortoise import Tortoise

    from bench.checkout.verify import database_figures
    from models.jobs import Job, JobStatus
    from settings import get_settings, tortoise_config

    await Tortoise.init(config=tortoise_config(get_settings().database_url))
    try:
        figures = await database_figures()
        jobs = await Job.all().values_list("task", "status", "last_error")
        figures["jobs_by_status"] = dict(Counter(str(status) for _, status, _ in jobs))
        figures["jobs_done_by_task"] = dict(
            Counter(task for task, status, _ in jobs if status == JobStatus.DONE)
        )
        figures["jobs_dead"] = [
            f"{task}: {error[:160]}" for task, status, error in jobs if status == JobStatus.DEAD
        ]
        return figures
    finally:
        await Tortoise.close_connections()


async def wait_for_jobs(within: float = 60.0) -> dict[str, Any]:
    """Wait until no job that is due waits or runs (the worker caught up); how long it took."""
    import time

    from tortoise import Tortoise

    from models.jobs import Job, JobStatus
    from settings import get_settings, tortoise_config

    await Tortoise.init(config=tortoise_config(get_settings().database_url))
    started = time.perf_counter()
    try:
        while True:
            left = await Job.filter(
                status__in=(JobStatus.PENDING, JobStatus.QUEUED, JobStatus.RUNNING),
                run_after__lte=datetime.now(UTC),
            ).count()
            waited = time.perf_counter() - started
            if left == 0 or waited > within:
                return {"jobs_left": left, "waited_s": round(waited, 1)}
            await asyncio.sleep(0.5)
    finally:
        await Tortoise.close_connections()


# ---------------------------------------------------------------- processes


def _role(setup: TopologySetup, module: str, role: str, extra: list[str]) -> dict[str, Any]:
    output = run_python(["-m", module, f"--role={role}", *extra], setup, what=f"--role {role}")
    result: dict[str, Any] = orjson.loads(output.strip().splitlines()[-1])
    return result


@contextlib.contextmanager
def background(
    setup: TopologySetup, command: list[str], log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`cli.py <command>` in its own process, stopped (SIGINT, as Ctrl-C) at the end."""
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "cli.py", *command],
            cwd=ROOT,
            env=setup.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            stop(process)


async def _flush_redis(url: str) -> None:
    from redis import asyncio as aioredis

    redis = aioredis.from_url(url)
    try:
        await redis.flushdb()
    finally:
        await redis.aclose()


def _peak_rss(pids: dict[str, int]) -> dict[str, float]:
    """Peak resident set (VmHWM, MiB) of each process; for the worker, its largest one."""
    peaks: dict[str, float] = {}
    for name, pid in pids.items():
        figures = [memory_of(p).get("VmHWM", 0.0) for p in process_tree(pid)]
        peaks[name] = max(figures, default=0.0)
    return peaks


def _start_topology(
    stack: contextlib.ExitStack, setup: TopologySetup, workdir: Path
) -> tuple[dict[str, subprocess.Popen[bytes]], list[str]]:
    """Two API processes (healthy), the worker and the scheduler; the API base URLs."""
    processes: dict[str, subprocess.Popen[bytes]] = {}
    urls: list[str] = []
    for n in (1, 2):
        api = dataclasses.replace(setup, port=free_port())
        processes[f"api-{n}"] = stack.enter_context(server(api, workdir / f"api-{n}.log"))
        urls.append(api.base_url)
    processes["worker"] = stack.enter_context(
        background(setup, ["worker", "--processes", "1"], workdir / "worker.log")
    )
    processes["scheduler"] = stack.enter_context(
        background(setup, ["scheduler"], workdir / "scheduler.log")
    )
    return processes, urls


# ---------------------------------------------------------------- the run


def bench(args: argparse.Namespace) -> dict[str, Any]:
    host = machine()
    print(
        f"Tradewind topology load test, {host['date']}\n"
        f"machine: nproc {host['nproc']}, {host['cpu_model']}, {host['memory_gib']} GiB, "
        f"Linux {host['kernel']}, Python {host['python']}, commit {host['commit']}",
        flush=True,
    )
    ci = _ci_running()
    if ci:
        print("NOTE: a CI run is active on this machine; the figures share its cores.")
    workdir = Path(tempfile.mkdtemp(prefix="tradewind-topology-"))
    asyncio.run(_flush_redis(args.redis_url))
    try:
        with scratch_database(args.database_url, SCRATCH_DATABASE, keep=args.keep) as url:
            setup = TopologySetup(
                database_url=url,
                media_dir=workdir / "media",
                port=0,
                products=args.products,
                cache_seconds=args.cache_seconds,
                secret_key=secrets.token_urlsafe(48),
                redis_url=args.redis_url,
            )
            print(f"work folder: {workdir}\nmigrating and seeding ...", flush=True)
            run_python(["cli.py", "migrate"], setup, what="cli.py migrate", quiet=True)
            run_python(
                ["cli.py", "seed-bench", "--products", str(args.products)],
                setup,
                what="cli.py seed-bench",
                quiet=True,
            )
            shop = _role(setup, "bench.checkout", "setup", [])
            staff = _role(setup, "bench.topology", "staff", [])
            with contextlib.ExitStack() as stack:
                processes, urls = _start_topology(stack, setup, workdir)
                print(f"API processes at {', '.join(urls)}", flush=True)
                plan = {
                    "api_urls": urls,
                    "redis_url": args.redis_url,
                    "catalog": {
                        "service_id": shop["service_id"],
                        "variant_ids": shop["variant_ids"],
                        "pay": True,
                    },
                    **staff,
                    "products": args.products,
                    "duration": args.duration,
                    "browsers": args.browsers,
                    "shoppers": args.shoppers,
                    "followers": args.followers,
                    "watch": {name: p.pid for name, p in processes.items()},
                }
                plan_file = workdir / "plan.json"
                plan_file.write_bytes(orjson.dumps(plan))
                print(
                    f"driving for {args.duration:g} s: {args.browsers} browsers, "
                    f"{args.shoppers} shoppers, {args.followers} followers ...",
                    flush=True,
                )
                load = _role(setup, "bench.topology", "drive", [f"--plan={plan_file}"])
                drained = _role(setup, "bench.topology", "jobs", [])
                memory = _peak_rss({name: p.pid for name, p in processes.items()})
                exited = [n for n, p in processes.items() if p.poll() is not None]
            verify = _role(setup, "bench.topology", "verify", [])
        return {
            "machine": host,
            "ci_running": ci,
            "database": "postgresql",
            "products": args.products,
            "response_cache_seconds": args.cache_seconds,
            "load": load,
            "peak_rss_mib": memory,
            "exited_early": exited,
            "jobs_drained": drained,
            "verify": verify,
            "problems": problems(load, verify, exited) + _jobs_problem(drained),
        }
    finally:
        asyncio.run(_flush_redis(args.redis_url))
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _ci_running() -> bool:
    """Whether a CI run shares the machine (its figures are then not the machine's own)."""
    found = subprocess.run(["pgrep", "-f", r"\.ci/run"], capture_output=True, check=False)
    return found.returncode == 0


def problems(load: dict[str, Any], verify: dict[str, Any], exited: list[str]) -> list[str]:
    """Everything that makes the run a failure; empty when it passed."""
    found = [f"{n} exited during the run" for n in exited]
    if load["errors"]:
        found.append(f"request errors: {load['error_kinds']}")
    events = load["events"]
    if events["followed_lost"] or events["followed_problems"]:
        found.append(
            f"order feeds: {events['followed_lost']} of {events['followed_expected']} events "
            f"lost; {events['followed_problems']}"
        )
    for feed in events["console"]["feeds"]:
        if feed["lost_count"] or feed["unexpected"] or feed["duplicates"] or feed["problems"]:
            found.append(
                f"console feed {feed['url']}: {feed['lost_count']} lost {feed['lost']}, "
                f"{feed['unexpected']} unexpected, {feed['duplicates']} duplicates, "
                f"{feed['problems']}"
            )
    placed = load["orders_placed"]
    statuses = verify["orders_by_status"]
    paid = statuses.get("pending_shipment", 0) + statuses.get("completed", 0)
    if verify["orders"] != placed:
        found.append(f"{verify['orders']} orders in the database, {placed} placed")
    if statuses.get("completed", 0) != load["checkouts"].get("followed", 0):
        found.append(f"orders by status {statuses}, {load['checkouts']} checkouts")
    if not (
        paid == verify["payments_succeeded"] == verify["payments_settled"] == placed
        and verify["payments_other"] == 0
    ):
        found.append(
            f"{placed} orders placed and paid, {paid} paid in the database, "
            f"{verify['payments_succeeded']} payments succeeded "
            f"({verify['payments_settled']} settled, {verify['payments_other']} other)"
        )
    if verify["ledger_mismatches"] or verify["over_reserved_variants"]:
        found.append(
            f"stock: {verify['ledger_mismatches']} ledger mismatches, "
            f"{verify['over_reserved_variants']} variants reserved beyond stock"
        )
    if verify["jobs_dead"]:
        found.append(f"dead jobs: {verify['jobs_dead'][:5]}")
    return found


def _jobs_problem(drained: dict[str, Any]) -> list[str]:
    if drained["jobs_left"]:
        left, waited = drained["jobs_left"], drained["waited_s"]
        return [f"{left} due jobs still waiting {waited} s after the load"]
    return []


KINDS = (
    "grid",
    "product",
    "addToCart",
    "checkoutQuote",
    "placeOrder",
    "createPayment",
    "payWithTestCard",
    "subscribe",
    "shipOrder",
    "markOrderDelivered",
    "completeOrder",
)


def report(result: dict[str, Any]) -> str:
    load, verify = result["load"], result["verify"]
    events, jobs = load["events"], verify["jobs_by_status"]
    duration = load["elapsed_s"]
    c = load["connections"]
    lines = [
        "",
        f"PostgreSQL + Redis, 2 API processes, 1 worker, 1 scheduler; {result['products']} "
        f"products; {duration:.0f} s; {c['browsers']} browsers, {c['shoppers']} shoppers, "
        f"{c['followers']} followers" + (" (CI running)" if result["ci_running"] else ""),
        f"  {'kind':<20}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    for kind in KINDS:
        figures = load["latency_ms"].get(kind, {"p50": float("nan"), "p99": float("nan")})
        lines.append(
            f"  {kind:<20}{load['requests_per_s'].get(kind, 0.0):>8.1f}"
            f"{figures['p50']:>9.0f}{figures['p99']:>9.0f}{load['errors'].get(kind, 0):>8}"
        )
    delay = events["delay_ms"]
    console = events["console"]["feeds"]
    lines += [
        f"  checkouts            {load['checkouts']}, {load['orders_placed']} orders placed",
        f"  order feeds          {events['followed_expected']} events expected, "
        f"{events['followed_received']} received, {events['followed_lost']} lost",
        "  console feeds        "
        + "; ".join(
            f"{f['expected']} expected, {f['received']} received, {f['lost_count']} lost"
            for f in console
        ),
        f"  event delay          p50 {delay['p50']:.0f} ms, p99 {delay['p99']:.0f} ms, "
        f"max {delay['max']:.0f} ms (from the causing request's start, {delay['count']} events)",
        "  CPU (share of a core) "
        + ", ".join(f"{n} {s / duration * 100:.0f}%" for n, s in load["cpu_s"].items())
        + f", load generator {load['loadgen_cpu_s'] / duration * 100:.0f}%",
        "  peak RSS (MiB)       "
        + ", ".join(f"{n} {mib:.0f}" for n, mib in result["peak_rss_mib"].items()),
        f"  jobs                 {jobs} (queue drained {result['jobs_drained']['waited_s']} s "
        f"after the load); done by task {verify['jobs_done_by_task']}",
        f"  database afterwards  {verify['orders']} orders {verify['orders_by_status']}, "
        f"{verify['payments_succeeded']} payments succeeded ({verify['payments_settled']} "
        f"settled), {verify['ledger_mismatches']} ledger mismatches",
    ]
    if result["problems"]:
        lines += ["", "FAILED:"] + [f"  - {p}" for p in result["problems"]]
    else:
        lines += ["", "passed: no errors, no lost events, the database checks out"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.topology", description=(PACKAGE_DOC or "").split("\n\n")[0]
    )
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load")
    parser.add_argument("--browsers", type=int, default=8, help="browsing connections")
    parser.add_argument("--shoppers", type=int, default=6, help="shoppers paying at once")
    parser.add_argument("--followers", type=int, default=4, help="orders followed at once")
    parser.add_argument("--products", type=int, default=200, help="catalog size")
    parser.add_argument(
        "--cache-seconds", type=float, default=5.0, help="RESPONSE_CACHE_SECONDS of the servers"
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/",
        help=f"a PostgreSQL server; the scratch database {SCRATCH_DATABASE} is made on it "
        "and dropped afterwards",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="a Redis database for the run alone: flushed at the start and the end",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder and database")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    # The steps run in their own processes.
    parser.add_argument(
        "--role", choices=("staff", "drive", "jobs", "verify"), help=argparse.SUPPRESS
    )
    parser.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.role is not None:
        if args.role == "staff":
            result = asyncio.run(make_staff())
        elif args.role == "drive":
            from bench.topology.drive import Plan, drive

            result = _run(drive(Plan.read(args.plan)))
        elif args.role == "jobs":
            result = asyncio.run(wait_for_jobs())
        else:
            result = asyncio.run(verify_topology())
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
        return 0

    if not args.database_url.startswith("postgres"):
        parser.error("--database-url must be a PostgreSQL server")
    try:
        result = bench(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(report(result))
    if not args.no_save:
        save_result(result, "topology")
    return 1 if result["problems"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
