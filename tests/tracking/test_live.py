"""Tracking followed live over WebSocket: one order's parcels for its shopper, a guest with
the order's token and staff; the console's alerts for parcels that start or stop needing
attention; and the parcels as they are now after the bus was interrupted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import websockets
from tortoise import timezone

from models.accounts import Role, User
from models.orders import Order, OrderLine, OrderStatus, Shipment
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services import missed_events
from services.orders import access, fulfilment
from services.orders.fulfilment import ShipLine
from services.orders.timeline import SYSTEM
from services.tracking import events, staff
from subscriptions import bus
from subscriptions import events as bus_events
from tests.factories import gid, make_product, make_user, token_for
from tests.live import next_message, subscribe
from tests.orders.handling_setup import make_carrier, placed_order
from tests.tracking.helpers import START, report, s10_number, shipped_order

FOLLOW = """subscription($number: String!, $token: String) {
  shipmentTracking(number: $number, accessToken: $token) {
    kind number shipmentId status subStatus needsAttention at
    shipment {
      id trackingNumber trackingStatus trackingSubStatus estimatedDelivery
      trackingEvents { status subStatus message utcOffsetMinutes sourceName payload
        location { city country } }
    }
  }
}"""
ALERTS = """subscription { trackingAlerts {
  kind number shipmentId status subStatus needsAttention shipment { id needsAttention }
} }"""


async def _follow(url: str, user: User | None, number: str, token: str | None = None) -> Any:
    ws = await subscribe(
        url, token_for(user) if user else None, FOLLOW, {"number": number, "token": token}
    )
    await _registered(bus_events.tracking_channel(number))
    return ws


async def _registered(channel: str) -> None:
    """Wait until the server's stream listens on `channel`, then a moment for its set-up."""
    for _ in range(200):
        if bus.current().subscribers(channel):
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)


async def _data(ws: websockets.ClientConnection, field: str) -> dict[str, Any]:
    message = await next_message(ws)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    data: dict[str, Any] = message["payload"]["data"][field]
    return data


async def _refusal(ws: websockets.ClientConnection) -> str:
    message = await next_message(ws)
    assert message["type"] in {"next", "error"}, message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    code: str = errors[0]["extensions"]["code"]
    return code


async def _silent(ws: websockets.ClientConnection, seconds: float = 0.5) -> bool:
    try:
        await asyncio.wait_for(ws.recv(), timeout=seconds)
    except TimeoutError:
        return True
    return False


async def _alert(ws: websockets.ClientConnection, number: str) -> dict[str, Any]:
    """The next alert about order `number`. Redis pub/sub channels are shared by every
    database of a server, so other shops' alerts on the same server are passed over."""
    while True:
        alert = await _data(ws, "trackingAlerts")
        if alert["number"] == number:
            return alert


async def _no_alert(ws: websockets.ClientConnection, number: str) -> bool:
    """Whether half a second passes with no alert about order `number`."""
    try:
        await asyncio.wait_for(_alert(ws, number), timeout=0.5)
    except TimeoutError:
        return True
    return False


async def _guest_shipped_order() -> tuple[Order, Shipment, str]:
    """A guest's paid order shipped in one parcel, and the guest's access token."""
    product = await make_product(prices=("10.00",), stock=(5,))
    [variant] = await product.variants.all()
    order = await placed_order(None, [(variant, 1)], status=OrderStatus.PENDING_SHIPMENT)
    token = await access.grant_access(order)
    carrier = await make_carrier()
    [line] = await OrderLine.filter(order_id=order.id)
    shipped = await fulfilment.ship_order(
        order.id,
        actor=SYSTEM,
        carrier_id=carrier.id,
        tracking_number=s10_number(f"77{order.id:06d}"),
        lines=[ShipLine(line.id, 1)],
    )
    return order, shipped.shipment, token


async def test_the_shopper_sees_each_new_event_of_their_parcel(live_server):
    order, [parcel] = await shipped_order()
    owner = await User.get(id=order.user_id)
    async with await _follow(live_server, owner, order.number) as ws:
        await events.record(
            parcel.id,
            [
                report(S.IN_TRANSIT, 2, city="Shanghai", country="CN", payload={"raw": 1}),
                report(
                    S.IN_CUSTOMS, 30, sub=Sub.CUSTOMS_DUTIES_DUE, estimated_delivery=START.date()
                ),
            ],
            source=TrackingSource.WEBHOOK,
            source_name="aftership",
        )
        change = await _data(ws, "shipmentTracking")
        assert change["at"]
        assert {k: v for k, v in change.items() if k not in ("at", "shipment")} == {
            "kind": "TRACKED",
            "number": order.number,
            "shipmentId": gid("Shipment", parcel.id),
            "status": "IN_CUSTOMS",
            "subStatus": "CUSTOMS_DUTIES_DUE",
            "needsAttention": True,
        }
        shipment = change["shipment"]
        assert shipment["id"] == gid("Shipment", parcel.id)
        assert (shipment["trackingStatus"], shipment["trackingSubStatus"]) == (
            "IN_CUSTOMS",
            "CUSTOMS_DUTIES_DUE",
        )
        assert shipment["estimatedDelivery"] == START.date().isoformat()
        first, second = shipment["trackingEvents"]
        assert (first["status"], second["status"]) == ("IN_TRANSIT", "IN_CUSTOMS")
        assert first["utcOffsetMinutes"] == 480
        assert first["location"] == {"city": "Shanghai", "country": "CN"}
        # Staff-only fields stay staff-only on the live feed too.
        assert (first["sourceName"], first["payload"]) == (None, None)

        # The same event delivered again changes nothing, and says nothing.
        again = await events.record(
            parcel.id,
            [report(S.IN_TRANSIT, 2, city="Shanghai", country="CN")],
            source=TrackingSource.WEBHOOK,
            source_name="aftership",
        )
        assert again.added == 0
        assert await _silent(ws)
        await events.record(parcel.id, [report(S.DELIVERED, 50)], source=TrackingSource.WEBHOOK)
        delivered = await _data(ws, "shipmentTracking")
        assert (delivered["status"], delivered["needsAttention"]) == ("DELIVERED", False)
        assert len(delivered["shipment"]["trackingEvents"]) == 3


async def test_staff_follow_any_order_and_see_staff_fields(live_server):
    order, [parcel] = await shipped_order()
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    async with await _follow(live_server, staff, order.number) as ws:
        await events.record(
            parcel.id,
            [report(S.IN_TRANSIT, 1, payload={"raw": 1})],
            source=TrackingSource.WEBHOOK,
            source_name="aftership",
        )
        change = await _data(ws, "shipmentTracking")
        [event] = change["shipment"]["trackingEvents"]
        assert (event["sourceName"], event["payload"]) == ("aftership", {"raw": 1})


async def test_each_order_streams_only_its_own_parcels(live_server):
    order, [parcel] = await shipped_order()
    other, [elsewhere] = await shipped_order()
    owner = await User.get(id=order.user_id)
    async with await _follow(live_server, owner, order.number) as ws:
        await events.record(elsewhere.id, [report(S.IN_TRANSIT, 1)], source=TrackingSource.POLL)
        await events.record(parcel.id, [report(S.INFO_RECEIVED, 1)], source=TrackingSource.POLL)
        change = await _data(ws, "shipmentTracking")
        assert (change["shipmentId"], change["status"]) == (
            gid("Shipment", parcel.id),
            "INFO_RECEIVED",
        )
    assert other.number != order.number


@pytest.mark.parametrize(
    ("who", "code"),
    [("stranger", "FORBIDDEN"), ("anonymous", "UNAUTHENTICATED"), ("catalog", "FORBIDDEN")],
)
async def test_nobody_else_may_follow_the_parcels(live_server, who, code):
    order, [parcel] = await shipped_order()
    user = {
        "stranger": await make_user(),
        "anonymous": None,
        "catalog": await make_user(role=Role.STAFF, permissions=("catalog",)),
    }[who]
    ws = await subscribe(
        live_server, token_for(user) if user else None, FOLLOW, {"number": order.number}
    )
    async with ws:
        assert await _refusal(ws) == code
        # Refused once, the socket hears nothing of the parcel afterwards.
        await events.record(parcel.id, [report(S.IN_TRANSIT, 1)], source=TrackingSource.POLL)
        assert await _silent(ws)
    assert bus.current().subscribers(bus_events.tracking_channel(order.number)) == 0


async def test_an_unknown_order_is_refused_typed(live_server):
    shopper = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    for user, code in ((shopper, "FORBIDDEN"), (staff, "NOT_FOUND")):
        ws = await subscribe(live_server, token_for(user), FOLLOW, {"number": "TW2ZZZZZZZ"})
        async with ws:
            assert await _refusal(ws) == code


async def test_a_guest_follows_with_the_orders_token_and_only_with_it(live_server):
    order, parcel, token = await _guest_shipped_order()
    _, _, other_token = await _guest_shipped_order()
    for wrong in ("not-the-token", other_token):
        ws = await subscribe(live_server, None, FOLLOW, {"number": order.number, "token": wrong})
        async with ws:
            assert await _refusal(ws) == "FORBIDDEN"
    async with await _follow(live_server, None, order.number, token) as ws:
        await events.record(
            parcel.id,
            [report(S.ATTEMPT_FAILED, 40, sub=Sub.ATTEMPT_RECIPIENT_ABSENT)],
            source=TrackingSource.WEBHOOK,
            source_name="aftership",
        )
        change = await _data(ws, "shipmentTracking")
        assert (change["status"], change["subStatus"]) == (
            "ATTEMPT_FAILED",
            "ATTEMPT_RECIPIENT_ABSENT",
        )
        assert change["shipment"]["trackingEvents"][0]["sourceName"] is None


async def test_after_an_interruption_every_parcel_is_sent_as_it_is(live_server):
    order, parcels = await shipped_order(parcels=2)
    await events.record(parcels[1].id, [report(S.IN_TRANSIT, 3)], source=TrackingSource.POLL)
    owner = await User.get(id=order.user_id)
    async with await _follow(live_server, owner, order.number) as ws:
        # What the Redis bus hands every stream when it gets its connection back.
        bus.current()._fanout.deliver_gap(bus.Gap(since=timezone.now()))  # type: ignore[attr-defined]
        first = await _data(ws, "shipmentTracking")
        second = await _data(ws, "shipmentTracking")
        assert [(c["kind"], c["shipmentId"], c["status"]) for c in (first, second)] == [
            ("CURRENT", gid("Shipment", parcels[0].id), "PENDING"),
            ("CURRENT", gid("Shipment", parcels[1].id), "IN_TRANSIT"),
        ]
        assert len(second["shipment"]["trackingEvents"]) == 1


async def test_staff_alerts_tell_when_a_parcel_starts_and_stops_needing_attention(live_server):
    order, [parcel, calm] = await shipped_order(parcels=2)
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    ws = await subscribe(live_server, token_for(staff), ALERTS)
    async with ws:
        await _registered(bus_events.MERCHANT_TRACKING_CHANNEL)
        # A parcel moving on without trouble is no alert.
        await events.record(calm.id, [report(S.IN_TRANSIT, 1)], source=TrackingSource.POLL)
        await events.record(
            parcel.id,
            [report(S.EXCEPTION, 5, sub=Sub.EXCEPTION_ADDRESS)],
            source=TrackingSource.WEBHOOK,
        )
        started = await _alert(ws, order.number)
        assert started == {
            "kind": "TRACKED",
            "number": order.number,
            "shipmentId": gid("Shipment", parcel.id),
            "status": "EXCEPTION",
            "subStatus": "EXCEPTION_ADDRESS",
            "needsAttention": True,
            "shipment": {"id": gid("Shipment", parcel.id), "needsAttention": True},
        }
        # Still in trouble: no news for the badge.
        await events.record(
            parcel.id, [report(S.EXCEPTION, 6, message="Called")], source=TrackingSource.POLL
        )
        await events.record(parcel.id, [report(S.OUT_FOR_DELIVERY, 8)], source=TrackingSource.POLL)
        stopped = await _alert(ws, order.number)
        assert (stopped["status"], stopped["needsAttention"]) == ("OUT_FOR_DELIVERY", False)
        assert await _no_alert(ws, order.number)


async def test_staff_alerts_tell_when_staff_handle_a_parcel(live_server):
    order, [parcel] = await shipped_order()
    await events.record(
        parcel.id, [report(S.IN_CUSTOMS, 4, sub=Sub.CUSTOMS_HELD)], source=TrackingSource.POLL
    )
    staff_user = await make_user(role=Role.STAFF, permissions=("orders",))
    ws = await subscribe(live_server, token_for(staff_user), ALERTS)
    async with ws:
        await _registered(bus_events.MERCHANT_TRACKING_CHANNEL)
        await staff.mark_handled(parcel.id, actor=SYSTEM, note="Papers sent to the broker")
        handled = await _alert(ws, order.number)
        assert (handled["kind"], handled["status"], handled["needsAttention"]) == (
            "TRACKED",
            "IN_CUSTOMS",
            False,
        )
        assert await _no_alert(ws, order.number)


async def test_staff_alerts_know_the_queue_as_it_was_when_they_started(live_server):
    order, [parcel] = await shipped_order()
    await events.record(parcel.id, [report(S.ATTEMPT_FAILED, 4)], source=TrackingSource.POLL)
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    ws = await subscribe(live_server, token_for(staff), ALERTS)
    async with ws:
        await _registered(bus_events.MERCHANT_TRACKING_CHANNEL)
        await events.record(parcel.id, [report(S.DELIVERED, 9)], source=TrackingSource.POLL)
        stopped = await _alert(ws, order.number)
        assert (stopped["shipmentId"], stopped["needsAttention"]) == (
            gid("Shipment", parcel.id),
            False,
        )


async def test_staff_alerts_catch_up_after_an_interruption(live_server):
    order, [parcel, calm] = await shipped_order(parcels=2)
    staff = await make_user(role=Role.STAFF, permissions=("orders",))
    ws = await subscribe(live_server, token_for(staff), ALERTS)
    async with ws:
        await _registered(bus_events.MERCHANT_TRACKING_CHANNEL)
        # Changes the stream never hears of, as when Redis is away: only the database has them.
        await Shipment.filter(id=parcel.id).update(tracking_status=S.RETURNING)
        await Shipment.filter(id=calm.id).update(tracking_status=S.IN_TRANSIT)
        bus.current()._fanout.deliver_gap(bus.Gap(since=timezone.now()))  # type: ignore[attr-defined]
        caught_up = await _alert(ws, order.number)
        assert (caught_up["kind"], caught_up["shipmentId"], caught_up["needsAttention"]) == (
            "CURRENT",
            gid("Shipment", parcel.id),
            True,
        )
        assert await _no_alert(ws, order.number)


@pytest.mark.parametrize("permissions", [(), ("catalog",)])
async def test_staff_alerts_need_the_orders_permission(live_server, permissions):
    role = Role.STAFF if permissions else Role.CUSTOMER
    user = await make_user(role=role, permissions=permissions)
    ws = await subscribe(live_server, token_for(user), ALERTS)
    async with ws:
        assert await _refusal(ws) == "FORBIDDEN"


async def test_the_queue_a_stream_starts_from_is_the_parcels_in_trouble_not_yet_handled(db):
    _, [duties, checking, failed, handled, moving] = await shipped_order(parcels=5)
    for parcel, step in (
        (duties, report(S.IN_CUSTOMS, 1, sub=Sub.CUSTOMS_DUTIES_DUE)),
        (checking, report(S.IN_CUSTOMS, 1, sub=Sub.CUSTOMS_PROCESSING)),
        (failed, report(S.ATTEMPT_FAILED, 1)),
        (handled, report(S.EXCEPTION, 1)),
        (moving, report(S.IN_TRANSIT, 1)),
    ):
        await events.record(parcel.id, [step], source=TrackingSource.POLL)
    await Shipment.filter(id=handled.id).update(handled_at=timezone.now())
    assert await missed_events.parcels_needing_attention() == {duties.id, failed.id}
    now = {e.shipment_id: e for e in await missed_events.parcels([failed.id, moving.id, 10**9])}
    assert set(now) == {failed.id, moving.id}
    assert (now[failed.id].status, now[failed.id].attention) == (S.ATTEMPT_FAILED, True)
    assert (now[moving.id].status, now[moving.id].attention) == (S.IN_TRANSIT, False)
