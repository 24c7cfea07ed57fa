"""Staff writing to a shopper about a parcel through `contactShopperAboutShipment`: the
email goes out once through the queue in the shopper's language with the message as
written, the order's timeline keeps who said what, and bad input changes nothing."""

from __future__ import annotations

from typing import Any

from jobs import emails as email_tasks  # noqa: F401  (registers the `emails.order` task)
from jobs import relay
from models.accounts import Role, User
from models.emails import EmailKind, EmailStatus, SentEmail
from models.jobs import Job
from models.orders import Order, OrderEvent, OrderEventKind
from services.emails.events import TASK
from tests.emails import conftest as email_fixtures
from tests.emails.conftest import SwitchableHandler
from tests.emails.test_order_emails import _parse
from tests.factories import gid, make_user
from tests.tracking.helpers import shipped_order

smtp = email_fixtures.smtp

CONTACT = """
mutation($input: ContactShopperAboutShipmentInput!) {
  contactShopperAboutShipment(input: $input) {
    shipment { id trackingNumber }
    errors { field code message }
  }
}"""

ORDER_EVENTS = """
query($id: ID!) { order(id: $id) { timeline { kind message internal } } }"""

MESSAGE = "Your parcel is waiting at the post office on Rue Mercière.\nBring an ID <please>."


async def _shipped(language: str = "ja") -> tuple[Order, Any]:
    order, [parcel] = await shipped_order()
    await Order.filter(id=order.id).update(locale=language)
    await relay.run_due()  # the shipping email
    return await Order.get(id=order.id), parcel


def _input(parcel: Any, **given: object) -> dict[str, Any]:
    fields: dict[str, object] = {"shipmentId": gid("Shipment", parcel.id), "message": MESSAGE}
    fields.update(given)
    return {"input": fields}


async def _notices(order: Order) -> list[SentEmail]:
    return await SentEmail.filter(order_id=order.id, kind=EmailKind.SHIPMENT_NOTICE)


async def _notes(order: Order) -> list[OrderEvent]:
    return await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.NOTE)


async def test_staff_email_the_shopper_in_their_language_with_the_message_as_written(
    client, smtp: SwitchableHandler
):
    order, parcel = await _shipped("ja")
    before = len(smtp.envelopes)

    answer = (await client.staff(CONTACT, _input(parcel, subject="Pick up your parcel")))[
        "contactShopperAboutShipment"
    ]
    await relay.run_due()

    assert answer["errors"] == []
    assert answer["shipment"] == {
        "id": gid("Shipment", parcel.id),
        "trackingNumber": parcel.tracking_number,
    }
    assert len(smtp.envelopes) == before + 1
    message = _parse(smtp)
    assert message["To"] == order.email
    assert message["Subject"] == f"Pick up your parcel（ご注文 {order.number}）"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    plain, markup = text.get_content(), html.get_content()
    assert MESSAGE in plain
    assert "Bring an ID &lt;please&gt;." in markup and "<please>" not in markup
    for part in (plain, markup):
        assert f"ご注文 {order.number} の配送についてご連絡いたします。" in part
        assert parcel.tracking_number in part
        assert f"https://track.test/{parcel.tracking_number}" in part
    [record] = await _notices(order)
    assert (record.status, record.language) == (EmailStatus.SENT, "ja")


async def test_the_orders_timeline_keeps_who_wrote_what_for_staff_only(client, smtp):
    order, parcel = await _shipped("en")

    await client.staff(CONTACT, _input(parcel))

    admin = await client.admin()
    [note] = await _notes(order)
    assert note.internal is True
    assert (note.actor, note.actor_user_id) == (f"user:{admin.id}", admin.id)
    assert note.message.startswith(f"Shopper emailed about parcel {parcel.tracking_number}: ")
    assert note.data["shipmentId"] == parcel.id
    contact: Any = note.data["contact"]
    assert (contact["message"], contact["to"]) == (MESSAGE, order.email)
    seen = (await client.staff(ORDER_EVENTS, {"id": gid("Order", order.id)}))["order"]
    assert [e["kind"] for e in seen["timeline"]].count("NOTE") == 1
    owner = await User.get(id=order.user_id)
    theirs = await client.query(ORDER_EVENTS, {"id": gid("Order", order.id)}, user=owner)
    assert "NOTE" not in [e["kind"] for e in theirs["order"]["timeline"]]


async def test_without_a_subject_the_email_has_one_in_the_shoppers_language(client, smtp):
    order, parcel = await _shipped("de")

    await client.staff(CONTACT, _input(parcel))
    await relay.run_due()

    assert _parse(smtp)["Subject"] == f"Zur Zustellung Ihrer Bestellung {order.number}"


async def test_a_retry_with_the_same_key_sends_nothing_more(client, smtp: SwitchableHandler):
    order, parcel = await _shipped("en")
    before = len(smtp.envelopes)
    given = _input(parcel, idempotencyKey="contact-1")

    first = (await client.staff(CONTACT, given))["contactShopperAboutShipment"]
    again = (await client.staff(CONTACT, given))["contactShopperAboutShipment"]
    await relay.run_due()
    other = await client.staff(CONTACT, _input(parcel, idempotencyKey="contact-2"))
    await relay.run_due()

    assert first["errors"] == again["errors"] == []
    assert again["shipment"]["id"] == gid("Shipment", parcel.id)
    assert other["contactShopperAboutShipment"]["errors"] == []
    assert len(smtp.envelopes) == before + 2
    assert len(await _notes(order)) == 2
    assert len(await _notices(order)) == 2


async def test_a_key_used_for_another_parcel_is_refused(client, smtp):
    order, [first, second] = await shipped_order(parcels=2)
    await client.staff(CONTACT, _input(first, idempotencyKey="k"))

    answer = (await client.staff(CONTACT, _input(second, idempotencyKey="k")))[
        "contactShopperAboutShipment"
    ]

    assert [(e["field"], e["code"]) for e in answer["errors"]] == [(["idempotencyKey"], "INVALID")]
    assert len(await _notes(order)) == 1


async def test_bad_input_is_refused_and_nothing_is_sent_or_noted(client, smtp):
    order, parcel = await _shipped("en")
    before = len(smtp.envelopes)
    cases: list[tuple[dict[str, object], list[str], str]] = [
        ({"message": ""}, ["message"], "REQUIRED"),
        ({"message": " \n "}, ["message"], "REQUIRED"),
        ({"message": "x" * 5001}, ["message"], "INVALID"),
        ({"subject": "s" * 201}, ["subject"], "INVALID"),
        ({"idempotencyKey": "k" * 65}, ["idempotencyKey"], "INVALID"),
        ({"shipmentId": gid("Shipment", 999999)}, ["shipmentId"], "NOT_FOUND"),
    ]
    for given, field, code in cases:
        answer = (await client.staff(CONTACT, _input(parcel, **given)))[
            "contactShopperAboutShipment"
        ]
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, code)], given
        assert answer["shipment"] is None
    for name in ("message", "subject"):
        body = await client.request(CONTACT, _input(parcel, **{name: "a\x00b"}), staff=True)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    await relay.run_due()

    assert len(smtp.envelopes) == before
    assert await _notes(order) == []
    assert await _notices(order) == []
    assert await Job.filter(task=TASK, key__contains="shipment_notice").count() == 0


async def test_a_message_of_five_thousand_characters_is_sent_whole(client, smtp):
    order, parcel = await _shipped("en")
    long = ("Long message. " * 400)[:5000]

    answer = (await client.staff(CONTACT, _input(parcel, message=long)))[
        "contactShopperAboutShipment"
    ]
    await relay.run_due()

    assert answer["errors"] == []
    [note] = await _notes(order)
    contact: Any = note.data["contact"]
    assert contact["message"] == long
    assert len(note.message) <= 500


async def test_only_staff_with_the_orders_permission_contact_shoppers(client, smtp):
    order, parcel = await _shipped("en")
    owner = await User.get(id=order.user_id)
    clerk = await make_user(role=Role.STAFF, permissions=("catalog",))
    for user in (None, owner, clerk):
        body = await client.request(CONTACT, _input(parcel), user=user)
        assert body["data"] is None or body["data"]["contactShopperAboutShipment"] is None
        assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    allowed = await client.query(CONTACT, _input(parcel), user=orders_staff)

    assert allowed["contactShopperAboutShipment"]["errors"] == []
    [note] = await _notes(order)
    assert note.actor_user_id == orders_staff.id
