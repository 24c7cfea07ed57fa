"""The graphql-transport-ws protocol as clients meet it: errors, malformed messages, pings
and the end of a sign-in, against a real server on loopback."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
import websockets

from models.accounts import Role
from tests.factories import make_user, token_for

PROTOCOL = [websockets.Subprotocol("graphql-transport-ws")]


async def _connect(url: str, token: str | None = None) -> websockets.ClientConnection:
    ws = await websockets.connect(url, subprotocols=PROTOCOL)
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    return ws


async def _send(ws: websockets.ClientConnection, op_id: str, query: str, **payload: Any) -> None:
    message = {"id": op_id, "type": "subscribe", "payload": {"query": query, **payload}}
    await ws.send(json.dumps(message))


async def _answer(ws: websockets.ClientConnection, op_id: str) -> dict[str, Any]:
    """The first `next` or `error` of operation `op_id` (pings are skipped)."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        if message.get("id") == op_id and message["type"] in ("next", "error", "complete"):
            return message


def _assert_brief_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Client mistakes leave one short line each: no traceback, no whole oversized value."""
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()
        assert record.levelno < logging.ERROR, record.getMessage()
        assert "\n" not in record.getMessage()
        assert len(record.getMessage()) < 600


async def test_a_syntax_error_is_answered_with_an_error_and_the_socket_carries_on(
    live_server, caplog
):
    caplog.set_level(logging.INFO)
    async with await _connect(live_server) as ws:
        await _send(ws, "1", "subscription { productListingChanged {")
        refused = await _answer(ws, "1")
        assert refused["type"] == "error"
        assert refused["payload"][0]["message"].startswith("Syntax Error")
        assert refused["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        # The socket stays open for the client's other operations.
        await _send(ws, "2", "{ __typename }")
        assert (await _answer(ws, "2"))["payload"]["data"] == {"__typename": "Query"}
    assert any("ws.operation_refused" in r.getMessage() for r in caplog.records)
    _assert_brief_logs(caplog)


async def test_validation_errors_and_unknown_operations_are_errors_logged_briefly(
    live_server, caplog
):
    caplog.set_level(logging.INFO)
    long_name = "x" * 20_000
    async with await _connect(live_server) as ws:
        await _send(ws, "1", f"subscription {{ {long_name} }}")
        unknown_field = await _answer(ws, "1")
        assert unknown_field["type"] == "error"
        assert unknown_field["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        await _send(ws, "2", "query A { __typename }", operationName="B")
        unknown_operation = await _answer(ws, "2")
        assert unknown_operation["type"] == "error"
        assert unknown_operation["payload"] == [
            {
                "message": 'Unknown operation named "B".',
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ]
        await _send(ws, "3", "")
        empty = await _answer(ws, "3")
        assert empty["type"] == "error"
        assert empty["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    refusals = [r for r in caplog.records if "ws.operation_refused" in r.getMessage()]
    assert len(refusals) == 3
    assert long_name not in caplog.text
    _assert_brief_logs(caplog)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ([1, 2], "Message must be an object with a type"),
        ({"id": "1", "type": "subscribe", "payload": "{ me { id } }"}, "payload object"),
        ({"id": "1", "type": "subscribe", "payload": {"query": 42}}, "query string"),
        ({"id": 7, "type": "subscribe", "payload": {"query": "{ __typename }"}}, "string id"),
        ({"id": ["1"], "type": "complete"}, "Complete message needs a string id"),
        (
            {"id": "1", "type": "subscribe", "payload": {"query": "{ a }", "variables": "x"}},
            "variables must be an object",
        ),
        (
            {"id": "1", "type": "subscribe", "payload": {"query": "{ a }", "operationName": 5}},
            "operationName must be a string",
        ),
    ],
)
async def test_a_malformed_message_closes_the_socket_with_4400(
    live_server, caplog, message, reason
):
    caplog.set_level(logging.INFO)
    async with await _connect(live_server) as ws:
        await ws.send(json.dumps(message))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=5)
        assert ws.close_code == 4400
        assert reason in (ws.close_reason or "")
    # The server is unharmed and says nothing alarming about it.
    async with await _connect(live_server) as ws:
        await _send(ws, "1", "{ __typename }")
        assert (await _answer(ws, "1"))["type"] == "next"
    _assert_brief_logs(caplog)


async def test_the_server_pings_quiet_sockets(live_server, settings, monkeypatch):
    monkeypatch.setattr(settings, "websocket_ping_interval", 0.2)
    async with await _connect(live_server) as ws:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        assert message == {"type": "ping"}
        await ws.send(json.dumps({"type": "pong"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), timeout=5)) == {"type": "ping"}
        # Operations go on between pings.
        await _send(ws, "1", "{ __typename }")
        assert (await _answer(ws, "1"))["type"] == "next"


async def test_no_pings_when_turned_off(live_server, settings, monkeypatch):
    monkeypatch.setattr(settings, "websocket_ping_interval", 0)
    async with await _connect(live_server) as ws:
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), timeout=0.5)


async def test_an_expired_token_ends_every_stream_with_a_code_and_closes_the_socket(
    live_server, settings, monkeypatch
):
    admin = await make_user(role=Role.ADMIN)
    # Two seconds, not one: the token's expiry is a whole second, so a one-second token can
    # already be expired when the socket opens.
    monkeypatch.setattr(settings, "access_token_seconds", 2)
    async with await _connect(live_server, token_for(admin)) as ws:
        await _send(ws, "1", "subscription { productListingChanged { productId } }")
        await _send(ws, "2", "subscription { newOrders { number } }")
        answers: list[dict] = []
        while len(answers) < 2:
            answer = json.loads(await asyncio.wait_for(ws.recv(), timeout=6))
            # An event another process published on the shared bus may come first.
            if answer["type"] != "next":
                answers.append(answer)
        assert sorted(a["id"] for a in answers) == ["1", "2"]
        for answer in answers:
            assert answer["type"] == "error"
            assert answer["payload"][0]["extensions"] == {"code": "TOKEN_EXPIRED"}
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), timeout=5)
        # 4403 is a close that graphql-ws clients retry, calling `connectionParams` again.
        assert (ws.close_code, ws.close_reason) == (4403, "Access token expired")


async def test_a_socket_with_nothing_running_is_closed_when_its_token_expires(
    live_server, settings, monkeypatch
):
    customer = await make_user()
    monkeypatch.setattr(settings, "access_token_seconds", 2)
    async with await _connect(live_server, token_for(customer)) as ws:
        await _send(ws, "1", "{ me { email } }")
        assert (await _answer(ws, "1"))["payload"]["data"]["me"] == {"email": customer.email}
        with pytest.raises(websockets.ConnectionClosed):
            while True:  # pings, then the close
                await asyncio.wait_for(ws.recv(), timeout=6)
        assert (ws.close_code, ws.close_reason) == (4403, "Access token expired")


async def test_a_socket_runs_a_bounded_number_of_operations(live_server, settings, monkeypatch):
    monkeypatch.setattr(settings, "websocket_max_operations", 2)
    admin = await make_user(role=Role.ADMIN)
    async with await _connect(live_server, token_for(admin)) as ws:
        await _send(ws, "1", "subscription { newOrders { number } }")
        await _send(ws, "2", "subscription { lowStockAlerts { id } }")
        await _send(ws, "3", "subscription { productListingChanged { productId } }")
        refused = await _answer(ws, "3")
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"] == {"code": "TOO_MANY_OPERATIONS"}
        # Ending one makes room for another.
        await ws.send(json.dumps({"id": "1", "type": "complete"}))
        await asyncio.sleep(0.2)
        await _send(ws, "4", "{ __typename }")
        assert (await _answer(ws, "4"))["type"] == "next"
