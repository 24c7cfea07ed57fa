"""Provider notifications: recorded once, applied idempotently and in any order."""

from __future__ import annotations

import asyncio

import pytest

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from models.payments import Payment, PaymentStatus, WebhookEvent
from services.auth import viewer_for_user
from services.payments import events, payments
from services.payments.test_gateway import TestGateway, client_secret_for
from tests.factories import make_user
from tests.payments.paying_setup import euro_order

pytestmark = pytest.mark.usefixtures("db")


async def _payment() -> tuple[Order, Payment]:
    shopper = await make_user()
    order = await euro_order(shopper)
    created = await payments.create_payment(order.number, "card", viewer_for_user(shopper))
    assert created.payment.provider_id is not None
    assert created.client_secret == client_secret_for(created.payment.provider_id)
    return order, created.payment


def _intent(payment: Payment, **fields: object) -> dict[str, object]:
    return {
        "object": "payment_intent",
        "id": payment.provider_id,
        "amount_received": payment.amount,
        "currency": payment.currency.lower(),
        **fields,
    }


async def _payment_events(order: Order) -> int:
    return await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count()


async def test_a_replayed_event_changes_nothing():
    order, payment = await _payment()
    gateway = TestGateway()
    first = await events.process(gateway, "evt_1", events.SUCCEEDED, _intent(payment))
    assert first.startswith("applied")
    again = await events.process(gateway, "evt_1", events.SUCCEEDED, _intent(payment))
    assert again == events.DUPLICATE
    # A new event about the same success is recorded but moves nothing twice.
    other = await events.process(gateway, "evt_2", events.SUCCEEDED, _intent(payment))
    assert other.startswith("ignored")
    assert await _payment_events(order) == 1
    assert await WebhookEvent.all().count() == 2
    recorded = await WebhookEvent.get(event_id="evt_1")
    assert recorded.outcome == "applied: payment succeeded"
    assert recorded.processed_at is not None


async def test_events_apply_in_any_order():
    order, payment = await _payment()
    gateway = TestGateway()
    await events.process(gateway, "evt_ok", events.SUCCEEDED, _intent(payment))
    late_fail = _intent(payment, last_payment_error={"code": "card_declined", "message": "No."})
    assert (await events.process(gateway, "evt_old", events.FAILED, late_fail)).startswith(
        "ignored"
    )
    assert (await events.process(gateway, "evt_c", events.CANCELED, _intent(payment))).startswith(
        "ignored"
    )
    assert (await events.process(gateway, "evt_p", events.PROCESSING, _intent(payment))).startswith(
        "ignored"
    )
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.SUCCEEDED
    assert fresh.failure_message == ""
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_processing_then_failure_keeps_the_order_payable_with_a_reason():
    order, payment = await _payment()
    gateway = TestGateway()
    await events.process(gateway, "evt_p", events.PROCESSING, _intent(payment))
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.PROCESSING
    failed = _intent(payment, last_payment_error={"code": "expired_card"})
    await events.process(gateway, "evt_f", events.FAILED, failed)
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.FAILED
    assert fresh.failure_code == "expired_card"
    assert fresh.failure_message == events.DEFAULT_FAILURE
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount_received": 1}, "received 1 EUR minor units"),
        ({"currency": "usd"}, "received USD, the order is in EUR"),
    ],
)
async def test_money_that_does_not_match_the_order_is_flagged_never_paid(change, reason):
    order, payment = await _payment()
    outcome = await events.process(
        TestGateway(), "evt_x", events.SUCCEEDED, _intent(payment, **change)
    )
    assert outcome.startswith("flagged")
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.FLAGGED
    assert reason in fresh.flagged_reason
    assert fresh.succeeded_at is None
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    note = await OrderEvent.get(order_id=order.id, kind=OrderEventKind.NOTE)
    assert note.internal and reason in note.message


async def test_money_for_an_order_no_longer_waiting_is_flagged():
    order, payment = await _payment()
    await Order.filter(id=order.id).update(status=OrderStatus.CANCELLED)
    outcome = await events.process(TestGateway(), "evt_x", events.SUCCEEDED, _intent(payment))
    assert outcome == "flagged: the order is already cancelled"
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED


async def test_an_event_for_an_unknown_payment_is_recorded_and_ignored():
    outcome = await events.process(
        TestGateway(), "evt_u", events.SUCCEEDED, {"object": "payment_intent", "id": "pi_nope"}
    )
    assert outcome == "ignored: no payment pi_nope"
    assert (await WebhookEvent.get(event_id="evt_u")).outcome == outcome
    other = await events.process(TestGateway(), "evt_t", "customer.created", {"id": "cus_1"})
    assert other.startswith("ignored")


async def test_a_dispute_flags_the_payment_with_an_internal_note():
    order, payment = await _payment()
    gateway = TestGateway()
    await events.process(gateway, "evt_ok", events.SUCCEEDED, _intent(payment))
    dispute = {"object": "dispute", "payment_intent": payment.provider_id, "reason": "fraudulent"}
    outcome = await events.process(gateway, "evt_d", events.DISPUTED, dispute)
    assert outcome.startswith("flagged")
    fresh = await Payment.get(id=payment.id)
    assert fresh.status == PaymentStatus.FLAGGED
    assert "fraudulent" in fresh.flagged_reason
    assert await OrderEvent.filter(order_id=order.id, internal=True).count() == 1


async def test_a_refund_at_the_provider_updates_the_refunded_amount():
    _, payment = await _payment()
    gateway = TestGateway()
    await events.process(gateway, "evt_ok", events.SUCCEEDED, _intent(payment))
    charge = {
        "object": "charge",
        "payment_intent": payment.provider_id,
        "currency": "eur",
        "amount_refunded": 200,
        "refunds": {"data": [{"id": "test_re_x", "amount": 200, "status": "succeeded"}]},
    }
    outcome = await events.process(gateway, "evt_r", events.REFUNDED, charge)
    assert outcome.startswith("applied")
    assert (await Payment.get(id=payment.id)).amount_refunded == 200
    assert await events.process(gateway, "evt_r", events.REFUNDED, charge) == events.DUPLICATE
    assert (await Payment.get(id=payment.id)).amount_refunded == 200


async def test_a_failure_while_processing_records_nothing_so_a_retry_applies(monkeypatch):
    order, payment = await _payment()

    async def broken(gateway, data):
        await Payment.filter(id=payment.id).update(status=PaymentStatus.CANCELED)
        raise RuntimeError("database went away")

    monkeypatch.setitem(events._HANDLERS, events.SUCCEEDED, broken)
    with pytest.raises(RuntimeError):
        await events.process(TestGateway(), "evt_1", events.SUCCEEDED, _intent(payment))
    assert await WebhookEvent.all().count() == 0
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.REQUIRES_ACTION
    monkeypatch.undo()
    outcome = await events.process(TestGateway(), "evt_1", events.SUCCEEDED, _intent(payment))
    assert outcome.startswith("applied")
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_two_deliveries_of_one_event_at_once_record_one_success():
    order, payment = await _payment()
    gateway = TestGateway()
    outcomes = await asyncio.gather(
        *(events.process(gateway, "evt_same", events.SUCCEEDED, _intent(payment)) for _ in range(2))
    )
    assert sorted(outcomes) == ["applied: payment succeeded", events.DUPLICATE]
    assert await WebhookEvent.filter(event_id="evt_same").count() == 1
    assert await _payment_events(order) == 1
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.SUCCEEDED


async def test_two_different_events_of_one_success_at_once_move_the_order_once():
    order, payment = await _payment()
    gateway = TestGateway()
    outcomes = await asyncio.gather(
        *(
            events.process(gateway, f"evt_{i}", events.SUCCEEDED, _intent(payment))
            for i in range(3)
        ),
        return_exceptions=True,
    )
    applied = [o for o in outcomes if isinstance(o, str) and o.startswith("applied")]
    assert len(applied) == 1, outcomes
    assert await _payment_events(order) == 1
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
