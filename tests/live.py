"""A client of `graphql-transport-ws` for tests against the live server fixture."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets


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
