"""Product answers completed once are reused by later lists and pages, never wrongly.

Every test compares against the same request answered with nothing reused (the `client`
fixture's app has the cache off): a reused answer must be the answer.
"""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from models.catalog import Product, ProductTranslation, ProductVariant
from models.currency import ExchangeRate, PresentmentCurrency, RateSource
from schema.relay import encode_id
from server import create_app
from services.catalog import browsing, images
from settings import Settings
from tests.conftest import GraphQLClient
from tests.factories import make_brand, make_category, make_product, make_user, png_bytes
from tests.reviews.helpers import approve, make_buyer, write_review

GRID = """
query Grid($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name slug description featuredImage { url } category { name }
      variants { id name price { amount currency } stockStatus } } }
  }
}
"""

#: The storefront's card, through `nodes`, with a fragment, an alias and a condition.
CARDS = """
query Cards($first: Int!, $sort: ProductSortInput, $search: String, $alt: Boolean!) {
  products(first: $first, sortBy: $sort, filter: {search: $search}) {
    totalCount
    nodes { ...Card }
  }
}
fragment Card on Product {
  __typename id slug name originCountry ratingAverage ratingCount
  brand { id name }
  picture: featuredImage { url alt @include(if: $alt) width height }
  priceRange { min { amount formatted } max { amount formatted } }
  variants { id price { amount formatted } compareAtPrice { amount formatted }
    quantityAvailable stockStatus }
  ... on Product { category { name ancestors { name } } translations { locale name } }
}
"""

#: Text in one language, prices formatted in the request's.
FORMATTED = """
query Formatted($locale: String) {
  products(first: 2, locale: $locale) { nodes { name priceRange { min { formatted } } } }
}
"""

PAGE = """
query Page($slug: String!) {
  product(slug: $slug) { id name images(first: 1) { url } variants { sku quantityAvailable } }
}
"""

#: The storefront's product page with its approved reviews, alike for every shopper.
REVIEWED = """
query Reviewed($slug: String!, $reviews: Int) {
  product(slug: $slug) {
    name ratingAverage ratingCount
    reviews(first: $reviews) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id rating title body authorName createdAt status
        images { url } } }
    }
  }
}
"""


@pytest.fixture
async def reusing(db):
    """A client of an app that reuses product answers for a minute."""
    app = create_app(Settings(product_view_cache_seconds=60), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        yield GraphQLClient(http)


async def _catalog(count: int = 4) -> list[Product]:
    brand = await make_brand(name="Acme")
    parent = await make_category(name="Kitchen")
    category = await make_category(name="Tea", parent=parent)
    products = []
    for i in range(count):
        product = await make_product(
            name=f"Pot {i}",
            brand=brand,
            category=category,
            prices=("1.00", "2.50"),
            origin_country="CN",
        )
        await images.add_image(product.id, png_bytes(color="blue"), alt=f"front {i}")
        products.append(product)
    await ProductTranslation.create(product=products[0], locale="de", name="Teekanne 0")
    return products


def _names(data) -> list[str]:
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


async def test_reused_answers_are_the_answers(client, reusing):
    await _catalog()
    await PresentmentCurrency.create(code="JPY")
    await ExchangeRate.create(
        base="USD", quote="JPY", rate="150", source=RateSource.MANUAL, rate_date=date.today()
    )
    requests = [
        (GRID, {"first": 3}, {}),
        (GRID, {"first": 2, "after": None}, {"Accept-Language": "de"}),
        (CARDS, {"first": 4, "alt": True}, {}),
        (CARDS, {"first": 4, "alt": False}, {}),
        (CARDS, {"first": 4, "alt": False}, {"X-Currency": "JPY"}),
        (CARDS, {"first": 4, "alt": True}, {"Accept-Language": "de", "X-Currency": "JPY"}),
        (CARDS, {"first": 3, "alt": True, "sort": {"field": "PRICE", "direction": "ASC"}}, {}),
        (CARDS, {"first": 3, "alt": True, "search": "pot"}, {}),
        (FORMATTED, {"locale": "de"}, {"Accept-Language": "en"}),
        (FORMATTED, {"locale": "de"}, {"Accept-Language": "de"}),
        (PAGE, {"slug": "pot-0"}, {}),
        (PAGE, {"slug": "pot-0"}, {"Accept-Language": "de"}),
    ]
    for _ in range(2):  # built and stored, then reused
        for query, variables, headers in requests:
            expected = await client.query(query, variables, headers=headers)
            assert await reusing.query(query, variables, headers=headers) == expected


async def test_pages_walked_by_cursor_are_the_same(client, reusing):
    await _catalog(5)
    for sort in ("LISTED_AT", "PRICE", "NAME", "SALES", "RATING"):
        variables = {"first": 2, "after": None}
        query = GRID.replace("first: $first,", f"first: $first, sortBy: {{field: {sort}}},")
        for _ in range(3):
            expected = await client.query(query, variables)
            assert await reusing.query(query, variables) == expected
            variables["after"] = expected["products"]["pageInfo"]["endCursor"]


async def test_a_reused_page_reads_its_ids_only(reusing, count_queries):
    await _catalog(3)
    await reusing.query(GRID, {"first": 3})
    count_queries.statements.clear()
    data = await reusing.query(GRID, {"first": 3})
    assert _names(data) == ["Pot 2", "Pot 1", "Pot 0"]
    product_reads = [s for s in count_queries.statements if "catalog_" in s]
    assert len(product_reads) == 1, product_reads
    assert product_reads[0].startswith('SELECT "id" "id","listed_at" "listed_at" FROM')


async def test_an_answer_is_reused_until_a_change_flushes_it(reusing):
    product = (await _catalog(1))[0]
    assert _names(await reusing.query(GRID, {"first": 1})) == ["Pot 0"]
    await Product.filter(id=product.id).update(name="Renamed behind the API's back")
    await ProductVariant.filter(product_id=product.id).update(stock_on_hand=0)
    data = await reusing.query(GRID, {"first": 1})
    assert _names(data) == ["Pot 0"]  # reused
    assert data["products"]["edges"][0]["node"]["variants"][0]["stockStatus"] == "IN_STOCK"

    # Staff never see reused answers, nor leave theirs.
    staff = await reusing.staff(GRID, {"first": 1})
    assert _names(staff) == ["Renamed behind the API's back"]
    assert _names(await reusing.query(GRID, {"first": 1})) == ["Pot 0"]

    await reusing.staff('mutation { createBrand(input: {name: "Any"}) { errors { code } } }')
    data = await reusing.query(GRID, {"first": 1})
    assert _names(data) == ["Renamed behind the API's back"]
    assert data["products"]["edges"][0]["node"]["variants"][0]["stockStatus"] == "OUT_OF_STOCK"


async def test_reviews_are_reused_for_every_shopper_until_one_is_moderated(client, reusing):
    product = (await _catalog(1))[0]
    author, other = await make_buyer(product, nickname="Lin"), await make_user()
    first = await write_review(client, author, product, rating=4, title="Good pot")
    await approve(reusing, first["review"]["id"])
    second = await write_review(client, await make_buyer(product), product, rating=2)
    variables = {"slug": product.slug, "reviews": 1}
    for _ in range(2):  # built and stored, then reused
        for user in (None, author, other):
            expected = await client.query(REVIEWED, variables, user=user)
            assert await reusing.query(REVIEWED, variables, user=user) == expected
    reviews = expected["product"]["reviews"]
    assert (reviews["totalCount"], reviews["edges"][0]["node"]["authorName"]) == (1, "Lin")

    await Product.filter(id=product.id).update(name="Renamed")  # behind the API's back
    await approve(reusing, second["review"]["id"])
    data = await reusing.query(REVIEWED, variables)
    assert data == await client.query(REVIEWED, variables)
    assert (data["product"]["name"], data["product"]["reviews"]["totalCount"]) == ("Renamed", 2)


@pytest.mark.parametrize(
    "fields",
    [
        "name variants { product { name } }",  # members-first visibility
        "name reviews(first: 1) { nodes { isMine } }",
        "name reviews(first: 1) { nodes { moderationNote moderatedAt } }",
        "name reviews(first: 1) { nodes { product { name } } }",
    ],
)
async def test_fields_that_depend_on_the_viewer_are_never_reused(reusing, fields):
    product = (await _catalog(1))[0]
    query = f"{{ products(first: 1) {{ edges {{ node {{ {fields} }} }} }} }}"
    await reusing.query(query)
    await Product.filter(id=product.id).update(name="Renamed")
    assert _names(await reusing.query(query)) == ["Renamed"]


async def test_a_selection_completed_twice_is_never_reused(reusing):
    product = (await _catalog(1))[0]
    query = "{ products(first: 1) { edges { node { name } } nodes { slug } } }"
    await reusing.query(query)
    await Product.filter(id=product.id).update(name="Renamed")
    assert _names(await reusing.query(query)) == ["Renamed"]


async def test_a_product_deleted_between_the_two_reads_leaves_the_page(reusing, monkeypatch):
    products = await _catalog(3)
    reading = browsing.products_by_id

    async def deleted_meanwhile(ids, related=()):
        await Product.filter(id=products[1].id).delete()
        return await reading(ids, related)

    monkeypatch.setattr(browsing, "products_by_id", deleted_meanwhile)
    data = await reusing.query(GRID, {"first": 3})
    assert _names(data) == ["Pot 2", "Pot 0"]
    assert len({edge["cursor"] for edge in data["products"]["edges"]}) == 2


async def test_an_answer_built_while_a_change_flushes_is_not_kept(reusing, monkeypatch):
    """A shopper's page is being built when staff rename the product: what that page
    built must not be served afterwards."""
    product = (await _catalog(1))[0]
    from schema.catalog import views

    building, renamed = asyncio.Event(), asyncio.Event()
    build = views.build_products

    async def slow_build(*args, **kwargs):
        nodes = await build(*args, **kwargs)
        building.set()
        await renamed.wait()
        return nodes

    monkeypatch.setattr(views, "build_products", slow_build)
    shopper = asyncio.create_task(reusing.query(GRID, {"first": 1}))
    await building.wait()
    rename = """mutation($id: ID!) {
      updateProduct(input: {id: $id, name: "Renamed"}) { errors { code } } }"""
    staff = await reusing.staff(rename, {"id": encode_id("Product", product.id)})
    assert staff["updateProduct"]["errors"] == []
    renamed.set()
    assert _names(await shopper) == ["Pot 0"]  # read before the change
    monkeypatch.setattr(views, "build_products", build)
    assert _names(await reusing.query(GRID, {"first": 1})) == ["Renamed"]
