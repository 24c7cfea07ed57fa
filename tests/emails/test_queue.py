"""Order emails through the job queue: each change writes its email's job in its own
transaction, and the job sends the email once, retrying a failed send."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobs import emails as email_tasks  # noqa: F401  (registers the `emails.order` task)
from jobs import relay
from models.catalog import ProductVariant
from models.emails import EmailKind, EmailStatus, SentEmail
from models.jobs import Job, JobStatus
from models.orders import OrderStatus
from services.emails.events import TASK
from services.orders import cancellation, fulfilment, status
from services.orders.errors import OrderError
from services.orders.timeline import SYSTEM
from services.payments import refunds
from services.transactions import atomic
from tests.emails.conftest import SwitchableHandler
from tests.emails.test_order_emails import _parse, _place
from tests.factories import make_product
from tests.orders.handling_setup import make_carrier, placed_order
from tests.payments.test_refunds import paid_order


async def _email_jobs() -> list[tuple[str, str]]:
    rows = await Job.filter(task=TASK).order_by("id")
    return [(str(row.kwargs["kind"]), str(row.kwargs["ref"])) for row in rows]


async def test_a_placed_order_sends_its_email_through_the_queue_once(
    client, smtp: SwitchableHandler
):
    order = await _place(client, language="ja")
    assert await _email_jobs() == [("order_placed", "")]

    assert await relay.run_due() == 1
    assert await relay.run_due() == 0

    assert len(smtp.envelopes) == 1
    message = _parse(smtp)
    assert message["Subject"] == f"Tradewindでのご注文 {order.number}"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "￥7,263" in text.get_content()
    job = await Job.get(task=TASK)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


async def test_a_failed_send_leaves_the_job_to_retry_and_the_retry_sends_it(
    client, smtp: SwitchableHandler
):
    order = await _place(client, language="de")
    smtp.refusing = True

    await relay.run_due()

    job = await Job.get(task=TASK)
    assert (job.status, job.attempts) == (JobStatus.PENDING, 1)
    assert "EmailNotSent" in job.last_error
    record = await SentEmail.get(order_id=order.id)
    assert record.status == EmailStatus.FAILED and "550" in record.error

    smtp.refusing = False
    await Job.filter(id=job.id).update(run_after=datetime.now(UTC))  # the backoff is over
    assert await relay.run_due() == 1

    assert len(smtp.envelopes) == 1
    record = await SentEmail.get(order_id=order.id)
    assert (record.status, record.attempts) == (EmailStatus.SENT, 2)
    assert (await Job.get(id=job.id)).status == JobStatus.DONE


async def test_payment_shipping_delivery_and_cancellation_each_enqueue_their_email(db):
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    carrier = await make_carrier()
    order = await placed_order(None, [(variant, 2)])

    async with atomic():
        locked = await status.order_for_change(order.id)
        await status.move(locked, OrderStatus.PENDING_SHIPMENT, actor=SYSTEM)
    shipped = await fulfilment.ship_order(
        order.id, actor=SYSTEM, carrier_id=carrier.id, tracking_number="JP123"
    )
    await status.mark_delivered(order.id, actor=SYSTEM)
    other = await placed_order(None, [(variant, 1)])
    await cancellation.cancel_order(other.id, actor=SYSTEM, reason="Out of stock")

    assert await _email_jobs() == [
        ("payment_received", ""),
        ("shipped", str(shipped.shipment.id)),
        ("delivered", ""),
        ("cancelled", ""),
    ]
    assert [row.kwargs["order_id"] for row in await Job.filter(task=TASK).order_by("id")] == [
        order.id,
        order.id,
        order.id,
        other.id,
    ]


async def test_a_refused_change_enqueues_no_email(db):
    product = await make_product(prices=("10.00",), stock=(5,))
    variant = await ProductVariant.get(product_id=product.id)
    order = await placed_order(None, [(variant, 1)], status=OrderStatus.DELIVERED)

    with pytest.raises(OrderError):
        await cancellation.cancel_order(order.id, actor=SYSTEM, reason="too late")

    assert await _email_jobs() == []
    assert await SentEmail.filter(kind=EmailKind.CANCELLED).count() == 0


async def test_a_refund_sends_its_own_email_with_the_amount_refunded(db, smtp: SwitchableHandler):
    order, payment = await paid_order("20.00", "USD", "1", method="bank_transfer")

    refund = await refunds.refund_payment(payment.id, 550, "Damaged in transit", None)

    assert await _email_jobs() == [("refunded", str(refund.id))]
    assert await relay.run_due() == 1
    message = _parse(smtp)
    assert message["Subject"] == f"Refund for order {order.number}"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert f"We have refunded $5.50 for order {order.number}." in text.get_content()
    record = await SentEmail.get(order_id=order.id)
    assert (record.kind, record.key, record.status) == (
        EmailKind.REFUNDED,
        str(refund.id),
        EmailStatus.SENT,
    )
