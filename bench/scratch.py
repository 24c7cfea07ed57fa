"""A scratch PostgreSQL database for a benchmark: made anew, dropped afterwards."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit


def _admin_dsn(server_url: str) -> str:
    parts = urlsplit(server_url)
    scheme = "postgresql" if parts.scheme.startswith("postgres") else parts.scheme
    return urlunsplit((scheme, parts.netloc, "/postgres", "", ""))


def scratch_url(server_url: str, name: str) -> str:
    """`server_url` pointing at the database `name` (its query string kept)."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


async def _recreate(server_url: str, name: str, *, create: bool) -> None:
    import asyncpg

    admin = await asyncpg.connect(_admin_dsn(server_url))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


@contextlib.contextmanager
def scratch_database(server_url: str, name: str, *, keep: bool = False) -> Iterator[str]:
    """The URL of a new, empty database `name` on the server of `server_url` (the database
    named in that URL is not used); dropped on exit unless `keep`."""
    asyncio.run(_recreate(server_url, name, create=True))
    try:
        yield scratch_url(server_url, name)
    finally:
        if keep:
            print(f"kept the database {name}")
        else:
            asyncio.run(_recreate(server_url, name, create=False))
