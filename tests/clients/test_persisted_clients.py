"""Persisted queries from clients nobody here wrote (urql's persisted exchange), and from the
web apps' own client run in Node, against a live server."""

from __future__ import annotations

import os

import pytest

from schema.persisted import sha256, trusted_documents
from tests.clients.test_clients import HERE, node, run_node
from tests.factories import make_brand


def persisted_exchange() -> None:
    """Skip (fail in CI) unless `@urql/exchange-persisted` is installed beside the others."""
    node()
    if not (HERE / "node_modules" / "@urql" / "exchange-persisted").is_dir():
        reason = "run `npm ci` in tests/clients (missing @urql/exchange-persisted)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


async def test_urqls_persisted_exchange_registers_then_sends_the_hash_alone(live_server):
    persisted_exchange()
    await make_brand(name="Urquhart")
    url = live_server.replace("ws://", "http://", 1)
    # A document no other test sends, so the first run finds its hash unknown.
    query = "query UrqlPersisted { brands(first: 3) { nodes { name } } }"
    first, second = await run_node("urql_persisted.mjs", url, query)
    # urql adds `__typename` to selections (the hash it sends is of the text it sends).
    expected = {
        "brands": {
            "nodes": [{"name": "Urquhart", "__typename": "Brand"}],
            "__typename": "BrandConnection",
        }
    }
    assert first["error"] is None and first["data"] == expected
    # The hash alone with GET, PersistedQueryNotFound, then the hash with the document.
    assert first["requests"] == [["GET", False], ["GET", True]]
    assert second["data"] == expected
    assert second["requests"] == [["GET", False]]


async def test_the_web_client_sends_hashes_and_resends_an_unknown_one_with_its_text(
    live_server,
):
    node()
    await make_brand(name="Webster")
    url = live_server.replace("ws://", "http://", 1)
    unknown = "query WebClientPersisted { brands(first: 3) { nodes { name } } }"
    trusted = "query Providers { oauthProviders }"
    assert sha256(trusted) in trusted_documents()
    mutation = 'mutation WebClientSignOut { signOut(refreshToken: "none") { errors { code } } }'
    first, again, known, changed = await run_node(
        "web_client.mjs", url, unknown, unknown, trusted, mutation
    )
    assert first["data"] == {"brands": {"nodes": [{"name": "Webster"}]}}
    assert first["requests"] == [["GET", False, 200], ["POST", True, 200]]
    assert again["requests"] == [["GET", False, 200]]
    assert known["requests"] == [["GET", False, 200]]
    assert changed["error"] is None
    assert changed["requests"][0][0] == "POST"  # a mutation never goes with GET
