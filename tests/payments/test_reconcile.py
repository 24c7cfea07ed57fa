"""Reconciling with the provider: attempts and refunds whose notification never came are
brought up to date from what the provider says now, through the notification code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tortoise import timezone

from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from services.payments import events, reconcile
from services.payments.gateway import GatewayError
from tests.factories import gid, make_user
from tests.payments.paying_setup import euro_order
from tests.payments.test_refunds import FakeGateway, gateway

pytestmark = pytest.mark.usefixtures("db")
__all__ = ["gateway"]

LONG_AGO = timedelta(minutes=20)


async def _attempt(provider_id: str, *, quiet: timedelta = LONG_AGO) -> tuple[Order, Payment]:
    order = await euro_order(await make_user())
    payment = await Payment.create(
        order_id=order.id,
        attempt=1,
        gateway=Gateway.TEST,
        method="card",
        provider_id=provider_id,
        status=PaymentStatus.REQUIRES_ACTION,
        currency=order.currency,
        amount=order.total_presentment,
    )
    await Payment.filter(id=payment.id).update(updated_at=timezone.now() - quiet)
    return order, payment


def _intent(payment: Payment, status: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": payment.provider_id,
        "object": "payment_intent",
        "status": status,
        "amount": payment.amount,
        "currency": payment.currency.lower(),
        **fields,
    }


async def test_a_payment_whose_webhook_never_came_is_applied_once(gateway: FakeGateway):
    order, payment = await _attempt("pi_missed")
    gateway.objects["pi_missed"] = _intent(payment, "succeeded", amount_received=payment.amount)

    result = await reconcile.reconcile()
    assert (result.payments, result.refunds, result.failed) == (1, 0, 0)
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.SUCCEEDED
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    assert await WebhookEvent.filter(event_id="reconcile:pi_missed:succeeded").count() == 1

    # The real notification, when it arrives at last, changes nothing; nor does a rerun.
    late = await events.process(gateway, "evt_late", events.SUCCEEDED, gateway.objects["pi_missed"])
    assert late == "ignored: payment is succeeded"
    assert (await reconcile.reconcile()).payments == 0


async def test_only_quiet_attempts_are_asked_and_waiting_ones_stay(gateway: FakeGateway):
    _, fresh = await _attempt("pi_fresh", quiet=timedelta(minutes=1))
    _, waiting = await _attempt("pi_waiting")
    _, declined = await _attempt("pi_declined")
    gateway.objects["pi_fresh"] = _intent(fresh, "succeeded", amount_received=fresh.amount)
    gateway.objects["pi_waiting"] = _intent(waiting, "requires_payment_method")
    error = {"code": "card_declined", "decline_code": "expired_card", "message": "Expired."}
    gateway.objects["pi_declined"] = _intent(
        declined, "requires_payment_method", last_payment_error=error
    )

    result = await reconcile.reconcile()
    assert (result.payments, result.failed) == (1, 0)
    assert (await Payment.get(id=fresh.id)).status == PaymentStatus.REQUIRES_ACTION
    assert (await Payment.get(id=waiting.id)).status == PaymentStatus.REQUIRES_ACTION
    failed = await Payment.get(id=declined.id)
    assert (failed.status, failed.failure_code, failed.failure_message) == (
        PaymentStatus.FAILED,
        "expired_card",
        "Expired.",
    )


async def test_a_provider_that_cannot_be_asked_changes_nothing(gateway: FakeGateway, monkeypatch):
    _, payment = await _attempt("pi_down")

    async def down(provider_id: str) -> dict[str, Any] | None:
        raise GatewayError("timed out", retryable=True)

    monkeypatch.setattr(gateway, "fetch_payment", down)
    result = await reconcile.reconcile()
    assert (result.payments, result.failed) == (0, 1)
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.REQUIRES_ACTION
    assert await WebhookEvent.all().count() == 0


async def test_a_pending_refund_completes_or_fails_from_what_the_provider_says(
    gateway: FakeGateway,
):
    order, payment = await _attempt("pi_paid")
    await Payment.filter(id=payment.id).update(
        status=PaymentStatus.SUCCEEDED, amount_received=payment.amount
    )
    await Order.filter(id=order.id).update(status=OrderStatus.PENDING_SHIPMENT)
    done, lost = [
        await Refund.create(
            payment_id=payment.id,
            sequence=n,
            provider_id=f"re_{n}",
            status=RefundStatus.PENDING,
            amount=100,
            reason="Goodwill",
        )
        for n in (1, 2)
    ]
    await Refund.all().update(updated_at=timezone.now() - LONG_AGO)
    gateway.objects["re_1"] = {"id": "re_1", "object": "refund", "status": "succeeded"}
    gateway.objects["re_2"] = {
        "id": "re_2",
        "object": "refund",
        "status": "failed",
        "failure_reason": "expired_or_canceled_card",
    }

    result = await reconcile.reconcile()
    assert (result.refunds, result.failed) == (2, 0)
    assert (await Refund.get(id=done.id)).status == RefundStatus.SUCCEEDED
    assert (await Refund.get(id=lost.id)).status == RefundStatus.FAILED
    assert (await Payment.get(id=payment.id)).amount_refunded == 100
    assert (await Order.get(id=order.id)).refunded_total > 0
    assert (await reconcile.reconcile()).refunds == 0


async def test_payments_of_a_provider_no_longer_configured_are_left_alone(client, settings):
    # Stripe keys removed: a Stripe payment can neither be asked about nor refunded here.
    _, payment = await _attempt("pi_old_stripe")
    await Payment.filter(id=payment.id).update(
        gateway=Gateway.STRIPE, status=PaymentStatus.SUCCEEDED, amount_received=payment.amount
    )
    assert settings.stripe_api_key is None
    result = await reconcile.reconcile()
    assert (result.payments, result.failed, result.settled.failed) == (0, 0, 0)

    refused = await client.staff(
        """mutation($input: RefundPaymentInput!) {
             refundPayment(input: $input) { refund { id } errors { code message } } }""",
        {"input": {"paymentId": gid("Payment", payment.id), "amount": "1.00", "reason": "x"}},
    )
    [error] = refused["refundPayment"]["errors"]
    assert error["code"] == "GATEWAY_ERROR" and "stripe" in error["message"]
    assert await Refund.filter(payment_id=payment.id).count() == 0
