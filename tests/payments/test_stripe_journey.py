"""With Stripe settings, the whole flow through the API: a PaymentIntent is created at
(a stand-in of) Stripe, its signed webhook pays the order, the settlement is read from the
balance transaction, and a refund goes back through Stripe."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import stripe
from pydantic import SecretStr

from models.accounts import Role
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund
from services.payments import gateways, settling
from tests.factories import gid, make_user
from tests.payments.paying_setup import CREATE, euro_order
from tests.payments.stripe_standin import StripeStandIn
from tests.payments.test_stripe_gateway import (  # noqa: F401 - fixtures
    API_KEY,
    standin,
    standin_server,
)

SECRET = "whsec_journey"
REFUND = """mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { errors { code message } refund { status } } }"""


@pytest.fixture
async def stripe_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    standin: tuple[StripeStandIn, str],  # noqa: F811 - the imported fixture
) -> AsyncIterator[StripeStandIn]:
    for name, value in {
        "payment_gateway": "stripe",
        "stripe_api_key": SecretStr(API_KEY),
        "stripe_api_base": standin[1],
        "stripe_webhook_secret": SecretStr(SECRET),
        "stripe_payment_methods": ["card"],
        "stripe_publishable_key": "pk_test_journey",
    }.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.STRIPE)  # built afresh from these settings
    try:
        yield standin[0]
    finally:
        gateways.uninstall_gateway(Gateway.STRIPE)


async def _webhook(app: Any, event: dict[str, Any]) -> httpx.Response:
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, SECRET, timestamp=int(time.time())
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        return await http.post(
            "/webhooks/stripe",
            content=payload.encode(),
            headers={"Stripe-Signature": header, "Content-Type": "application/json"},
        )


async def test_a_euro_order_is_paid_settled_and_refunded_through_stripe(client, app, stripe_shop):
    shopper = await make_user()
    order = await euro_order(shopper)
    # The shopper opens the payment step in two tabs: the second cancels the first's intent.
    first_tab = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=shopper
    )
    assert first_tab["createPayment"]["errors"] == []
    created = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=shopper
    )
    payment = created["createPayment"]["payment"]
    assert created["createPayment"]["errors"] == []
    assert payment["clientSecret"].endswith("_secret_standin")
    assert payment["publishableKey"] == "pk_test_journey"  # for Stripe.js in the storefront
    first, sent = stripe_shop.sent("POST", "/v1/payment_intents")
    assert (sent.form["amount"], sent.form["currency"]) == ("920", "eur")
    assert sent.headers["idempotency-key"] == f"payment:{order.number}:2:card"
    stale = await Payment.get(order_id=order.id, attempt=1)
    assert stale.status == PaymentStatus.CANCELED
    assert stripe_shop.intents[str(stale.provider_id)]["status"] == "canceled"
    assert first.headers["idempotency-key"] == f"payment:{order.number}:1:card"
    row = await Payment.get(order_id=order.id, attempt=2)

    # Stripe settles 9.20 EUR as 9.68 USD gross: 0.58 fee, 9.10 net, at 1.0521.
    stripe_shop.settlements[row.provider_id] = {
        "id": "txn_journey",
        "object": "balance_transaction",
        "amount": 968,
        "fee": 58,
        "net": 910,
        "currency": "usd",
        "exchange_rate": 1.0521,
    }
    stripe_shop.intents[row.provider_id].update(status="succeeded", amount_received=920)
    event = {
        "id": "evt_journey_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {"object": stripe_shop.intents[row.provider_id]},
    }
    assert (await _webhook(app, event)).status_code == 200
    paid = await Payment.get(id=row.id)
    assert paid.status == PaymentStatus.SUCCEEDED
    assert (paid.settlement_currency, paid.settled_amount, paid.fee) == ("USD", 910, 58)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT

    merchant = await make_user(role=Role.STAFF, permissions=("orders",))
    refunded = await client.query(
        REFUND,
        {"input": {"paymentId": gid("Payment", row.id), "amount": "4.00", "reason": "damaged"}},
        user=merchant,
    )
    assert refunded["refundPayment"]["errors"] == []
    assert refunded["refundPayment"]["refund"]["status"] == "SUCCEEDED"
    [refund_sent] = stripe_shop.sent("POST", "/v1/refunds")
    assert (refund_sent.form["amount"], refund_sent.form["payment_intent"]) == (
        "400",
        row.provider_id,
    )
    assert refund_sent.headers["idempotency-key"] == f"refund:{row.id}:1"
    assert (await Payment.get(id=row.id)).amount_refunded == 400

    # The refund's balance transaction exists only later: the settlement sweep reads it, at
    # the day's rate rather than the payment's.
    made = await Refund.get(payment_id=row.id)
    assert made.settled_amount is None
    stripe_shop.settlements[str(made.provider_id)] = {
        "id": "txn_journey_refund",
        "object": "balance_transaction",
        "amount": -425,
        "fee": 0,
        "net": -425,
        "currency": "usd",
        "exchange_rate": 1.0625,
    }
    assert (await settling.settle_pending()).refunds == 1
    settled = await Refund.get(id=made.id)
    assert (settled.settled_amount, settled.provider_rate) == (-425, "1.0625")
