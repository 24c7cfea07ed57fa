"""Test fixtures: a migrated database per run, an event bus, and a GraphQL client.

The suite runs on SQLite by default. With `DATABASE_URL` pointing at PostgreSQL it
creates a fresh database on that server for the run and drops it afterwards; with
`REDIS_URL` set, events go through Redis.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

_media = tempfile.mkdtemp(prefix="tradewind-media-")
os.environ["MEDIA_DIR"] = _media
os.environ["SECRET_KEY"] = "test-secret-key-" + "x" * 32
os.environ.setdefault("DEBUG", "0")
# Tests change rows directly and read them back at once; the caches have tests of their own.
os.environ["RESPONSE_CACHE_SECONDS"] = "0"
os.environ["PRODUCT_VIEW_CACHE_SECONDS"] = "0"

import asyncpg  # noqa: E402
import httpx  # noqa: E402
import pytest  # noqa: E402
from tortoise import Tortoise  # noqa: E402
from tortoise.contrib.test import truncate_all_models  # noqa: E402

import cli  # noqa: E402
from models.accounts import Role, User  # noqa: E402
from server import create_app  # noqa: E402
from services import messaging, rate_limit  # noqa: E402
from services.tracking import simulator  # noqa: E402
from settings import Settings, get_settings, tortoise_config  # noqa: E402
from subscriptions import bus  # noqa: E402
from tests.factories import make_user, token_for  # noqa: E402
from tests.live import serve  # noqa: E402


def _postgres_admin_dsn(url: str) -> tuple[str, str]:
    """(DSN of the server's `postgres` database, name for this run's database)."""
    base, _, _ = url.rpartition("/")
    return f"{base}/postgres".replace(
        "postgres://", "postgresql://", 1
    ), f"tradewind_test_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
async def database_url() -> AsyncIterator[str]:
    """A migrated, empty database for this test run."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://", "asyncpg://")):
        admin_dsn, name = _postgres_admin_dsn(given)
        admin = await asyncpg.connect(admin_dsn)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = f"{given.rpartition('/')[0]}/{name}"
        try:
            yield url
        finally:
            admin = await asyncpg.connect(admin_dsn)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
    else:
        with tempfile.TemporaryDirectory(prefix="tradewind-test-") as folder:
            yield f"sqlite://{Path(folder) / 'test.sqlite3'}"


@pytest.fixture(scope="session")
async def orm(database_url: str) -> AsyncIterator[None]:
    """Migrations applied (as `make run` does), then the ORM up for the whole session."""
    await cli.migrate(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


@pytest.fixture(scope="session")
async def event_bus() -> AsyncIterator[bus.EventBus]:
    instance = bus.configure(os.environ.get("REDIS_URL") or None)
    await instance.start()
    try:
        yield instance
    finally:
        await instance.stop()


@pytest.fixture
async def db(orm: None, event_bus: bus.EventBus) -> AsyncIterator[None]:
    """An empty catalog for one test."""
    yield
    await truncate_all_models()


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def app(settings: Settings) -> Any:
    return create_app(settings, manage_database=False)


@pytest.fixture
async def live_server(app: Any, db: None) -> AsyncIterator[str]:
    """The app served by uvicorn on a free loopback port, in this test's event loop."""
    async with serve(app) as address:
        yield f"ws://{address}/graphql"


@pytest.fixture
async def client(app: Any, db: None, settings: Settings) -> AsyncIterator[GraphQLClient]:
    # Each test starts with an empty outbox and no attempts counted against any limit.
    messaging.configure(settings)
    rate_limit.configure(None)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


class GraphQLClient:
    """Sends GraphQL documents over HTTP as a storefront or the merchant console would."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self._admin: User | None = None

    async def admin(self) -> User:
        """The admin `staff=True` requests act as, made on first use."""
        if self._admin is None:
            self._admin = await make_user(role=Role.ADMIN, email="admin@example.com")
        return self._admin

    async def request(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        staff: bool = False,
        user: User | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The whole response body (`data` and `errors`); HTTP must answer 200.

        `staff=True` signs the request in as an admin, `user=` as that user.
        """
        all_headers = dict(headers or {})
        if staff:
            user = await self.admin()
        if user is not None:
            all_headers["Authorization"] = f"Bearer {token_for(user)}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=all_headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def upload(
        self,
        query: str,
        variables: dict[str, Any],
        files: dict[str, tuple[str, bytes]],
        *,
        staff: bool = False,
        user: User | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """A GraphQL multipart request, as upload clients send it.

        `files` maps a variable path (`variables.input.file`) to (file name, content); the
        variable itself may be given as None.
        """
        all_headers = dict(headers or {})
        if staff:
            user = await self.admin()
        paths = list(files)
        response = await self.http.post(
            "/graphql",
            data={
                "operations": json.dumps({"query": query, "variables": variables}),
                "map": json.dumps({str(i): [path] for i, path in enumerate(paths)}),
            },
            files={
                str(i): (files[path][0], files[path][1], "application/octet-stream")
                for i, path in enumerate(paths)
            },
            headers={**all_headers, "Authorization": f"Bearer {token_for(user)}"}
            if user
            else all_headers,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def query(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """`data` of a request that must have no errors."""
        body = await self.request(query, variables, **kw)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def staff(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        return await self.query(query, variables, staff=True, **kw)


class QueryCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries() -> Iterator[QueryCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = QueryCounter()
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)


@pytest.fixture
async def simulating(app: Any, settings: Any, monkeypatch) -> AsyncIterator[None]:
    """The demo's simulated carrier on, with no wait between its steps, posting straight
    into the app."""
    monkeypatch.setattr(settings, "tracking_simulator", True)
    monkeypatch.setattr(settings, "tracking_simulator_step_seconds", 0.0)
    simulator.configure(httpx.ASGITransport(app=app))
    try:
        yield
    finally:
        simulator.configure(None)
