"""The run: database, server, roles in their own processes, report."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import shutil
import sys
import tempfile
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.checkout import __doc__ as PACKAGE_DOC
from bench.checkout.flow import CURRENCY, load_catalog
from bench.checkout.load import run_load
from bench.checkout.probe import probe_checkouts
from bench.checkout.setup import JPY_RATE, STOCK_PER_VARIANT, setup_shop
from bench.checkout.verify import verify_run
from bench.run import (
    BenchError,
    Setup,
    free_port,
    machine,
    memory_of,
    run_python,
    save_result,
    server,
)
from bench.scratch import scratch_database

SCRATCH_DATABASE = "tradewind_checkout_bench"


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class CheckoutSetup(Setup):
    def env(self) -> dict[str, str]:
        env = super().env()
        env["UNPAID_SWEEP_INTERVAL"] = "0"
        # Every shopper comes from 127.0.0.1: the per-address limit on guests proving an order
        # by its email (`createPayment`) would otherwise stop the run after 30 payments.
        env["ORDER_LOOKUP_LIMIT"] = "100000000"
        return env


@contextlib.contextmanager
def database(args: argparse.Namespace, workdir: Path) -> Iterator[str]:
    """The database URL for the run: a temp SQLite file, or a scratch PostgreSQL database."""
    if not args.database_url:
        yield f"sqlite://{workdir / 'checkout.sqlite3'}"
        return
    if not args.database_url.startswith("postgres"):
        raise BenchError("--database-url must be a PostgreSQL URL (SQLite is the default)")
    with scratch_database(args.database_url, SCRATCH_DATABASE, keep=args.keep) as url:
        yield url


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
        "  CPU / GraphQL floor        "
        + ", ".join(
            f"{op} {ms:.1f} / {probe['floor_cpu_ms'][op]:.2f} ms "
            f"({ms / probe['floor_cpu_ms'][op]:.0f}x)"
            for op, ms in probe["in_process_cpu_ms"].items()
        ),
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


def _run(coroutine: Awaitable[Any]) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        return asyncio.run(coroutine)  # type: ignore[arg-type]
    return uvloop.run(coroutine)  # type: ignore[arg-type]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.checkout",
        description=(PACKAGE_DOC or "").split("\n\n")[0],
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
            result = asyncio.run(setup_shop())
        elif args.role == "probe":
            catalog = load_catalog(args.catalog)
            result = asyncio.run(probe_checkouts(catalog, args.timed, args.profile))
        elif args.role == "load":
            result = _run(
                run_load(
                    args.url,
                    load_catalog(args.catalog),
                    args.shoppers,
                    args.duration,
                    args.warmup,
                    args.watch_pid,
                )
            )
        else:
            result = asyncio.run(verify_run())
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
        return 0

    try:
        result = bench(args)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(report(result))
    if not args.no_save:
        save_result(result, f"checkout-{result['database']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
