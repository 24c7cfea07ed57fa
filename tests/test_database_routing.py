"""Reads from a PostgreSQL replica: which statements go where, read-your-writes, outages.

The replica is a second connection to the test database (as a streaming replica would be a
second server holding the same rows); each client's statements are recorded with the name
of the connection that ran them, so every test proves where its reads went.
"""

from __future__ import annotations

import ast
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext

from models.catalog import Product
from server import create_app
from services import database_routing
from services.database_routing import RecentWriters, ReplicaClient
from services.orders import cart
from settings import PRIMARY, REPLICA, ROOT, Settings, tortoise_config
from tests.conftest import GraphQLClient
from tests.factories import make_product, make_user

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
needs_postgres = pytest.mark.skipif(not POSTGRES, reason="replicas are PostgreSQL's")

PRODUCTS = "query { products(first: 5) { edges { node { name } } } }"
ME = "query { me { nickname } }"
UPDATE_PROFILE = """
mutation ($input: UpdateProfileInput!) {
  updateProfile(input: $input) { errors { code } user { nickname } }
}
"""


# Settings ---------------------------------------------------------------------------------


def test_sqlite_replica_is_refused() -> None:
    with pytest.raises(ValidationError, match="DATABASE_REPLICA_URL must be a PostgreSQL URL"):
        Settings(
            database_url="postgres://shop@db:5432/shop",
            database_replica_url="sqlite:///tmp/replica.sqlite3",
        )


def test_replica_of_a_sqlite_primary_is_refused() -> None:
    with pytest.raises(ValidationError, match="needs DATABASE_URL to be PostgreSQL"):
        Settings(
            database_url="sqlite:///tmp/shop.sqlite3",
            database_replica_url="postgres://shop@replica:5432/shop",
        )


def test_empty_replica_url_means_none() -> None:
    assert Settings(database_replica_url="").database_replica_url is None


def test_negative_write_window_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(replica_primary_after_write_seconds=-1)


def test_config_names_the_replica_and_its_router() -> None:
    config = tortoise_config(
        "postgres://shop@db:5432/shop",
        replica_url="postgres://shop@replica:5432/shop?maxsize=20",
    )
    replica = config["connections"][REPLICA]
    assert replica["engine"] == "services.database_routing"
    assert replica["credentials"]["host"] == "replica"
    assert replica["credentials"]["maxsize"] == "20"
    assert replica["credentials"]["timeout"] == 5  # not asyncpg's 60 s
    assert replica["credentials"]["primary"] == PRIMARY
    assert config["routers"] == ["services.database_routing.ReplicaRouter"]


def test_config_keeps_a_given_connect_timeout() -> None:
    config = tortoise_config("postgres://db/shop", replica_url="postgres://replica/shop?timeout=2")
    assert config["connections"][REPLICA]["credentials"]["timeout"] == 2


def test_config_without_replica_has_one_connection_and_no_router() -> None:
    config = tortoise_config("postgres://db/shop")
    assert list(config["connections"]) == [PRIMARY]
    assert "routers" not in config


def test_project_transactions_name_their_connection() -> None:
    """With a replica there are two connections, and Tortoise refuses `in_transaction()`
    without a name: every transaction of the served code names the primary."""
    bare = []
    for folder in ("services", "resolvers", "schema", "subscriptions", "webhooks", "jobs"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) == "in_transaction"
                    and not node.args
                    and not node.keywords
                ):
                    bare.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert bare == []


# Recent writers ---------------------------------------------------------------------------


async def test_a_writer_is_remembered_for_the_window() -> None:
    writers = RecentWriters(None, seconds=5)
    await writers.note("user:1")
    assert await writers.wrote_recently("user:1")
    assert not await writers.wrote_recently("user:2")


async def test_a_zero_window_remembers_nobody() -> None:
    writers = RecentWriters(None, seconds=0)
    await writers.note("user:1")
    assert not await writers.wrote_recently("user:1")


async def test_unreachable_redis_counts_as_a_recent_write() -> None:
    from redis import asyncio as aioredis

    redis = aioredis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        writers = RecentWriters(redis, seconds=5)
        assert await writers.wrote_recently("address:203.0.113.9")
        await writers.note("user:1")  # logged, kept in this process
        assert await writers.wrote_recently("user:1")
    finally:
        await redis.aclose()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_a_write_noted_in_one_process_is_seen_by_another() -> None:
    from redis import asyncio as aioredis

    redis = aioredis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        here, there = RecentWriters(redis, seconds=5), RecentWriters(redis, seconds=5)
        key = f"user:{os.getpid()}-shared"
        await here.note(key)
        assert await there.wrote_recently(key)
        await redis.delete(f"tradewind:wrote:{key}")
    finally:
        await redis.aclose()


# Routing, against PostgreSQL --------------------------------------------------------------


class Recorder:
    """Which connection ran each statement (transactions' own statements are the primary's)."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, str]] = []

    def wrap(self, client: BaseDBAsyncClient, name: str) -> None:
        for method in ("execute_query", "execute_query_dict", "execute_insert", "execute_many"):
            original = getattr(client, method)

            async def recorded(query: str, *args: Any, _original: Any = original) -> Any:
                self.statements.append((name, query))
                return await _original(query, *args)

            setattr(client, method, recorded)

    def on(self, name: str) -> list[str]:
        return [query for connection, query in self.statements if connection == name]

    def clear(self) -> None:
        self.statements.clear()


@pytest.fixture
def replica_url(database_url: str) -> str:
    return _named(database_url, "tradewind-replica")


def _named(url: str, application: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}application_name={application}"


@pytest.fixture
async def routed(db: None, database_url: str, replica_url: str) -> AsyncIterator[Recorder]:
    """Tortoise with a primary and a replica (the same database), statements recorded."""
    if not POSTGRES:
        pytest.skip("replicas are PostgreSQL's")
    recorder = Recorder()
    config = tortoise_config(_named(database_url, "tradewind-primary"), replica_url=replica_url)
    async with TortoiseContext() as context:
        await context.init(config=config)
        recorder.wrap(get_connection(PRIMARY), PRIMARY)
        recorder.wrap(get_connection(REPLICA), REPLICA)
        database_routing.configure(None, seconds=5)
        try:
            yield recorder
        finally:
            from tortoise.router import router

            router.init_routers([])  # the session's own ORM has no router


@pytest.fixture
def replica_settings(settings: Settings, replica_url: str) -> Settings:
    return settings.model_copy(update={"database_replica_url": replica_url})


@pytest.fixture
async def routed_client(replica_settings: Settings, routed: Recorder) -> AsyncIterator[Any]:
    app = create_app(replica_settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


@needs_postgres
async def test_a_query_reads_the_replica(routed: Recorder, routed_client: Any) -> None:
    await make_product(name="Lamp")
    routed.clear()
    data = await routed_client.query(PRODUCTS)
    assert [e["node"]["name"] for e in data["products"]["edges"]] == ["Lamp"]
    assert routed.on(REPLICA)
    assert not [q for q in routed.on(PRIMARY) if "product" in q.lower()]


@needs_postgres
async def test_after_a_mutation_the_client_reads_the_primary(
    routed: Recorder, routed_client: Any
) -> None:
    writer = await make_user(email="writer@example.com")
    other = await make_user(email="other@example.com")
    routed.clear()

    payload = await routed_client.query(
        UPDATE_PROFILE, {"input": {"nickname": "Wren"}}, user=writer
    )
    assert payload["updateProfile"]["errors"] == []
    assert routed.on(REPLICA) == []  # a mutation reads and writes the primary only

    routed.clear()
    assert (await routed_client.query(ME, user=writer))["me"]["nickname"] == "Wren"
    assert routed.on(REPLICA) == []
    assert routed.on(PRIMARY)

    routed.clear()
    await routed_client.query(ME, user=other)  # another client is not held to the primary
    assert routed.on(REPLICA)


@needs_postgres
async def test_the_window_ends(routed: Recorder, routed_client: Any) -> None:
    database_routing.configure(None, seconds=0)  # a window already over
    writer = await make_user(email="writer@example.com")
    await routed_client.query(UPDATE_PROFILE, {"input": {"nickname": "Wren"}}, user=writer)
    routed.clear()
    await routed_client.query(ME, user=writer)
    assert routed.on(REPLICA)


@needs_postgres
async def test_reads_outside_a_query_use_the_primary(routed: Recorder) -> None:
    """Jobs, webhooks, the scheduler and the command line never open a replica block."""
    await make_product(name="Lamp")
    routed.clear()
    assert await Product.filter(name="Lamp").count() == 1
    assert await cart.find_cart(token="no-such-cart", user_id=None) is None
    assert routed.on(REPLICA) == []
    assert len(routed.on(PRIMARY)) == 2


@needs_postgres
async def test_reads_in_a_transaction_use_the_primary(routed: Recorder) -> None:
    from services.transactions import atomic

    await make_product(name="Lamp")
    routed.clear()
    with database_routing.replica_reads(True):
        async with atomic():
            assert await Product.filter(name="Lamp").count() == 1
        assert routed.on(REPLICA) == []
        assert await Product.filter(name="Lamp").count() == 1
    assert len(routed.on(REPLICA)) == 1


@needs_postgres
async def test_a_write_sends_the_rest_of_the_request_to_the_primary(routed: Recorder) -> None:
    product = await make_product(name="Lamp")
    routed.clear()
    with database_routing.replica_reads(True):
        await Product.filter(name="Lamp").count()
        await Product.filter(id=product.id).update(name="Lantern")
        assert await Product.filter(name="Lantern").count() == 1
    assert len(routed.on(REPLICA)) == 1


@needs_postgres
async def test_an_unreachable_replica_falls_back_to_the_primary(
    routed: Recorder,
    database_url: str,
    replica_settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await make_product(name="Lamp")
    config = tortoise_config(
        database_url, replica_url="postgres://nobody@127.0.0.1:1/none?timeout=1"
    )
    async with TortoiseContext() as context:
        await context.init(config=config)
        replica = get_connection(REPLICA)
        assert isinstance(replica, ReplicaClient)
        app = create_app(
            replica_settings.model_copy(
                update={"database_replica_url": "postgres://nobody@127.0.0.1:1/none"}
            ),
            manage_database=False,
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
            client = GraphQLClient(http)
            for _ in range(3):
                data = await client.query(PRODUCTS)
                assert [e["node"]["name"] for e in data["products"]["edges"]] == ["Lamp"]
    outages = [r for r in caplog.records if "replica_unavailable" in r.getMessage()]
    assert len(outages) == 1  # logged once per outage, not per read


def test_reads_go_to_the_replica_only_inside_a_replica_block() -> None:
    assert not database_routing.reading_replica()
    with database_routing.replica_reads(True):
        assert database_routing.reading_replica()
        with database_routing.replica_reads(False):
            assert not database_routing.reading_replica()
    assert not database_routing.reading_replica()
