"""One cart state becomes one order, whatever idempotency keys concurrent requests send."""

from __future__ import annotations

import asyncio
import uuid

from models.catalog import ProductVariant
from models.inventory import MovementKind, StockMovement
from models.orders import CheckoutAttempt, Order, OrderLine
from tests.factories import gid, make_product, make_user
from tests.orders.checkout_setup import TOKYO, ready_shop

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken errors { field code message } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    errors { field code message orderNumber } order { number status } } }"""

#: Requests sent at once for one cart, each with a key of its own (double clicks, tabs).
AT_ONCE = 8


def _order_input(shop, token, key=None, **extra):
    return {
        "idempotencyKey": key or uuid.uuid4().hex,
        "cartToken": token,
        "email": "hanako@example.jp",
        "shippingAddress": TOKYO,
        "shippingServiceId": shop.service_id,
        "currency": "JPY",
        **extra,
    }


async def _add(client, variant, quantity, *, token=None, user=None):
    given = {"variantId": gid("ProductVariant", variant.id), "quantity": quantity}
    if token:
        given["cartToken"] = token
    data = await client.query(ADD, {"input": given}, user=user)
    assert data["addToCart"]["errors"] == [], data["addToCart"]["errors"]
    return data["addToCart"]["cartToken"]


async def _place_at_once(client, given_list, *, user=None):
    results = await asyncio.gather(
        *(client.query(PLACE, {"input": given}, user=user) for given in given_list)
    )
    return [r["placeOrder"] for r in results]


async def _assert_one_order(variant, payloads, *, units):
    placed = [p["order"]["number"] for p in payloads if p["order"]]
    assert len(placed) == 1, payloads
    [number] = placed
    refused = [p["errors"] for p in payloads if not p["order"]]
    assert len(refused) == AT_ONCE - 1
    for errors in refused:
        assert [(e["code"], e["orderNumber"], e["field"]) for e in errors] == [
            ("CART_ALREADY_ORDERED", number, ["cartToken"])
        ]
        assert number in errors[0]["message"]
    # Rows written: one order, its line, one key, one reservation of the units, once.
    assert await Order.all().count() == 1
    assert await OrderLine.all().count() == 1
    assert await CheckoutAttempt.all().count() == 1
    reservations = await StockMovement.filter(kind=MovementKind.RESERVATION)
    assert [(m.reference, m.reserved_change) for m in reservations] == [(number, units)]
    await variant.refresh_from_db()
    assert (variant.stock_on_hand, variant.stock_reserved) == (10, units)
    return number


async def test_many_keys_at_once_turn_a_guest_cart_into_one_order(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _add(client, variant, 2)

    payloads = await _place_at_once(client, [_order_input(shop, token) for _ in range(AT_ONCE)])

    await _assert_one_order(variant, payloads, units=2)


async def test_many_keys_at_once_turn_a_member_cart_into_one_order(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    member = await make_user(email="ana@example.com")
    await _add(client, variant, 3, user=member)

    payloads = await _place_at_once(
        client,
        [{**_order_input(shop, None), "email": None} for _ in range(AT_ONCE)],
        user=member,
    )

    number = await _assert_one_order(variant, payloads, units=3)
    assert (await Order.get(number=number)).user_id == member.id


async def test_a_second_click_after_the_order_names_it_and_the_first_key_still_answers(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _add(client, variant, 1)
    first_input = _order_input(shop, token, key="first-click-key")

    first = (await client.query(PLACE, {"input": first_input}))["placeOrder"]
    again = (await client.query(PLACE, {"input": _order_input(shop, token)}))["placeOrder"]
    retried = (await client.query(PLACE, {"input": first_input}))["placeOrder"]

    number = first["order"]["number"]
    assert again["order"] is None
    assert [(e["code"], e["orderNumber"]) for e in again["errors"]] == [
        ("CART_ALREADY_ORDERED", number)
    ]
    assert retried == first
    assert await Order.all().count() == 1


async def test_a_cart_filled_again_after_its_order_is_a_new_state(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _add(client, variant, 1)
    first = (await client.query(PLACE, {"input": _order_input(shop, token)}))["placeOrder"]

    await _add(client, variant, 1, token=token)
    second = (await client.query(PLACE, {"input": _order_input(shop, token)}))["placeOrder"]

    assert second["errors"] == []
    assert second["order"]["number"] != first["order"]["number"]
    await variant.refresh_from_db()
    assert variant.stock_reserved == 2
