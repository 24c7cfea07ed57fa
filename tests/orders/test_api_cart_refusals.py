"""A refused cart change makes no cart, hands out no token and stores nothing."""

from __future__ import annotations

import pytest

from models.catalog import ProductVariant
from models.coupons import Coupon, CouponKind
from models.orders import Cart, CartLine
from tests.factories import gid, make_product, make_user

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken cart { quote { itemCount } } errors { field code } } }"""
UPDATE = """mutation($input: CartLineInput!) {
  updateCartLine(input: $input) {
    cartToken cart { quote { itemCount } } errors { field code } } }"""
COUPON = """mutation($input: CartCouponInput!) {
  applyCartCoupon(input: $input) { cartToken cart { quote { itemCount } }
                                   errors { field code message } } }"""


@pytest.mark.parametrize(
    ("variant", "quantity", "code"),
    [
        ("unknown", 1, "NOT_FOUND"),
        ("product", 1, "NOT_FOUND"),  # an ID of another type
        ("known", 0, "INVALID_QUANTITY"),
        ("known", -3, "INVALID_QUANTITY"),
        ("known", 1000, "INVALID_QUANTITY"),
    ],
)
async def test_a_refused_add_to_cart_makes_no_cart_and_no_token(client, variant, quantity, code):
    product = await make_product(prices=("10.00",), stock=(5,))
    known = await ProductVariant.get(product_id=product.id)
    variant_id = {
        "unknown": gid("ProductVariant", known.id + 1000),
        "product": gid("Product", product.id),
        "known": gid("ProductVariant", known.id),
    }[variant]
    member = await make_user(email="ana@example.com")

    for user in (None, member):
        data = await client.query(
            ADD, {"input": {"variantId": variant_id, "quantity": quantity}}, user=user
        )
        payload = data["addToCart"]
        assert payload["cartToken"] is None and payload["cart"] is None
        assert [e["code"] for e in payload["errors"]] == [code]

    assert await Cart.all().count() == 0
    assert await CartLine.all().count() == 0


async def test_setting_a_line_to_zero_without_a_cart_makes_none(client):
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        UPDATE, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 0}}
    )
    assert data["updateCartLine"] == {"cartToken": None, "cart": None, "errors": []}
    assert await Cart.all().count() == 0


async def test_an_unknown_coupon_code_is_refused_and_stored_nowhere(client):
    await Coupon.create(code="TEN", kind=CouponKind.PERCENTAGE, percent_bps=1000)
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)

    # No cart yet: none is made for a code that does not exist.
    data = await client.query(COUPON, {"input": {"code": "NOPE"}})
    assert data["applyCartCoupon"]["cartToken"] is None
    assert [e["code"] for e in data["applyCartCoupon"]["errors"]] == ["COUPON_INVALID"]
    assert await Cart.all().count() == 0

    added = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}
    )
    token = added["addToCart"]["cartToken"]
    applied = await client.query(COUPON, {"input": {"cartToken": token, "code": " ten "}})
    assert applied["applyCartCoupon"]["errors"] == []
    refused = await client.query(COUPON, {"input": {"cartToken": token, "code": "NOPE"}})
    assert [(e["field"], e["code"]) for e in refused["applyCartCoupon"]["errors"]] == [
        (["code"], "COUPON_INVALID")
    ]
    # The code applied before stays; the refused one was not stored.
    assert [c.coupon_code for c in await Cart.all()] == ["TEN"]


async def test_merging_an_unknown_guest_cart_is_not_found_and_makes_no_cart(client):
    member = await make_user(email="ana@example.com")
    data = await client.query(
        """mutation($t: String!) { mergeCart(cartToken: $t) { cart { quote { itemCount } }
                                                              errors { field code } } }""",
        {"t": "no-such-cart-token"},
        user=member,
    )
    assert data["mergeCart"] == {
        "cart": None,
        "errors": [{"field": ["cartToken"], "code": "NOT_FOUND"}],
    }
    assert await Cart.all().count() == 0
