"""`POST /webhooks/stripe`: signed deliveries are processed once; forged, stale and
replayed ones change nothing."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import stripe
from pydantic import SecretStr

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from services.payments import events, gateways
from services.payments.gateway import (
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)
from tests.factories import make_user
from tests.payments.paying_setup import euro_order

SECRET = "whsec_test_secret"


class FakeStripe:
    """Stands in for the Stripe adapter: only its settlement is asked here."""

    name = Gateway.STRIPE
    methods: tuple[str, ...] = ("card",)

    def methods_for(self, currency: str, country: str) -> list[str]:
        return ["card"]

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        raise AssertionError("not used")

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        raise AssertionError("not used")

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        raise AssertionError("not used")

    async def fetch_payment(self, provider_payment_id: str) -> dict[str, Any] | None:
        raise AssertionError("not used")

    async def fetch_refund(self, provider_refund_id: str) -> dict[str, Any] | None:
        raise AssertionError("not used")

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        return Settlement("USD", net=941, fee=59, rate="1.0869", balance_transaction_id="txn_1")

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        return Settlement("USD", net=-470, fee=0, rate="1.0870", balance_transaction_id="txn_r")


@pytest.fixture
async def http(app: Any, db: None, settings: Any, monkeypatch) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(settings, "stripe_webhook_secret", SecretStr(SECRET))
    gateways.install_gateway(FakeStripe())
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as client:
            yield client
    finally:
        gateways.uninstall_gateway(Gateway.STRIPE)


async def _stripe_payment() -> tuple[Order, Payment]:
    order = await euro_order(await make_user())
    payment = await Payment.create(
        order_id=order.id,
        attempt=1,
        gateway=Gateway.STRIPE,
        method="card",
        provider_id="pi_123",
        status=PaymentStatus.REQUIRES_ACTION,
        currency=order.currency,
        amount=order.total_presentment,
    )
    return order, payment


def _event(payment: Payment, event_id: str = "evt_1", **fields: Any) -> str:
    intent = {
        "id": payment.provider_id,
        "object": "payment_intent",
        "amount_received": payment.amount,
        "currency": payment.currency.lower(),
        "status": "succeeded",
        **fields,
    }
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": events.SUCCEEDED,
            "data": {"object": intent},
        }
    )


async def _deliver(
    http: httpx.AsyncClient, payload: str, *, secret: str = SECRET, age: int = 0
) -> httpx.Response:
    header = stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp=int(time.time()) - age
    )
    return await http.post(
        "/webhooks/stripe",
        content=payload.encode(),
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


async def _paid_events(order: Order) -> int:
    return await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count()


async def test_a_signed_success_pays_the_order_and_a_replay_changes_nothing(http):
    order, payment = await _stripe_payment()
    payload = _event(payment)
    response = await _deliver(http, payload)
    assert response.status_code == 200
    assert response.json() == {"received": True}
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.SUCCEEDED
    assert (fresh.settled_amount, fresh.fee, fresh.settlement_currency) == (941, 59, "USD")
    paid = await Order.get(id=order.id)
    assert paid.status == OrderStatus.PENDING_SHIPMENT
    assert (paid.payment_method, paid.payment_reference) == ("card", "pi_123")
    # Stripe retries what it thinks failed: the same event again, freshly signed.
    replay = await _deliver(http, payload)
    assert replay.status_code == 200
    assert replay.json() == {"received": True}
    assert await WebhookEvent.filter(gateway=Gateway.STRIPE).count() == 1
    assert await _paid_events(order) == 1


@pytest.mark.parametrize(
    "delivery",
    [
        pytest.param({"secret": "whsec_forged"}, id="forged"),
        pytest.param({"age": 301 + 5}, id="stale"),
        pytest.param({"age": -(301 + 5)}, id="future"),
    ],
)
async def test_forged_and_stale_deliveries_are_refused_and_change_nothing(http, delivery):
    order, payment = await _stripe_payment()
    response = await _deliver(http, _event(payment), **delivery)
    assert response.status_code == 400
    assert await WebhookEvent.all().count() == 0
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.REQUIRES_ACTION
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


async def test_a_tampered_body_or_a_missing_signature_is_refused(http):
    _, payment = await _stripe_payment()
    payload = _event(payment)
    header = stripe.WebhookSignature.generate_signature_header(
        payload, SECRET, timestamp=int(time.time())
    )
    tampered = payload.replace(f'"amount_received": {payment.amount}', '"amount_received": 1')
    assert tampered != payload
    response = await http.post(
        "/webhooks/stripe", content=tampered.encode(), headers={"Stripe-Signature": header}
    )
    assert response.status_code == 400
    unsigned = await http.post("/webhooks/stripe", content=payload.encode())
    assert unsigned.status_code == 400
    assert await WebhookEvent.all().count() == 0


async def test_a_processing_error_answers_500_so_stripe_retries(http, monkeypatch):
    order, payment = await _stripe_payment()

    async def broken(gateway, data):
        raise RuntimeError("boom")

    monkeypatch.setitem(events._HANDLERS, events.SUCCEEDED, broken)
    payload = _event(payment)
    assert (await _deliver(http, payload)).status_code == 500
    assert await WebhookEvent.all().count() == 0
    monkeypatch.setitem(events._HANDLERS, events.SUCCEEDED, events._succeeded)
    assert (await _deliver(http, payload)).status_code == 200
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_a_mismatched_amount_is_flagged_and_acknowledged(http):
    order, payment = await _stripe_payment()
    response = await _deliver(http, _event(payment, amount_received=payment.amount - 1))
    assert response.status_code == 200
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.FLAGGED
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


async def test_without_a_webhook_secret_nothing_is_accepted(http, settings, monkeypatch):
    monkeypatch.setattr(settings, "stripe_webhook_secret", None)
    _, payment = await _stripe_payment()
    response = await _deliver(http, _event(payment))
    assert response.status_code == 503
    assert await WebhookEvent.all().count() == 0


async def test_a_delivery_to_a_shop_not_set_up_for_stripe_is_acknowledged_and_ignored(
    http, settings, monkeypatch, caplog
):
    order, payment = await _stripe_payment()
    gateways.uninstall_gateway(Gateway.STRIPE)
    monkeypatch.setattr(settings, "stripe_api_key", None)
    with caplog.at_level(logging.INFO, logger="tradewind.payments"):
        response = await _deliver(http, _event(payment, event_id="evt_unset"))
    assert response.status_code == 200
    assert response.json() == {"received": True, "ignored": True}
    logged = [r for r in caplog.records if r.name == "tradewind.payments"]
    assert len(logged) == 1 and "evt_unset" in logged[0].getMessage()
    assert logged[0].exc_info is None
    assert await WebhookEvent.all().count() == 0
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.REQUIRES_ACTION
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


async def test_a_payment_that_settles_later_is_settled_by_the_charge_update(http):
    _, payment = await _stripe_payment()
    # Succeeded before its balance transaction existed: nothing to settle yet.
    early = _event(payment, latest_charge={"id": "ch_1", "balance_transaction": None})
    assert (await _deliver(http, early)).status_code == 200
    paid = await Payment.get(id=payment.id)
    assert (paid.status, paid.settled_amount) == (PaymentStatus.SUCCEEDED, None)
    update = json.dumps(
        {
            "id": "evt_charge_1",
            "object": "event",
            "type": events.CHARGE_UPDATED,
            "data": {
                "object": {
                    "id": "ch_1",
                    "object": "charge",
                    "payment_intent": payment.provider_id,
                    "balance_transaction": "txn_1",
                }
            },
        }
    )
    assert (await _deliver(http, update)).status_code == 200
    settled = await Payment.get(id=payment.id)
    assert (settled.settled_amount, settled.fee, settled.settlement_currency) == (941, 59, "USD")


async def test_a_refund_notice_that_cannot_apply_is_flagged_not_retried_forever(http):
    _, payment = await _stripe_payment()
    await Payment.filter(id=payment.id).update(
        status=PaymentStatus.SUCCEEDED, amount_received=payment.amount
    )
    notice = json.dumps(
        {
            "id": "evt_refund_odd",
            "object": "event",
            "type": events.REFUNDED,
            "data": {
                "object": {
                    "id": "ch_1",
                    "object": "charge",
                    "payment_intent": payment.provider_id,
                    "amount_refunded": 100,
                    "currency": "jpy",
                }
            },
        }
    )
    response = await _deliver(http, notice)
    assert response.status_code == 200
    flagged = await Payment.get(id=payment.id)
    assert flagged.status == PaymentStatus.FLAGGED
    assert "cannot be applied" in flagged.flagged_reason
    assert flagged.amount_refunded == 0


def _refund_event(event_id: str, type: str, **refund: Any) -> str:
    body = {"object": "refund", "payment_intent": "pi_123", "currency": "eur", **refund}
    return json.dumps({"id": event_id, "object": "event", "type": type, "data": {"object": body}})


async def test_refund_updates_complete_fail_or_flag_the_refunds_made_here(http):
    order, payment = await _stripe_payment()
    assert (await _deliver(http, _event(payment))).status_code == 200
    # Two refunds Stripe answered "pending": the second one's id was never heard.
    first = await Refund.create(
        payment_id=payment.id,
        sequence=1,
        status=RefundStatus.PENDING,
        amount=460,
        reason="Damaged",
        provider_id="re_1",
    )
    second = await Refund.create(
        payment_id=payment.id, sequence=2, status=RefundStatus.PENDING, amount=100, reason="Late"
    )

    done = _refund_event("evt_r1", "refund.updated", id="re_1", status="succeeded", amount=460)
    assert (await _deliver(http, done)).status_code == 200
    completed = await Refund.get(id=first.id)
    assert completed.status == RefundStatus.SUCCEEDED
    # Its settlement is the refund's own balance transaction.
    assert (completed.settled_amount, completed.provider_rate) == (-470, "1.0870")
    assert (await Payment.get(id=payment.id)).amount_refunded == 460
    assert (await Order.get(id=order.id)).refunded_total == 500  # 4.60 EUR at 0.92

    failed = _refund_event(
        "evt_r2",
        "refund.failed",
        id="re_2",
        status="failed",
        failure_reason="expired_or_canceled_card",
        metadata={"sequence": "2"},
    )
    assert (await _deliver(http, failed)).status_code == 200
    lost = await Refund.get(id=second.id)
    assert (lost.status, lost.provider_id) == (RefundStatus.FAILED, "re_2")
    assert "expired or canceled card" in lost.failure_message
    assert (await Payment.get(id=payment.id)).amount_refunded == 460
    assert (await _deliver(http, failed)).status_code == 200  # a replay: nothing more
    assert await WebhookEvent.filter(event_id="evt_r2").count() == 1

    # The card of the first refund turned out closed: the money came back to the shop.
    bounced = _refund_event(
        "evt_r3",
        "charge.refund.updated",
        id="re_1",
        status="failed",
        failure_reason="lost_or_stolen_card",
    )
    assert (await _deliver(http, bounced)).status_code == 200
    flagged = await Payment.get(id=payment.id)
    assert flagged.status == PaymentStatus.FLAGGED
    assert "lost or stolen card" in flagged.flagged_reason
    # Totals and points stay as they were, for staff to decide.
    assert flagged.amount_refunded == 460
    assert (await Refund.get(id=first.id)).status == RefundStatus.SUCCEEDED
    recorded = await WebhookEvent.get(event_id="evt_r3")
    assert recorded.outcome.startswith("flagged")

    stranger = _refund_event("evt_r4", "refund.updated", id="re_9", status="succeeded")
    assert (await _deliver(http, stranger)).status_code == 200
    assert (await WebhookEvent.get(event_id="evt_r4")).outcome == "ignored: not a refund made here"


async def test_an_oversized_body_is_refused_unread(http):
    _, payment = await _stripe_payment()
    padded = json.loads(_event(payment))
    padded["data"]["object"]["metadata"] = {"padding": "x" * (1024 * 1024)}
    response = await _deliver(http, json.dumps(padded))
    assert response.status_code == 413
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.REQUIRES_ACTION
    assert await WebhookEvent.all().count() == 0
