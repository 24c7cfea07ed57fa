"""Moderation reaches shoppers at once: approving flushes the cached anonymous answers."""

from __future__ import annotations

import httpx
import pytest

from server import create_app
from settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import gid, make_product
from tests.reviews.helpers import approve, make_buyer, write_review

REVIEWS = "query($id: ID!) { product(id: $id) { ratingCount reviews { nodes { title } } } }"


@pytest.fixture
async def cached_client(db):
    app = create_app(Settings(response_cache_seconds=60), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield GraphQLClient(http)


async def test_approving_a_review_flushes_the_storefront_cache(cached_client):
    product = await make_product()
    buyer = await make_buyer(product)
    variables = {"id": gid("Product", product.id)}
    review_id = (await write_review(cached_client, buyer, product, title="Lovely"))["review"]["id"]
    before = await cached_client.query(REVIEWS, variables)
    assert before["product"] == {"ratingCount": 0, "reviews": {"nodes": []}}
    await approve(cached_client, review_id)
    after = await cached_client.query(REVIEWS, variables)
    assert after["product"] == {"ratingCount": 1, "reviews": {"nodes": [{"title": "Lovely"}]}}
