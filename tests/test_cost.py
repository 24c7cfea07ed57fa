"""Query cost and the leaky bucket per client, reported in `extensions.cost`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
import socket
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from redis import asyncio as aioredis

from models.accounts import Role
from models.catalog import Brand
from server import create_app
from services import throttle
from settings import Settings
from tests.factories import gid, make_brand, make_product, make_user, token_for
from tests.live import serve

#: Restores one point every 100 seconds: nothing refills while a test runs.
SLOW = 0.01

PRODUCTS = """
query Grid($first: Int) {
  products(first: $first) { totalCount edges { node { name brand { name } } } }
}
"""
CREATE_BRAND = "mutation($name: String!) { createBrand(input: {name: $name}) { brand { name } } }"


@pytest.fixture(autouse=True)
def fresh_buckets() -> Any:
    """Each test starts with full in-process buckets, and leaves them so."""
    throttle.configure(None)
    yield
    throttle.configure(None)


class Client:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@contextlib.asynccontextmanager
async def shop(**overrides: Any) -> AsyncIterator[Client]:
    """A client of the app run with these settings."""
    app = create_app(Settings(**overrides), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield Client(http)


def status(body: dict[str, Any]) -> dict[str, Any]:
    throttle_status: dict[str, Any] = body["extensions"]["cost"]["throttleStatus"]
    return throttle_status


async def test_every_answer_reports_requested_and_actual_cost(db):
    await make_product(name="Lamp", brand=await make_brand(name="Kaze"))
    await make_product(name="Kettle")
    async with shop(query_cost_bucket_size=5000, query_cost_restore_rate=SLOW) as client:
        body = await client.post(PRODUCTS, {"first": 50})
    brands = sorted(str(edge["node"]["brand"]) for edge in body["data"]["products"]["edges"])
    assert brands == ["None", "{'name': 'Kaze'}"]
    # 2 for the connection, 50 nodes of 2 (the product and its brand) asked for;
    # 2 products came back, one with a brand: 5 points, and the other 97 are given back.
    assert body["extensions"]["cost"] == {
        "requestedQueryCost": 2 + 50 * 2,
        "actualQueryCost": 2 + 2 + 1,
        "throttleStatus": {
            "maximumAvailable": 5000,
            "currentlyAvailable": 5000 - 5,
            "restoreRate": SLOW,
        },
    }


async def test_the_default_page_and_scalars_are_costed_like_shopify(db):
    async with shop() as client:
        body = await client.post(
            "{ products { edges { cursor node { name } } } "
            "brands(last: 3) { nodes { name } pageInfo { hasNextPage } } }"
        )
    # products: 2 + 20 (the default page) nodes of 1; brands: 2 + 3 nodes + pageInfo 1.
    assert body["extensions"]["cost"]["requestedQueryCost"] == (2 + 20) + (2 + 3 + 1)
    # Nothing in the catalog: only the connections and the page info were answered.
    assert body["extensions"]["cost"]["actualQueryCost"] == 2 + (2 + 1)


async def test_a_variables_default_sizes_the_page(db):
    async with shop() as client:
        body = await client.post("query($n: Int = 50) { brands(first: $n) { nodes { name } } }")
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + 50


async def test_a_document_sent_again_is_costed_by_its_variables_each_time(db):
    async with shop(max_page_size=100) as client:
        costs = [
            (await client.post(PRODUCTS, variables))["extensions"]["cost"]["requestedQueryCost"]
            for variables in ({"first": 5}, {"first": 50}, {"first": 5}, {}, {"first": 500})
        ]
    # 2 + n nodes of 2 (product and brand); no size: the default page; over the limit: 100.
    assert costs == [12, 102, 12, 42, 202]


async def test_interfaces_cost_their_dearest_type_and_null_costs_nothing(db):
    brand = await make_brand(name="Kaze")
    query = """query($id: ID!) { node(id: $id) {
      ... on Product { brand { name } category { name } }
      ...BrandName
    } }
    fragment BrandName on Brand { name }"""
    async with shop() as client:
        found = await client.post(query, {"id": gid("Brand", brand.id)})
        missing = await client.post(query, {"id": gid("Brand", brand.id + 1000)})
    assert found["data"]["node"] == {"name": "Kaze"}
    assert found["extensions"]["cost"]["requestedQueryCost"] == 1 + 2
    assert found["extensions"]["cost"]["actualQueryCost"] == 1
    assert missing["data"]["node"] is None
    assert missing["extensions"]["cost"]["actualQueryCost"] == 0


REVIEWS_OF_PRODUCTS = """
query($reviews: Int) {
  products(first: 100) { edges { node { name reviews(first: $reviews) { nodes { title } } } } }
}
"""


async def test_a_query_over_the_cost_limit_is_refused_before_it_runs(db, count_queries):
    async with shop(max_query_cost=1000) as client:
        body = await client.post(REVIEWS_OF_PRODUCTS, {"reviews": 20})
    assert body["data"] is None
    [error] = body["errors"]
    # 100 products, each 1 plus a connection of 20 reviews (2 + 20).
    requested = 2 + 100 * (1 + 2 + 20)
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "requestedQueryCost": requested,
        "maximumCost": 1000,
    }
    assert count_queries.count == 0
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == requested and cost["actualQueryCost"] is None
    # Nothing was taken from the bucket.
    assert status(body)["currentlyAvailable"] == status(body)["maximumAvailable"]


async def test_pages_larger_than_allowed_are_costed_as_the_largest_page(db, settings):
    async with shop() as client:
        body = await client.post(REVIEWS_OF_PRODUCTS.replace("100", "1000"), {"reviews": 0})
    # The field refuses the page itself, with its own error; the cost counts 100 products.
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + settings.max_page_size * 3
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_mutation_over_the_cost_limit_writes_nothing(db):
    admin = await make_user(role=Role.ADMIN)
    async with shop(max_query_cost=10) as client:
        body = await client.post(CREATE_BRAND, {"name": "Kaze"}, token_for(admin))
    # A mutation's root field costs 10, plus 1 for the brand in its payload.
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert body["errors"][0]["extensions"]["requestedQueryCost"] == 11
    assert await Brand.all().count() == 0


async def test_an_empty_bucket_throttles_and_nothing_runs(db):
    admin = await make_user(role=Role.ADMIN)
    async with shop(query_cost_bucket_size=25, query_cost_restore_rate=SLOW) as client:
        token = token_for(admin)
        first = await client.post(CREATE_BRAND, {"name": "One"}, token)
        second = await client.post(CREATE_BRAND, {"name": "Two"}, token)
        third = await client.post(CREATE_BRAND, {"name": "Three"}, token)
        # Another client has a bucket of its own.
        anonymous = await client.post("{ brands { nodes { name } } }")
    assert first["data"]["createBrand"]["brand"] == {"name": "One"}
    assert status(first)["currentlyAvailable"] == 14
    assert second["data"]["createBrand"]["brand"] == {"name": "Two"}
    assert third["data"] is None
    [error] = third["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    # 11 points asked for, 3 left, restoring 0.01 a second.
    assert error["extensions"]["retryAfter"] == math.ceil((11 - 3) / SLOW)
    assert third["extensions"]["cost"]["requestedQueryCost"] == 11
    assert third["extensions"]["cost"]["actualQueryCost"] is None
    assert status(third)["currentlyAvailable"] == 3
    assert sorted(await Brand.all().values_list("name", flat=True)) == ["One", "Two"]
    assert [node["name"] for node in anonymous["data"]["brands"]["nodes"]] == ["One", "Two"]


async def test_unused_points_are_given_back(db):
    async with shop(query_cost_bucket_size=120, query_cost_restore_rate=SLOW) as client:
        bodies = [await client.post(PRODUCTS, {"first": 50}) for _ in range(5)]
    # Each asks 102 of a 120-point bucket but costs 2 (an empty catalog): none is throttled.
    assert all("errors" not in body for body in bodies)
    assert status(bodies[-1])["currentlyAvailable"] == 120 - 5 * 2


def _redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


async def _concurrent_brands(client: Client, token: str, n: int) -> list[dict[str, Any]]:
    return await asyncio.gather(
        *(client.post(CREATE_BRAND, {"name": f"Brand {i}"}, token) for i in range(n))
    )


async def test_concurrent_requests_never_spend_the_same_points(db):
    """Eight mutations at once against a bucket for three: three run, five are throttled."""
    url = _redis_url()
    redis_client = aioredis.Redis.from_url(url) if url else None
    buckets = throttle.configure(redis_client)
    if isinstance(buckets, throttle.FallbackBuckets):
        buckets.primary.prefix = f"tw:test:{uuid.uuid4().hex}:"
    admin = await make_user(role=Role.ADMIN)
    try:
        async with shop(query_cost_bucket_size=11 * 3 + 5, query_cost_restore_rate=SLOW) as client:
            bodies = await _concurrent_brands(client, token_for(admin), 8)
    finally:
        if redis_client is not None:
            assert isinstance(buckets, throttle.FallbackBuckets) and not buckets.degraded
            await redis_client.aclose()
    codes = sorted(body["errors"][0]["extensions"]["code"] for body in bodies if "errors" in body)
    assert codes == ["THROTTLED"] * 5
    assert await Brand.all().count() == 3


@pytest.mark.skipif(not _redis_url(), reason="needs REDIS_URL")
async def test_redis_buckets_are_shared_by_every_process(db):
    prefix = f"tw:test:{uuid.uuid4().hex}:"
    url = _redis_url()
    assert url is not None
    one, two = aioredis.Redis.from_url(url), aioredis.Redis.from_url(url)
    try:
        first, second = throttle.RedisBuckets(one, prefix), throttle.RedisBuckets(two, prefix)
        await first.take("address:a", 30, maximum=50, rate=SLOW)
        with pytest.raises(throttle.Throttled) as refused:
            await second.take("address:a", 30, maximum=50, rate=SLOW)
        assert math.floor(refused.value.status.available) == 20
        after = await second.give_back("address:a", 10, maximum=50, rate=SLOW)
        assert math.floor(after.available) == 30
    finally:
        await one.aclose()
        await two.aclose()


async def test_unreachable_redis_falls_back_to_memory_and_says_so_once(db, caplog):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    dead = aioredis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)
    buckets = throttle.configure(dead)
    try:
        with caplog.at_level(logging.WARNING, logger="tradewind.throttle"):
            async with shop(query_cost_bucket_size=500, query_cost_restore_rate=SLOW) as client:
                first = await client.post(PRODUCTS, {"first": 10})
                assert isinstance(buckets, throttle.FallbackBuckets)
                buckets.retry_seconds = 0  # every request tries Redis again
                second = await client.post(PRODUCTS, {"first": 10})
    finally:
        await dead.aclose()
    assert first["data"]["products"]["totalCount"] == 0
    assert "errors" not in second
    # Kept in this process: the first request's 2 points are still spent.
    assert status(second)["currentlyAvailable"] == 500 - 2 - 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "tradewind.throttle"]
    assert len(warnings) == 1 and warnings[0].startswith("throttle.redis_unavailable")


@contextlib.asynccontextmanager
async def served(**overrides: Any) -> AsyncIterator[str]:
    """The app with these settings, served by uvicorn on a free loopback port."""
    app = create_app(Settings(**overrides), manage_database=False)
    async with serve(app) as address:
        yield f"ws://{address}/graphql"


async def _subscribe(url: str, token: str, query: str) -> dict[str, Any]:
    async with websockets.connect(
        url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
    ) as ws:
        await ws.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout=5))
        return message


async def test_subscriptions_are_costed_when_they_start(db):
    admin = await make_user(role=Role.ADMIN)
    query = "subscription { productListingChanged { productId product { name brand { name } } } }"
    async with served(max_query_cost=2) as url:
        message = await _subscribe(url, token_for(admin), query)
    assert message["type"] == "next"
    assert message["payload"]["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert message["payload"]["errors"][0]["extensions"]["requestedQueryCost"] == 3


async def test_a_reused_answer_reports_the_callers_own_bucket(db):
    await make_product(name="Lamp")
    app = create_app(
        Settings(
            response_cache_seconds=60, query_cost_bucket_size=500, query_cost_restore_rate=SLOW
        ),
        manage_database=False,
    )
    bodies = []
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.1"):
        transport = httpx.ASGITransport(app=app, client=(address, 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
            bodies.append(await Client(http).post(PRODUCTS, {"first": 10}))
    ran, other, again = (body["extensions"]["cost"] for body in bodies)
    assert [body["data"] for body in bodies] == [bodies[0]["data"]] * 3
    # The first caller ran it: 2 + 1 product; the answer was then reused, costing nothing.
    assert ran["actualQueryCost"] == 3 and ran["throttleStatus"]["currentlyAvailable"] == 497
    assert other["requestedQueryCost"] == ran["requestedQueryCost"] == 2 + 10 * 2
    assert other["actualQueryCost"] == 0
    assert other["throttleStatus"]["currentlyAvailable"] == 500
    assert again["actualQueryCost"] == 0
    assert again["throttleStatus"]["currentlyAvailable"] == 497


async def test_the_readmes_worked_example(db):
    brand = await make_brand(name="Kaze")
    for name, with_brand in (("Lamp", True), ("Kettle", True), ("Bowl", False)):
        await make_product(name=name, brand=brand if with_brand else None)
    query = (
        "{ products(first: 10) { edges { node {"
        " name brand { name } variants { price { formatted } } } } } }"
    )
    async with shop(query_cost_restore_rate=SLOW) as client:
        body = await client.post(query)
    cost = body["extensions"]["cost"]
    assert (cost["requestedQueryCost"], cost["actualQueryCost"]) == (42, 13)
    assert status(body)["currentlyAvailable"] == status(body)["maximumAvailable"] - 13


async def test_a_subscription_over_the_bucket_is_throttled_when_it_starts(db):
    admin = await make_user(role=Role.ADMIN)
    query = "subscription { productListingChanged { productId product { name brand { name } } } }"
    async with served(query_cost_bucket_size=2, query_cost_restore_rate=SLOW) as url:
        message = await _subscribe(url, token_for(admin), query)
    assert message["type"] == "next"
    [error] = message["payload"]["errors"]
    assert error["extensions"]["code"] == "THROTTLED"
    assert error["extensions"]["retryAfter"] == math.ceil((3 - 2) / SLOW)
