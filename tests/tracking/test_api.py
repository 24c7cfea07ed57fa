"""Tracking through the API: a parcel's timeline for its shopper, the public lookup and
staff; staff's hand-made events and the exceptions queue's "handled" mark."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from models.accounts import Role, User
from models.orders import OrderEvent, Shipment
from models.shipping import Carrier
from models.tracking import TrackingEvent, TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.tracking import events
from tests.factories import gid, make_user
from tests.tracking.helpers import START, report, shipped_order

ORDER = """
query($id: ID!) { order(id: $id) { shipments {
  id trackingStatus trackingSubStatus estimatedDelivery needsAttention handledAt
  trackingEvents {
    occurredAt utcOffsetMinutes status subStatus message source sourceName actorId payload
    location { city country }
  }
  deliveryEstimates { estimatedDate source }
} } }"""

LOOKUP = """
query($number: String!, $email: String!) { orderLookup(number: $number, email: $email) {
  shipments { trackingStatus trackingEvents { status message sourceName payload } }
} }"""

ADD = """
mutation($input: AddTrackingEventInput!) { addTrackingEvent(input: $input) {
  eventAdded
  shipment {
    trackingStatus trackingSubStatus needsAttention trackingEvents { status actorId }
  }
  errors { field code message }
} }"""

HANDLED = """
mutation($input: MarkShipmentHandledInput!) { markShipmentHandled(input: $input) {
  shipment { needsAttention handledAt }
  errors { field code message }
} }"""


async def _journey(parcel: Shipment) -> None:
    await events.record(
        parcel.id,
        [
            report(S.INFO_RECEIVED, 0, city="Shanghai", country="CN", payload={"tag": "x"}),
            report(S.IN_CUSTOMS, 30, sub=Sub.CUSTOMS_DUTIES_DUE, estimated_delivery=START.date()),
        ],
        source=TrackingSource.WEBHOOK,
        source_name="aftership",
    )


async def test_the_shopper_sees_the_timeline_without_staff_details(client):
    order, [parcel] = await shipped_order()
    await _journey(parcel)
    owner = await User.get(id=order.user_id)
    data = await client.query(ORDER, {"id": gid("Order", order.id)}, user=owner)
    [shipment] = data["order"]["shipments"]
    assert shipment["trackingStatus"] == "IN_CUSTOMS"
    assert shipment["trackingSubStatus"] == "CUSTOMS_DUTIES_DUE"
    assert shipment["estimatedDelivery"] == START.date().isoformat()
    assert [e["status"] for e in shipment["trackingEvents"]] == ["INFO_RECEIVED", "IN_CUSTOMS"]
    first = shipment["trackingEvents"][0]
    assert first["utcOffsetMinutes"] == 480
    assert first["location"] == {"city": "Shanghai", "country": "CN"}
    assert first["source"] == "WEBHOOK"
    assert (first["sourceName"], first["payload"], first["actorId"]) == (None, None, None)
    assert shipment["deliveryEstimates"] == [{"estimatedDate": "2026-11-02", "source": "WEBHOOK"}]


async def test_staff_see_who_reported_and_what_came(client):
    order, [parcel] = await shipped_order()
    await _journey(parcel)
    data = await client.staff(ORDER, {"id": gid("Order", order.id)})
    [shipment] = data["order"]["shipments"]
    assert shipment["needsAttention"] is True
    first = shipment["trackingEvents"][0]
    assert (first["sourceName"], first["payload"]) == ("aftership", {"tag": "x"})


async def test_the_public_lookup_shows_where_the_parcel_is(client):
    order, [parcel] = await shipped_order()
    await _journey(parcel)
    data = await client.query(LOOKUP, {"number": order.number, "email": order.email})
    [shipment] = data["orderLookup"]["shipments"]
    assert shipment["trackingStatus"] == "IN_CUSTOMS"
    assert [e["payload"] for e in shipment["trackingEvents"]] == [None, None]


def _add(parcel: Shipment, **given: object) -> dict[str, Any]:
    fields: dict[str, object] = {
        "shipmentId": gid("Shipment", parcel.id),
        "status": "ATTEMPT_FAILED",
        "subStatus": "ATTEMPT_RECIPIENT_ABSENT",
        "occurredAt": (START + timedelta(hours=40)).isoformat(),
        "message": "The courier called: nobody home.",
        "city": "Lyon",
        "country": "FR",
    }
    fields.update(given)
    return {"input": fields}


async def test_staff_add_an_event_by_hand_recorded_with_who_did_it(client):
    _, [parcel] = await shipped_order()
    await Shipment.filter(id=parcel.id).update(shipped_at=START)
    answer = (await client.staff(ADD, _add(parcel)))["addTrackingEvent"]
    assert answer["errors"] == []
    assert answer["eventAdded"] is True
    shipment = answer["shipment"]
    assert (shipment["trackingStatus"], shipment["trackingSubStatus"]) == (
        "ATTEMPT_FAILED",
        "ATTEMPT_RECIPIENT_ABSENT",
    )
    assert shipment["needsAttention"] is True
    admin = await client.admin()
    assert shipment["trackingEvents"][0]["actorId"] == gid("User", admin.id)
    row = await TrackingEvent.get(shipment_id=parcel.id)
    assert (row.source, row.actor_user_id, row.city) == (TrackingSource.STAFF, admin.id, "Lyon")
    again = (await client.staff(ADD, _add(parcel)))["addTrackingEvent"]
    assert again["eventAdded"] is False
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 1


async def test_bad_hand_made_events_are_refused_and_change_nothing(client):
    _, [parcel] = await shipped_order()
    await Shipment.filter(id=parcel.id).update(shipped_at=START)
    cases: list[tuple[dict[str, object], list[str], str]] = [
        ({"status": "EXPIRED", "subStatus": None}, ["status"], "INVALID_STATUS"),
        ({"status": "IN_TRANSIT"}, ["subStatus"], "INVALID_SUB_STATUS"),
        ({"occurredAt": "2126-01-01T00:00:00+00:00"}, ["occurredAt"], "INVALID_TIME"),
        ({"occurredAt": "2020-01-01T00:00:00+00:00"}, ["occurredAt"], "INVALID_TIME"),
        ({"message": "a\x00b"}, ["message"], "INVALID"),
        ({"message": "x" * 501}, ["message"], "INVALID"),
        ({"country": "Fr4"}, ["country"], "INVALID_COUNTRY"),
        ({"shipmentId": gid("Shipment", 999999)}, ["shipmentId"], "NOT_FOUND"),
    ]
    for given, field, code in cases:
        body = await client.request(ADD, _add(parcel, **given), staff=True)
        if "errors" in body:  # refused by the input rules before the resolver (NUL)
            assert given.get("message") == "a\x00b", body
            continue
        [error] = body["data"]["addTrackingEvent"]["errors"]
        assert (error["field"], error["code"]) == (field, code), given
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 0
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.PENDING


async def test_only_staff_with_orders_add_events(client):
    order, [parcel] = await shipped_order()
    owner = await User.get(id=order.user_id)
    clerk = await make_user(role=Role.STAFF, permissions=("catalog",))
    for user in (owner, clerk):
        body = await client.request(ADD, _add(parcel), user=user)
        assert body["data"] is None or body["data"]["addTrackingEvent"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 0


async def test_a_handled_parcel_leaves_the_queue_until_its_next_trouble(client):
    order, [parcel] = await shipped_order()
    await _journey(parcel)
    vars = {"input": {"shipmentId": gid("Shipment", parcel.id), "note": "Paid the duties."}}
    answer = (await client.staff(HANDLED, vars))["markShipmentHandled"]
    assert answer["errors"] == []
    assert answer["shipment"]["needsAttention"] is False
    assert answer["shipment"]["handledAt"] is not None
    note = await OrderEvent.get(order_id=order.id, kind="note")
    assert note.internal and note.message.endswith("handled: Paid the duties.")
    twice = (await client.staff(HANDLED, vars))["markShipmentHandled"]
    assert [e["code"] for e in twice["errors"]] == ["NOT_A_PROBLEM"]
    damaged = report(S.EXCEPTION, 50, sub=Sub.EXCEPTION_DAMAGED)
    await events.record(parcel.id, [damaged], source=TrackingSource.WEBHOOK)
    data = await client.staff(ORDER, {"id": gid("Order", order.id)})
    assert data["order"]["shipments"][0]["needsAttention"] is True


async def test_a_parcel_on_its_way_is_not_a_problem(client):
    _, [parcel] = await shipped_order()
    vars = {"input": {"shipmentId": gid("Shipment", parcel.id)}}
    answer = (await client.staff(HANDLED, vars))["markShipmentHandled"]
    assert [e["code"] for e in answer["errors"]] == ["NOT_A_PROBLEM"]
    assert (await Shipment.get(id=parcel.id)).handled_at is None


CARRIER = """
mutation($input: UpdateCarrierInput!) { updateCarrier(input: $input) {
  carrier { trackingExpiryDays } errors { field code }
} }"""


async def test_staff_set_how_long_a_carriers_parcels_may_stay_quiet(client):
    _, [parcel] = await shipped_order()
    carrier = gid("Carrier", parcel.carrier_id or 0)
    for days, errors in ((14, []), (0, ["INVALID_DAYS"]), (366, ["INVALID_DAYS"])):
        given = {"input": {"id": carrier, "trackingExpiryDays": days}}
        got = (await client.staff(CARRIER, given))["updateCarrier"]
        assert [e["code"] for e in got["errors"]] == errors
    assert got["carrier"] is None
    assert (await Carrier.get(id=parcel.carrier_id)).tracking_expiry_days == 14
