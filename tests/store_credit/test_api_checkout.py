"""Spending store credit at checkout: the quote shows it, `placeOrder` spends it in the same
transaction, the payment collects only the rest, an order credit covers in full is paid at
once, and cancelling gives the credit back."""

from __future__ import annotations

import asyncio
import os
import secrets
import uuid

import pytest

from models.catalog import ProductVariant
from models.emails import EmailKind
from models.jobs import Job
from models.orders import Cart, Order, OrderStatus
from models.payments import Payment, Refund
from models.store_credit import CreditEntryKind, StoreCreditAccount, StoreCreditEntry
from schema.relay import decode_id
from services.orders import cart as carts
from services.orders import checkout
from services.orders.errors import OrderError, OrderErrorCode
from services.payments import settlement
from services.store_credit import ledger
from tests.factories import gid, make_product, make_user
from tests.orders.checkout_setup import TOKYO, ready_shop
from tests.payments.paying_setup import CREATE, pay_by_card

ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { errors { code message } } }"""
QUOTE = """query($input: CheckoutQuoteInput!) {
  checkoutQuote(input: $input) {
    errors { code message }
    quote { amounts { total { amount currency } }
            storeCredit { available { amount } applied { amount } amountDue { amount } } }
  } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    errors { field code message }
    order { number status total { amount } storeCredit { amount currency }
            amountDue { amount } storeCreditInShopCurrency { amount } paymentMethod }
  } }"""
CANCEL = """mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) {
    order { status refundedInShopCurrency { amount } } errors { code message } } }"""


async def _member_cart(client, member, price="19.99", quantity=2):
    product = await make_product(prices=(price,), stock=(10,), name="Linen shirt")
    variant = await ProductVariant.get(product_id=product.id)
    data = await client.query(
        ADD,
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": quantity}},
        user=member,
    )
    assert data["addToCart"]["errors"] == []
    return variant


def _place_input(shop, currency="JPY", **extra):
    return {
        "idempotencyKey": extra.pop("key", uuid.uuid4().hex),
        "shippingAddress": TOKYO,
        "shippingServiceId": shop.service_id,
        "currency": currency,
        **extra,
    }


async def _quote(client, member, shop, currency="JPY"):
    given = {
        "currency": currency,
        "destination": {"country": "JP", "region": "Tokyo", "postalCode": "150-0002"},
        "shippingServiceId": shop.service_id,
    }
    data = await client.query(QUOTE, {"input": given}, user=member)
    assert data["checkoutQuote"]["errors"] == []
    return data["checkoutQuote"]["quote"]


async def test_credit_pays_part_and_the_card_pays_the_rest(client):
    shop = await ready_shop(jpy_rate="151.37")
    member = await make_user(email="hanako@example.jp")
    await ledger.post(member.id, "JPY", 1200, CreditEntryKind.GRANT, "grant:1")
    await _member_cart(client, member)

    quote = await _quote(client, member, shop)
    assert quote["amounts"]["total"] == {"amount": "7263", "currency": "JPY"}
    assert quote["storeCredit"] == {
        "available": {"amount": "1200"},
        "applied": {"amount": "1200"},
        "amountDue": {"amount": "6063"},
    }
    given = _place_input(shop, useStoreCredit=True, expectedStoreCredit="1200")
    placed = (await client.query(PLACE, {"input": given}, user=member))["placeOrder"]
    assert placed["errors"] == []
    order_data = placed["order"]
    assert order_data["status"] == "PENDING_PAYMENT"
    assert order_data["storeCredit"] == {"amount": "1200", "currency": "JPY"}
    assert order_data["amountDue"] == {"amount": "6063"}
    # 1200 of 7263 yen at the order's own rate: 1200 * 47.98 / 7263 = 7.927 USD.
    assert order_data["storeCreditInShopCurrency"] == {"amount": "7.93"}
    order = await Order.get(number=order_data["number"])
    spend = await StoreCreditEntry.get(kind=CreditEntryKind.SPEND)
    assert (spend.amount, spend.reference, spend.order_id) == (
        -1200,
        f"order:{order.number}",
        order.id,
    )
    assert await ledger.balance(member.id, "JPY") == 0

    paid = await pay_by_card(client, order, member)
    assert paid["status"] == "SUCCEEDED" and paid["amountReceived"] == {"amount": "6063"}
    await order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_SHIPMENT
    payment = await Payment.get(order_id=order.id)
    assert (payment.amount, payment.amount_received) == (6063, 6063)


async def test_an_order_spends_only_the_credit_in_its_own_currency(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 5000, CreditEntryKind.GRANT, "grant:jpy")
    await ledger.post(member.id, "USD", 1000, CreditEntryKind.GRANT, "grant:usd")
    await _member_cart(client, member, price="20.00", quantity=1)  # + 8.00 shipping

    quote = await _quote(client, member, shop, currency="USD")
    assert quote["storeCredit"]["available"] == {"amount": "10.00"}
    placed = await client.query(
        PLACE, {"input": _place_input(shop, "USD", useStoreCredit=True)}, user=member
    )
    order_data = placed["placeOrder"]["order"]
    assert order_data["storeCredit"] == {"amount": "10.00", "currency": "USD"}
    assert order_data["amountDue"] == {"amount": "18.00"}
    assert await ledger.balance(member.id, "USD") == 0
    assert await ledger.balance(member.id, "JPY") == 5000

    # The yen credit pays a yen order, up to its total.
    await _member_cart(client, member, price="20.00", quantity=1)
    placed = await client.query(
        PLACE, {"input": _place_input(shop, "JPY", useStoreCredit=True)}, user=member
    )
    order_data = placed["placeOrder"]["order"]
    assert order_data["total"] == {"amount": "4200"}  # 28.00 USD at 150
    assert order_data["storeCredit"]["amount"] == "4200"
    assert order_data["status"] == "PENDING_SHIPMENT"
    assert await ledger.balance(member.id, "JPY") == 800


async def test_an_order_credit_covers_in_full_is_paid_at_once(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 10000, CreditEntryKind.GRANT, "grant:big")
    variant = await _member_cart(client, member, price="10.00", quantity=1)
    placed = await client.query(
        PLACE,
        {"input": _place_input(shop, useStoreCredit=True, expectedStoreCredit="2700")},
        user=member,
    )
    order_data = placed["placeOrder"]["order"]
    assert placed["placeOrder"]["errors"] == []
    assert order_data["status"] == "PENDING_SHIPMENT"
    assert order_data["amountDue"] == {"amount": "0"}
    assert order_data["paymentMethod"] == "store_credit"
    order = await Order.get(number=order_data["number"])
    assert order.paid_at is not None and order.store_credit == order.total == 1800
    assert await ledger.balance(member.id, "JPY") == 7300
    await variant.refresh_from_db()
    assert variant.stock_reserved == 1
    kinds = {row.kwargs["kind"] for row in await Job.filter(task="emails.order")}
    assert kinds == {EmailKind.ORDER_PLACED.value, EmailKind.PAYMENT_RECEIVED.value}
    # Nothing is left to pay, so no payment can be started.
    body = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=member
    )
    assert [e["code"] for e in body["createPayment"]["errors"]] == ["ORDER_NOT_PAYABLE"]
    # And no gateway received anything: the settlement report has no payment in it.
    report = await settlement.settlement_report(order.placed_at.date(), order.placed_at.date())
    assert report.rows == []


async def test_a_retried_place_order_spends_once(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 1000, CreditEntryKind.GRANT, "grant:r")
    await _member_cart(client, member)
    given = _place_input(shop, key="retry-key-0001", useStoreCredit=True)
    first = (await client.query(PLACE, {"input": given}, user=member))["placeOrder"]
    again = (await client.query(PLACE, {"input": given}, user=member))["placeOrder"]
    assert again["errors"] == [] and again["order"]["number"] == first["order"]["number"]
    assert await StoreCreditEntry.filter(kind=CreditEntryKind.SPEND).count() == 1
    assert await ledger.balance(member.id, "JPY") == 0


async def test_credit_that_changed_since_the_quote_refuses_the_order_and_changes_nothing(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 1000, CreditEntryKind.GRANT, "grant:s")
    variant = await _member_cart(client, member)
    quote = await _quote(client, member, shop)
    assert quote["storeCredit"]["applied"] == {"amount": "1000"}
    # Spent elsewhere meanwhile.
    await ledger.post(member.id, "JPY", -600, CreditEntryKind.SPEND, "order:TWELSEWHR1")
    given = _place_input(shop, useStoreCredit=True, expectedStoreCredit="1000")
    placed = (await client.query(PLACE, {"input": given}, user=member))["placeOrder"]
    assert placed["order"] is None
    assert [(e["code"], e["field"]) for e in placed["errors"]] == [
        ("STORE_CREDIT_INSUFFICIENT", ["expectedStoreCredit"])
    ]
    assert "400" in placed["errors"][0]["message"]
    assert await Order.all().count() == 0
    assert await ledger.balance(member.id, "JPY") == 400
    await variant.refresh_from_db()
    assert variant.stock_reserved == 0


async def test_a_guest_has_no_credit_to_use(client):
    shop = await ready_shop()
    product = await make_product(prices=("10.00",), stock=(3,))
    variant = await ProductVariant.get(product_id=product.id)
    added = await client.query(
        """mutation($input: CartLineInput!) { addToCart(input: $input) { cartToken } }""",
        {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}},
    )
    token = added["addToCart"]["cartToken"]
    given = {
        **_place_input(shop, useStoreCredit=True),
        "cartToken": token,
        "email": "guest@example.com",
    }
    placed = (await client.query(PLACE, {"input": given}))["placeOrder"]
    assert placed["errors"] == []
    assert placed["order"]["storeCredit"]["amount"] == "0"
    assert placed["order"]["status"] == "PENDING_PAYMENT"


async def test_cancelling_gives_the_credit_back_and_refunds_only_what_the_card_paid(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 1200, CreditEntryKind.GRANT, "grant:c")
    await _member_cart(client, member, price="10.00", quantity=2)  # 20 + 8 USD = 4200 yen
    placed = await client.query(
        PLACE, {"input": _place_input(shop, useStoreCredit=True)}, user=member
    )
    order = await Order.get(number=placed["placeOrder"]["order"]["number"])
    assert (order.store_credit_presentment, order.store_credit) == (1200, 800)
    assert (await pay_by_card(client, order, member))["status"] == "SUCCEEDED"

    cancelled = await client.staff(
        CANCEL,
        {"input": {"orderId": gid("Order", order.id), "reason": "Out of stock", "refund": True}},
    )
    assert cancelled["cancelOrder"]["errors"] == []
    # The card gets back what it paid; the credit part goes back to the balance.
    assert cancelled["cancelOrder"]["order"]["refundedInShopCurrency"] == {"amount": "20.00"}
    refund = await Refund.get(payment__order_id=order.id)
    assert refund.amount == 3000
    back = await StoreCreditEntry.get(kind=CreditEntryKind.REFUND)
    assert (back.amount, back.reference) == (1200, f"order:{order.number}:cancel")
    assert await ledger.balance(member.id, "JPY") == 1200


async def test_cancelling_an_unpaid_order_gives_the_credit_back_once(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 500, CreditEntryKind.GRANT, "grant:u")
    await _member_cart(client, member)
    placed = await client.query(
        PLACE, {"input": _place_input(shop, useStoreCredit=True)}, user=member
    )
    number = placed["placeOrder"]["order"]["number"]
    order = await Order.get(number=number)
    mutation = """mutation($input: CancelMyOrderInput!) {
      cancelMyOrder(input: $input) { order { status } errors { code } } }"""
    data = await client.query(mutation, {"input": {"orderId": gid("Order", order.id)}}, user=member)
    assert data["cancelMyOrder"] == {"order": {"status": "CANCELLED"}, "errors": []}
    again = await client.staff(
        CANCEL, {"input": {"orderId": gid("Order", order.id), "reason": "Twice"}}
    )
    assert [e["code"] for e in again["cancelOrder"]["errors"]] == ["ILLEGAL_TRANSITION"]
    assert await ledger.balance(member.id, "JPY") == 500
    assert await StoreCreditEntry.filter(kind=CreditEntryKind.REFUND).count() == 1


async def test_a_partial_staff_refund_goes_to_the_payment_and_leaves_the_credit_spent(client):
    shop = await ready_shop()
    member = await make_user()
    await ledger.post(member.id, "JPY", 1200, CreditEntryKind.GRANT, "grant:p")
    await _member_cart(client, member, price="10.00", quantity=2)
    placed = await client.query(
        PLACE, {"input": _place_input(shop, useStoreCredit=True)}, user=member
    )
    order = await Order.get(number=placed["placeOrder"]["order"]["number"])
    await pay_by_card(client, order, member)
    payment = await Payment.get(order_id=order.id)
    refund = """mutation($input: RefundPaymentInput!) {
      refundPayment(input: $input) { errors { code message } } }"""
    whole = {"paymentId": gid("Payment", payment.id), "amount": "3000", "reason": "Damaged"}
    more = {**whole, "amount": "3001"}
    over = await client.staff(refund, {"input": more})
    assert [e["code"] for e in over["refundPayment"]["errors"]] == ["REFUND_EXCEEDS_CAPTURED"]
    done = await client.staff(refund, {"input": whole})
    assert done["refundPayment"]["errors"] == []
    await order.refresh_from_db()
    # The whole payment back is the order less its credit part: 28.00 - 8.00 USD.
    assert order.refunded_total == order.total - order.store_credit == 2000
    assert await ledger.balance(member.id, "JPY") == 0


on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)


@on_postgres
async def test_two_checkouts_at_once_cannot_overdraw_the_credit(client):
    shop = await ready_shop()
    member = await make_user(email="two@example.com")
    await ledger.post(member.id, "JPY", 3000, CreditEntryKind.GRANT, "grant:t")
    product = await make_product(prices=("10.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    shopper = await checkout.shopper_for(member.id, None)
    service_id = decode_id(shop.service_id, "ShippingService")
    assert service_id is not None
    cart_list = []
    for _ in range(4):  # four tabs, each with its own cart of 4200 yen
        cart = await Cart.create(token_hash=secrets.token_hex(16), user_id=member.id)
        await carts.set_quantity(cart, variant.id, 2, early_access=False, add=True)
        cart_list.append(cart)

    async def place(cart: Cart) -> Order | OrderError:
        given = checkout.PlaceOrderInput(
            idempotency_key=uuid.uuid4().hex,
            email=None,
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
            use_store_credit=True,
        )
        try:
            return (await checkout.place_order(cart, shopper, given)).order
        except OrderError as exc:
            return exc

    results = await asyncio.gather(*(place(cart) for cart in cart_list))
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OrderError)]
    assert {p.code for r in refused for p in r.problems} <= {
        OrderErrorCode.STORE_CREDIT_INSUFFICIENT
    }
    orders = await Order.filter(user_id=member.id)
    spent = sum(o.store_credit_presentment for o in orders)
    account = await StoreCreditAccount.get(user_id=member.id, currency="JPY")
    entries = await StoreCreditEntry.filter(account_id=account.id)
    assert account.balance >= 0
    assert account.balance == sum(e.amount for e in entries) == 3000 - spent
    assert len(orders) == len(placed)
    for order in orders:
        entry = next((e for e in entries if e.reference == f"order:{order.number}"), None)
        assert (entry.amount if entry else 0) == -order.store_credit_presentment
