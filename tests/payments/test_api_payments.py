"""Paying an order through the API with the built-in test gateway, as a storefront does."""

from __future__ import annotations

from decimal import Decimal

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from models.payments import Payment, PaymentStatus, WebhookEvent
from tests.factories import gid, make_user
from tests.payments.paying_setup import CONFIRM, CREATE, PAY, euro_order

ORDER_PAYMENTS = """
query($number: String!) {
  order(number: $number) {
    status paymentMethod paymentReference
    payments { status method amount { amount currency } clientSecret providerId
               settledAmount { amount currency } fee { amount currency } providerRate }
  }
}
"""


async def _create(client, order, user=None, **extra):
    given = {"orderNumber": order.number, "method": "card", **extra}
    data = await client.query(CREATE, {"input": given}, user=user)
    return data["createPayment"]


async def test_a_german_shopper_pays_a_euro_order_and_it_settles_in_the_shop_currency(client):
    shopper = await make_user(email="anna@example.de")
    order = await euro_order(shopper)
    created = await _create(client, order, shopper)
    assert created["errors"] == []
    payment = created["payment"]
    assert payment["status"] == "REQUIRES_ACTION"
    assert payment["amount"] == {"amount": "9.20", "currency": "EUR"}
    assert payment["clientSecret"].startswith("test_secret_")
    assert payment["publishableKey"] is None  # the test gateway is paid on the shop's own page
    assert payment["attempt"] == 1

    paid = await client.query(
        PAY,
        {"input": {"paymentId": payment["id"], "cardNumber": "4242 4242 4242 4242"}},
        user=shopper,
    )
    assert paid["payWithTestCard"] == {
        "payment": {
            "id": payment["id"],
            "status": "SUCCEEDED",
            "failureCode": None,
            "failureMessage": None,
            "nextAction": None,
            "amountReceived": {"amount": "9.20"},
        },
        "errors": [],
    }
    seen = (await client.staff(ORDER_PAYMENTS, {"number": order.number}))["order"]
    assert seen["status"] == "PENDING_SHIPMENT"
    assert seen["paymentMethod"] == "card"
    [row] = seen["payments"]
    assert row["clientSecret"] is None  # never stored, never shown again
    # 9.20 EUR at 0.92 is 10.00 USD gross; the fee is 2.9 % + 0.30 = 0.59.
    assert row["settledAmount"] == {"amount": "9.41", "currency": "USD"}
    assert row["fee"] == {"amount": "0.59", "currency": "USD"}
    assert Decimal(row["providerRate"]) == Decimal("1.08695652174")
    # The shopper sees their payment, but not the settlement.
    mine = (await client.query(ORDER_PAYMENTS, {"number": order.number}, user=shopper))["order"]
    assert mine["payments"][0]["status"] == "SUCCEEDED"
    assert mine["payments"][0]["settledAmount"] is None
    assert mine["payments"][0]["providerId"] is None
    # The same notification path as Stripe's, recorded once.
    assert await WebhookEvent.filter(event_id__startswith="evt_test_").count() == 1
    assert await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count() == 1


async def test_a_declined_card_leaves_the_order_payable_with_a_reason(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    declined = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4000000000009995"}}, user=shopper
    )
    result = declined["payWithTestCard"]["payment"]
    assert result["status"] == "FAILED"
    assert result["failureCode"] == "insufficient_funds"
    assert "insufficient funds" in result["failureMessage"]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    # Paying the failed attempt again is refused; a new attempt is number 2 and succeeds.
    again = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert again["payWithTestCard"]["errors"][0]["code"] == "ILLEGAL_STATE"
    second = (await _create(client, order, shopper))["payment"]
    assert second["attempt"] == 2
    ok = await client.query(
        PAY, {"input": {"paymentId": second["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert ok["payWithTestCard"]["payment"]["status"] == "SUCCEEDED"
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    # A paid order takes no further payment.
    late = await _create(client, order, shopper)
    assert late["payment"] is None
    assert late["errors"][0]["code"] == "ORDER_NOT_PAYABLE"


async def test_a_generic_decline(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    declined = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4000000000000002"}}, user=shopper
    )
    assert declined["payWithTestCard"]["payment"]["failureCode"] == "card_declined"


async def test_a_card_that_needs_a_confirmation_step(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    early = await client.query(CONFIRM, {"input": {"paymentId": payment["id"]}}, user=shopper)
    assert early["confirmTestPayment"]["errors"][0]["code"] == "ILLEGAL_STATE"
    step = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4000002500003155"}}, user=shopper
    )
    result = step["payWithTestCard"]["payment"]
    assert result["status"] == "REQUIRES_ACTION"
    assert result["nextAction"]["type"] == "confirm_test_payment"
    assert result["nextAction"]["confirm_url"]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    done = await client.query(CONFIRM, {"input": {"paymentId": payment["id"]}}, user=shopper)
    assert done["confirmTestPayment"]["payment"]["status"] == "SUCCEEDED"
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_a_card_that_settles_late_pays_the_order_without_a_settlement_yet(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4000000000000077"}}, user=shopper
    )
    row = await Payment.get(order_id=order.id)
    assert row.status == PaymentStatus.SUCCEEDED
    assert row.settled_amount is None
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_a_guest_pays_with_the_orders_email_and_the_client_secret(client):
    order = await euro_order(None, email="guest@example.de")
    wrong = await _create(client, order, email="other@example.de")
    assert wrong["payment"] is None
    assert wrong["errors"][0]["code"] == "NOT_FOUND"
    created = await _create(client, order, email=" Guest@Example.de ")
    payment = created["payment"]
    # Without the secret the payment is not theirs to pay.
    refused = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4242424242424242"}}
    )
    assert refused["payWithTestCard"]["errors"][0]["code"] == "NOT_FOUND"
    forged = await client.query(
        PAY,
        {
            "input": {
                "paymentId": payment["id"],
                "cardNumber": "4242424242424242",
                "clientSecret": forge(payment["clientSecret"]),
            }
        },
    )
    assert forged["payWithTestCard"]["errors"][0]["code"] == "NOT_FOUND"
    paid = await client.query(
        PAY,
        {
            "input": {
                "paymentId": payment["id"],
                "cardNumber": "4242424242424242",
                "clientSecret": payment["clientSecret"],
            }
        },
    )
    assert paid["payWithTestCard"]["payment"]["status"] == "SUCCEEDED"


async def test_another_shoppers_order_is_not_found_and_nothing_is_written(client):
    owner, other = await make_user(), await make_user()
    order = await euro_order(owner)
    result = await _create(client, order, other)
    assert result["errors"][0]["code"] == "NOT_FOUND"
    # A member's order cannot be claimed with its email either.
    by_email = await _create(client, order, email=order.email)
    assert by_email["errors"][0]["code"] == "NOT_FOUND"
    assert await Payment.all().count() == 0
    methods = await client.query(
        "query($n: String!) { paymentMethods(orderNumber: $n) }", {"n": order.number}, user=other
    )
    assert methods["paymentMethods"] == []


async def test_methods_not_offered_and_orders_not_payable_are_refused(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    methods = await client.query(
        "query($n: String!) { paymentMethods(orderNumber: $n) }", {"n": order.number}, user=shopper
    )
    assert methods["paymentMethods"] == ["card"]
    alipay = await _create(client, order, shopper, method="alipay")
    assert alipay["errors"] == [
        {
            "field": ["method"],
            "code": "METHOD_NOT_OFFERED",
            "message": "alipay is not offered for payments in EUR to this country.",
        }
    ]
    await Order.filter(id=order.id).update(status=OrderStatus.CANCELLED)
    cancelled = await _create(client, order, shopper)
    assert cancelled["errors"][0]["code"] == "ORDER_NOT_PAYABLE"
    assert await Payment.all().count() == 0


async def test_unknown_test_cards_and_ids_are_refused(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    bad = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "1234"}}, user=shopper
    )
    assert bad["payWithTestCard"]["errors"][0]["code"] == "INVALID"
    missing = await client.query(
        PAY, {"input": {"paymentId": gid("Order", 1), "cardNumber": "4242424242424242"}}
    )
    assert missing["payWithTestCard"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await Payment.get(order_id=order.id)).status == PaymentStatus.REQUIRES_ACTION


async def test_order_payments_load_in_one_batch(client, count_queries):
    shopper = await make_user()
    await euro_order(shopper)
    orders = """
    query { orders(first: 50) { edges { node { number payments { status } } } } }
    """

    async def statements(expected: int) -> int:
        count_queries.statements.clear()
        data = await client.staff(orders)
        assert len(data["orders"]["edges"]) == expected
        return count_queries.count

    await client.admin()  # made on first use: not part of the count
    for _ in range(2):
        order = await euro_order(shopper)
        await _create(client, order, shopper)
    few = await statements(3)
    for _ in range(4):
        order = await euro_order(shopper)
        await _create(client, order, shopper)
    assert await statements(7) == few


async def test_test_cards_pay_nothing_once_the_shop_takes_real_payments(
    client, settings, monkeypatch
):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    monkeypatch.setattr(settings, "payment_gateway", "stripe")
    refused = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert refused["payWithTestCard"]["errors"][0]["code"] == "NOT_TEST_GATEWAY"
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


def forge(secret: str) -> str:
    """`secret` with its last character changed: never the secret itself."""
    return secret[:-1] + ("1" if secret.endswith("0") else "0")
