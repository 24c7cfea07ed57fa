"""The HTTP transport: GET, media types, malformed requests, body limits, CORS, parsing."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import graphql.language.parser
import httpx
import pytest

from models.orders import Cart
from server import create_app
from settings import Settings
from tests.factories import gid, make_brand, make_product

GQL = "application/graphql-response+json"
BRANDS = "{ brands { totalCount } }"
ADD_TO_CART = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken }
}"""


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["errors"][0]["extensions"]["code"]
    return code


# Queries over GET; mutations only over POST


async def test_a_query_is_served_over_get_with_json_variables(client):
    await make_brand(name="Solano")
    response = await client.http.get(
        "/graphql",
        params={
            "query": "query($n: Int) { brands(first: $n) { nodes { name } } }",
            "variables": json.dumps({"n": 5}),
        },
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"brands": {"nodes": [{"name": "Solano"}]}}


async def test_a_mutation_over_get_is_refused_with_405_and_changes_nothing(client):
    product = await make_product(stock=(5,))
    variant = (await product.variants.all())[0]
    variables = {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}
    response = await client.http.get(
        "/graphql", params={"query": ADD_TO_CART, "variables": json.dumps(variables)}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert error_code(response) == "METHOD_NOT_ALLOWED"
    assert await Cart.all().count() == 0


async def test_methods_other_than_get_and_post_get_a_json_405(client):
    response = await client.http.put("/graphql", json={"query": BRANDS})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert error_code(response) == "METHOD_NOT_ALLOWED"


# application/graphql-response+json


async def test_graphql_response_json_is_answered_when_the_client_accepts_it(client):
    response = await client.http.post("/graphql", json={"query": BRANDS}, headers={"Accept": GQL})
    assert response.status_code == 200
    assert response.headers["content-type"] == GQL
    assert response.json()["data"] == {"brands": {"totalCount": 0}}
    legacy = await client.http.post("/graphql", json={"query": BRANDS}, headers={"Accept": "*/*"})
    assert legacy.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ brands { totalCount "},  # syntax
        {"query": "{ noSuchField }"},  # validation
        {"query": "query($n: Int!) { brands(first: $n) { totalCount } }", "variables": {}},
    ],
    ids=["syntax", "validation", "variables"],
)
async def test_request_errors_are_400_without_data_only_under_graphql_response_json(client, body):
    response = await client.http.post("/graphql", json=body, headers={"Accept": GQL})
    assert response.status_code == 400
    answer = response.json()
    assert "data" not in answer and answer["errors"][0]["message"]
    legacy = await client.http.post("/graphql", json=body, headers={"Accept": "application/json"})
    assert legacy.status_code == 200
    assert legacy.json()["data"] is None and legacy.json()["errors"]


async def test_a_field_error_keeps_status_200_under_graphql_response_json(client):
    product = await make_product()
    response = await client.http.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { product(id: $id) { variants { stockOnHand } } }",
            "variables": {"id": gid("Product", product.id)},
        },
        headers={"Accept": GQL},
    )
    assert response.status_code == 200
    assert "data" in response.json()
    assert error_code(response) == "UNAUTHENTICATED"


# Malformed requests: a 400 (or 415) with a JSON error, never a 500

MALFORMED_BODIES = {
    "invalid utf-8": b'{"query": "{ brands { totalCount } }", "operationName": "\xff\xfe"}',
    "deeply nested": b"[" * 200_000,
    "deeply nested variables": b'{"query": "{ __typename }", "variables": {"a": '
    + b"[" * 200_000
    + b"}}",
    "a json string": b'"{ brands { totalCount } }"',
    "null": b"null",
    "a list": b'[{"query": "{ __typename }"}]',
    "a number": b"1",
    "empty": b"",
    "truncated": b'{"query": "{ __typename }"',
    "object query": b'{"query": {"a": 1}}',
    "numeric operationName": b'{"query": "{ __typename }", "operationName": 1}',
    "list operationName": b'{"query": "{ __typename }", "operationName": ["x"]}',
    "string variables": b'{"query": "{ __typename }", "variables": "{}"}',
    "list variables": b'{"query": "{ __typename }", "variables": []}',
    "numeric extensions": b'{"query": "{ __typename }", "extensions": 1}',
    "no query": b'{"notquery": "{ __typename }"}',
}


@pytest.mark.parametrize("body", MALFORMED_BODIES.values(), ids=MALFORMED_BODIES.keys())
@pytest.mark.parametrize("accept", ["application/json", GQL])
async def test_a_malformed_request_gets_a_400_with_a_json_error(client, body, accept):
    response = await client.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json", "Accept": accept}
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == accept
    assert error_code(response) == "BAD_REQUEST"
    assert len(response.headers["x-request-id"]) == 32


@pytest.mark.parametrize(
    "params",
    [
        {"query": "{ __typename }", "variables": "{not json"},
        {"query": "{ __typename }", "variables": "[" * 100_00},
        {"query": "{ __typename }", "extensions": "1"},
        {"query": "{ __typename }", "variables": '"{}"'},
    ],
    ids=["bad json", "deep", "numeric extensions", "string variables"],
)
async def test_a_malformed_get_gets_a_400_with_a_json_error(client, params):
    response = await client.http.get("/graphql", params=params)
    assert response.status_code == 400, response.text
    assert error_code(response) == "BAD_REQUEST"


async def test_a_get_longer_than_the_body_limit_gets_a_414(db):
    app = create_app(Settings(max_request_bytes=4096), manage_database=False)
    query = "{ " + "__typename " * 400 + "}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        response = await http.get("/graphql", params={"query": query})
    assert response.status_code == 414
    assert error_code(response) == "URI_TOO_LONG"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml"])
async def test_a_body_of_another_media_type_gets_a_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.http.post(
        "/graphql", content=json.dumps({"query": BRANDS}).encode(), headers=headers
    )
    assert response.status_code == 415
    assert error_code(response) == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize(
    "operations, files_map",
    [
        ('"a string"', '{"0": ["variables.file"]}'),
        ("[1, 2]", '{"0": ["variables.file"]}'),
        ('{"query": "{ __typename }"}', '{"0": ["variables.no.such.path"]}'),
        ('{"query": "{ __typename }"}', '"not a map"'),
        ("{not json", "{}"),
    ],
    ids=["string operations", "list operations", "bad path", "string map", "bad json"],
)
async def test_a_malformed_multipart_request_gets_a_400(client, operations, files_map):
    response = await client.http.post(
        "/graphql",
        data={"operations": operations, "map": files_map},
        files={"0": ("a.png", b"png", "image/png")},
    )
    assert response.status_code == 400, response.text
    assert error_code(response) == "BAD_REQUEST"


# Body limits that hold for chunked bodies


class Chunks:
    """A body sent in chunks with no Content-Length, counting what the server pulled."""

    def __init__(self, chunk: bytes, total: int, head: bytes = b"") -> None:
        self.head, self.chunk, self.total, self.pulled = head, chunk, total, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.head:
            self.pulled += len(self.head)
            yield self.head
        while self.pulled < self.total:
            self.pulled += len(self.chunk)
            yield self.chunk


async def test_a_chunked_json_body_over_the_limit_is_refused_while_it_streams(client, settings):
    body = Chunks(
        b'"abcdefgh",' * 6000, 64 * 1024 * 1024, head=b'{"query": "{ __typename }", "v": ['
    )
    response = await client.http.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert error_code(response) == "PAYLOAD_TOO_LARGE"
    assert "content-length" not in response.request.headers
    assert body.pulled <= settings.max_request_bytes + len(body.chunk) + len(body.head)


async def test_a_chunked_multipart_upload_over_the_limit_is_refused_while_it_streams(
    client, settings
):
    from models.catalog import ProductImage

    product = await make_product()
    operations = json.dumps(
        {
            "query": "mutation($input: UploadProductImageInput!) {"
            " uploadProductImage(input: $input) { errors { code } } }",
            "variables": {"input": {"productId": gid("Product", product.id), "file": None}},
        }
    )
    head = (
        b'--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        + operations.encode()
        + b'\r\n--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        + b'{"0": ["variables.input.file"]}'
        + b'\r\n--x\r\nContent-Disposition: form-data; name="0"; filename="a.png"\r\n'
        + b"Content-Type: image/png\r\n\r\n"
    )
    limit = settings.max_request_bytes + settings.max_image_bytes
    body = Chunks(b"\x00" * 65536, 4 * limit, head=head)
    response = await client.http.post(
        "/graphql",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413
    assert body.pulled <= limit + len(body.chunk) + len(head)
    assert await ProductImage.all().count() == 0


async def test_a_live_server_answers_413_before_an_endless_chunked_body_ends(live_server):
    address = urlsplit(live_server)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: shop.test\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    answer = asyncio.create_task(reader.readline())
    chunk = b"%x\r\n%s\r\n" % (65536, b"[" * 65536)
    sent = 0
    with contextlib.suppress(ConnectionError):
        while sent < 64 * 1024 * 1024 and not answer.done():
            writer.write(chunk)
            sent += 65536
            await asyncio.wait_for(writer.drain(), timeout=10)
    status = await asyncio.wait_for(answer, timeout=10)
    writer.close()
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < 64 * 1024 * 1024  # answered long before the body would have ended


# One bounded parse per request


@pytest.fixture
def parses(monkeypatch) -> list[Any]:
    """The `max_tokens` of every graphql-core parser made while the test runs."""
    made: list[Any] = []
    original = graphql.language.parser.Parser.__init__

    def spy(self: Any, source: Any, **options: Any) -> None:
        made.append(options.get("max_tokens"))
        original(self, source, **options)

    monkeypatch.setattr(graphql.language.parser.Parser, "__init__", spy)
    return made


@pytest.fixture
async def cached_http(db) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(response_cache_seconds=60), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as http:
        yield http


async def test_an_anonymous_query_is_parsed_once_within_the_token_limit(
    cached_http, parses, settings
):
    query = "query OnceOnly { brands { totalCount } }"
    response = await cached_http.post("/graphql", json={"query": query})
    assert response.json()["data"] == {"brands": {"totalCount": 0}}
    assert parses == [settings.max_query_tokens]


async def test_a_huge_anonymous_query_is_refused_by_the_token_limit(cached_http, parses, settings):
    huge = "{ " + "__typename " * ((settings.max_request_bytes - 100) // 11) + "}"
    for headers in ({}, {"Accept": GQL}):
        response = await cached_http.post("/graphql", json={"query": huge}, headers=headers)
        assert "more than" in response.json()["errors"][0]["message"]
        assert error_code(response) == "GRAPHQL_VALIDATION_FAILED"
    assert response.status_code == 400
    assert parses == [settings.max_query_tokens] * 2


# CORS


@pytest.fixture
async def shop_http(db) -> AsyncIterator[httpx.AsyncClient]:
    # Written as operators do; browsers send `https://shop.example.com`.
    settings = Settings(allowed_origins=["https://Shop.Example.com/"])
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as http:
        yield http


async def test_a_storefront_on_a_listed_origin_may_call_the_api(shop_http):
    preflight = await shop_http.options(
        "/graphql",
        headers={
            "Origin": "https://shop.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization, x-currency",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example.com"
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert {"content-type", "authorization", "x-currency"} <= {
        h.strip() for h in allowed.split(",")
    }
    response = await shop_http.post(
        "/graphql", json={"query": BRANDS}, headers={"Origin": "https://shop.example.com"}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://shop.example.com"
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


async def test_other_origins_are_not_allowed(shop_http):
    preflight = await shop_http.options(
        "/graphql",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    response = await shop_http.post(
        "/graphql", json={"query": BRANDS}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers
