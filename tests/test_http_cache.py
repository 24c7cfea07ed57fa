"""HTTP caching of GET queries: public answers with an ETag, 304s, and private answers."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from models.catalog import ProductVariant
from server import create_app
from settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import gid, make_product, make_user, token_for

NAMES = "query Names { products(first: 5) { nodes { name } } }"


async def get(client: GraphQLClient, query: str, variables: Any = None, **headers: str):
    params = {"query": query}
    if variables is not None:
        params["variables"] = json.dumps(variables)
    return await client.http.get("/graphql", params=params, headers=headers)


async def test_a_shared_answer_is_public_with_an_etag(client):
    await make_product(name="Kettle")
    response = await get(client, NAMES)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, no-cache"
    assert response.headers["etag"].startswith('"') and response.headers["etag"].endswith('"')
    varies = {name.strip() for name in response.headers["vary"].split(",")}
    assert {"Accept", "Accept-Language", "Authorization", "X-Currency"} <= varies


async def test_a_matching_if_none_match_is_answered_304_without_a_body(client):
    await make_product(name="Kettle")
    tag = (await get(client, NAMES)).headers["etag"]
    again = await get(client, NAMES, **{"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers["cache-control"] == "public, no-cache"
    assert "content-type" not in again.headers
    for header in (f"W/{tag}", f'"other", {tag}', "*"):
        assert (await get(client, NAMES, **{"If-None-Match": header})).status_code == 304


async def test_another_etag_gets_the_whole_answer(client):
    await make_product(name="Kettle")
    response = await get(client, NAMES, **{"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200
    assert response.json()["data"] == {"products": {"nodes": [{"name": "Kettle"}]}}


async def test_the_etag_changes_when_the_catalog_does(client):
    product = await make_product(name="Kettle")
    tag = (await get(client, NAMES)).headers["etag"]
    renamed = await client.staff(
        "mutation($input: UpdateProductInput!) "
        "{ updateProduct(input: $input) { errors { code } } }",
        {"input": {"id": gid("Product", product.id), "name": "Teapot"}},
    )
    assert renamed["updateProduct"]["errors"] == []
    response = await get(client, NAMES, **{"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["etag"] != tag
    assert response.json()["data"] == {"products": {"nodes": [{"name": "Teapot"}]}}


async def test_the_etag_follows_the_language(client):
    await make_product(name="Lamp")
    query = "query { products(first: 1) { nodes { locale } } }"
    german = await get(client, query, **{"Accept-Language": "de"})
    french = await get(client, query, **{"Accept-Language": "fr"})
    assert german.headers["etag"] != french.headers["etag"]
    cross = await get(
        client, query, **{"Accept-Language": "fr", "If-None-Match": german.headers["etag"]}
    )
    assert cross.status_code == 200


async def test_signed_in_answers_are_private_and_never_304(client):
    await make_product(name="Kettle")
    token = token_for(await make_user())
    tag = (await get(client, NAMES)).headers["etag"]
    response = await get(client, NAMES, Authorization=f"Bearer {token}", **{"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers


async def test_a_shoppers_own_fields_are_private(client):
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    added = await client.query(
        "mutation($input: CartLineInput!) { addToCart(input: $input) { cartToken } }",
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
    )
    cart = "query($t: String!) { cart(cartToken: $t) { quote { itemCount } } }"
    response = await get(client, cart, {"t": added["addToCart"]["cartToken"]})
    assert response.json()["data"]["cart"]["quote"]["itemCount"] == 1
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers
    mixed = await get(client, "query { products(first: 1) { totalCount } me { id } }")
    assert mixed.headers["cache-control"] == "private, no-store"


async def test_posts_and_errors_are_private(client):
    posted = await client.http.post("/graphql", json={"query": NAMES})
    assert posted.headers["cache-control"] == "private, no-store"
    assert "etag" not in posted.headers
    failed = await get(client, "query { products(first: 500) { totalCount } }")
    assert failed.json()["errors"]
    assert failed.headers["cache-control"] == "private, no-store"
    assert "etag" not in failed.headers
    refused = await get(client, "query { products(first: 5) { nodes { nope } } }")
    assert refused.headers["cache-control"] == "private, no-store"


@pytest.fixture
async def caching_client(db):
    settings = Settings(response_cache_seconds=60, http_cache_seconds=30)
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


async def test_max_age_follows_the_setting_and_cached_answers_keep_their_etag(caching_client):
    await make_product(name="Kettle")
    first = await get(caching_client, NAMES)
    assert first.headers["cache-control"] == "public, max-age=30"
    second = await get(caching_client, NAMES)  # served from the response cache
    assert second.headers["etag"] == first.headers["etag"]
    not_modified = await get(caching_client, NAMES, **{"If-None-Match": first.headers["etag"]})
    assert not_modified.status_code == 304
