"""A guest reads and follows their own order with the secret `placeOrder` answers them."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import timedelta

from tortoise import timezone

from models.catalog import ProductVariant
from models.orders import Order
from tests.factories import gid, make_product, make_user
from tests.live import next_message, subscribe
from tests.orders.checkout_setup import TOKYO, ready_shop

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken errors { code } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { orderAccessToken errors { code } order { number } } }"""
READ = """query($number: String!, $token: String) {
  order(number: $number, accessToken: $token) {
    number status email total { amount currency } lines { sku quantity } } }"""
FOLLOW = """subscription($number: String!, $token: String) {
  orderStatusChanged(number: $number, accessToken: $token) { kind status order { status } } }"""
PAY = """mutation($input: RecordBankTransferPaymentInput!) {
  recordBankTransferPayment(input: $input) { order { status } errors { code } } }"""


async def _place(client, shop, *, user=None, key=None):
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    added = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}, user=user
    )
    given = {
        "idempotencyKey": key or uuid.uuid4().hex,
        "cartToken": added["addToCart"]["cartToken"],
        "email": None if user else "hanako@example.jp",
        "shippingAddress": TOKYO,
        "shippingServiceId": shop.service_id,
        "currency": "JPY",
    }
    placed = (await client.query(PLACE, {"input": given}, user=user))["placeOrder"]
    assert placed["errors"] == []
    return placed, given


async def _refused(client, variables):
    """The error code of a read that must answer no order."""
    body = await client.request(READ, variables)
    assert (body["data"] or {}).get("order") is None
    return body["errors"][0]["extensions"]["code"]


async def test_a_guest_reads_their_order_with_its_token_and_only_that_order(client):
    shop = await ready_shop()
    placed, _ = await _place(client, shop)
    other, _ = await _place(client, shop)
    number, token = placed["order"]["number"], placed["orderAccessToken"]
    assert token and len(token) >= 40 and number not in token
    assert token != other["orderAccessToken"]

    read = await client.query(READ, {"number": number, "token": token})
    assert read["order"]["number"] == number
    assert read["order"]["email"] == "hanako@example.jp"
    assert read["order"]["total"]["currency"] == "JPY"
    assert len(read["order"]["lines"]) == 1

    # Only a hash is kept; the token opens no other order, and a wrong one opens nothing.
    row = await Order.get(number=number)
    assert row.access_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert await Order.filter(access_token_hash=token).count() == 0
    other_number = other["order"]["number"]
    for wrong in ({"number": other_number, "token": token}, {"number": number, "token": ""}):
        assert await _refused(client, wrong) == "FORBIDDEN"
    assert await _refused(client, {"number": number, "token": token[:-1]}) == "FORBIDDEN"
    # A number that cannot be one is refused as input before any token is looked at.
    for junk in (f"{number}\x00", "X" * 5000, "TW-8K2M"):
        assert await _refused(client, {"number": junk, "token": token}) == "BAD_USER_INPUT"
    anonymous = await client.request(READ, {"number": number})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_members_order_gets_no_token(client):
    shop = await ready_shop()
    member = await make_user(email="ana@example.com")
    placed, _ = await _place(client, shop, user=member)
    assert placed["orderAccessToken"] is None
    assert (await Order.get(number=placed["order"]["number"])).access_token_hash is None


async def test_a_retry_with_the_same_key_answers_a_new_token_and_ends_the_old(client):
    shop = await ready_shop()
    first, given = await _place(client, shop, key="guest-retry-key")
    again = (await client.query(PLACE, {"input": given}))["placeOrder"]
    number = first["order"]["number"]
    assert again["order"]["number"] == number
    assert again["orderAccessToken"] != first["orderAccessToken"]
    assert await _refused(client, {"number": number, "token": first["orderAccessToken"]})
    new = await client.query(READ, {"number": number, "token": again["orderAccessToken"]})
    assert new["order"]["number"] == number


async def test_a_token_ends_after_the_access_period(client, settings):
    shop = await ready_shop()
    placed, _ = await _place(client, shop)
    number, token = placed["order"]["number"], placed["orderAccessToken"]
    past = timezone.now() - timedelta(days=settings.order_access_days, minutes=1)
    await Order.filter(number=number).update(placed_at=past)
    assert await _refused(client, {"number": number, "token": token}) == "FORBIDDEN"


async def test_a_guest_follows_their_order_live_with_its_token(live_server, client):
    shop = await ready_shop()
    placed, _ = await _place(client, shop)
    number, token = placed["order"]["number"], placed["orderAccessToken"]
    order = await Order.get(number=number)
    async with await subscribe(live_server, None, FOLLOW, {"number": number, "token": token}) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        paid = await client.staff(
            PAY, {"input": {"orderId": gid("Order", order.id), "reference": "BANK-1"}}
        )
        assert paid["recordBankTransferPayment"]["errors"] == []
        message = await next_message(ws)
        assert message["type"] == "next", message
        assert message["payload"]["data"]["orderStatusChanged"] == {
            "kind": "STATUS",
            "status": "PENDING_SHIPMENT",
            "order": {"status": "PENDING_SHIPMENT"},
        }


async def test_a_wrong_token_follows_nothing(live_server, client):
    shop = await ready_shop()
    placed, _ = await _place(client, shop)
    other, _ = await _place(client, shop)
    number = placed["order"]["number"]
    for token in ("not-the-token", other["orderAccessToken"]):
        variables = {"number": number, "token": token}
        async with await subscribe(live_server, None, FOLLOW, variables) as ws:
            message = await next_message(ws)
            assert message["type"] == "error"
            assert message["payload"][0]["extensions"]["code"] == "FORBIDDEN"
