"""Recording carrier reports: once each, read in the order things happened, and what follows
for the parcel and its order."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from models.accounts import Role
from models.orders import Order, OrderEvent, OrderStatus, Shipment
from models.tracking import DeliveryEstimate, TrackingEvent, TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.orders import status as order_status
from services.orders.timeline import Actor
from services.tracking import events, expiry
from services.tracking.errors import TrackingError
from subscriptions import bus
from subscriptions import events as bus_events
from tests.factories import make_user
from tests.tracking.helpers import START, report, shipped_order, utc

WEBHOOK = TrackingSource.WEBHOOK


async def _record(shipment: Shipment, *reports: events.Report) -> events.Recorded:
    return await events.record(shipment.id, reports, source=WEBHOOK, source_name="test")


async def test_an_event_delivered_twice_is_stored_once(db):
    _, [parcel] = await shipped_order()
    first = await _record(parcel, report(S.IN_TRANSIT, 1, event_id="e1"))
    again = await _record(parcel, report(S.IN_TRANSIT, 1, event_id="e1"))
    twice = report(S.IN_TRANSIT, 1, event_id="e1")
    resent = await _record(parcel, twice, twice)
    assert (first.added, again.added, resent.added) == (1, 0, 0)
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 1


async def test_without_ids_the_same_words_at_the_same_instant_are_the_same_event(db):
    _, [parcel] = await shipped_order()
    await _record(parcel, report(S.IN_TRANSIT, 1, message="Departed  Shanghai"))
    await _record(parcel, report(S.IN_TRANSIT, 1, message="departed shanghai"))
    await _record(parcel, report(S.IN_TRANSIT, 2, message="Departed Shanghai"))
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 2


async def test_the_status_follows_when_things_happened_not_when_they_arrived(db):
    _, [parcel] = await shipped_order()
    await _record(parcel, report(S.OUT_FOR_DELIVERY, 30))
    late = await _record(parcel, report(S.IN_TRANSIT, 5))  # an older scan, arriving late
    assert late.added == 1 and not late.changed
    fresh = await Shipment.get(id=parcel.id)
    assert fresh.tracking_status == S.OUT_FOR_DELIVERY
    assert fresh.last_event_at == utc(START + timedelta(hours=30))
    rows = await TrackingEvent.filter(shipment_id=parcel.id).order_by("occurred_at")
    assert [row.status for row in rows] == [S.IN_TRANSIT, S.OUT_FOR_DELIVERY]


async def test_the_carriers_local_time_is_kept_with_its_offset(db):
    _, [parcel] = await shipped_order()
    await _record(parcel, report(S.INFO_RECEIVED, 0, city="Shanghai", country="cn"))
    row = await TrackingEvent.get(shipment_id=parcel.id)
    assert row.utc_offset_minutes == 480
    assert row.occurred_at == utc(START)
    assert (row.city, row.country) == ("Shanghai", "CN")


async def test_carrier_text_is_cleaned_and_cut_never_refused(db):
    _, [parcel] = await shipped_order()
    long = "x" * 2000
    await _record(
        parcel,
        report(S.IN_TRANSIT, 1, message=f"A\x00B\n{long}", city=long, country="Narnia"),
    )
    row = await TrackingEvent.get(shipment_id=parcel.id)
    assert row.message.startswith("AB ") and len(row.message) == events.MAX_MESSAGE
    assert len(row.city) == events.MAX_PLACE
    assert row.country == ""


async def test_a_sub_status_of_another_status_is_dropped(db):
    _, [parcel] = await shipped_order()
    await _record(parcel, report(S.IN_TRANSIT, 1, sub=Sub.EXCEPTION_LOST))
    assert (await TrackingEvent.get(shipment_id=parcel.id)).sub_status == ""


async def test_delivering_the_only_parcel_delivers_the_order(db):
    order, [parcel] = await shipped_order()
    assert order.status == OrderStatus.SHIPPED
    await _record(parcel, report(S.OUT_FOR_DELIVERY, 20), report(S.DELIVERED, 22))
    fresh = await Shipment.get(id=parcel.id)
    assert fresh.tracking_status == S.DELIVERED
    assert fresh.delivered_at == utc(START + timedelta(hours=22))
    order = await Order.get(id=order.id)
    assert order.status == OrderStatus.DELIVERED
    moved = await OrderEvent.get(order_id=order.id, to_status=OrderStatus.DELIVERED)
    assert moved.actor == "tracking"
    # Delivered again (a resent history) changes nothing more.
    again = await _record(parcel, report(S.DELIVERED, 22, message="Delivered, signed"))
    assert not again.changed
    assert await OrderEvent.filter(order_id=order.id, to_status=OrderStatus.DELIVERED).count() == 1


async def test_an_order_is_delivered_when_its_last_parcel_is(db):
    order, [first, second] = await shipped_order(parcels=2)
    await _record(first, report(S.DELIVERED, 22))
    assert (await Order.get(id=order.id)).status == OrderStatus.SHIPPED
    await _record(second, report(S.DELIVERED, 40))
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED


async def test_a_failed_attempt_then_out_for_delivery_again(db):
    _, [parcel] = await shipped_order()
    await _record(
        parcel,
        report(S.OUT_FOR_DELIVERY, 20),
        report(S.ATTEMPT_FAILED, 22, sub=Sub.ATTEMPT_RECIPIENT_ABSENT),
    )
    failed = await Shipment.get(id=parcel.id)
    assert (failed.tracking_status, failed.tracking_sub_status) == (
        S.ATTEMPT_FAILED,
        "attempt_recipient_absent",
    )
    await _record(parcel, report(S.OUT_FOR_DELIVERY, 44))
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.OUT_FOR_DELIVERY


async def test_delivered_stays_delivered_unless_a_return_starts(db):
    order, [parcel] = await shipped_order()
    await _record(parcel, report(S.DELIVERED, 22))
    await _record(parcel, report(S.IN_TRANSIT, 30))
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.DELIVERED
    await _record(parcel, report(S.RETURNING, 50))
    fresh = await Shipment.get(id=parcel.id)
    assert fresh.tracking_status == S.RETURNING
    assert fresh.delivered_at == utc(START + timedelta(hours=22))
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED


async def test_the_estimated_delivery_keeps_its_revisions(db):
    _, [parcel] = await shipped_order()
    await _record(parcel, report(S.INFO_RECEIVED, 0, estimated_delivery=date(2026, 11, 9)))
    await _record(parcel, report(S.IN_TRANSIT, 5, estimated_delivery=date(2026, 11, 9)))
    await _record(parcel, report(S.IN_CUSTOMS, 30, estimated_delivery=date(2026, 11, 12)))
    # An older event's estimate, arriving late, does not overrule the newer one.
    await _record(parcel, report(S.IN_TRANSIT, 6, estimated_delivery=date(2026, 11, 8)))
    assert (await Shipment.get(id=parcel.id)).estimated_delivery == date(2026, 11, 12)
    revisions = await DeliveryEstimate.filter(shipment_id=parcel.id).order_by("id")
    assert [r.estimated_date for r in revisions] == [date(2026, 11, 9), date(2026, 11, 12)]


async def test_trouble_clears_the_handled_mark_and_is_announced_to_staff(db):
    order, [parcel] = await shipped_order()
    await Shipment.filter(id=parcel.id).update(handled_at=START)
    async with bus.current().subscribe(bus_events.MERCHANT_TRACKING_CHANNEL) as messages:
        await _record(parcel, report(S.EXCEPTION, 10, sub=Sub.EXCEPTION_ADDRESS))
        message = await asyncio.wait_for(anext(aiter(messages)), timeout=5)
    event = bus_events.ShipmentTracked.parse(message)
    assert event is not None
    assert (event.number, event.shipment_id, event.status) == (order.number, parcel.id, S.EXCEPTION)
    assert event.attention is True
    assert (await Shipment.get(id=parcel.id)).handled_at is None


async def test_an_unknown_shipment_is_not_found(db):
    with pytest.raises(TrackingError) as refused:
        await events.record(999999, [report(S.IN_TRANSIT, 1)], source=WEBHOOK)
    assert refused.value.problems[0].code.value == "not_found"


async def test_staff_marking_an_order_delivered_writes_each_parcels_event(db):
    order, [first, second] = await shipped_order(parcels=2)
    await _record(first, report(S.IN_TRANSIT, 1))
    staff = await make_user(role=Role.ADMIN)
    await order_status.mark_delivered(order.id, actor=Actor.staff(staff.id))
    for parcel in (first, second):
        fresh = await Shipment.get(id=parcel.id)
        assert fresh.tracking_status == S.DELIVERED
        last = await TrackingEvent.filter(shipment_id=parcel.id).order_by("-occurred_at").first()
        assert last is not None and last.source == TrackingSource.STAFF
        assert last.actor_user_id == staff.id
    # A carrier's later scan does not undo what staff recorded.
    await _record(first, report(S.IN_TRANSIT, 2))
    assert (await Shipment.get(id=first.id)).tracking_status == S.DELIVERED


async def test_quiet_parcels_expire_after_their_carriers_days_and_come_back(db):
    _, [parcel] = await shipped_order(tracking_expiry_days=10)
    _, [patient] = await shipped_order(tracking_expiry_days=60)
    for shipment in (parcel, patient):
        await _record(shipment, report(S.IN_TRANSIT, 1))
    now = START + timedelta(days=20)
    assert await expiry.expire_quiet(now) == 1
    assert await expiry.expire_quiet(now) == 0  # once
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.EXPIRED
    assert (await Shipment.get(id=patient.id)).tracking_status == S.IN_TRANSIT
    await _record(parcel, report(S.OUT_FOR_DELIVERY, 24 * 21))
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.OUT_FOR_DELIVERY


async def test_delivered_parcels_never_expire(db):
    _, [parcel] = await shipped_order(tracking_expiry_days=1)
    await _record(parcel, report(S.DELIVERED, 1))
    assert await expiry.expire_quiet(START + timedelta(days=90)) == 0


async def test_reports_for_one_parcel_at_once_all_count(db):
    order, [parcel] = await shipped_order()
    journey = [
        report(S.INFO_RECEIVED, 0, event_id="a"),
        report(S.IN_TRANSIT, 5, event_id="b"),
        report(S.IN_CUSTOMS, 30, sub=Sub.CUSTOMS_PROCESSING, event_id="c"),
        report(S.OUT_FOR_DELIVERY, 50, event_id="d"),
        report(S.DELIVERED, 52, event_id="e"),
    ]
    # Each report twice, all at once, in reverse: stored once each, and the right end.
    await asyncio.gather(*[_record(parcel, r) for r in reversed(journey * 2)])
    assert await TrackingEvent.filter(shipment_id=parcel.id).count() == 5
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.DELIVERED
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    assert await OrderEvent.filter(order_id=order.id, to_status=OrderStatus.DELIVERED).count() == 1
