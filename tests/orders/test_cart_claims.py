"""The cart claim's rules: a cart that changed between pricing and placing is not ordered."""

from __future__ import annotations

import uuid

import pytest

from models.catalog import ProductVariant
from models.orders import Cart, Order, OrderLine
from schema.relay import decode_id
from services.orders import cart as carts
from services.orders import checkout
from services.orders.errors import OrderError, OrderErrorCode
from tests.factories import make_product
from tests.orders.checkout_setup import ready_shop


def _given(service_id: int) -> checkout.PlaceOrderInput:
    return checkout.PlaceOrderInput(
        idempotency_key=uuid.uuid4().hex,
        email="hanako@example.jp",
        shipping_address={
            "full_name": "Hanako Yamada",
            "line1": "1-2-3 Shibuya",
            "city": "Shibuya-ku",
            "region": "Tokyo",
            "postal_code": "1500002",
            "country": "JP",
        },
        shipping_service_id=service_id,
        currency="JPY",
    )


async def test_a_cart_changed_after_it_was_read_is_refused_and_nothing_is_written(db):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    handle = await carts.cart_for_change(token=None, user_id=None)
    await carts.set_quantity(handle.cart, variant.id, 1, early_access=False, add=True)
    seen = await Cart.get(id=handle.cart.id)  # the state a request read...
    await carts.set_quantity(handle.cart, variant.id, 1, early_access=False, add=True)  # ...moved

    shopper = await checkout.shopper_for(None, None)
    service_id = decode_id(shop.service_id, "ShippingService")
    assert service_id is not None
    with pytest.raises(OrderError) as refused:
        await checkout.place_order(seen, shopper, _given(service_id))
    assert [p.code for p in refused.value.problems] == [OrderErrorCode.CART_CHANGED]
    assert await Order.all().count() == 0
    await variant.refresh_from_db()
    assert variant.stock_reserved == 0

    placed = await checkout.place_order(await Cart.get(id=seen.id), shopper, _given(service_id))
    assert placed.access_token is not None
    assert [line.quantity for line in await OrderLine.filter(order_id=placed.order.id)] == [2]
