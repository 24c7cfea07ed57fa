"""With PayPal settings, the whole flow through the API: an order is created at (a stand-in
of) PayPal, the shopper approves it there, the shop captures it when they come back or when
PayPal's signed notification says they approved, the settlement is read from PayPal's
breakdown, and refunds go back through PayPal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from tortoise import timezone

from models.accounts import Role, User
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from services.payments import gateways, reconcile
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order
from tests.payments.paying_setup import CREATE
from tests.payments.paypal_standin import PayPalStandIn
from tests.payments.test_paypal_gateway import (  # noqa: F401 - fixtures
    paypal,
    paypal_server,
    paypal_settings,
)
from tests.payments.test_settlement import REPORT, today

METHODS = "query($n: String!) { paymentMethods(orderNumber: $n) }"
COMPLETE = """mutation($input: CompletePaymentInput!) {
  completePayment(input: $input) {
    payment { id status failureCode failureMessage amountReceived { amount } }
    errors { field code message } } }"""
REFUND = """mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { errors { code message } refund { status } } }"""


@pytest.fixture
async def paypal_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    paypal: tuple[PayPalStandIn, str],  # noqa: F811 - the imported fixture
) -> AsyncIterator[PayPalStandIn]:
    for name, value in {"payment_gateways": ["paypal"], **paypal_settings(paypal[1])}.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.PAYPAL)  # built afresh from these settings
    try:
        yield paypal[0]
    finally:
        await gateways.close_gateways()


async def usd_order(user: User | None) -> Order:
    """An unpaid 10.00 USD order to the United States."""
    product = await make_product(prices=("10.00",))
    variant = (await product.variants.all())[0]
    return await placed_order(user, [(variant, 1)], ship_country="US")


async def _deliver(app: Any, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        return await http.post("/webhooks/paypal", content=body, headers=headers)


async def _started(client: Any, order: Order, shopper: User) -> dict[str, Any]:
    given = {"orderNumber": order.number, "method": "paypal", "returnUrl": "https://s.test/r"}
    created = await client.query(CREATE, {"input": given}, user=shopper)
    assert created["createPayment"]["errors"] == []
    payment: dict[str, Any] = created["createPayment"]["payment"]
    return payment


async def test_a_usd_order_is_paid_on_return_settled_and_refunded_in_part(client, app, paypal_shop):
    shopper = await make_user()
    order = await usd_order(shopper)
    methods = await client.query(METHODS, {"n": order.number}, user=shopper)
    assert methods["paymentMethods"] == ["paypal"]
    paypal_shop.fail_next(1)  # PayPal errs once: the SDK retries under the same request id
    created = await _started(client, order, shopper)
    assert len(paypal_shop.orders) == 1
    row = await Payment.get(order_id=order.id)
    action = created["nextAction"]
    assert action["type"] == "redirect_to_url"
    assert action["redirect_to_url"]["url"].endswith(f"token={row.provider_id}")
    assert action["redirect_to_url"]["return_url"] == "https://s.test/r"

    early = await client.query(COMPLETE, {"input": {"paymentId": created["id"]}}, user=shopper)
    assert early["completePayment"]["payment"]["status"] == "REQUIRES_ACTION"
    stranger = await make_user()
    refused = await client.query(COMPLETE, {"input": {"paymentId": created["id"]}}, user=stranger)
    assert refused["completePayment"]["errors"][0]["code"] == "NOT_FOUND"

    paypal_shop.approve(str(row.provider_id))
    done = await client.query(COMPLETE, {"input": {"paymentId": created["id"]}}, user=shopper)
    assert done["completePayment"]["errors"] == []
    assert done["completePayment"]["payment"]["status"] == "SUCCEEDED"
    paid = await Payment.get(id=row.id)
    assert (paid.status, paid.amount_received) == (PaymentStatus.SUCCEEDED, 1000)
    assert (paid.settlement_currency, paid.settled_amount, paid.fee) == ("USD", 916, 84)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT

    # PayPal's own notification of the same capture arrives later and changes nothing.
    capture = paypal_shop.capture_of(str(row.provider_id))
    event = paypal_shop.event("PAYMENT.CAPTURE.COMPLETED", capture)
    assert (await _deliver(app, *paypal_shop.delivery(event))).status_code == 200
    recorded = {e.event_id: e.outcome for e in await WebhookEvent.filter(gateway="paypal")}
    assert recorded[f"capture:{capture['id']}:succeeded"].startswith("applied")
    assert recorded[event["id"]].startswith("ignored")

    reporter = await make_user(role=Role.STAFF, permissions=("reports", "orders"))
    day = today().isoformat()
    report = await client.query(REPORT, {"from": day, "to": day}, user=reporter)
    [line] = report["settlementReport"]["rows"]
    assert (line["method"], line["fees"], line["net"]) == (
        "paypal",
        {"amount": "0.84", "currency": "USD"},
        {"amount": "9.16", "currency": "USD"},
    )

    refunded = await client.query(
        REFUND,
        {"input": {"paymentId": gid("Payment", row.id), "amount": "4.00", "reason": "damaged"}},
        user=reporter,
    )
    assert refunded["refundPayment"]["errors"] == []
    assert refunded["refundPayment"]["refund"]["status"] == "SUCCEEDED"
    made = await Refund.get(payment_id=row.id)
    assert (made.amount, made.settled_amount, made.fee) == (400, -386, -14)
    assert (await Payment.get(id=row.id)).amount_refunded == 400
    assert (await Order.get(id=order.id)).refunded_total == 400
    # PayPal's notice of that refund is matched with it: nothing is refunded twice.
    notice = paypal_shop.event("PAYMENT.CAPTURE.REFUNDED", paypal_shop.refunds[made.provider_id])
    assert (await _deliver(app, *paypal_shop.delivery(notice))).status_code == 200
    assert await Refund.filter(payment_id=row.id).count() == 1
    assert (await Order.get(id=order.id)).refunded_total == 400


async def test_the_approval_notification_alone_pays_the_order(client, app, paypal_shop):
    shopper = await make_user()
    order = await usd_order(shopper)
    await _started(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    paypal_shop.approve(str(row.provider_id))
    event = paypal_shop.event("CHECKOUT.ORDER.APPROVED", paypal_shop.orders[row.provider_id])

    forged = await _deliver(app, *paypal_shop.delivery(event, sign_with=b"someone else"))
    assert forged.status_code == 400
    assert paypal_shop.captures == {}
    assert (await Payment.get(id=row.id)).status == PaymentStatus.REQUIRES_ACTION

    body, headers = paypal_shop.delivery(event)
    assert (await _deliver(app, body, headers)).status_code == 200
    assert (await Payment.get(id=row.id)).status == PaymentStatus.SUCCEEDED
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    events_before = await WebhookEvent.filter(gateway="paypal").count()
    assert (await _deliver(app, body, headers)).status_code == 200  # a replay
    assert await WebhookEvent.filter(gateway="paypal").count() == events_before
    assert len(paypal_shop.captures) == 1


async def test_reconciliation_captures_an_approval_nobody_announced(client, paypal_shop):
    """The shopper approved and closed the tab, and PayPal's notification was lost: the
    reconciliation captures the approved attempt, and leaves one not approved alone."""
    shopper = await make_user()
    order = await usd_order(shopper)
    await _started(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    waiting = await usd_order(shopper)
    await _started(client, waiting, shopper)

    later = timezone.now() + reconcile.QUIET + timedelta(minutes=1)
    untouched = await reconcile.reconcile(now=later)
    assert untouched.payments == 0 and paypal_shop.captures == {}

    paypal_shop.approve(str(row.provider_id))
    result = await reconcile.reconcile(now=later)
    assert result.payments == 1
    assert (await Payment.get(id=row.id)).status == PaymentStatus.SUCCEEDED
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    assert (await Order.get(id=waiting.id)).status == OrderStatus.PENDING_PAYMENT
    assert len(paypal_shop.captures) == 1

    # Past the window, an attempt is only looked up, never captured.
    other = await Payment.get(order_id=waiting.id)
    paypal_shop.approve(str(other.provider_id))
    too_late = later + reconcile.COMPLETE_WITHIN
    await reconcile.reconcile(now=too_late)
    assert len(paypal_shop.captures) == 1
    assert (await Payment.get(id=other.id)).status == PaymentStatus.REQUIRES_ACTION


async def test_a_pending_capture_completes_by_webhook_and_a_pending_refund_too(
    client, app, paypal_shop
):
    shopper = await make_user()
    order = await usd_order(shopper)
    created = await _started(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    paypal_shop.approve(str(row.provider_id))
    paypal_shop.capture_outcome = "PENDING"
    done = await client.query(COMPLETE, {"input": {"paymentId": created["id"]}}, user=shopper)
    assert done["completePayment"]["payment"]["status"] == "PROCESSING"
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT

    capture = paypal_shop.complete_capture(paypal_shop.capture_of(str(row.provider_id))["id"])
    event = paypal_shop.event("PAYMENT.CAPTURE.COMPLETED", capture)
    delivery = paypal_shop.delivery(event)
    # Two deliveries of the same notification at once apply once.
    answers = await asyncio.gather(_deliver(app, *delivery), _deliver(app, *delivery))
    assert [a.status_code for a in answers] == [200, 200]
    assert await WebhookEvent.filter(gateway="paypal", event_id=event["id"]).count() == 1
    paid = await Payment.get(id=row.id)
    assert (paid.status, paid.fee) == (PaymentStatus.SUCCEEDED, 84)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT

    paypal_shop.refund_outcome = "PENDING"
    merchant = await make_user(role=Role.STAFF, permissions=("orders",))
    refunded = await client.query(
        REFUND,
        {"input": {"paymentId": gid("Payment", row.id), "amount": "2.50", "reason": "late"}},
        user=merchant,
    )
    assert refunded["refundPayment"]["refund"]["status"] == "PENDING"
    pending = await Refund.get(payment_id=row.id)
    assert (await Order.get(id=order.id)).refunded_total == 0
    completed = paypal_shop.complete_refund(str(pending.provider_id))
    notice = paypal_shop.event("PAYMENT.CAPTURE.REFUNDED", completed)
    assert (await _deliver(app, *paypal_shop.delivery(notice))).status_code == 200
    settled = await Refund.get(id=pending.id)
    assert (settled.status, settled.settled_amount) == (RefundStatus.SUCCEEDED, -241)
    assert (await Payment.get(id=row.id)).amount_refunded == 250
    assert (await Order.get(id=order.id)).refunded_total == 250


async def test_a_declined_capture_fails_the_attempt(client, app, paypal_shop):
    shopper = await make_user()
    order = await usd_order(shopper)
    created = await _started(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    paypal_shop.approve(str(row.provider_id))
    paypal_shop.capture_outcome = "DECLINED"
    done = await client.query(COMPLETE, {"input": {"paymentId": created["id"]}}, user=shopper)
    payment = done["completePayment"]["payment"]
    assert (payment["status"], payment["failureCode"]) == (
        "FAILED",
        "declined_by_risk_fraud_filters",
    )
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


async def test_a_superseded_attempt_is_never_captured(client, app, paypal_shop):
    shopper = await make_user()
    order = await usd_order(shopper)
    first = await _started(client, order, shopper)
    await _started(client, order, shopper)  # a second tab: the first attempt is cancelled
    stale = await Payment.get(order_id=order.id, attempt=1)
    assert stale.status == PaymentStatus.CANCELED
    paypal_shop.approve(str(stale.provider_id))
    refused = await client.query(COMPLETE, {"input": {"paymentId": first["id"]}}, user=shopper)
    assert refused["completePayment"]["errors"][0]["code"] == "ILLEGAL_STATE"
    event = paypal_shop.event("CHECKOUT.ORDER.APPROVED", paypal_shop.orders[stale.provider_id])
    assert (await _deliver(app, *paypal_shop.delivery(event))).status_code == 200
    assert paypal_shop.captures == {}
