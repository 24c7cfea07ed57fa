"""Tracking webhook deliveries, from an endpoint's verified body to the parcel's timeline.

An endpoint calls `check` (the body must read as its source's format: a `TrackingError`
otherwise) and then `accept`, which refuses a replay and writes a `tracking.deliver` job;
the job (`deliver`) finds the parcel by carrier code and tracking number and records its
events. So a sender is answered at once, and a delivery is worked on once, with the job
engine's retries when the database is busy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from models.orders import Shipment
from models.tracking import TrackingSource
from services import jobs
from services.tracking import events, replay
from services.tracking.errors import TrackingError
from services.tracking.sources import Delivery, aftership, standard
from services.transactions import atomic

log = logging.getLogger("tradewind.tracking")

#: The job that records a delivery.
TASK = "tracking.deliver"

AFTERSHIP = "aftership"
STANDARD = "standard"
SIMULATED = "simulated"

#: Each source's format.
PARSERS: dict[str, Callable[[object], Delivery]] = {
    AFTERSHIP: aftership.parse,
    STANDARD: standard.parse,
    SIMULATED: standard.parse,
}


def scrub(value: Any) -> Any:
    """A JSON value without NUL characters, which PostgreSQL refuses in text and JSON."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [scrub(item) for item in value]
    if isinstance(value, dict):
        return {scrub(key): scrub(item) for key, item in value.items()}
    return value


def check(source: str, payload: object) -> Delivery:
    """The delivery `payload` says in `source`'s format; TrackingError when it is malformed."""
    return PARSERS[source](payload)


def event_id(source: str, payload: object) -> str:
    """The delivery's own id where the format carries one in the body (AfterShip's
    `event_id`), else ""."""
    return aftership.event_id(payload) if source == AFTERSHIP else ""


async def accept(source: str, delivery_id: str, payload: object) -> bool:
    """Hand a checked delivery to the job queue once; False for a replay (nothing done)."""
    remembered = False
    try:
        async with atomic():
            if not await replay.first_time(source, delivery_id):
                return False
            remembered = True
            await jobs.enqueue(
                TASK,
                key=f"{source}:{replay.stored_id(delivery_id)}",
                source=source,
                payload=payload,
            )
    except BaseException:
        # Not handed on: the sender's retry must not be taken for a replay.
        if remembered:
            await replay.forget(source, delivery_id)
        raise
    return True


async def find_shipment(carrier: str, tracking_number: str) -> int | None:
    """The parcel a carrier's number names: the newest shipment with that carrier and number
    (a number may be used again, years later, for another parcel)."""
    found = (
        await Shipment.filter(carrier__code=carrier, tracking_number=tracking_number)
        .order_by("-shipped_at", "-id")
        .first()
    )
    return found.id if found is not None else None


async def deliver(source: str, payload: object) -> int:
    """Record a delivery's events on its parcel; how many were new.

    A delivery for a parcel the shop does not know is logged and dropped: asking again
    would not make it known."""
    try:
        delivery = check(source, payload)
    except TrackingError as exc:
        log.warning("tracking.delivery_unreadable source=%s reason=%s", source, exc)
        return 0
    if delivery.skipped:
        log.warning(
            "tracking.events_skipped source=%s number=%s count=%d (unknown status codes)",
            source,
            delivery.tracking_number,
            delivery.skipped,
        )
    if not delivery.reports:
        return 0
    shipment_id = await find_shipment(delivery.carrier, delivery.tracking_number)
    if shipment_id is None:
        log.warning(
            "tracking.unknown_parcel source=%s carrier=%s number=%s",
            source,
            delivery.carrier,
            delivery.tracking_number,
        )
        return 0
    kind = TrackingSource.SIMULATED if source == SIMULATED else TrackingSource.WEBHOOK
    try:
        recorded = await events.record(
            shipment_id, delivery.reports, source=kind, source_name=source
        )
    except TrackingError:
        log.warning("tracking.parcel_gone source=%s shipment=%s", source, shipment_id)
        return 0
    log.info(
        "tracking.delivered source=%s shipment=%s added=%d changed=%s",
        source,
        shipment_id,
        recorded.added,
        recorded.changed,
    )
    return recorded.added
