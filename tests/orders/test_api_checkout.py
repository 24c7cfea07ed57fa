"""Cart to placed order, as a storefront does it: priced in yen, shipped to Tokyo."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from models.catalog import ProductVariant
from models.coupons import Coupon, CouponKind
from models.inventory import StockMovement
from models.orders import Cart, Order, OrderEvent, OrderLine, OrderStatus
from tests.factories import gid, make_product, make_user
from tests.orders.checkout_setup import TOKYO, ready_shop

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) {
    cartToken errors { field code message }
    cart { quote { currency lines { quantity unitPrice { amount currency } lineTotal { amount }
                                    available inStock }
                   amounts { subtotal { amount currency } total { amount } } itemCount } }
  } }"""
QUOTE = """query($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { field code message }
    quote { currency rate { rate source }
            lines { quantity unitPrice { amount currency } lineTotal { amount } }
            amounts { subtotal { amount } memberDiscount { amount } couponDiscount { amount }
                      pointsDiscount { amount } shipping { amount } total { amount currency } }
            shopAmounts { subtotal { amount } shipping { amount } total { amount currency } }
            shippingOptions { serviceId serviceName price { amount currency } shopPrice { amount }
                              minDays maxDays }
            couponProblem { code message } }
  } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { errors { field code message } order { number status } } }"""


async def _guest_cart(client, variant, quantity=1):
    data = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": quantity}}
    )
    payload = data["addToCart"]
    assert payload["errors"] == [], payload["errors"]
    return payload["cartToken"]


def _order_input(shop, token, **extra):
    return {
        "idempotencyKey": extra.pop("key", uuid.uuid4().hex),
        "cartToken": token,
        "email": "hanako@example.jp",
        "shippingAddress": TOKYO,
        "shippingServiceId": shop.service_id,
        "currency": "JPY",
        **extra,
    }


async def test_a_shopper_in_japan_checks_out_in_yen(client):
    shop = await ready_shop(jpy_rate="151.37")
    product = await make_product(prices=("19.99",), stock=(4,), name="Linen shirt")
    variant = await ProductVariant.get(product_id=product.id)
    token = await _guest_cart(client, variant, 2)

    quoted = await client.query(
        QUOTE,
        {
            "input": {
                "cartToken": token,
                "currency": "JPY",
                "destination": {"country": "JP", "region": "Tokyo", "postalCode": "150-0002"},
                "shippingServiceId": shop.service_id,
            }
        },
    )
    quote = quoted["checkoutQuote"]["quote"]
    assert quote["rate"] == {"rate": "151.37", "source": "manual"}
    # 19.99 USD x 151.37 = 3025.8863 -> 3026 yen a unit; lines and totals add up exactly.
    assert quote["lines"] == [
        {
            "quantity": 2,
            "unitPrice": {"amount": "3026", "currency": "JPY"},
            "lineTotal": {"amount": "6052"},
        }
    ]
    assert [o["serviceName"] for o in quote["shippingOptions"]] == ["Standard", "Express"]
    assert quote["amounts"]["shipping"] == {"amount": "1211"}  # 8.00 USD
    assert quote["amounts"]["total"] == {"amount": "7263", "currency": "JPY"}
    assert quote["shopAmounts"]["total"] == {"amount": "47.98", "currency": "USD"}

    placed = await client.query(PLACE, {"input": _order_input(shop, token, expectedTotal="7263")})
    payload = placed["placeOrder"]
    assert payload["errors"] == []
    assert payload["order"]["status"] == "PENDING_PAYMENT"
    number = payload["order"]["number"]
    assert number.startswith("TW") and len(number) == 10

    order = await Order.get(number=number)
    assert (order.currency, order.exchange_rate, order.rate_source) == ("JPY", "151.37", "manual")
    assert (order.total, order.total_presentment) == (4798, 7263)
    lines = await OrderLine.filter(order_id=order.id)
    assert [
        (line.sku, line.quantity, line.unit_price, line.unit_price_presentment) for line in lines
    ] == [(variant.sku, 2, 1999, 3026)]
    for shop_side, presentment_side in (("", ""), ("_presentment", "_presentment")):
        assert getattr(order, "subtotal" + shop_side) == sum(
            getattr(line, "line_total" + presentment_side) for line in lines
        )
        assert getattr(order, "total" + shop_side) == (
            getattr(order, "subtotal" + shop_side)
            - getattr(order, "discount_total" + shop_side)
            + getattr(order, "shipping_total" + shop_side)
        )
    assert order.shipping_address["postal_code"] == "150-0002"
    await variant.refresh_from_db()
    assert (variant.stock_on_hand, variant.stock_reserved) == (4, 2)
    assert await StockMovement.filter(variant_id=variant.id, reference=number).count() == 1
    assert await OrderEvent.filter(order_id=order.id).count() == 1
    assert (await client.query(QUOTE, {"input": {"cartToken": token}}))["checkoutQuote"]["quote"][
        "lines"
    ] == []


async def test_a_retried_place_order_returns_the_same_order(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _guest_cart(client, variant, 1)
    given = _order_input(shop, token, key="retry-key-0001")
    first = await client.query(PLACE, {"input": given})
    second = await client.query(PLACE, {"input": given})
    assert first["placeOrder"]["order"] == second["placeOrder"]["order"]
    assert await Order.all().count() == 1
    await variant.refresh_from_db()
    assert variant.stock_reserved == 1


async def test_refusals_change_nothing(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(1,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _guest_cart(client, variant, 2)

    short = await client.query(PLACE, {"input": _order_input(shop, token)})
    assert [e["code"] for e in short["placeOrder"]["errors"]] == ["OUT_OF_STOCK"]

    await client.query(
        "mutation($i: CartLineInput!) { updateCartLine(input: $i) { errors { code } } }",
        {"i": {"cartToken": token, "variantId": gid("ProductVariant", variant.id), "quantity": 1}},
    )
    changed = await client.query(PLACE, {"input": _order_input(shop, token, expectedTotal="1")})
    assert [e["code"] for e in changed["placeOrder"]["errors"]] == ["PRICE_CHANGED"]
    for huge in ("1e1000000", "99999999999999"):
        beyond = await client.query(PLACE, {"input": _order_input(shop, token, expectedTotal=huge)})
        assert [(e["code"], e["field"]) for e in beyond["placeOrder"]["errors"]] == [
            ("INVALID", ["expectedTotal"])
        ]
    bad_coupon = await client.query(PLACE, {"input": _order_input(shop, token, couponCode="NOPE")})
    assert [e["code"] for e in bad_coupon["placeOrder"]["errors"]] == ["COUPON_INVALID"]
    not_enabled = await client.query(PLACE, {"input": _order_input(shop, token, currency="KRW")})
    assert [e["code"] for e in not_enabled["placeOrder"]["errors"]] == ["CURRENCY_NOT_ENABLED"]
    bad_address = await client.query(
        PLACE,
        {"input": _order_input(shop, token, shippingAddress={**TOKYO, "postalCode": "ABC"})},
    )
    assert bad_address["placeOrder"]["errors"][0]["field"] == ["shippingAddress", "postalCode"]

    assert await Order.all().count() == 0
    await variant.refresh_from_db()
    assert variant.stock_reserved == 0
    assert await StockMovement.filter(reference__startswith="TW").count() == 0


async def test_a_coupon_and_a_member_cart_merge(client):
    shop = await ready_shop()
    product = await make_product(prices=("50.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    await Coupon.create(code="TEN", kind=CouponKind.PERCENTAGE, percent_bps=1000)
    token = await _guest_cart(client, variant, 1)
    member = await make_user(email="ana@example.com")
    merged = await client.query(
        """mutation($t: String!) {
          mergeCart(cartToken: $t) { errors { code } cart { quote { itemCount } } } }""",
        {"t": token},
        user=member,
    )
    assert merged["mergeCart"]["cart"]["quote"]["itemCount"] == 1
    assert not await Cart.filter(user_id=None).exists()
    placed = await client.query(
        PLACE,
        {"input": {**_order_input(shop, None, couponCode="ten"), "email": None}},
        user=member,
    )
    assert placed["placeOrder"]["errors"] == []
    order = await Order.get(number=placed["placeOrder"]["order"]["number"])
    assert (order.user_id, order.email, order.coupon_code) == (member.id, "ana@example.com", "TEN")
    assert order.discount_total == 500
    assert (await Coupon.get(code="TEN")).times_used == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)
async def test_concurrent_checkouts_for_the_last_units_never_oversell(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    tokens = [await _guest_cart(client, variant, 1) for _ in range(20)]
    results = await asyncio.gather(
        *(client.query(PLACE, {"input": _order_input(shop, token)}) for token in tokens)
    )
    placed = [r for r in results if r["placeOrder"]["order"]]
    refused = [
        r["placeOrder"]["errors"][0]["code"] for r in results if not r["placeOrder"]["order"]
    ]
    assert len(placed) == 5 and set(refused) == {"OUT_OF_STOCK"}
    await variant.refresh_from_db()
    assert (variant.stock_on_hand, variant.stock_reserved) == (5, 5)
    assert await Order.filter(status=OrderStatus.PENDING_PAYMENT).count() == 5


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)
async def test_one_key_sent_many_times_at_once_places_one_order(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _guest_cart(client, variant, 1)
    given = _order_input(shop, token, key="same-key-at-once")
    results = await asyncio.gather(*(client.query(PLACE, {"input": given}) for _ in range(8)))
    numbers = {r["placeOrder"]["order"]["number"] for r in results if r["placeOrder"]["order"]}
    assert len(numbers) == 1
    assert await Order.all().count() == 1
    await variant.refresh_from_db()
    assert variant.stock_reserved == 1


async def test_a_stale_preferred_currency_falls_back_and_keeps_the_guest_cart(client):
    from datetime import date, timedelta

    from models.currency import ExchangeRate, PresentmentCurrency, RateSource

    await ready_shop()
    await PresentmentCurrency.create(code="GBP")
    await ExchangeRate.create(
        base="USD",
        quote="GBP",
        rate="0.79",
        source=RateSource.MANUAL,
        rate_date=date.today() - timedelta(days=30),
    )
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        ADD,
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
        headers={"X-Currency": "GBP"},
    )
    payload = data["addToCart"]
    assert payload["errors"] == [] and payload["cartToken"]
    assert payload["cart"]["quote"]["currency"] == "USD"
    explicit = await client.query(
        QUOTE, {"input": {"cartToken": payload["cartToken"], "currency": "GBP"}}
    )
    assert [e["code"] for e in explicit["checkoutQuote"]["errors"]] == ["RATE_STALE"]


async def test_a_line_taken_off_the_shelf_is_shown_and_refused_at_checkout(client):
    from services.catalog import listing

    shop = await ready_shop()
    kept = await make_product(prices=("10.00",), stock=(5,))
    gone = await make_product(prices=("20.00",), stock=(5,), name="Withdrawn")
    kept_variant = await ProductVariant.get(product_id=kept.id)
    gone_variant = await ProductVariant.get(product_id=gone.id)
    token = await _guest_cart(client, kept_variant)
    await client.query(
        ADD,
        {
            "input": {
                "cartToken": token,
                "variantId": gid("ProductVariant", gone_variant.id),
                "quantity": 1,
            }
        },
    )
    await listing.unpublish_product(gone.id, actor="test")
    cart = await client.query(
        "query($t: String!) { cart(cartToken: $t) { quote { lines { forSale } "
        "amounts { subtotal { amount } } } } }",
        {"t": token},
    )
    quote = cart["cart"]["quote"]
    assert [line["forSale"] for line in quote["lines"]] == [True, False]
    assert quote["amounts"]["subtotal"] == {"amount": "10.00"}
    refused = await client.query(PLACE, {"input": _order_input(shop, token, currency="USD")})
    assert [e["code"] for e in refused["placeOrder"]["errors"]] == ["NOT_FOR_SALE"]
    assert await Order.all().count() == 0


async def test_a_key_reused_for_another_checkout_is_refused(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    token = await _guest_cart(client, variant)
    first = await client.query(PLACE, {"input": _order_input(shop, token, key="reused-key-01")})
    assert first["placeOrder"]["errors"] == []
    other = await client.query(
        PLACE,
        {
            "input": _order_input(
                shop, token, key="reused-key-01", shippingServiceId=shop.express_id
            )
        },
    )
    assert [e["code"] for e in other["placeOrder"]["errors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_a_full_discount_never_makes_a_negative_total_in_either_currency(client):
    from models.currency import RoundingRule

    shop = await ready_shop(jpy_rate="151.37", rounding=RoundingRule.NINETY_NINE)
    product = await make_product(prices=("19.99",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    await Coupon.create(code="ALL", kind=CouponKind.PERCENTAGE, percent_bps=10_000)
    token = await _guest_cart(client, variant, 3)
    quoted = await client.query(
        QUOTE,
        {
            "input": {
                "cartToken": token,
                "currency": "JPY",
                "couponCode": "ALL",
                "destination": {"country": "JP"},
                "shippingServiceId": shop.service_id,
            }
        },
    )
    quote = quoted["checkoutQuote"]["quote"]
    # Only the shipping is left to pay, in both currencies.
    assert quote["amounts"]["total"] == quote["amounts"]["shipping"] | {"currency": "JPY"}
    assert quote["shopAmounts"]["total"]["amount"] == quote["shopAmounts"]["shipping"]["amount"]
