"""The whole journey: a shopper in Japan sees yen, checks out with a chosen shipping option,
and watches the order move to delivered over a subscription while the merchant works it."""

from __future__ import annotations

import asyncio
import uuid

from models.accounts import Role
from models.catalog import ProductVariant
from tests.factories import gid, make_product, make_user, token_for
from tests.live import next_message, subscribe
from tests.orders.checkout_setup import TOKYO, ready_shop

FOLLOW = """subscription($number: String!) {
  orderStatusChanged(number: $number) { number status previousStatus order { status } } }"""


async def test_a_shopper_in_japan_watches_the_order_arrive(client, live_server):
    shop = await ready_shop(jpy_rate="150")
    product = await make_product(prices=("24.00",), stock=(3,), name="Indigo tote")
    variant = await ProductVariant.get(product_id=product.id)
    shopper = await make_user(email="hanako@example.jp", currency="JPY")
    merchant = await make_user(role=Role.STAFF, permissions=("orders",))

    # Yen on the shelf: the profile's currency, with no argument.
    shelf = await client.query(
        "query($id: ID!) { product(id: $id) { variants { price { amount currency } } } }",
        {"id": gid("Product", product.id)},
        user=shopper,
    )
    assert shelf["product"]["variants"] == [{"price": {"amount": "3600", "currency": "JPY"}}]

    added = await client.query(
        """mutation($input: CartLineInput!) { addToCart(input: $input) { errors { code } } }""",
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
        user=shopper,
    )
    assert added["addToCart"]["errors"] == []
    quote = (
        await client.query(
            """query($input: CheckoutQuoteInput!) { checkoutQuote(input: $input) {
                 errors { code } quote { amounts { total { amount currency } }
                 shippingOptions { serviceId serviceName price { amount currency } } } } }""",
            {"input": {"destination": {"country": "JP"}, "shippingServiceId": shop.express_id}},
            user=shopper,
        )
    )["checkoutQuote"]["quote"]
    express = next(o for o in quote["shippingOptions"] if o["serviceName"] == "Express")
    assert express["price"] == {"amount": "3750", "currency": "JPY"}
    assert quote["amounts"]["total"] == {"amount": "7350", "currency": "JPY"}

    placed = await client.query(
        """mutation($input: PlaceOrderInput!) {
          placeOrder(input: $input) { errors { code } order { id number status } } }""",
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "shippingAddress": TOKYO,
                "shippingServiceId": shop.express_id,
                "expectedTotal": "7350",
            }
        },
        user=shopper,
    )
    order = placed["placeOrder"]["order"]
    assert order["status"] == "PENDING_PAYMENT"

    async with await subscribe(
        live_server, token_for(shopper), FOLLOW, {"number": order["number"]}
    ) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before anything changes
        steps = [
            (
                """mutation($input: RecordBankTransferPaymentInput!) {
                  recordBankTransferPayment(input: $input) { errors { code } } }""",
                {"orderId": order["id"], "reference": "MIZUHO-0042"},
            ),
            (
                """mutation($input: ShipOrderInput!) {
                  shipOrder(input: $input) { errors { code } } }""",
                {"orderId": order["id"], "carrierId": shop.carrier_id, "trackingNumber": "EJ1JP"},
            ),
            (
                """mutation($input: MarkOrderDeliveredInput!) {
                  markOrderDelivered(input: $input) { errors { code } } }""",
                {"orderId": order["id"]},
            ),
        ]
        seen = []
        for document, given in steps:
            done = await client.query(document, {"input": given}, user=merchant)
            assert next(iter(done.values()))["errors"] == []
            message = await next_message(ws)
            assert message["type"] == "next", message
            change = message["payload"]["data"]["orderStatusChanged"]
            seen.append((change["previousStatus"], change["status"], change["order"]["status"]))
    assert seen == [
        ("PENDING_PAYMENT", "PENDING_SHIPMENT", "PENDING_SHIPMENT"),
        ("PENDING_SHIPMENT", "SHIPPED", "SHIPPED"),
        ("SHIPPED", "DELIVERED", "DELIVERED"),
    ]
    tracked = await client.query(
        """query($n: String!, $e: String!) { orderLookup(number: $n, email: $e) {
             status shipments { trackingNumber trackingUrl } } }""",
        {"n": order["number"], "e": "HANAKO@example.jp"},
    )
    assert tracked["orderLookup"] == {
        "status": "DELIVERED",
        "shipments": [{"trackingNumber": "EJ1JP", "trackingUrl": "https://track.test/EJ1JP"}],
    }
