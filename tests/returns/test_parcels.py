"""The parcel a return comes back in: added by staff, followed through carrier tracking
(webhooks, the simulator's way back), moving the return and never the order; and every
outbound read of an order's parcels leaving it out."""

from __future__ import annotations

from datetime import UTC, datetime

from models.orders import Order, OrderEvent, OrderStatus, Shipment
from models.returns import ReturnEvent, ReturnRequest, ReturnStatus
from models.tracking import TrackingSource, TrackingStatus
from services.orders import queries
from services.orders import status as order_status
from services.orders.timeline import SYSTEM
from services.tracking import events, ingest, simulator
from services.tracking import queue as exceptions
from tests.factories import gid
from tests.orders.handling_setup import make_carrier
from tests.returns.factories import delivered_order, make_return, order_lines
from tests.tracking.helpers import report, s10_number

S = ReturnStatus
T = TrackingStatus

ADD = """mutation($input: AddReturnParcelInput!) {
  addReturnParcel(input: $input) {
    return { status version parcels { trackingNumber carrierName trackingStatus } }
    parcel { id trackingNumber trackingUrl trackingStatus deliveredAt }
    errors { field code message }
  }
}"""

ORDER = """query($id: ID!) {
  order(id: $id) { status shipments { trackingNumber } lines { quantityShipped } }
}"""

RETURN = """query($id: ID!) {
  returnRequest(id: $id) {
    status
    parcels { trackingNumber trackingStatus deliveredAt trackingEvents { status message } }
    timeline { toStatus actor }
  }
}"""

EXCEPTIONS = "{ trackingExceptions { totalCount } }"


async def _add(client, ret: ReturnRequest, carrier, number: str, **more) -> dict:
    variables = {"input": {"returnId": gid("Return", ret.id), "version": ret.version,
                           "carrierId": gid("Carrier", carrier.id), "trackingNumber": number,
                           **more}}  # fmt: skip
    return (await client.staff(ADD, variables))["addReturnParcel"]


async def _in_transit(client, order: Order | None = None) -> tuple[Order, ReturnRequest, Shipment]:
    order = order or await delivered_order()
    ret = await make_return(order, status=S.APPROVED)
    carrier = await make_carrier(code="jppost")
    got = await _add(client, ret, carrier, s10_number("12345678", prefix="RR", country="JP"))
    assert got["errors"] == []
    parcel = await Shipment.get(return_request_id=ret.id)
    return order, await ReturnRequest.get(id=ret.id), parcel


async def test_staff_add_the_return_parcel_and_the_return_is_in_transit(client):
    order, ret, parcel = await _in_transit(client)
    assert ret.status == S.IN_TRANSIT and ret.version == 1
    assert (parcel.order_id, parcel.carrier_name) == (order.id, "Test Post")
    assert parcel.tracking_url == f"https://track.test/{parcel.tracking_number}"
    event = await ReturnEvent.get(return_request_id=ret.id)
    assert event.to_status == "in_transit" and parcel.tracking_number in event.message
    shown = (await client.staff(RETURN, {"id": gid("Return", ret.id)}))["returnRequest"]
    assert shown["parcels"][0]["trackingNumber"] == parcel.tracking_number
    # The order's parcels are those sent to the shopper: the return parcel is not one.
    seen = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]
    assert seen["shipments"] == [] and seen["status"] == "DELIVERED"


async def test_a_return_parcel_is_refused_before_approval_with_a_bad_number_or_twice(client):
    order = await delivered_order()
    carrier = await make_carrier()
    ret = await make_return(order)
    number = s10_number("87654321")
    got = await _add(client, ret, carrier, number)
    assert got["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    await ReturnRequest.filter(id=ret.id).update(status=S.APPROVED)
    ret = await ReturnRequest.get(id=ret.id)
    bad = number[:-3] + ("0" if number[-3] != "0" else "1") + number[-2:]
    for given, field, code in (
        ("", ["trackingNumber"], "REQUIRED"),
        (bad, ["trackingNumber"], "TRACKING_NUMBER_INVALID"),
    ):
        got = await _add(client, ret, carrier, given)
        assert [(e["field"], e["code"]) for e in got["errors"]] == [(field, code)], given
    variables = {"input": {"returnId": gid("Return", ret.id), "version": 0,
                           "carrierId": gid("Carrier", 999), "trackingNumber": number}}  # fmt: skip
    got = (await client.staff(ADD, variables))["addReturnParcel"]
    assert got["errors"][0]["code"] == "NOT_FOUND"
    assert not await Shipment.exists(return_request_id=ret.id)
    got = await _add(client, ret, carrier, bad, acceptInvalidTrackingNumber=True)
    assert got["errors"] == [] and got["return"]["status"] == "IN_TRANSIT"
    ret = await ReturnRequest.get(id=ret.id)
    got = await _add(client, ret, carrier, bad)
    assert got["errors"][0]["code"] == "TRACKING_NUMBER_INVALID"
    got = await _add(client, ret, carrier, bad, acceptInvalidTrackingNumber=True)
    assert got["errors"][0]["code"] == "INVALID"  # the same parcel twice
    got = await _add(client, ret, carrier, number)
    assert got["errors"] == [] and got["return"]["status"] == "IN_TRANSIT"  # a second box
    assert await Shipment.filter(return_request_id=ret.id).count() == 2


async def test_a_delivered_event_receives_the_return_and_leaves_the_order_as_it_was(client):
    # A shipped order with no outbound parcel left waiting: were the return parcel counted
    # as one of the order's, its delivery would make the order DELIVERED.
    order = await delivered_order()
    await Order.filter(id=order.id).update(status=OrderStatus.SHIPPED, delivered_at=None)
    order, ret, parcel = await _in_transit(client, await Order.get(id=order.id))
    before = await OrderEvent.filter(order_id=order.id).count()
    await events.record(parcel.id, [report(T.IN_TRANSIT, 1)], source=TrackingSource.WEBHOOK)
    assert (await ReturnRequest.get(id=ret.id)).status == S.IN_TRANSIT
    await events.record(parcel.id, [report(T.DELIVERED, 30)], source=TrackingSource.WEBHOOK)
    ret = await ReturnRequest.get(id=ret.id)
    assert ret.status == S.RECEIVED and ret.received_at is not None
    last = await ReturnEvent.filter(return_request_id=ret.id).order_by("-id").first()
    assert last is not None
    assert (last.to_status, last.actor, last.actor_user_id) == ("received", "system", None)
    fresh = await Order.get(id=order.id)
    assert (fresh.status, fresh.delivered_at) == (OrderStatus.SHIPPED, None)
    assert await OrderEvent.filter(order_id=order.id).count() == before
    shown = (await client.staff(RETURN, {"id": gid("Return", ret.id)}))["returnRequest"]
    assert shown["parcels"][0]["trackingStatus"] == "DELIVERED"
    assert [e["status"] for e in shown["parcels"][0]["trackingEvents"]] == [
        "IN_TRANSIT",
        "DELIVERED",
    ]
    # A late repeat of the delivery changes nothing more.
    await events.record(parcel.id, [report(T.DELIVERED, 30)], source=TrackingSource.WEBHOOK)
    assert (await ReturnRequest.get(id=ret.id)).version == ret.version


async def test_a_carrier_webhook_delivery_finds_the_return_parcel_and_receives_it(client):
    _, ret, parcel = await _in_transit(client)
    at = datetime.now(UTC)
    order = await Order.get(id=parcel.order_id)
    payload = simulator.delivery("jppost", parcel, order, len(simulator.RETURN_STEPS) - 1, at)
    assert payload["data"]["events"][0]["location"]["country"] == "CN"  # back at the shop
    assert await ingest.deliver(ingest.STANDARD, payload) == 1
    assert (await ReturnRequest.get(id=ret.id)).status == S.RECEIVED


async def test_the_simulator_takes_a_return_parcel_the_way_back(client):
    _, _, parcel = await _in_transit(client)
    assert simulator.journey(parcel) == simulator.RETURN_STEPS
    assert simulator.RETURN_STEPS[-1].status is T.DELIVERED
    outbound = Shipment(order_id=parcel.order_id, return_request_id=None)
    assert simulator.journey(outbound) == simulator.STEPS


async def test_a_return_parcel_in_trouble_stays_out_of_the_exceptions_queue(client):
    _, ret, parcel = await _in_transit(client)
    await events.record(parcel.id, [report(T.EXCEPTION, 2)], source=TrackingSource.WEBHOOK)
    assert (await Shipment.get(id=parcel.id)).tracking_status == T.EXCEPTION
    assert (await client.staff(EXCEPTIONS))["trackingExceptions"]["totalCount"] == 0
    assert await exceptions.count_exceptions(exceptions.QueueFilter()) == 0
    assert (await ReturnRequest.get(id=ret.id)).status == S.IN_TRANSIT


async def test_marking_an_order_delivered_leaves_its_return_parcel_alone(client):
    order = await delivered_order()
    await Order.filter(id=order.id).update(status=OrderStatus.SHIPPED, delivered_at=None)
    order, ret, parcel = await _in_transit(client, await Order.get(id=order.id))
    await order_status.mark_delivered(order.id, actor=SYSTEM)
    fresh = await Shipment.get(id=parcel.id)
    assert (fresh.delivered_at, fresh.tracking_status) == (None, T.PENDING)
    assert (await ReturnRequest.get(id=ret.id)).status == S.IN_TRANSIT


async def test_quantities_shipped_count_no_return_parcel(client):
    order, _, parcel = await _in_transit(client)
    first, _ = await order_lines(order)
    # Even a return parcel that named lines would not ship them.
    from models.orders import ShipmentLine

    await ShipmentLine.create(shipment_id=parcel.id, order_line_id=first.id, quantity=2)
    assert await queries.shipped_by_line(order.id) == {}
    seen = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]
    assert [line["quantityShipped"] for line in seen["lines"]] == [0, 0]
