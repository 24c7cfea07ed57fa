"""Tracking webhooks over HTTP: signed deliveries are recorded once, through a job; forged,
stale, malformed and oversized ones are refused with a 4xx and store nothing."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import time
from typing import Any

import pytest
from redis import asyncio as aioredis

from models.jobs import Job, JobStatus
from models.orders import Order, OrderStatus, Shipment
from models.shipping import Carrier
from models.tracking import TrackingDelivery, TrackingEvent, TrackingSource
from models.tracking import TrackingStatus as S
from services.tracking import ingest, replay
from tests.tracking.helpers import shipped_order
from tests.tracking.webhooks import (
    STANDARD_SECRET,
    TOKEN,
    event,
    generic,
    minutes_ago,
    post_standard,
    rows_written,
    run_jobs,
    standard_headers,
)

JOURNEY = [
    event("info_received", "2026-11-02T09:00:00+08:00", id="e1", message="Label created"),
    event(
        "in_transit",
        "2026-11-03T11:30:00+08:00",
        id="e2",
        location={"city": "Shanghai", "country": "CN"},
        estimated_delivery="2026-11-09",
    ),
    event(
        "in_customs",
        "2026-11-05T18:00:00+08:00",
        id="e3",
        sub_status="customs_duties_due",
        message="Held: import duties to pay",
        location={"city": "Frankfurt", "region": "HE", "postcode": "60549", "country": "DE"},
        estimated_delivery="2026-11-10",
    ),
    event("delivered", "2026-11-08T13:20:00+01:00", id="e4", sub_status="delivered_signed"),
]


async def _parcel() -> tuple[Order, Shipment, str]:
    order, [shipment] = await shipped_order()
    carrier = await Carrier.get(id=shipment.carrier_id)
    return order, shipment, carrier.code


async def test_a_signed_delivery_records_its_events_and_delivers_the_order(http):
    order, shipment, code = await _parcel()
    response = await post_standard(http, generic(code, shipment.tracking_number, *JOURNEY))
    assert response.status_code == 202
    assert response.json() == {"received": True}
    # Answered before the work: the events wait for the job.
    assert await TrackingEvent.filter(shipment_id=shipment.id).count() == 0
    job = await Job.get(task=ingest.TASK)
    assert job.key == "standard:msg_1"

    await run_jobs()

    rows = await TrackingEvent.filter(shipment_id=shipment.id).order_by("occurred_at")
    assert [(r.status, r.sub_status) for r in rows] == [
        (S.INFO_RECEIVED, ""),
        (S.IN_TRANSIT, ""),
        (S.IN_CUSTOMS, "customs_duties_due"),
        (S.DELIVERED, "delivered_signed"),
    ]
    assert {(r.source, r.source_name) for r in rows} == {(TrackingSource.WEBHOOK, "standard")}
    assert (rows[2].city, rows[2].postcode, rows[2].country) == ("Frankfurt", "60549", "DE")
    assert rows[2].utc_offset_minutes == 480
    fresh = await Shipment.get(id=shipment.id)
    assert fresh.tracking_status == S.DELIVERED
    assert str(fresh.estimated_delivery) == "2026-11-10"
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    assert (await Job.get(id=job.id)).status == JobStatus.DONE


async def test_the_same_delivery_twice_is_stored_once(http):
    _, shipment, code = await _parcel()
    payload = generic(code, shipment.tracking_number, *JOURNEY[:2])
    first = await post_standard(http, payload, delivery_id="msg_again")
    again = await post_standard(http, payload, delivery_id="msg_again")
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == {"received": True, "duplicate": True}
    assert await rows_written() == (0, 1, 1)
    await run_jobs()
    assert await TrackingEvent.filter(shipment_id=shipment.id).count() == 2


async def test_two_identical_deliveries_at_once_make_one_set_of_rows(http):
    _, shipment, code = await _parcel()
    payload = generic(code, shipment.tracking_number, *JOURNEY)
    answers = await asyncio.gather(
        post_standard(http, payload, delivery_id="msg_race"),
        post_standard(http, payload, delivery_id="msg_race"),
    )
    assert sorted(a.status_code for a in answers) == [200, 202]
    await run_jobs()
    assert await rows_written() == (4, 1, 1)


@pytest.fixture
async def redis_replay() -> Any:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    client = aioredis.Redis.from_url(url)

    async def forget_all() -> None:
        async for key in client.scan_iter(f"{replay.PREFIX}*"):
            await client.delete(key)

    await forget_all()
    replay.configure(client)
    try:
        yield client
    finally:
        replay.configure(None)
        await forget_all()
        await client.aclose()


async def test_with_redis_a_replay_is_refused_without_a_database_row(http, redis_replay):
    _, shipment, code = await _parcel()
    payload = generic(code, shipment.tracking_number, *JOURNEY)
    answers = await asyncio.gather(
        *[post_standard(http, payload, delivery_id="msg_redis") for _ in range(3)]
    )
    assert sorted(a.status_code for a in answers) == [200, 200, 202]
    assert await redis_replay.exists(f"{replay.PREFIX}standard:msg_redis") == 1
    ttl = await redis_replay.ttl(f"{replay.PREFIX}standard:msg_redis")
    assert 0 < ttl <= 3 * 86400
    await run_jobs()
    assert await rows_written() == (4, 1, 0)


async def test_a_number_the_shop_does_not_know_is_dropped_not_retried(http):
    _, _, code = await _parcel()
    response = await post_standard(http, generic(code, "LX999999999CN", *JOURNEY))
    assert response.status_code == 202
    await run_jobs()
    assert await TrackingEvent.all().count() == 0
    assert (await Job.get(task=ingest.TASK)).status == JobStatus.DONE


async def test_the_newest_parcel_with_a_number_gets_its_events(http):
    _, old, code = await _parcel()
    _, [newer] = await shipped_order()
    await Shipment.filter(id=newer.id).update(
        carrier_id=old.carrier_id, tracking_number=old.tracking_number
    )
    await post_standard(http, generic(code, old.tracking_number, JOURNEY[0]))
    await run_jobs()
    assert await TrackingEvent.filter(shipment_id=newer.id).count() == 1
    assert await TrackingEvent.filter(shipment_id=old.id).count() == 0


# Refusals: nothing is stored.


def _body(code: str, number: str) -> bytes:
    return json.dumps(generic(code, number, *JOURNEY)).encode()


def _flip(signature: str) -> str:
    version, _, value = signature.partition(",")
    raw = bytearray(base64.b64decode(value))
    raw[0] ^= 1
    return f"{version},{base64.b64encode(bytes(raw)).decode()}"


def _signed(body: bytes, **changes: Any) -> dict[str, str]:
    return standard_headers(body, **changes)


REFUSALS: dict[str, Any] = {
    "forged": lambda b: {**_signed(b), "webhook-signature": _flip(_signed(b)["webhook-signature"])},
    "wrong secret": lambda b: _signed(
        b, secret="whsec_" + base64.b64encode(b"another-secret-of-32-bytes-long!").decode()
    ),
    "stale": lambda b: _signed(b, at=minutes_ago(6)),
    "future": lambda b: _signed(b, at=minutes_ago(-6)),
    "no signature": lambda b: {k: v for k, v in _signed(b).items() if k != "webhook-signature"},
    "no id": lambda b: {k: v for k, v in _signed(b).items() if k != "webhook-id"},
    "no timestamp": lambda b: {k: v for k, v in _signed(b).items() if k != "webhook-timestamp"},
    "signature without a version": lambda b: {**_signed(b), "webhook-signature": "v1abc"},
    "signature not base64": lambda b: {**_signed(b), "webhook-signature": "v1,@@not-base64@@"},
    "timestamp not a number": lambda b: {**_signed(b), "webhook-timestamp": "soon"},
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
async def test_an_unverifiable_delivery_is_refused(http, case):
    _, shipment, code = await _parcel()
    body = _body(code, shipment.tracking_number)
    response = await http.post(
        "/webhooks/tracking/standard", content=body, headers=REFUSALS[case](body)
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid signature"
    assert await rows_written() == (0, 0, 0)


async def test_a_body_not_in_utf8_is_refused(http):
    body = b'{"type": "tracking.updated", "x": "\xff\xfe"}'
    # Signed over the raw bytes, as a sender that never decodes them would sign.
    stamp = str(int(time.time()))
    key = base64.b64decode(STANDARD_SECRET.removeprefix("whsec_"))
    mac = hmac.new(key, b"msg_1." + stamp.encode() + b"." + body, hashlib.sha256).digest()
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": stamp,
        "webhook-signature": "v1," + base64.b64encode(mac).decode(),
    }
    response = await http.post("/webhooks/tracking/standard", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["reason"] == "body is not UTF-8"
    assert await rows_written() == (0, 0, 0)


def _with(change: Any) -> Any:
    def build(code: str, number: str) -> Any:
        payload = generic(code, number, *JOURNEY)
        change(payload)
        return payload

    return build


def _set_event(**fields: Any) -> Any:
    return _with(lambda p: p["data"]["events"][0].update(fields))


MALFORMED: dict[str, tuple[Any, str, str]] = {
    "not an object": (lambda c, n: [1, 2], "invalid", ""),
    "another type": (_with(lambda p: p.update(type="order.paid")), "invalid", "type"),
    "no data": (_with(lambda p: p.pop("data")), "invalid", "data"),
    "carrier a number": (_with(lambda p: p["data"].update(carrier=7)), "invalid", "data.carrier"),
    "no number": (
        _with(lambda p: p["data"].update(tracking_number=" ")),
        "required",
        "data.tracking_number",
    ),
    "events an object": (
        _with(lambda p: p["data"].update(events={})),
        "invalid",
        "data.events",
    ),
    "no events": (_with(lambda p: p["data"].update(events=[])), "required", "data.events"),
    "too many events": (
        _with(lambda p: p["data"].update(events=[JOURNEY[0]] * 101)),
        "invalid",
        "data.events",
    ),
    "unknown status": (_set_event(status="teleported"), "invalid_status", "data.events.0.status"),
    "status a list": (_set_event(status=["delivered"]), "invalid_status", "data.events.0.status"),
    "sub-status of another status": (
        _set_event(sub_status="customs_held"),
        "invalid_sub_status",
        "data.events.0.sub_status",
    ),
    "naive time": (
        _set_event(occurred_at="2026-11-02T09:00:00"),
        "invalid_time",
        "data.events.0.occurred_at",
    ),
    "not a time": (
        _set_event(occurred_at="yesterday"),
        "invalid_time",
        "data.events.0.occurred_at",
    ),
    "bad estimate": (
        _set_event(estimated_delivery="2026-02-30"),
        "invalid_date",
        "data.events.0.estimated_delivery",
    ),
    "unknown country": (
        _set_event(location={"country": "XX"}),
        "invalid_country",
        "data.events.0.location.country",
    ),
    "message a number": (_set_event(message=12), "invalid", "data.events.0.message"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_a_malformed_delivery_is_refused_with_its_reason(http, case):
    _, shipment, code = await _parcel()
    build, error_code, field = MALFORMED[case]
    response = await post_standard(http, build(code, shipment.tracking_number))
    assert response.status_code == 400
    body = response.json()
    assert (body["error"], body["code"], body["field"]) == ("invalid payload", error_code, field)
    assert await rows_written() == (0, 0, 0)


@pytest.mark.parametrize("body", [b"", b"{not json", b'{"a": 1', b"[" * 5000 + b"]" * 5000])
async def test_garbage_is_refused(http, body):
    response = await http.post(
        "/webhooks/tracking/standard", content=body, headers=standard_headers(body)
    )
    assert response.status_code == 400
    assert response.json()["error"] in {"invalid JSON", "invalid payload"}
    assert await rows_written() == (0, 0, 0)


async def test_an_oversized_body_is_refused_before_it_is_read(http):
    body = b" " * (1024 * 1024 + 1)
    response = await http.post(
        "/webhooks/tracking/standard", content=body, headers=standard_headers(body)
    )
    assert response.status_code == 413


async def test_an_oversized_chunked_body_is_refused(http):
    async def chunks() -> Any:
        for _ in range(17):
            yield b" " * 65536

    response = await http.post(
        "/webhooks/tracking/standard", content=chunks(), headers={"webhook-id": "x"}
    )
    assert response.status_code == 413
    assert await rows_written() == (0, 0, 0)


async def test_an_endpoint_without_its_secret_answers_503(http, settings, monkeypatch):
    monkeypatch.setattr(settings, "tracking_webhook_secret", None)
    body = b"{}"
    response = await http.post(
        "/webhooks/tracking/standard", content=body, headers=standard_headers(body)
    )
    assert response.status_code == 503
    monkeypatch.setattr(settings, "aftership_webhook_secret", None)
    response = await http.post("/webhooks/tracking/aftership", content=body)
    assert response.status_code == 503


# The URL-token endpoint, for senders that cannot sign.


async def test_the_token_endpoint_takes_the_generic_format(http):
    order, shipment, code = await _parcel()
    body = _body(code, shipment.tracking_number)
    response = await http.post(f"/webhooks/tracking/standard/{TOKEN}", content=body)
    assert response.status_code == 202
    replayed = await http.post(f"/webhooks/tracking/standard/{TOKEN}", content=body)
    assert replayed.json() == {"received": True, "duplicate": True}
    await run_jobs()
    assert await TrackingEvent.filter(shipment_id=shipment.id, source_name="standard").count() == 4
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED


@pytest.mark.parametrize("token", ["wrong", TOKEN[:-1], TOKEN + "x", "é" * 40])
async def test_a_wrong_token_is_not_found(http, token):
    _, shipment, code = await _parcel()
    response = await http.post(
        f"/webhooks/tracking/standard/{token}", content=_body(code, shipment.tracking_number)
    )
    assert response.status_code == 404
    assert await rows_written() == (0, 0, 0)


async def test_the_token_endpoint_is_off_without_a_token(http, settings, monkeypatch):
    monkeypatch.setattr(settings, "tracking_webhook_token", None)
    response = await http.post("/webhooks/tracking/standard/anything", content=b"{}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "body", [b'{"a": "\xff"}', '{"type": "tracking.updated"}'.encode("utf-16")]
)
async def test_the_token_endpoint_refuses_bytes_not_in_utf8(http, body):
    response = await http.post(f"/webhooks/tracking/standard/{TOKEN}", content=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid JSON"
    assert await rows_written() == (0, 0, 0)


async def test_remembered_deliveries_are_pruned_after_the_window(http, settings, monkeypatch):
    await TrackingDelivery.create(source="standard", delivery_id="old")
    assert await replay.prune() == 0
    monkeypatch.setattr(settings, "tracking_replay_seconds", 0.001)
    await asyncio.sleep(0.01)
    assert await replay.prune() == 1
    assert STANDARD_SECRET.startswith("whsec_")


async def test_nul_characters_are_dropped_before_anything_is_stored(http):
    _, shipment, code = await _parcel()
    payload = generic(
        code,
        shipment.tracking_number,
        event("in_transit", "2026-11-03T11:30:00+08:00", message="Left\u0000 Shanghai"),
    )
    payload["data"]["events"][0]["extra\u0000"] = "\u0000"
    assert (await post_standard(http, payload)).status_code == 202
    await run_jobs()
    [row] = await TrackingEvent.filter(shipment_id=shipment.id)
    assert row.message == "Left Shanghai"
    assert row.payload["extra"] == ""


async def test_while_redis_is_away_replays_are_refused_through_the_database(http):
    _, shipment, code = await _parcel()
    away = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    replay.configure(away)
    try:
        payload = generic(code, shipment.tracking_number, *JOURNEY)
        first = await post_standard(http, payload, delivery_id="msg_outage")
        again = await post_standard(http, payload, delivery_id="msg_outage")
    finally:
        replay.configure(None)
        await away.aclose()
    assert (first.status_code, again.status_code) == (202, 200)
    assert await rows_written() == (0, 1, 1)


async def test_a_delivery_that_could_not_be_queued_is_taken_when_sent_again(http, monkeypatch):
    _, shipment, code = await _parcel()
    payload = generic(code, shipment.tracking_number, *JOURNEY)

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(ingest.jobs, "enqueue", broken)
        failed = await post_standard(http, payload, delivery_id="msg_retry")
    assert failed.status_code == 503
    assert await rows_written() == (0, 0, 0)
    retried = await post_standard(http, payload, delivery_id="msg_retry")
    assert retried.status_code == 202
    assert await rows_written() == (0, 1, 1)


async def test_with_redis_a_delivery_not_queued_is_forgotten(http, redis_replay, monkeypatch):
    _, shipment, code = await _parcel()
    payload = generic(code, shipment.tracking_number, *JOURNEY)

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(ingest.jobs, "enqueue", broken)
        failed = await post_standard(http, payload, delivery_id="msg_redis_retry")
    assert failed.status_code == 503
    assert await redis_replay.exists(f"{replay.PREFIX}standard:msg_redis_retry") == 0
    retried = await post_standard(http, payload, delivery_id="msg_redis_retry")
    assert retried.status_code == 202
