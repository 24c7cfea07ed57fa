"""Tracking emails end to end: a carrier's (or staff's) report moves a parcel into a status
the shopper is told about, the job queue sends the email to a real SMTP server in the
shopper's language, once per status episode, and never for a late backlog."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest

from jobs import emails as email_tasks  # noqa: F401  (registers the `emails.order` task)
from jobs import relay
from models.emails import EmailKind, EmailStatus, SentEmail
from models.jobs import Job
from models.orders import Order, OrderStatus, Shipment
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.emails import sending
from services.emails.events import TASK
from services.tracking import events
from services.tracking.events import Report
from settings import Settings
from tests.emails import conftest as email_fixtures
from tests.emails.conftest import SwitchableHandler
from tests.emails.test_order_emails import _parse
from tests.factories import gid
from tests.tracking.helpers import shipped_order

smtp = email_fixtures.smtp

TRACKING_KINDS = {
    EmailKind.OUT_FOR_DELIVERY,
    EmailKind.DELIVERY_ATTEMPT_FAILED,
    EmailKind.TRACKING_EXCEPTION,
    EmailKind.CUSTOMS_DUTIES_DUE,
}


def _ago(hours: float) -> datetime:
    """A moment `hours` ago, to the second (as carriers report), in the carrier's zone."""
    return (datetime.now(UTC) - timedelta(hours=hours)).replace(microsecond=0)


def _report(status: S, hours_ago: float, *, sub: Sub | None = None, **more: Any) -> Report:
    more.setdefault("message", status.value.replace("_", " ").capitalize())
    return Report(status=status, occurred_at=_ago(hours_ago), sub_status=sub, **more)


async def _parcel(language: str = "en") -> tuple[Order, Shipment]:
    """A shipped order in `language` whose shipping email already went out."""
    order, [parcel] = await shipped_order()
    await Order.filter(id=order.id).update(locale=language)
    await relay.run_due()
    return await Order.get(id=order.id), parcel


async def _carrier(parcel: Shipment, *reports: Report, source=TrackingSource.WEBHOOK) -> None:
    """The carrier tells what happened, and the queue runs what that enqueued."""
    await events.record(parcel.id, list(reports), source=source, source_name="aftership")
    await relay.run_due()


async def _tracking_emails(order: Order) -> list[tuple[EmailKind, str]]:
    rows = await SentEmail.filter(order_id=order.id, kind__in=list(TRACKING_KINDS))
    return [(EmailKind(row.kind), row.status) for row in rows]


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _html(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())


def _since(smtp_handler: SwitchableHandler, count: int) -> list[EmailMessage]:
    return [_parse(smtp_handler, i) for i in range(count, len(smtp_handler.envelopes))]


async def test_out_for_delivery_emails_the_shopper_once_in_their_language(
    db, smtp: SwitchableHandler
):
    order, parcel = await _parcel("de")
    before = len(smtp.envelopes)
    out = _report(
        S.OUT_FOR_DELIVERY,
        2,
        message="Paket ist in der Zustellung",
        city="Berlin",
        country="DE",
        estimated_delivery=date(2026, 12, 24),
    )

    await _carrier(parcel, _report(S.IN_TRANSIT, 20), out)

    [message] = _since(smtp, before)
    assert message["To"] == order.email
    assert message["Subject"] == f"Ihre Bestellung {order.number} ist in der Zustellung"
    text, html = _text(message), _html(message)
    for part in (text, html):
        assert parcel.tracking_number in part
        assert f"https://track.test/{parcel.tracking_number}" in part
        assert "Paket ist in der Zustellung" in part
        assert "Berlin, Deutschland" in part
        assert "24. Dezember 2026" in part
        assert "sollte heute ankommen" in part
    assert f"#/order/{order.number}?lang=de" in text
    record = await SentEmail.get(order_id=order.id, kind=EmailKind.OUT_FOR_DELIVERY)
    assert (record.status, record.language, record.to) == (EmailStatus.SENT, "de", order.email)
    assert record.key == f"{parcel.id}:{int(out.occurred_at.timestamp())}"


async def test_a_replayed_event_sends_nothing_more(db, smtp: SwitchableHandler):
    order, parcel = await _parcel()
    failed = _report(S.ATTEMPT_FAILED, 3, sub=Sub.ATTEMPT_RECIPIENT_ABSENT)
    await _carrier(parcel, failed)
    sent = len(smtp.envelopes)

    await _carrier(parcel, failed)
    await _carrier(parcel, _report(S.OUT_FOR_DELIVERY, 4), failed)

    assert len(smtp.envelopes) == sent
    assert await _tracking_emails(order) == [(EmailKind.DELIVERY_ATTEMPT_FAILED, "sent")]
    assert await Job.filter(task=TASK, key__contains="delivery_attempt_failed").count() == 1


async def test_a_second_failed_attempt_on_another_day_sends_again(db, smtp: SwitchableHandler):
    order, parcel = await _parcel()
    before = len(smtp.envelopes)

    await _carrier(parcel, _report(S.ATTEMPT_FAILED, 50, sub=Sub.ATTEMPT_RECIPIENT_ABSENT))
    await _carrier(parcel, _report(S.OUT_FOR_DELIVERY, 27))
    await _carrier(parcel, _report(S.ATTEMPT_FAILED, 26, sub=Sub.ATTEMPT_BUSINESS_CLOSED))

    subjects = [m["Subject"] for m in _since(smtp, before)]
    assert subjects == [
        f"A delivery attempt failed for your order {order.number}",
        f"Your order {order.number} is out for delivery",
        f"A delivery attempt failed for your order {order.number}",
    ]
    first, _, second = _since(smtp, before)
    assert "Nobody was there to receive the parcel." in _text(first)
    assert "The business at the delivery address was closed." in _text(second)
    for message in (first, second):
        assert "pickup point" in _text(message)
        assert "you can reach us from your order's page" in _text(message)
    keys = await SentEmail.filter(
        order_id=order.id, kind=EmailKind.DELIVERY_ATTEMPT_FAILED
    ).values_list("key", flat=True)
    assert len(set(keys)) == 2


async def test_statuses_not_on_the_list_send_nothing(db, smtp: SwitchableHandler):
    order, parcel = await _parcel()
    before = len(smtp.envelopes)

    await _carrier(parcel, _report(S.INFO_RECEIVED, 30))
    await _carrier(parcel, _report(S.IN_TRANSIT, 25))
    await _carrier(parcel, _report(S.IN_CUSTOMS, 20, sub=Sub.CUSTOMS_PROCESSING))
    await _carrier(parcel, _report(S.IN_CUSTOMS, 15, sub=Sub.CUSTOMS_RELEASED))
    await _carrier(parcel, _report(S.AVAILABLE_FOR_PICKUP, 10))

    assert (await Shipment.get(id=parcel.id)).tracking_status == S.AVAILABLE_FOR_PICKUP
    assert len(smtp.envelopes) == before
    assert await _tracking_emails(order) == []


async def test_a_late_backlog_does_not_write_to_the_shopper(db, smtp: SwitchableHandler):
    order, parcel = await _parcel()
    before = len(smtp.envelopes)

    await _carrier(
        parcel,
        _report(S.OUT_FOR_DELIVERY, 24 * 5),
        _report(S.EXCEPTION, 24 * 4, sub=Sub.EXCEPTION_DAMAGED),
    )

    assert (await Shipment.get(id=parcel.id)).tracking_status == S.EXCEPTION
    assert len(smtp.envelopes) == before
    assert await _tracking_emails(order) == []


async def test_an_exception_says_what_happened_that_we_are_on_it_and_how_to_reach_us(
    db, smtp: SwitchableHandler, monkeypatch: pytest.MonkeyPatch
):
    order, parcel = await _parcel("ja")
    contact = Settings(shop_contact_email="help@shop.example")
    monkeypatch.setattr(sending, "get_settings", lambda: contact)
    before = len(smtp.envelopes)

    await _carrier(
        parcel,
        _report(S.EXCEPTION, 1, sub=Sub.EXCEPTION_ADDRESS, message="Address incomplete"),
    )
    # A new sub-status within the same trouble is not a new email.
    await _carrier(parcel, _report(S.EXCEPTION, 0.5, sub=Sub.EXCEPTION_DELAYED))

    [message] = _since(smtp, before)
    assert message["Subject"] == f"ご注文 {order.number} の配送に問題が発生しました"
    for part in (_text(message), _html(message)):
        assert "住所が不完全か誤っている可能性があります" in part
        assert "現在、配送業者と確認を進めております" in part
        assert "help@shop.example" in part
        assert "Address incomplete" in part
        assert parcel.tracking_number in part


async def test_import_duties_due_emails_once_per_customs_stop(db, smtp: SwitchableHandler):
    order, parcel = await _parcel("fr")
    before = len(smtp.envelopes)

    await _carrier(parcel, _report(S.IN_CUSTOMS, 10, sub=Sub.CUSTOMS_PROCESSING))
    await _carrier(parcel, _report(S.IN_CUSTOMS, 8, sub=Sub.CUSTOMS_DUTIES_DUE))
    await _carrier(parcel, _report(S.IN_CUSTOMS, 4, sub=Sub.CUSTOMS_RELEASED))

    [message] = _since(smtp, before)
    assert message["Subject"] == f"Droits d'importation à payer pour votre commande {order.number}"
    text = _text(message)
    assert "retenue en douane jusqu'au paiement des droits et taxes d'importation" in text
    assert "Le transporteur vous indiquera le montant" in text
    assert await _tracking_emails(order) == [(EmailKind.CUSTOMS_DUTIES_DUE, "sent")]


async def test_the_demo_carriers_simulated_events_email_too(db, smtp: SwitchableHandler):
    order, parcel = await _parcel("zh")

    await _carrier(parcel, _report(S.OUT_FOR_DELIVERY, 0.1), source=TrackingSource.SIMULATED)

    assert await _tracking_emails(order) == [(EmailKind.OUT_FOR_DELIVERY, "sent")]
    assert _parse(smtp)["Subject"] == f"您的订单 {order.number} 正在派送中"


async def test_a_parcel_delivered_by_tracking_delivers_the_order_and_emails_once(
    db, smtp: SwitchableHandler
):
    order, parcel = await _parcel()
    assert order.status == OrderStatus.SHIPPED
    before = len(smtp.envelopes)
    delivered = _report(S.DELIVERED, 1, sub=Sub.DELIVERED_SIGNED)

    await _carrier(parcel, delivered)
    await _carrier(parcel, delivered)

    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    [message] = _since(smtp, before)
    assert message["Subject"] == f"Your order {order.number} has been delivered"
    assert await SentEmail.filter(order_id=order.id, kind=EmailKind.DELIVERED).count() == 1
    assert await _tracking_emails(order) == []


ADD = """
mutation($input: AddTrackingEventInput!) { addTrackingEvent(input: $input) {
  eventAdded shipment { trackingStatus } errors { field code message }
} }"""


async def test_a_failed_attempt_staff_enter_emails_the_shopper_once(client, smtp):
    order, parcel = await _parcel("fr")
    before = len(smtp.envelopes)
    given = {
        "input": {
            "shipmentId": gid("Shipment", parcel.id),
            "status": "ATTEMPT_FAILED",
            "subStatus": "ATTEMPT_NO_ACCESS",
            "occurredAt": _ago(2).isoformat(),
            "message": "Digicode inconnu",
            "city": "Lyon",
            "country": "FR",
        }
    }

    first = (await client.staff(ADD, given))["addTrackingEvent"]
    await relay.run_due()
    again = (await client.staff(ADD, given))["addTrackingEvent"]
    await relay.run_due()

    assert (first["errors"], first["eventAdded"], again["eventAdded"]) == ([], True, False)
    [message] = _since(smtp, before)
    assert message["To"] == order.email
    assert message["Subject"] == (
        f"Échec d'une tentative de livraison de votre commande {order.number}"
    )
    text = _text(message)
    assert parcel.tracking_number in text
    assert "Le livreur n'a pas pu accéder à l'adresse de livraison." in text
    assert "Digicode inconnu" in text and "Lyon, France" in text
    record = await SentEmail.get(order_id=order.id, kind=EmailKind.DELIVERY_ATTEMPT_FAILED)
    assert (record.language, record.status) == ("fr", EmailStatus.SENT)


async def test_news_the_parcel_has_moved_past_before_its_job_ran_is_not_sent(
    db, smtp: SwitchableHandler
):
    order, parcel = await _parcel()
    before = len(smtp.envelopes)

    # The queue is held up while the carrier reports both moves.
    for news in (_report(S.OUT_FOR_DELIVERY, 3), _report(S.DELIVERED, 1)):
        await events.record(parcel.id, [news], source=TrackingSource.WEBHOOK)
    await relay.run_due()

    subjects = [m["Subject"] for m in _since(smtp, before)]
    assert subjects == [f"Your order {order.number} has been delivered"]
    assert await _tracking_emails(order) == []
    assert await Job.filter(task=TASK, key__contains="out_for_delivery").count() == 1
