"""Reads from a PostgreSQL replica, where that is safe; everything else from the primary.

Safe by default: a statement goes to the primary unless the code runs inside
`replica_reads(True)`, which the GraphQL endpoint opens only around a *query* operation from
a client that has not written within `replica_primary_after_write_seconds` (mutations,
subscriptions, webhooks, jobs and the command line never open it). Even there, reads inside
a transaction, and every read after the request wrote anything, go to the primary.

A replica that cannot be reached costs no request: its reads are sent to the primary (logged
once per outage) and the replica is tried again a little later.

Tortoise is told of all this by its configuration (`settings.tortoise_config`): this module
is the replica connection's engine (`client_class`) and holds its router (`ReplicaRouter`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import asyncpg
from cachetools import TTLCache
from redis import asyncio as aioredis
from redis.exceptions import RedisError
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.exceptions import DBConnectionError
from tortoise.models import Model

from settings import REPLICA

log = logging.getLogger("tradewind.database_routing")

#: Seconds an unreachable replica is left alone before reads try it again.
RETRY_REPLICA_SECONDS = 10.0

#: Failures that say the replica cannot serve now, not that the statement is wrong: its
#: reads then go to the primary. A recovery conflict (a standby cancelling a read whose rows
#: replay removed, SQLSTATE 40001) is retried there too, without counting as an outage.
UNREACHABLE = (
    OSError,
    TimeoutError,
    asyncio.TimeoutError,
    DBConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InsufficientResourcesError,
    asyncpg.exceptions.InvalidAuthorizationSpecificationError,
    asyncpg.exceptions.InvalidCatalogNameError,
)
RETRY_ON_PRIMARY = (*UNREACHABLE, asyncpg.exceptions.SerializationError)


@dataclass(slots=True)
class _Reads:
    """Where this request's reads go; shared by every task the request runs."""

    replica: bool


_reads: ContextVar[_Reads | None] = ContextVar("replica_reads", default=None)


@contextmanager
def replica_reads(allowed: bool) -> Iterator[None]:
    """Within the block, reads may go to the replica when `allowed` (else the primary)."""
    token = _reads.set(_Reads(replica=allowed))
    try:
        yield
    finally:
        _reads.reset(token)


def reading_replica() -> bool:
    """Whether a read issued here, outside a transaction, would go to the replica."""
    reads = _reads.get()
    return reads is not None and reads.replica


class ReplicaRouter:
    """Tortoise's router: the replica for allowed reads, the primary (None) otherwise."""

    def db_for_read(self, model: type[Model]) -> str | None:
        if not reading_replica():
            return None
        # A transaction's reads must see its own writes and hold its locks: Tortoise would
        # otherwise send them to the router's choice, outside the transaction.
        if isinstance(get_connection(model._meta.default_connection or ""), TransactionalDBClient):
            return None
        return REPLICA

    def db_for_write(self, model: type[Model]) -> str | None:
        reads = _reads.get()
        if reads is not None:
            # A query that writes (a lazily made row, a counter) reads its own write next,
            # which the replica may not have yet: the rest of the request reads the primary.
            reads.replica = False
        return None


class ReplicaClient(AsyncpgDBClient):
    """The replica's asyncpg pool, whose reads go to the primary while it cannot serve."""

    def __init__(self, *, primary: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.primary = primary
        self._down_until = 0.0

    async def execute_query(self, query: str, values: list | None = None) -> tuple[int, list[dict]]:
        if self._resting():
            return await self._on_primary(query, values)
        try:
            result = await super().execute_query(query, values)
        except RETRY_ON_PRIMARY as error:
            self._failed(error)
            return await self._on_primary(query, values)
        self._served()
        return result

    async def _on_primary(self, query: str, values: list | None) -> tuple[int, list[dict]]:
        count, rows = await get_connection(self.primary).execute_query(query, values)
        return count, list(rows)

    async def execute_query_dict(self, query: str, values: list | None = None) -> list[dict]:
        if self._resting():
            return await get_connection(self.primary).execute_query_dict(query, values)
        try:
            result = await super().execute_query_dict(query, values)
        except RETRY_ON_PRIMARY as error:
            self._failed(error)
            return await get_connection(self.primary).execute_query_dict(query, values)
        self._served()
        return result

    def _resting(self) -> bool:
        return self._down_until > time.monotonic()

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, UNREACHABLE):
            return
        if not self._down_until:
            log.warning("database_routing.replica_unavailable reads go to the primary: %r", error)
        self._down_until = time.monotonic() + RETRY_REPLICA_SECONDS

    def _served(self) -> None:
        if self._down_until:
            log.warning("database_routing.replica_back")
            self._down_until = 0.0


#: The replica connection's client, as Tortoise looks it up in an engine module.
client_class = ReplicaClient


class RecentWriters:
    """Clients that wrote within the last `seconds`: their reads go to the primary.

    Marks live in Redis when a client is given, so that every API process sees a write
    made through another, and always in this process too, so that a Redis outage still
    keeps a client reading its writes here. A Redis that cannot be asked counts as "wrote":
    the primary always has the answer.
    """

    def __init__(self, redis: aioredis.Redis | None, *, seconds: float) -> None:
        self.redis = redis
        self.seconds = seconds
        self.local: TTLCache[str, bool] = TTLCache(maxsize=100_000, ttl=seconds or 1)

    async def note(self, key: str) -> None:
        """Remember that `key` just wrote."""
        if self.seconds <= 0:
            return
        self.local[key] = True
        if self.redis is None:
            return
        try:
            await self.redis.set(_redis_key(key), 1, px=max(1, int(self.seconds * 1000)))
        except RedisError as error:
            log.warning("database_routing.mark_failed %r", error)

    async def wrote_recently(self, key: str) -> bool:
        """Whether `key` wrote within `seconds` (True when that cannot be told)."""
        if self.seconds <= 0:
            return False
        if key in self.local:
            return True
        if self.redis is None:
            return False
        try:
            return bool(await self.redis.exists(_redis_key(key)))
        except RedisError:
            return True


def _redis_key(key: str) -> str:
    return f"tradewind:wrote:{key}"


_writers = RecentWriters(None, seconds=5.0)


def configure(redis: aioredis.Redis | None, *, seconds: float) -> None:
    """Keep the process's marks of recent writers in Redis (None: in this process)."""
    global _writers
    _writers = RecentWriters(redis, seconds=seconds)


def writers() -> RecentWriters:
    """The process's marks of recent writers."""
    return _writers
