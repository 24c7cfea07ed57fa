"""Persisted queries (Apollo's APQ protocol), the trusted documents, and the strict setting."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import websockets

from models.accounts import Role
from schema.persisted import DocumentStore, sha256, trusted_documents
from tests.factories import make_product, make_user, token_for

NAMES = "query Names { products(first: 5) { nodes { name } } }"
#: A document of the storefront's (web/screens/auth.js), so a trusted one.
PROVIDERS = "query Providers { oauthProviders }"


def apq(digest: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(client, body: dict[str, Any], token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.http.post("/graphql", json=body, headers=headers)


async def get(client, params: dict[str, Any], **headers: str) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return await client.http.get("/graphql", params=encoded, headers=headers)


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


@pytest.fixture
def strict(settings, monkeypatch):
    monkeypatch.setattr(settings, "trusted_documents_only", True)


# -- the protocol ---------------------------------------------------------------------------


async def test_an_unknown_hash_is_answered_persisted_query_not_found(client):
    response = await post(client, {"extensions": apq(sha256(NAMES))})
    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert response.headers["cache-control"] == "private, no-store"


async def test_a_hash_sent_with_its_document_registers_it_for_get_and_post(client):
    await make_product(name="Kettle")
    first = await post(client, {"query": NAMES, "extensions": apq(sha256(NAMES))})
    assert first.json()["data"] == {"products": {"nodes": [{"name": "Kettle"}]}}

    by_get = await get(client, {"operationName": "Names", "extensions": apq(sha256(NAMES))})
    assert by_get.status_code == 200
    assert by_get.json()["data"] == {"products": {"nodes": [{"name": "Kettle"}]}}
    by_post = await post(client, {"extensions": apq(sha256(NAMES))})
    assert by_post.json()["data"] == {"products": {"nodes": [{"name": "Kettle"}]}}


async def test_a_hash_in_upper_case_is_the_same_document(client):
    await post(client, {"query": NAMES, "extensions": apq(sha256(NAMES))})
    response = await post(client, {"extensions": apq(sha256(NAMES).upper())})
    assert response.json()["data"] == {"products": {"nodes": []}}


async def test_a_document_with_another_hash_is_refused_and_not_registered(client):
    wrong = sha256("query Other { __typename }")
    response = await post(client, {"query": NAMES, "extensions": apq(wrong)})
    assert response.status_code == 400
    assert code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert "data" not in response.json()
    again = await post(client, {"extensions": apq(wrong)})
    assert code(again) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extension",
    [
        {"version": 2, "sha256Hash": sha256(NAMES)},
        {"version": True, "sha256Hash": sha256(NAMES)},
        {"version": "1", "sha256Hash": sha256(NAMES)},
        {"sha256Hash": sha256(NAMES)},
        {"version": 1, "sha256Hash": sha256(NAMES)[:-1]},
        {"version": 1, "sha256Hash": "z" * 64},
        {"version": 1, "sha256Hash": 12},
        {"version": 1},
        "not an object",
        [1, 2],
    ],
)
async def test_a_malformed_persisted_query_extension_is_a_typed_400(client, extension):
    response = await post(client, {"query": NAMES, "extensions": {"persistedQuery": extension}})
    assert response.status_code == 400
    assert code(response) == "PERSISTED_QUERY_INVALID"


async def test_a_malformed_extension_over_get_is_a_typed_400_too(client):
    response = await get(client, {"extensions": {"persistedQuery": {"version": 9}}})
    assert response.status_code == 400
    assert code(response) == "PERSISTED_QUERY_INVALID"


async def test_a_mutation_by_hash_over_get_is_refused(client):
    mutation = 'mutation Brand { createBrand(input: {name: "X"}) { errors { code } } }'
    admin = token_for(await make_user(role=Role.ADMIN))
    await post(client, {"query": mutation, "extensions": apq(sha256(mutation))}, token=admin)
    response = await client.http.get(
        "/graphql",
        params={"extensions": json.dumps(apq(sha256(mutation)))},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert response.status_code == 405


async def test_trusted_documents_are_known_by_hash_without_registering(client):
    assert sha256(PROVIDERS) in trusted_documents()
    response = await get(client, {"extensions": apq(sha256(PROVIDERS))})
    assert response.status_code == 200
    assert "oauthProviders" in response.json()["data"]


# -- the strict setting ---------------------------------------------------------------------


async def test_strict_refuses_an_anonymous_hand_written_document(client, strict):
    response = await post(client, {"query": NAMES})
    assert response.status_code == 403
    assert code(response) == "UNTRUSTED_DOCUMENT"
    assert "data" not in response.json()


async def test_strict_refuses_anonymous_registration_and_unknown_hashes(client, strict):
    # The app (and its store) lives for the whole session: a document no other test sends.
    query = "query NeverRegistered { products(first: 2) { totalCount } }"
    refused = await post(client, {"query": query, "extensions": apq(sha256(query))})
    assert code(refused) == "UNTRUSTED_DOCUMENT"
    unknown = await post(client, {"extensions": apq(sha256(query))})
    assert code(unknown) == "UNTRUSTED_DOCUMENT"
    # Nothing was registered: a signed-in caller does not find the hash either.
    member = token_for(await make_user())
    assert code(await post(client, {"extensions": apq(sha256(query))}, member)) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


async def test_strict_runs_trusted_documents_by_hash_and_by_text(client, strict):
    by_hash = await get(client, {"extensions": apq(sha256(PROVIDERS))})
    assert "oauthProviders" in by_hash.json()["data"]
    by_text = await post(client, {"query": PROVIDERS})
    assert "oauthProviders" in by_text.json()["data"]
    both = await post(client, {"query": PROVIDERS, "extensions": apq(sha256(PROVIDERS))})
    assert "oauthProviders" in both.json()["data"]


async def test_strict_leaves_signed_in_callers_free(client, strict):
    member = token_for(await make_user())
    assert (await post(client, {"query": NAMES}, member)).json()["data"] == {
        "products": {"nodes": []}
    }
    registered = await post(client, {"query": NAMES, "extensions": apq(sha256(NAMES))}, member)
    assert registered.json()["data"] == {"products": {"nodes": []}}
    assert (await post(client, {"extensions": apq(sha256(NAMES))}, member)).json()["data"]


async def test_strict_refuses_an_anonymous_untrusted_subscription(
    live_server, settings, monkeypatch
):
    monkeypatch.setattr(settings, "trusted_documents_only", True)
    async with websockets.connect(
        live_server, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        query = "subscription { productListingChanged { productId } }"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        refused = json.loads(await ws.recv())
        assert refused["type"] == "error" and refused["id"] == "1"
        assert refused["payload"][0]["extensions"] == {"code": "UNTRUSTED_DOCUMENT"}
        # A trusted document still runs on the same socket.
        await ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": PROVIDERS}}))
        answer = json.loads(await ws.recv())
        assert answer["type"] == "next" and "oauthProviders" in answer["payload"]["data"]


# -- the store and the manifest -------------------------------------------------------------


def test_registered_documents_are_bounded_in_number_and_length():
    store = DocumentStore(trusted={}, size=2, max_chars=20)
    for text in ("{ a }", "{ b }", "{ c }"):
        store.register(sha256(text), text)
    assert store.get(sha256("{ a }")) is None  # the least recently used went
    assert store.get(sha256("{ c }")) == "{ c }"
    store.register(sha256("{ " + "x " * 20 + "}"), "{ " + "x " * 20 + "}")
    assert store.get(sha256("{ " + "x " * 20 + "}")) is None


def test_a_manifest_entry_that_is_not_its_hash_stops_the_server(tmp_path):
    bad = tmp_path / "trusted.json"
    bad.write_text(json.dumps({sha256("{ a }"): "{ b }"}))
    with pytest.raises(ValueError, match="not the hash"):
        trusted_documents.__wrapped__(bad)
