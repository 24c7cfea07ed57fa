"""A shopper buys through the API as the storefront does, and staff send the parcel: the
steps before after-sales, for the tests of returns and exchanges."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from models.accounts import User
from models.catalog import ProductVariant
from services.catalog import listing, products
from tests.conftest import GraphQLClient
from tests.factories import gid
from tests.orders.checkout_setup import TOKYO, Shop

ADD = """mutation($input: CartLineInput!) { addToCart(input: $input) { errors { code } } }"""
QUOTE = """query($input: CheckoutQuoteInput!) { checkoutQuote(input: $input) {
  errors { code } quote { amounts { total { amount currency } } } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { errors { code message } order { id number status } } }"""
CREATE_PAYMENT = """mutation($input: CreatePaymentInput!) {
  createPayment(input: $input) { payment { id } errors { code message } } }"""
PAY = """mutation($input: PayWithTestCardInput!) {
  payWithTestCard(input: $input) { payment { status amountReceived { amount currency } }
    errors { code message } } }"""
SHIP = """mutation($input: ShipOrderInput!) { shipOrder(input: $input) { errors { code } } }"""
DELIVERED = """mutation($input: MarkOrderDeliveredInput!) {
  markOrderDelivered(input: $input) { errors { code } } }"""
COMPLETE = """mutation($input: CompleteOrderInput!) {
  completeOrder(input: $input) { order { status } errors { code } } }"""


def only(data: dict[str, Any]) -> dict[str, Any]:
    """The one root field's payload, with no errors in it."""
    payload: dict[str, Any] = next(iter(data.values()))
    assert payload.get("errors", []) == [], payload["errors"]
    return payload


async def buy(
    client: GraphQLClient,
    shop: Shop,
    shopper: User,
    variants: list[ProductVariant],
    language: str = "en",
) -> dict[str, Any]:
    """The shopper puts one of each variant in the cart, checks out to Tokyo and pays by card
    through the test gateway, the storefront in `language`; returns the placed order (`id`,
    `number`)."""
    heard = {"Accept-Language": language}
    for variant in variants:
        given = {"variantId": gid("ProductVariant", variant.id), "quantity": 1}
        only(await client.query(ADD, {"input": given}, user=shopper, headers=heard))
    quote = only(
        await client.query(
            QUOTE,
            {"input": {"destination": {"country": "JP"}, "shippingServiceId": shop.service_id}},
            user=shopper,
            headers=heard,
        )
    )["quote"]
    placed = only(
        await client.query(
            PLACE,
            {
                "input": {
                    "idempotencyKey": uuid.uuid4().hex,
                    "shippingAddress": TOKYO,
                    "shippingServiceId": shop.service_id,
                    "expectedTotal": quote["amounts"]["total"]["amount"],
                }
            },
            user=shopper,
            headers=heard,
        )
    )["order"]
    payment = only(
        await client.query(
            CREATE_PAYMENT,
            {"input": {"orderNumber": placed["number"], "method": "card"}},
            user=shopper,
            headers=heard,
        )
    )["payment"]
    paid = only(
        await client.query(
            PAY,
            {"input": {"paymentId": payment["id"], "cardNumber": "4242424242424242"}},
            user=shopper,
            headers=heard,
        )
    )["payment"]
    assert paid["status"] == "SUCCEEDED"
    order: dict[str, Any] = placed
    return order


async def ship_and_deliver(client: GraphQLClient, shop: Shop, clerk: User, order_id: str) -> None:
    """Staff send the whole order in one parcel and mark it delivered."""
    shipped = {"orderId": order_id, "carrierId": shop.carrier_id, "trackingNumber": "EJ1JP"}
    only(await client.query(SHIP, {"input": shipped}, user=clerk))
    only(await client.query(DELIVERED, {"input": {"orderId": order_id}}, user=clerk))


async def tshirt() -> tuple[ProductVariant, ProductVariant]:
    """A published T-shirt in sizes M and L at the same price, a few of each in stock."""
    product = await products.create_product(
        {"name": "Harbour T-shirt"},
        [
            {
                "sku": "TEE-M",
                "price": Decimal("20.00"),
                "options": [{"name": "size", "value": "M"}],
                "initial_stock": 4,
            },
            {
                "sku": "TEE-L",
                "price": Decimal("20.00"),
                "options": [{"name": "size", "value": "L"}],
                "initial_stock": 3,
            },
        ],
    )
    await listing.publish_product(product.id, actor="test")
    return await ProductVariant.get(sku="TEE-M"), await ProductVariant.get(sku="TEE-L")
