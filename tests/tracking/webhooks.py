"""Signed tracking deliveries sent over HTTP, as carriers and aggregators send them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from jobs import relay
from jobs import tracking as tracking_tasks  # noqa: F401  (registers the tracking tasks)
from models.jobs import Job
from models.tracking import TrackingDelivery, TrackingEvent
from services.tracking import ingest, signing

STANDARD_SECRET = "whsec_" + base64.b64encode(b"standard-webhook-test-secret-32b").decode()
AFTERSHIP_SECRET = "aftership-test-secret"
TOKEN = "t" * 40
FIXTURES = Path(__file__).parent / "fixtures"


def generic(carrier: str, number: str, *events: dict[str, Any]) -> dict[str, Any]:
    """A delivery in the shop's generic format."""
    return {
        "type": "tracking.updated",
        "timestamp": "2026-11-02T10:00:00Z",
        "data": {"carrier": carrier, "tracking_number": number, "events": deepcopy(list(events))},
    }


def event(status: str, occurred_at: str, **more: Any) -> dict[str, Any]:
    return {"status": status, "occurred_at": occurred_at, **more}


def standard_headers(
    body: bytes,
    *,
    delivery_id: str = "msg_1",
    secret: str = STANDARD_SECRET,
    at: datetime | None = None,
) -> dict[str, str]:
    headers = signing.sign_standard(secret, delivery_id, at or datetime.now(UTC), body)
    return {**headers, "content-type": "application/json"}


async def post_standard(
    http: httpx.AsyncClient, payload: Any, *, delivery_id: str = "msg_1", **signed: Any
) -> httpx.Response:
    body = json.dumps(payload).encode()
    return await http.post(
        "/webhooks/tracking/standard",
        content=body,
        headers=standard_headers(body, delivery_id=delivery_id, **signed),
    )


def aftership_signature(body: bytes, secret: str = AFTERSHIP_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def aftership_fixture(name: str, *, slug: str, number: str) -> bytes:
    text = (FIXTURES / f"{name}.json").read_text()
    return text.replace("{slug}", slug).replace("{number}", number).encode()


async def post_aftership(
    http: httpx.AsyncClient, body: bytes, *, secret: str = AFTERSHIP_SECRET
) -> httpx.Response:
    return await http.post(
        "/webhooks/tracking/aftership",
        content=body,
        headers={
            "aftership-hmac-sha256": aftership_signature(body, secret),
            "content-type": "application/json",
        },
    )


async def rows_written() -> tuple[int, int, int]:
    """(tracking events, delivery jobs, remembered deliveries)."""
    return (
        await TrackingEvent.all().count(),
        await Job.filter(task=ingest.TASK).count(),
        await TrackingDelivery.all().count(),
    )


async def run_jobs(limit: int = 50) -> int:
    """Run due jobs until none is left (at most `limit` rounds); how many ran."""
    ran = 0
    for _ in range(limit):
        done = await relay.run_due()
        if not done:
            return ran
        ran += done
    raise AssertionError("jobs kept coming")


def minutes_ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)
