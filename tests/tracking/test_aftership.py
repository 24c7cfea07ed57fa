"""AfterShip's webhooks: signed with `aftership-hmac-sha256`, their checkpoints mapped to the
shop's statuses, an unknown code skipped, a replay (same event id) changing nothing."""

from __future__ import annotations

import json

import pytest

from models.orders import Order, OrderStatus, Shipment
from models.shipping import Carrier
from models.tracking import DeliveryEstimate, TrackingEvent, TrackingSource
from models.tracking import TrackingStatus as S
from tests.tracking.helpers import shipped_order
from tests.tracking.webhooks import (
    aftership_fixture,
    aftership_signature,
    post_aftership,
    rows_written,
    run_jobs,
)


async def _parcel() -> tuple[Order, Shipment, str]:
    order, [shipment] = await shipped_order(code="china-post")
    carrier = await Carrier.get(id=shipment.carrier_id)
    return order, shipment, carrier.code


async def test_an_aftership_update_records_its_checkpoints_and_estimate(http):
    _, shipment, slug = await _parcel()
    body = aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    response = await post_aftership(http, body)
    assert response.status_code == 202
    await run_jobs()

    rows = await TrackingEvent.filter(shipment_id=shipment.id).order_by("occurred_at")
    # The fourth checkpoint's tag is unknown: skipped, never filed under a guess.
    assert [(r.status, r.city, r.country) for r in rows] == [
        (S.INFO_RECEIVED, "Shenzhen", "CN"),
        (S.IN_TRANSIT, "Shanghai", "CN"),
        (S.IN_TRANSIT, "Frankfurt", "DE"),
    ]
    assert {(r.source, r.source_name) for r in rows} == {(TrackingSource.WEBHOOK, "aftership")}
    assert rows[0].payload["raw_tag"] == "EA"
    assert rows[2].utc_offset_minutes == 60
    fresh = await Shipment.get(id=shipment.id)
    assert fresh.tracking_status == S.IN_TRANSIT
    assert str(fresh.estimated_delivery) == "2026-11-09"
    assert await DeliveryEstimate.filter(shipment_id=shipment.id).count() == 1


async def test_aftership_history_resent_adds_only_the_news_and_delivers(http):
    order, shipment, slug = await _parcel()
    number = shipment.tracking_number
    await post_aftership(http, aftership_fixture("aftership_in_transit", slug=slug, number=number))
    response = await post_aftership(
        http, aftership_fixture("aftership_delivered", slug=slug, number=number)
    )
    assert response.status_code == 202
    await run_jobs()

    rows = await TrackingEvent.filter(shipment_id=shipment.id).order_by("occurred_at")
    assert [(r.status, r.sub_status) for r in rows] == [
        (S.INFO_RECEIVED, ""),
        (S.IN_TRANSIT, ""),
        (S.IN_TRANSIT, ""),
        (S.IN_CUSTOMS, "customs_duties_due"),
        (S.OUT_FOR_DELIVERY, ""),
        (S.DELIVERED, "delivered_signed"),
    ]
    assert (await Shipment.get(id=shipment.id)).tracking_status == S.DELIVERED
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED


async def test_an_aftership_event_delivered_twice_is_received_once(http):
    _, shipment, slug = await _parcel()
    body = aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    assert (await post_aftership(http, body)).status_code == 202
    again = await post_aftership(http, body)
    assert (again.status_code, again.json()) == (200, {"received": True, "duplicate": True})
    await run_jobs()
    assert await rows_written() == (3, 1, 1)


async def test_an_aftership_event_of_another_kind_is_accepted_and_records_nothing(http):
    _, shipment, slug = await _parcel()
    payload = json.loads(
        aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    )
    payload["event"] = "tracking_pending_time"
    response = await post_aftership(http, json.dumps(payload).encode())
    assert response.status_code == 202
    await run_jobs()
    assert await TrackingEvent.all().count() == 0


@pytest.mark.parametrize(
    "signature",
    [None, "", "not base64 at all", aftership_signature(b"another body"), "é".encode("latin-1")],
)
async def test_an_aftership_delivery_without_its_signature_is_refused(http, signature):
    _, shipment, slug = await _parcel()
    body = aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    headers = {} if signature is None else {"aftership-hmac-sha256": signature}
    response = await http.post("/webhooks/tracking/aftership", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid signature"
    assert await rows_written() == (0, 0, 0)


async def test_an_aftership_delivery_signed_with_another_secret_is_refused(http):
    _, shipment, slug = await _parcel()
    body = aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    response = await post_aftership(http, body, secret="someone-else")
    assert response.status_code == 400
    assert await rows_written() == (0, 0, 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda p: p.update(msg=[]), "msg"),
        (lambda p: p["msg"].pop("slug"), "msg.slug"),
        (lambda p: p["msg"].update(tracking_number=12), "msg.tracking_number"),
        (lambda p: p["msg"].update(checkpoints="all of them"), "msg.checkpoints"),
        (lambda p: p["msg"]["checkpoints"].append("a string"), "msg.checkpoints.4"),
        (lambda p: p["msg"]["checkpoints"][0].update(tag=5), "msg.checkpoints.0.tag"),
    ],
)
async def test_a_malformed_aftership_delivery_is_refused(http, change, field):
    _, shipment, slug = await _parcel()
    payload = json.loads(
        aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    )
    change(payload)
    response = await post_aftership(http, json.dumps(payload).encode())
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert await rows_written() == (0, 0, 0)


async def test_an_aftership_body_without_an_event_id_is_known_by_its_digest(http):
    _, shipment, slug = await _parcel()
    payload = json.loads(
        aftership_fixture("aftership_in_transit", slug=slug, number=shipment.tracking_number)
    )
    del payload["event_id"]
    body = json.dumps(payload).encode()
    assert (await post_aftership(http, body)).status_code == 202
    assert (await post_aftership(http, body)).status_code == 200
    payload["ts"] += 60
    assert (await post_aftership(http, json.dumps(payload).encode())).status_code == 202
    await run_jobs()
    assert await rows_written() == (3, 2, 2)
