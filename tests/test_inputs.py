"""Bad values are refused with BAD_USER_INPUT before anything runs, whatever field takes them.

On PostgreSQL each of these used to be a 500 (asyncpg refuses NUL, lone surrogates and keys
over 2^31-1); on SQLite they were answered, a 5 MB search string included.
"""

from __future__ import annotations

import base64
import json
import logging
from typing import Any

import pytest

from models.orders import Cart, Order
from models.payments import Payment
from tests.conftest import GraphQLClient
from tests.factories import gid, make_order, make_product, make_user
from tests.live import next_message, subscribe

HUGE_KEY = 2**31  # one more than an INTEGER column holds


def raw_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def raw_request(
    client: GraphQLClient, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """A request whose JSON escapes lone surrogates (`\\ud800`), as a hostile client sends it."""
    content = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    response = await client.http.post(
        "/graphql", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def refusal(body: dict[str, Any]) -> dict[str, Any]:
    """The one error of a refused request; nothing of it ran."""
    assert body.get("data") is None, body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    return error


NODE = "query ($id: ID!) { node(id: $id) { id } }"
NODES = "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }"
PRODUCT = "query ($id: ID) { product(id: $id) { id name } }"
ADD_TO_CART = """
mutation ($input: CartLineInput!) { addToCart(input: $input) { cartToken errors { code } } }
"""
SHIPPING_OPTIONS = """
query ($items: [ShippingItemInput!]!) {
  shippingOptions(destination: {country: DE}, items: $items) { options { serviceId } }
}
"""


@pytest.mark.parametrize(
    "value",
    [
        gid("Product", HUGE_KEY),
        gid("Product", 10**30),
        gid("Product", 0),
        raw_id("Product:-5"),
        raw_id("Product:abc"),
        raw_id("Product:" + "9" * 5000),
        raw_id("Product:1:2"),
    ],
)
async def test_an_id_whose_key_cannot_be_a_row_is_refused_everywhere(
    client: GraphQLClient, value: str
) -> None:
    product = await make_product()
    good = gid("Product", product.id)
    error = refusal(await client.request(NODE, {"id": value}))
    assert error["extensions"]["reason"] in {"INVALID_ID", "TOO_LONG"}
    assert error["extensions"]["field"] == ["id"]
    error = refusal(await client.request(NODES, {"ids": [good, value]}))
    assert error["extensions"]["field"] == ["ids", "1"]
    refusal(await client.request(PRODUCT, {"id": value}))
    refusal(
        await client.request(SHIPPING_OPTIONS, {"items": [{"variantId": value, "quantity": 1}]})
    )
    refusal(await client.request(ADD_TO_CART, {"input": {"variantId": value, "quantity": 1}}))
    # The same in a literal, where a client writes the value into the document.
    literal = await client.request(f'{{ node(id: "{value}") {{ id }} }}')
    assert literal["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Cart.all().count() == 0


async def test_ids_that_fit_are_answered_as_before(client: GraphQLClient) -> None:
    product = await make_product()
    data = await client.query(
        NODES, {"ids": [gid("Product", product.id), gid("Product", 2**31 - 1)]}
    )
    assert data["nodes"] == [{"id": gid("Product", product.id)}, None]
    assert (await client.query(NODE, {"id": gid("Product", 2**31 - 1)}))["node"] is None
    # Text that is no global ID at all is left to the field, as before.
    body = await client.request(NODE, {"id": "nonsense"})
    assert body["data"] == {"node": None}


ORDER = "query ($number: String) { order(number: $number) { number } }"
LOOKUP = (
    'query ($number: String!) { orderLookup(number: $number, email: "a@example.com") { number } }'
)
METHODS = (
    'query ($number: String!) { paymentMethods(orderNumber: $number, email: "a@example.com") }'
)
CREATE_PAYMENT = """
mutation ($number: String!) {
  createPayment(input: {orderNumber: $number, method: "card", email: "a@example.com"}) {
    payment { id } errors { code }
  }
}
"""


@pytest.mark.parametrize(
    "number", ["TW123", "TW12345678901", "TWABCDEFGU", "XX8K2M4Q0A", "TW8K2M4Q0Ä", "x" * 100_000]
)
async def test_an_order_number_of_the_wrong_shape_is_refused(
    client: GraphQLClient, number: str
) -> None:
    shopper = await make_user()
    for query, user in (
        (ORDER, shopper),
        (LOOKUP, None),
        (METHODS, None),
        (CREATE_PAYMENT, None),
    ):
        error = refusal(await client.request(query, {"number": number}, user=user))
        assert error["extensions"]["reason"] in {"INVALID_ORDER_NUMBER", "TOO_LONG"}
    assert await Payment.all().count() == 0


async def test_an_order_number_as_people_type_it_still_finds_the_order(
    client: GraphQLClient,
) -> None:
    product = await make_product()
    shopper = await make_user()
    order = await make_order(shopper, [(await product.variants.all().first(), 1)])  # type: ignore[list-item]
    typed = f" {order.number[:5]}-{order.number[5:].lower()} "
    data = await client.query(ORDER, {"number": typed}, user=shopper)
    assert data["order"] == {"number": order.number}
    listed = await client.query(
        "query ($n: String) { orders(first: 5, filter: {number: $n}) { nodes { number } } }",
        {"n": order.number[:4]},
        staff=True,
    )
    assert listed["orders"]["nodes"] == [{"number": order.number}]
    refusal(
        await client.request(
            '{ orders(first: 5, filter: {number: "ZZ"}) { nodes { number } } }', staff=True
        )
    )


SEARCH = "query ($q: String) { products(first: 5, filter: {search: $q}) { totalCount } }"


@pytest.mark.parametrize("bad", ["linen\x00", "linen\ud800", "\udfff"])
async def test_nul_and_lone_surrogates_are_refused_in_variables(
    client: GraphQLClient, bad: str
) -> None:
    error = refusal(await raw_request(client, SEARCH, {"q": bad}))
    assert error["extensions"]["reason"] == "INVALID_CHARACTERS"


async def test_nul_is_refused_in_a_literal_and_deep_in_an_input_object(
    client: GraphQLClient,
) -> None:
    error = refusal(
        await client.request('{ products(first: 5, filter: {search: "a\\u0000b"}) { totalCount } }')
    )
    assert error["extensions"]["field"] == ["filter", "search"]
    assert error["locations"]
    shopper = await make_user()
    address = {"fullName": "Ana\x00", "line1": "1 Main St", "city": "Berlin", "country": "DE"}
    body = await client.request(
        """
        mutation ($input: CreateAddressInput!) { createAddress(input: $input) { errors { code } } }
        """,
        {"input": address},
        user=shopper,
    )
    assert refusal(body)["extensions"]["field"] == ["input", "fullName"]
    # Enum values and unknown keys go through the same check: no encoder ever sees them.
    body = await raw_request(client, SEARCH, {"q": "linen", "other\ud800": 1})
    assert refusal(body)["extensions"]["reason"] == "INVALID_CHARACTERS"


async def test_strings_over_their_kind_maximum_are_refused(client: GraphQLClient) -> None:
    await make_product(name="Linen shirt")
    assert (await client.query(SEARCH, {"q": "l" * 200}))["products"]["totalCount"] == 0
    error = refusal(await client.request(SEARCH, {"q": "l" * 201}))
    assert error["extensions"]["reason"] == "TOO_LONG"
    assert "200" in error["message"]
    # As long as a body may be (1 MiB), the search is refused with a short message.
    error = refusal(await client.request(SEARCH, {"q": "l" * 900 * 1024}))
    assert len(error["message"]) < 200
    # A 5 MB search never reaches GraphQL: the body limit answers first.
    huge = await client.http.post(
        "/graphql", json={"query": SEARCH, "variables": {"q": "l" * 5 * 1024 * 1024}}
    )
    assert huge.status_code == 413
    assert huge.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    sign_in = """
    mutation ($login: String!) { signIn(input: {login: $login, password: "p"}) { errors { code } } }
    """
    refusal(await client.request(sign_in, {"login": "a" * 321}))


async def test_a_refused_value_is_logged_cut_short(
    client: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tradewind.graphql"):
        refusal(await client.request(SEARCH, {"q": "z" * 100_000}))
    [line] = [r.getMessage() for r in caplog.records if "input_refused" in r.getMessage()]
    assert "filter.search" in line and "TOO_LONG" in line
    assert len(line) < 300


async def test_a_subscription_with_a_bad_number_gets_an_error(live_server: str) -> None:
    ws = await subscribe(
        live_server,
        None,
        "subscription ($n: String!) { orderStatusChanged(number: $n) { status } }",
        {"n": "TW\x00"},
    )
    try:
        message = await next_message(ws)
        assert message["type"] in {"next", "error"}, message
        errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    finally:
        await ws.close()
    assert await Order.all().count() == 0


PUBLISH = """
mutation ($input: PublishProductInput!) { publishProduct(input: $input) { errors { code } } }
"""


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0999-12-31T23:00:00Z"]
)
async def test_a_time_past_what_a_clock_can_hold_is_refused(
    client: GraphQLClient, moment: str
) -> None:
    # Stored, such a time made every later read of the product fail.
    product = await make_product(publish=False)
    body = await client.request(
        PUBLISH, {"input": {"id": gid("Product", product.id), "publishAt": moment}}, staff=True
    )
    assert refusal(body)["extensions"]["reason"] == "OUT_OF_RANGE"
    await product.refresh_from_db()
    assert product.publish_at is None
    assert (await client.query(PRODUCT, {"id": gid("Product", product.id)}, staff=True))["product"][
        "id"
    ] == gid("Product", product.id)


REVIEWS = "query ($r: Int) { reviews(first: 5, filter: {rating: $r}) { totalCount } }"


@pytest.mark.parametrize("rating", [0, -1, 6, 40_000, 2**31 - 1])
async def test_a_rating_filter_outside_one_to_five_is_refused(
    client: GraphQLClient, rating: int
) -> None:
    # The rating column is a SMALLINT: PostgreSQL refused 40000 with a 500.
    body = await client.request(REVIEWS, {"r": rating}, staff=True)
    error = refusal(body)
    assert error["extensions"]["reason"] == "OUT_OF_RANGE"
    assert error["extensions"]["field"] == ["filter", "rating"]
    assert (await client.staff(REVIEWS, {"r": 5}))["reviews"]["totalCount"] == 0


async def test_a_coupon_code_longer_than_any_code_is_refused(client: GraphQLClient) -> None:
    # Tortoise refused the lookup itself (`Length of ... > 40`): a 500.
    long_code = "C" * 41
    refusal(
        await client.request(
            "query ($c: String) { coupon(code: $c) { id } }", {"c": long_code}, staff=True
        )
    )
    refusal(
        await client.request(
            'query ($c: String!) { checkCoupon(code: $c, subtotal: "10") { errors { code } } }',
            {"c": long_code},
        )
    )
    body = await client.request(
        "query ($c: String) { coupon(code: $c) { id } }", {"c": "C" * 40}, staff=True
    )
    assert body["data"] == {"coupon": None} and "errors" not in body


async def test_null_clears_an_optional_product_text_or_list(client: GraphQLClient) -> None:
    # It raised AttributeError (a 500) in the catalog's text check.
    product = await make_product(product_type="Shirt")
    body = await client.request(
        """
        mutation ($input: UpdateProductInput!) {
          updateProduct(input: $input) { errors { code } product { id } }
        }
        """,
        {
            "input": {
                "id": gid("Product", product.id),
                "productType": None,
                "usage": None,
                "features": None,
                "parameters": None,
            }
        },
        staff=True,
    )
    assert body["data"]["updateProduct"]["errors"] == []
    await product.refresh_from_db()
    assert product.product_type == ""
    variant = await product.variants.all().first()
    assert variant is not None
    body = await client.request(
        """
        mutation ($input: UpdateProductVariantInput!) {
          updateProductVariant(input: $input) { errors { code } variant { options { name } } }
        }
        """,
        {"input": {"id": gid("ProductVariant", variant.id), "options": None}},
        staff=True,
    )
    assert body["data"]["updateProductVariant"] == {"errors": [], "variant": {"options": []}}


async def test_a_slug_or_state_longer_than_its_column_is_refused(client: GraphQLClient) -> None:
    # Tortoise refused the lookups themselves (`Length of ... > 140`): a 500.
    product = await make_product(slug="linen-shirt")
    body = await client.request(
        "query ($s: String) { product(slug: $s) { id } }", {"s": "linen-shirt"}
    )
    assert body["data"]["product"]["id"] == gid("Product", product.id)
    for slug in ("s" * 141, "é" * 200):
        refusal(
            await client.request("query ($s: String) { product(slug: $s) { id } }", {"s": slug})
        )
    complete = """
    mutation ($state: String!) {
      completeOAuthSignIn(input: {provider: GOOGLE, state: $state, code: "c", browserKey: "k"}) {
        errors { code }
      }
    }
    """
    error = refusal(await client.request(complete, {"state": "s" * 65}))
    assert error["extensions"]["field"] == ["input", "state"]
    body = await client.request(complete, {"state": "s" * 64})
    assert body["data"]["completeOAuthSignIn"]["errors"]
