"""Low-stock alerts pushed live over `graphql-transport-ws`, against a real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import websockets

from models.accounts import Role
from services.inventory import stock
from tests.factories import make_user, token_for
from tests.inventory.helpers import stocked_variant

SUBSCRIBE = """
subscription { lowStockAlerts { id threshold available isOpen variant { sku stockAvailable } } }
"""


CHANGES = """
subscription { lowStockAlertChanges { id isOpen resolvedAt variant { sku stockAvailable } } }
"""


async def _subscribe(
    url: str, token: str | None, query: str = SUBSCRIBE
) -> websockets.ClientConnection:
    ws = await websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    )
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
    return ws


async def _next(ws: websockets.ClientConnection) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout=5))


async def test_inventory_staff_see_an_alert_the_moment_stock_runs_low(live_server):
    variant = await stocked_variant(7)
    keeper = await make_user(role=Role.STAFF, permissions=("inventory",))
    async with await _subscribe(live_server, token_for(keeper)) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        await stock.reserve([(variant.id, 1)], reference="TW1")  # 6 left: no alert
        await stock.reserve([(variant.id, 2)], reference="TW2")  # 4 left: alert
        message = await _next(ws)
    assert message["type"] == "next"
    alert = message["payload"]["data"]["lowStockAlerts"]
    assert (alert["threshold"], alert["available"], alert["isOpen"]) == (5, 4, True)
    assert alert["variant"] == {"sku": variant.sku, "stockAvailable": 4}


async def test_the_alert_stream_refuses_shoppers_and_other_staff(live_server):
    anonymous = await _subscribe(live_server, None)
    async with anonymous as ws:
        message = await _next(ws)
        assert message["type"] == "error"
        assert message["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for user in (
        await make_user(),
        await make_user(role=Role.STAFF, permissions=("catalog",)),
    ):
        async with await _subscribe(live_server, token_for(user)) as ws:
            message = await _next(ws)
            assert message["type"] == "error"
            assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_restocking_a_low_variant_resolves_its_alert_live(live_server):
    variant = await stocked_variant(10)
    await stock.reserve([(variant.id, 6)], reference="TW0")  # 4 left: an open alert
    keeper = await make_user(role=Role.STAFF, permissions=("inventory",))
    async with (
        await _subscribe(live_server, token_for(keeper), CHANGES) as changes,
        await _subscribe(live_server, token_for(keeper)) as raised_only,
    ):
        await asyncio.sleep(0.2)
        await stock.receive(variant.id, 10)
        message = await _next(changes)
        await stock.reserve([(variant.id, 11)], reference="TW1")  # 3 left: a new alert
        again = await _next(changes)
        first_raised = await _next(raised_only)
    resolved = message["payload"]["data"]["lowStockAlertChanges"]
    assert resolved["isOpen"] is False and resolved["resolvedAt"]
    assert resolved["variant"] == {"sku": variant.sku, "stockAvailable": 14}
    reopened = again["payload"]["data"]["lowStockAlertChanges"]
    assert reopened["isOpen"] is True and reopened["id"] != resolved["id"]
    # The stream of new alerts skips the resolution and carries only the new alert.
    assert first_raised["payload"]["data"]["lowStockAlerts"]["id"] == reopened["id"]
