"""Serving the payment providers' stand-ins: one server per provider for the whole session,
answering as each test's own fresh stand-in."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send


class Switch:
    """The session's server app: it hands each request to `target`, the stand-in of the
    test now running, so every test starts from a fresh provider."""

    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.target is not None, "no stand-in installed for this test"
        await self.target(scope, receive, send)


@asynccontextmanager
async def serve(app: ASGIApp) -> AsyncIterator[str]:
    """An ASGI app (a stand-in) on a free loopback port; yields its base address."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, lifespan="off", log_level="critical")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
