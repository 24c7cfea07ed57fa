"""A live server for tests (uvicorn on a free loopback port) and a `graphql-transport-ws` client."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
import websockets


@contextlib.asynccontextmanager
async def serve(app: Any, **config: Any) -> AsyncIterator[str]:
    """`app` served by uvicorn on a free loopback port, in this event loop; yields `host:port`.

    `config` goes to `uvicorn.Config` (the default logs warnings only, without lifespan).
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    options = {"lifespan": "off", "log_level": "warning", **config}
    server = uvicorn.Server(uvicorn.Config(app, **options))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task


async def subscribe(
    url: str, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> websockets.ClientConnection:
    """An open socket, acknowledged, with `query` subscribed as operation "1"."""
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    ack = await ws.recv()
    assert isinstance(ack, str), "messages must be text frames, as browser clients need"
    assert json.loads(ack)["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
    )
    return ws


async def next_message(ws: websockets.ClientConnection) -> dict[str, Any]:
    """The next message, within five seconds."""
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
    return message
