"""Clients nobody here wrote, unmodified, against a live server.

The Node side (`package.json`, pinned in `package-lock.json`) is installed by `npm ci` in
this folder, as `.ci/run` does. Without node or those packages these tests are skipped,
except in CI (`CI=true`), where they fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXAsyncTransport

from models.accounts import Role
from models.catalog import ListingCause
from server import create_app
from services.catalog import listing
from settings import Settings
from tests import live
from tests.factories import gid, make_brand, make_product, make_user, token_for

HERE = Path(__file__).resolve().parent
NODE_PACKAGES = ("graphql-http", "@urql/core", "graphql-ws", "ws", "graphql")


def node() -> str:
    """The node executable, once the pinned packages are installed; else skip (fail in CI)."""
    executable = shutil.which("node")
    missing = [p for p in NODE_PACKAGES if not (HERE / "node_modules" / p).is_dir()]
    if executable and not missing:
        return executable
    reason = (
        "node is not installed"
        if not executable
        else f"run `npm ci` in tests/clients (missing {', '.join(missing)})"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


async def run_node(script: str, *args: str, seconds: float = 60) -> list[Any]:
    """The JSON lines a script printed; it must exit 0."""
    process = await asyncio.create_subprocess_exec(
        node(),
        script,
        *args,
        cwd=HERE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=seconds)
    assert process.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines() if line.strip()]


@contextlib.asynccontextmanager
async def serve(app: Any) -> AsyncIterator[str]:
    """`app` served by uvicorn on a free loopback port; yields the endpoint's http URL."""
    async with live.serve(app) as address:
        yield f"http://{address}/graphql"


async def test_the_graphql_over_http_audit_finds_no_must_or_should_failure(db):
    node()
    # The audit's documents ask `__type(...)`, which only a server with introspection on
    # answers without errors; everything else is the production transport.
    async with serve(create_app(Settings(debug=True), manage_database=False)) as url:
        (results,) = await run_node("audit.mjs", url, seconds=120)
    failures = [
        f"{r['name']}: {r['reason']}"
        for r in results
        if r["status"] != "ok" and r["name"].startswith(("MUST", "SHOULD"))
    ]
    assert failures == []
    assert len(results) > 50  # the audit really ran


async def test_urql_runs_a_query_unmodified(live_server):
    node()
    await make_brand(name="Urquhart")
    url = live_server.replace("ws://", "http://", 1)
    (answer,) = await run_node(
        "urql_query.mjs",
        url,
        "query Brands($n: Int) { brands(first: $n) { nodes { name } } }",
        json.dumps({"n": 3}),
    )
    assert answer["error"] is None
    assert answer["data"]["brands"]["nodes"] == [{"name": "Urquhart", "__typename": "Brand"}]
    assert answer["methods"] == ["GET"]  # urql's default for queries


async def test_the_graphql_ws_client_receives_a_subscription_event(live_server):
    node()
    product = await make_product(name="Lantern")
    admin = await make_user(role=Role.ADMIN)
    process = await asyncio.create_subprocess_exec(
        node(),
        "graphql_ws_subscribe.mjs",
        live_server,
        "subscription { productListingChanged { productId visible product { name } } }",
        token_for(admin),
        cwd=HERE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        first = json.loads(await asyncio.wait_for(process.stdout.readline(), timeout=30))
        assert first == {"event": "connected"}
        line = b""
        for _ in range(100):  # announce until the subscription, set up after the ack, hears
            await listing.announce(
                product, visible=True, cause=ListingCause.STATUS, actor="staff:test"
            )
            with contextlib.suppress(TimeoutError):
                line = await asyncio.wait_for(process.stdout.readline(), timeout=0.1)
                break
        event = json.loads(line)
        assert "cost" in event["result"].pop("extensions")
        assert event == {
            "event": "next",
            "result": {
                "data": {
                    "productListingChanged": {
                        "productId": gid("Product", product.id),
                        "visible": True,
                        "product": {"name": "Lantern"},
                    }
                }
            },
        }
        assert await asyncio.wait_for(process.wait(), timeout=10) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_pythons_gql_client_runs_a_query_over_http(live_server):
    await make_brand(name="Gqlia")
    transport = HTTPXAsyncTransport(url=live_server.replace("ws://", "http://", 1))
    async with Client(transport=transport) as session:
        result = await session.execute(gql("{ brands(first: 5) { nodes { name } } }"))
    assert result == {"brands": {"nodes": [{"name": "Gqlia"}]}}
