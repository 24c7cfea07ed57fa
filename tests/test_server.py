"""The endpoint's protections and shared conventions: limits, masking, auth, health, IDs, schema."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path

import httpx

from server import build_schema, create_app
from services.catalog import brands
from settings import Settings
from tests.factories import gid, make_brand, make_category, make_product

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"
WEB = Path(__file__).resolve().parents[1] / "web"
#: The storefront's ES modules, as paths under `/`.
WEB_MODULES = sorted(path.relative_to(WEB).as_posix() for path in WEB.rglob("*.js"))


def test_committed_schema_matches_the_code():
    assert SCHEMA_FILE.read_text() == build_schema().as_str() + "\n", (
        "schema/schema.graphql is stale: run `make schema`"
    )


async def test_health_reports_database_and_bus(client):
    response = await client.http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "bus": True}


async def test_queries_deeper_than_the_limit_are_refused(client, settings):
    nested = (
        "children { " * (settings.max_query_depth + 1)
        + "name"
        + " }" * (settings.max_query_depth + 1)
    )
    body = await client.request(f"{{ categories {{ nodes {{ {nested} }} }} }}")
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_too_many_aliases_are_refused(client, settings):
    aliases = " ".join(f"a{i}: brands {{ totalCount }}" for i in range(settings.max_aliases + 1))
    body = await client.request(f"{{ {aliases} }}")
    assert body["data"] is None and "aliases" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(client, settings):
    fields = " ".join("__typename" for _ in range(settings.max_query_tokens))
    body = await client.request(f"{{ {fields} }}")
    assert "contains more than" in body["errors"][0]["message"]


async def test_introspection_is_off_unless_debug(client, db):
    body = await client.request("{ __schema { queryType { name } } }")
    assert "introspection" in body["errors"][0]["message"].lower()
    debug_app = create_app(Settings(debug=True), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=debug_app), base_url="http://t"
    ) as http:
        response = await http.post(
            "/graphql", json={"query": "{ __schema { queryType { name } } }"}
        )
    assert response.json()["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_bugs_are_masked_with_a_request_id_and_logged(client, monkeypatch, caplog):
    async def broken(fields):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(brands, "create_brand", broken)
    with caplog.at_level(logging.ERROR, logger="tradewind.graphql"):
        body = await client.request(
            'mutation { createBrand(input: {name: "X"}) { errors { code } } }',
            staff=True,
            headers={"X-Request-ID": "req-123"},
        )
    error = body["errors"][0]
    assert error["message"] == "Internal server error (request id req-123)."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-123"}
    assert "hunter2" not in str(body)
    assert any("req-123" in r.getMessage() for r in caplog.records)


async def test_every_response_carries_a_request_id(client):
    response = await client.http.post("/graphql", json={"query": "{ brands { totalCount } }"})
    assert len(response.headers["x-request-id"]) == 32
    unsafe = await client.http.post(
        "/graphql",
        json={"query": "{ brands { totalCount } }"},
        headers={"X-Request-ID": "bad id\n"},
    )
    assert unsafe.headers["x-request-id"] != "bad id\n"


async def test_mutations_need_a_staff_token(client):
    mutation = 'mutation { createBrand(input: {name: "X"}) { errors { code } } }'
    anonymous = await client.request(mutation)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    wrong = await client.request(mutation, headers={"Authorization": "Bearer not-the-token"})
    assert wrong["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    from models.catalog import Brand

    assert await Brand.all().count() == 0


async def test_staff_only_fields_are_refused_to_shoppers(client):
    product = await make_product()
    body = await client.request(
        "query($id: ID!) { product(id: $id) { variants { stockOnHand } } }",
        {"id": gid("Product", product.id)},
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_any_object_is_fetched_by_its_global_id(client):
    brand = await make_brand(name="Nodal")
    category = await make_category(name="Nodes")
    product = await make_product(name="Node Lamp", brand=brand, category=category)
    variant = (await product.variants.all())[0]
    data = await client.query(
        """query($ids: [ID!]!) { nodes(ids: $ids) {
             __typename id
             ... on Brand { name } ... on Category { name } ... on Product { name }
             ... on ProductVariant { sku }
           } }""",
        {
            "ids": [
                gid("Brand", brand.id),
                gid("Category", category.id),
                gid("Product", product.id),
                gid("ProductVariant", variant.id),
                gid("Brand", 9999),
            ]
        },
    )
    assert data["nodes"] == [
        {"__typename": "Brand", "id": gid("Brand", brand.id), "name": "Nodal"},
        {"__typename": "Category", "id": gid("Category", category.id), "name": "Nodes"},
        {"__typename": "Product", "id": gid("Product", product.id), "name": "Node Lamp"},
        {
            "__typename": "ProductVariant",
            "id": gid("ProductVariant", variant.id),
            "sku": variant.sku,
        },
        None,
    ]
    one = await client.query(
        "query($id: ID!) { node(id: $id) { ... on Brand { name } } }",
        {"id": gid("Brand", brand.id)},
    )
    assert one == {"node": {"name": "Nodal"}}


async def test_the_storefront_page_is_served_with_its_assets(client):
    page = await client.http.get("/")
    assert page.status_code == 200 and "Tradewind" in page.text
    assert (await client.http.get("/style.css")).status_code == 200
    # Every ES module, served as JavaScript: a browser refuses a module of another type.
    assert len(WEB_MODULES) > 10
    for module in WEB_MODULES:
        response = await client.http.get(f"/{module}")
        assert response.status_code == 200, module
        assert response.headers["content-type"].startswith("text/javascript"), module


def test_modules_are_javascript_even_where_the_host_maps_js_to_another_type(settings):
    mimetypes.add_type("text/plain", ".js")  # as some hosts' mime.types or registry do
    try:
        create_app(settings, manage_database=False)
        assert mimetypes.guess_type("screens/catalog.js")[0] == "text/javascript"
    finally:
        mimetypes.add_type("text/javascript", ".js")
