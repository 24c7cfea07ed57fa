"""The operator's command line: `tradewind <command>` (or `python cli.py <command>`).

migrate         apply database migrations
load-demo       load the demo catalog (skipped when the catalog has products)
reindex-search  rebuild the product search index (and its vocabulary)
seed-bench      load the benchmark catalog (bench-catalog.md), replacing the catalog
export-schema   print the GraphQL schema (SDL)
sweep-listings  record products whose sale window opened or closed
create-admin    create the first admin (or make an account an admin)
recompute-tiers re-evaluate every member's tier (run daily: old orders age out)
expire-points   write off points past their expiry date (run daily)
cancel-unpaid   cancel orders left unpaid past `unpaid_order_minutes`
reconcile-payments  ask the payment provider about late or missed notifications
import-rates    import the ECB's reference rates from `ecb_rates_url`, --url or --file
settings-doc    rewrite the README's settings table from settings.py
trusted-documents  rewrite schema/trusted_documents.json from the documents in web/
serve           run the HTTP server
worker          run background jobs in worker processes (needs REDIS_URL)
scheduler       run the periodic jobs (one scheduler at a time holds the lease)
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from settings import DATA_DIR, ROOT, get_settings, tortoise_config


def progress(done: int, total: int, label: str) -> None:
    """A one-line progress bar on stderr for long jobs."""
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r{label:<18} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
    sys.stderr.flush()


async def migrate(database_url: str | None = None) -> None:
    """Apply every migration not yet applied."""
    from tortoise.migrations.api import migrate as run_migrations

    settings = get_settings()
    url = database_url or settings.database_url
    if url.startswith("sqlite"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    try:
        await run_migrations(
            config=tortoise_config(url),
            progress=lambda event, app, name: print(f"  {app}.{name}: {event}", file=sys.stderr),
        )
    finally:
        await Tortoise.close_connections()


async def _with_database(job: Callable[[], Awaitable[object]]) -> None:
    settings = get_settings()
    if settings.is_sqlite:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        await job()
    finally:
        await Tortoise.close_connections()


def _create_admin(email: str, from_stdin: bool) -> int:
    import getpass

    from services.accounts.errors import AccountError
    from services.accounts.staff import create_admin

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat it: ") != password:
            print("The passwords differ.", file=sys.stderr)
            return 2

    async def create() -> None:
        user, created = await create_admin(email, password)
        verb = "Created" if created else "Promoted"
        print(f"{verb} admin {user.email}; sign in with the signIn mutation.", file=sys.stderr)

    try:
        asyncio.run(_with_database(create))
    except AccountError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 2
    return 0


def _import_rates(file: Path | None, url: str | None) -> int:
    from services.currency import rates
    from services.currency.errors import CurrencyError

    async def run() -> None:
        result = await (rates.import_ecb_file(file) if file else rates.import_ecb_url(url))
        days = ", ".join(d.isoformat() for d in result.dates[:3])
        print(f"{result.written} rate(s) stored for {days}", file=sys.stderr)

    try:
        asyncio.run(_with_database(run))
    except (CurrencyError, OSError) as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 2
    return 0


def _worker(processes: int, concurrency: int, imports: list[str]) -> int:
    """taskiq's own worker: `processes` processes (restarted if one dies), each running up
    to `concurrency` jobs at once from the Redis stream."""
    from taskiq.cli.worker.args import WorkerArgs
    from taskiq.cli.worker.run import run_worker

    if not get_settings().redis_url:
        print(
            "Refused: a worker needs REDIS_URL (without it, the server runs the jobs).",
            file=sys.stderr,
        )
        return 2
    args = WorkerArgs(
        broker="jobs.broker:broker",
        modules=["jobs.tasks", *imports],
        tasks_pattern=(),
        workers=processes,
        max_async_tasks=concurrency,
        log_format="%(levelname)s %(name)s [%(processName)s] %(message)s",
    )
    return run_worker(args) or 0


def _support_smtp(host: str, port: int) -> int:
    try:
        from webhooks import support_smtp
    except ImportError:
        print("support-smtp needs aiosmtpd: pip install 'tradewind[smtp]'", file=sys.stderr)
        return 2
    from subscriptions import bus

    async def receive() -> None:
        event_bus = bus.configure(get_settings().redis_url)
        await event_bus.start()
        server = await support_smtp.start(host, port)
        try:
            async with server:
                await server.serve_forever()
        finally:
            await event_bus.stop()

    asyncio.run(_with_database(receive))
    return 0


def _scheduler() -> int:
    """The scheduler and a relay, until interrupted."""
    from jobs.runtime import Runtime

    settings = get_settings()

    async def run() -> None:
        stop = asyncio.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signal_number, stop.set)
        engine = Runtime(settings, worker=False, scheduler=True)
        await engine.start()
        try:
            await stop.wait()
        finally:
            await engine.stop()

    asyncio.run(_with_database(run))
    return 0


#: Where the settings table sits in the README; `settings-doc` rewrites what is between.
SETTINGS_DOC_START = "<!-- settings table: generated by `make settings-doc` from settings.py -->"
SETTINGS_DOC_END = "<!-- end of settings table -->"


def _setting_groups() -> list[tuple[list[str], str]]:
    """Settings as settings.py documents them: each `#:` comment with the fields it heads
    (the field below it and those declared right after it, with no blank line or comment)."""
    import ast

    import settings as settings_module

    source = Path(settings_module.__file__).read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Settings").body
    groups: list[tuple[list[str], str]] = []
    previous_end = -1
    for node in body:
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            previous_end = -1
            continue
        above: list[str] = []
        row = node.lineno - 2
        while row >= 0 and lines[row].strip().startswith("#:"):
            above.insert(0, lines[row].strip()[2:].strip())
            row -= 1
        if not above and groups and previous_end == node.lineno - 1:
            groups[-1][0].append(node.target.id)
        else:
            groups.append(([node.target.id], " ".join(above)))
        previous_end = node.end_lineno or node.lineno
    return groups


def _shown_default(value: object) -> str:
    """A default as an operator would write it in the environment."""
    import json
    from decimal import Decimal

    if value is None:
        return "unset"
    if isinstance(value, bool):
        text = "1" if value else "0"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, list):
        text = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, Path | str | int | float | Decimal):
        text = str(value)
    else:
        text = str(getattr(value, "value", value))
    # Paths under the checkout are shown relative to it, as the embedded shop resolves them.
    text = text.replace(f"{ROOT}/", "")
    return f"`{text}`"


def settings_table() -> str:
    """The README's settings table: every setting with its variable, default and meaning."""
    from typing import Literal, get_args, get_origin

    from settings import Settings

    fields = Settings.model_fields
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for names, meaning in _setting_groups():
        variables, defaults = [], []
        for name in names:
            field = fields[name]
            alias = field.validation_alias
            variables.append(f"`{alias if isinstance(alias, str) else name.upper()}`")
            defaults.append(_shown_default(field.get_default(call_default_factory=True)))
            if get_origin(field.annotation) is Literal:
                choices = ", ".join(f"`{c}`" for c in get_args(field.annotation))
                meaning = f"{meaning} One of {choices}.".strip()
        escaped = meaning.replace("|", "\\|")
        rows.append(f"| {', '.join(variables)} | {', '.join(defaults)} | {escaped} |")
    return "\n".join(rows) + "\n"


def write_settings_doc(readme: Path) -> bool:
    """Rewrites the README's settings table from `Settings`; True when it changed."""
    text = readme.read_text()
    head, start, rest = text.partition(SETTINGS_DOC_START)
    _, end, tail = rest.partition(SETTINGS_DOC_END)
    if not start or not end:
        raise SystemExit(f"{readme} has no settings table markers")
    updated = f"{head}{start}\n{settings_table()}{end}{tail}"
    if updated != text:
        readme.write_text(updated)
    return updated != text


def serve_options() -> dict[str, Any]:
    """What `serve` tells uvicorn besides the address and the number of workers."""
    return {
        # The app believes forwarded headers from `TRUSTED_PROXIES` only; uvicorn's own
        # default would believe any from 127.0.0.1.
        "proxy_headers": False,
        "log_level": "debug" if get_settings().debug else "info",
    }


def _trusted_documents() -> int:
    """Write the trusted manifest from `web/`; 1 (and why) when a document is built at run time."""
    try:
        from tools import trusted_documents
    except ImportError as error:  # the parser is a development dependency, not in the wheel
        print(f"trusted-documents needs a source checkout with `.[dev]`: {error}", file=sys.stderr)
        return 1
    from schema.persisted import MANIFEST

    try:
        documents = trusted_documents.manifest(trusted_documents.Extractor().documents())
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    text = trusted_documents.render(documents)
    changed = not MANIFEST.exists() or MANIFEST.read_text(encoding="utf-8") != text
    MANIFEST.write_text(text, encoding="utf-8")
    print(f"{MANIFEST.name}: {len(documents)} documents, {'updated' if changed else 'up to date'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tradewind", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("load-demo", help="load the demo catalog if the catalog is empty")
    commands.add_parser("reindex-search", help="rebuild the product search index")
    seeding = commands.add_parser("seed-bench", help="replace the catalog with the benchmark one")
    seeding.add_argument("--products", type=int, default=1000)
    export = commands.add_parser("export-schema", help="print the GraphQL SDL")
    export.add_argument("--output", type=Path, help="write to this file instead of stdout")
    commands.add_parser("sweep-listings", help="record sale windows that opened or closed")
    admin = commands.add_parser("create-admin", help="create an admin, or promote an account")
    admin.add_argument("--email", required=True)
    admin.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    commands.add_parser("recompute-tiers", help="re-evaluate every member's tier (daily)")
    commands.add_parser("expire-points", help="write off points past their expiry date (daily)")
    commands.add_parser("cancel-unpaid", help="cancel orders left unpaid too long")
    commands.add_parser(
        "reconcile-payments",
        help="ask the payment provider about attempts, refunds and settlements it has not told of",
    )
    importing = commands.add_parser("import-rates", help="import the ECB's reference rates")
    source = importing.add_mutually_exclusive_group()
    source.add_argument("--file", type=Path, help="an eurofxref XML file")
    source.add_argument("--url", help="where to fetch it (default: the ecb_rates_url setting)")
    doc = commands.add_parser(
        "settings-doc", help="rewrite the README's settings table from settings.py"
    )
    doc.add_argument("--readme", type=Path, default=ROOT / "README.md")
    commands.add_parser(
        "trusted-documents",
        help="rewrite schema/trusted_documents.json from the documents the web apps send",
    )
    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    worker = commands.add_parser("worker", help="run background jobs (needs REDIS_URL)")
    worker.add_argument("--processes", type=int, default=2, help="worker processes")
    worker.add_argument("--concurrency", type=int, default=20, help="jobs at once per process")
    worker.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=[],
        metavar="MODULE",
        help="also import MODULE, which registers tasks of its own (repeatable)",
    )
    commands.add_parser("scheduler", help="run the periodic jobs, one scheduler at a time")
    smtp = commands.add_parser(
        "support-smtp", help="receive customer service email over SMTP (the smtp extra)"
    )
    smtp.add_argument("--host", default="127.0.0.1")
    smtp.add_argument("--port", type=int, default=2525)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")

    if args.command == "migrate":
        asyncio.run(migrate())
    elif args.command == "load-demo":
        from demo.people import DEMO_ADMIN, DEMO_PASSWORD, DEMO_SHOPPER
        from demo.shop import load_demo_shop

        async def load() -> None:
            if await load_demo_shop(progress=progress):
                print(
                    f"Demo accounts (password {DEMO_PASSWORD!r}): {DEMO_ADMIN} (admin), "
                    f"{DEMO_SHOPPER} (shopper)",
                    file=sys.stderr,
                )

        asyncio.run(_with_database(load))
    elif args.command == "reindex-search":
        from services.catalog import search
        from services.transactions import atomic

        async def reindex() -> None:
            async with atomic():
                count = await search.rebuild()
            print(f"{count} product(s) indexed", file=sys.stderr)

        asyncio.run(_with_database(reindex))
    elif args.command == "seed-bench":
        from bench import seed

        asyncio.run(_with_database(lambda: seed.seed_catalog(args.products, progress=progress)))
    elif args.command == "export-schema":
        from domains import build_schema

        sdl = build_schema().as_str() + "\n"
        if args.output:
            args.output.write_text(sdl)
        else:
            sys.stdout.write(sdl)
    elif args.command == "sweep-listings":
        from services.catalog import listing

        async def sweep() -> None:
            events = await listing.sweep()
            print(f"{len(events)} listing change(s) recorded", file=sys.stderr)

        asyncio.run(_with_database(sweep))
    elif args.command == "create-admin":
        return _create_admin(args.email, args.password_stdin)
    elif args.command in ("recompute-tiers", "expire-points"):
        from services.members import points, tiers

        async def members_job() -> None:
            if args.command == "recompute-tiers":
                print(
                    f"{await tiers.recompute_all_tiers()} member(s) changed tier", file=sys.stderr
                )
            else:
                print(
                    f"{await points.expire_all_points()} member(s) had points expire",
                    file=sys.stderr,
                )

        asyncio.run(_with_database(members_job))
    elif args.command == "cancel-unpaid":
        from services.orders import sweeper

        async def cancel_unpaid() -> None:
            print(f"{await sweeper.cancel_unpaid()} unpaid order(s) cancelled", file=sys.stderr)

        asyncio.run(_with_database(cancel_unpaid))
    elif args.command == "reconcile-payments":
        from services.payments import gateways, reconcile

        async def reconcile_payments() -> None:
            try:
                result = await reconcile.reconcile()
            finally:
                await gateways.close_gateways()
            settled = result.settled
            print(
                f"{result.payments} payment(s) and {result.refunds} refund(s) brought up to "
                f"date; {settled.payments} payment(s) and {settled.refunds} refund(s) settled; "
                f"{result.failed + settled.failed} could not be asked",
                file=sys.stderr,
            )
            if result.failed or settled.failed:
                raise SystemExit(1)

        asyncio.run(_with_database(reconcile_payments))
    elif args.command == "import-rates":
        return _import_rates(args.file, args.url)
    elif args.command == "settings-doc":
        changed = write_settings_doc(args.readme)
        print(f"{args.readme}: {'updated' if changed else 'up to date'}", file=sys.stderr)
    elif args.command == "trusted-documents":
        return _trusted_documents()
    elif args.command == "worker":
        return _worker(args.processes, args.concurrency, args.imports)
    elif args.command == "scheduler":
        return _scheduler()
    elif args.command == "support-smtp":
        return _support_smtp(args.host, args.port)
    elif args.command == "serve":
        import uvicorn

        uvicorn.run(
            "server:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            **serve_options(),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
