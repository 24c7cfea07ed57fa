"""Anonymous query answers are reused, and flushed by any change."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from models.catalog import Product
from schema.response_cache import ResponseCache, announce_change, following
from server import create_app
from settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import make_product

NAMES = "{ products(first: 5) { edges { node { name } } } }"


@pytest.fixture
async def cached_client(db):
    app = create_app(Settings(response_cache_seconds=60), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


def names(data) -> list[str]:
    return [e["node"]["name"] for e in data["products"]["edges"]]


async def test_anonymous_answers_are_reused_until_a_mutation(cached_client):
    product = await make_product(name="Kettle")
    assert names(await cached_client.query(NAMES)) == ["Kettle"]
    await Product.filter(id=product.id).update(name="Renamed behind the API's back")
    assert names(await cached_client.query(NAMES)) == ["Kettle"]  # served from the cache

    staff_view = await cached_client.staff(NAMES)  # staff are never served cached answers
    assert names(staff_view) == ["Renamed behind the API's back"]

    await cached_client.staff(
        'mutation { createBrand(input: {name: "Any change"}) { errors { code } } }'
    )
    assert names(await cached_client.query(NAMES)) == ["Renamed behind the API's back"]


async def test_language_and_variables_are_part_of_the_key(cached_client):
    await make_product(name="Lamp")
    query = "query($n: Int) { products(first: $n) { edges { node { locale } } } }"
    german = await cached_client.query(query, {"n": 1}, headers={"Accept-Language": "de"})
    french = await cached_client.query(query, {"n": 1}, headers={"Accept-Language": "fr"})
    assert german["products"]["edges"][0]["node"]["locale"] == "de"
    assert french["products"]["edges"][0]["node"]["locale"] == "fr"


async def test_errors_are_not_cached(cached_client):
    await make_product(name="Cup")
    body = await cached_client.request("{ products(first: 500) { totalCount } }")
    assert body["errors"]
    assert await cached_client.query("{ products(first: 5) { totalCount } }") == {
        "products": {"totalCount": 1}
    }


async def test_a_change_announced_by_another_process_flushes_the_cache(event_bus):
    cache = ResponseCache(seconds=60, size=10)
    async with following([cache], event_bus):
        await asyncio.sleep(0.05)
        before = cache.generation
        await announce_change()
        for _ in range(100):
            if cache.generation != before:
                break
            await asyncio.sleep(0.01)
    assert cache.generation == before + 1


async def test_concurrent_misses_of_one_key_share_one_run():
    cache = ResponseCache(seconds=60, size=10)
    runs = 0

    class Result:
        data = {"a": 1}
        errors = None

    async def run():
        nonlocal runs
        runs += 1
        await asyncio.sleep(0.05)
        return Result()

    key = ("POST", "{ a }", None, b"{}", "en", "http://x/media/", None)
    results = await asyncio.gather(*(cache.get_or_run(key, run) for _ in range(10)))
    assert runs == 1 and len({id(r) for r in results}) == 1
    await cache.get_or_run(key, run)
    assert runs == 1
    cache.flush()
    await cache.get_or_run(key, run)
    assert runs == 2


async def test_a_shoppers_own_answers_are_never_reused(cached_client):
    from models.catalog import ProductVariant
    from tests.factories import gid, make_product

    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    added = await cached_client.query(
        """mutation($input: CartLineInput!) { addToCart(input: $input) { cartToken } }""",
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
    )
    token = added["addToCart"]["cartToken"]
    cart = "query($t: String!) { cart(cartToken: $t) { quote { itemCount } } }"
    assert (await cached_client.query(cart, {"t": token}))["cart"]["quote"]["itemCount"] == 1
    await cached_client.query(
        """mutation($input: CartLineInput!) { addToCart(input: $input) { cartToken } }""",
        {
            "input": {
                "cartToken": token,
                "variantId": gid("ProductVariant", variant.id),
                "quantity": 2,
            }
        },
    )
    # A shopper's mutation flushes nothing, so only never storing the cart keeps it right.
    assert (await cached_client.query(cart, {"t": token}))["cart"]["quote"]["itemCount"] == 3


async def test_gets_and_posts_of_one_query_racing_each_get_the_answer(cached_client):
    await make_product(name="Teapot")
    http = cached_client.http

    async def get() -> httpx.Response:
        return await http.get("/graphql", params={"query": NAMES})

    async def post() -> httpx.Response:
        return await http.post("/graphql", json={"query": NAMES})

    for _ in range(2):  # a cold cache (shared runs), then a warm one
        responses = await asyncio.gather(*(f() for _ in range(15) for f in (get, post)))
        assert [r.status_code for r in responses] == [200] * 30
        assert all(names(r.json()["data"]) == ["Teapot"] for r in responses)


async def test_a_get_never_reuses_a_posts_answer_and_the_reverse():
    from graphql import OperationDefinitionNode, parse

    from schema.context import Context
    from settings import get_settings

    cache = ResponseCache(seconds=60, size=10)
    operation = parse(NAMES).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    context = Context(
        request=None,  # type: ignore[arg-type]
        response=None,
        settings=get_settings(),
        request_id="r",
        locale="en",
        media_base="http://x/media/",
    )

    def key(method: str):
        return cache.key(
            method=method,
            query=NAMES,
            operation=operation,
            variables=None,
            extensions=None,
            context=context,
        )

    assert key("GET") is not None and key("POST") is not None
    assert key("GET") != key("POST")
