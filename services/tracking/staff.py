"""What staff do with a parcel's tracking: add an event by hand (a phone call from the
carrier), and mark a parcel's trouble handled so it leaves the exceptions queue.

A hand-made event goes through `events.record` like any carrier's, recorded with who
entered it; it is checked strictly, since it comes from a form rather than a carrier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import timezone

from models.orders import OrderEventKind, Shipment
from models.tracking import SUB_STATUS_OF, TrackingSource, TrackingStatus, TrackingSubStatus
from services.errors import Problems
from services.orders import timeline
from services.orders.status import order_for_change
from services.orders.timeline import Actor
from services.tracking import events, progress
from services.tracking.errors import TrackingError, TrackingErrorCode, fail, not_found
from services.transactions import atomic

#: Statuses only the shop itself sets (before any event, and after a long silence).
NOT_BY_HAND = frozenset({TrackingStatus.PENDING, TrackingStatus.EXPIRED})
#: How far ahead of the server's clock a reported time may be (clocks differ a little).
CLOCK_SKEW = timedelta(minutes=5)
MAX_NOTE = 500


@dataclass(frozen=True, slots=True)
class StaffEvent:
    status: TrackingStatus
    occurred_at: datetime
    sub_status: TrackingSubStatus | None = None
    message: str = ""
    city: str = ""
    country: str = ""


def clean_text(checks: Problems[TrackingErrorCode], value: str, field: str, limit: int) -> str:
    """`value` on one line; INVALID noted at `field` for a NUL or more than `limit` characters."""
    text = " ".join(value.split())
    if "\x00" in value:
        checks.add(TrackingErrorCode.INVALID, "The text contains a NUL character.", field)
    elif len(text) > limit:
        checks.add(TrackingErrorCode.INVALID, f"At most {limit} characters.", field)
    return text


async def add_event(shipment_id: int, given: StaffEvent, *, actor_id: int) -> events.Recorded:
    """Record an event staff learned of; typed errors and nothing stored for a bad one."""
    # Parcels sent to the shopper; a return parcel's arrival is `receiveReturn`.
    shipment = await Shipment.get_or_none(id=shipment_id, return_request_id=None)
    if shipment is None:
        raise not_found("The shipment", "shipment_id")
    checks = Problems(TrackingError)
    if given.status in NOT_BY_HAND:
        checks.add(
            TrackingErrorCode.INVALID_STATUS,
            "Pending and expired are set by the shop itself, not by hand.",
            "status",
        )
    if given.sub_status is not None and SUB_STATUS_OF.get(given.sub_status) is not given.status:
        checks.add(
            TrackingErrorCode.INVALID_SUB_STATUS,
            f"{given.sub_status.value} does not describe {given.status.value}.",
            "sub_status",
        )
    at = given.occurred_at
    if at.tzinfo is None:
        checks.add(TrackingErrorCode.INVALID_TIME, "Give the time with its offset.", "occurred_at")
    elif at > timezone.now() + CLOCK_SKEW:
        checks.add(TrackingErrorCode.INVALID_TIME, "It cannot be in the future.", "occurred_at")
    elif at < shipment.shipped_at - timedelta(days=1):
        checks.add(
            TrackingErrorCode.INVALID_TIME,
            "The event cannot be before the parcel was shipped.",
            "occurred_at",
        )
    message = clean_text(checks, given.message, "message", events.MAX_MESSAGE)
    city = clean_text(checks, given.city, "city", events.MAX_PLACE)
    country = given.country.strip().upper()
    if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
        checks.add(
            TrackingErrorCode.INVALID_COUNTRY, "A country is two letters (ISO 3166-1).", "country"
        )
    checks.raise_if_any()
    report = events.Report(
        status=given.status,
        occurred_at=at,
        sub_status=given.sub_status,
        message=message,
        city=city,
        country=country,
    )
    return await events.record(
        shipment.id, [report], source=TrackingSource.STAFF, actor_id=actor_id
    )


async def mark_handled(shipment_id: int, *, actor: Actor, note: str = "") -> Shipment:
    """Take a parcel out of the exceptions queue until its status changes again; the note
    (if any) goes to the order's timeline as an internal note, and the merchant's tracking
    channel hears that the parcel no longer waits. NOT_A_PROBLEM when the parcel is not
    waiting there."""
    head = await Shipment.get_or_none(id=shipment_id, return_request_id=None).only("id", "order_id")
    if head is None:
        raise not_found("The shipment", "shipment_id")
    checks = Problems(TrackingError)
    text = clean_text(checks, note, "note", MAX_NOTE)
    checks.raise_if_any()
    async with atomic():
        order = await order_for_change(head.order_id)
        shipment = await Shipment.select_for_update().get(id=shipment_id)
        status = TrackingStatus(shipment.tracking_status)
        if shipment.handled_at is not None or not progress.needs_attention(
            status, shipment.tracking_sub_status
        ):
            raise fail(
                TrackingErrorCode.NOT_A_PROBLEM,
                "This parcel is not waiting for anyone.",
                "shipment_id",
            )
        shipment.handled_at = timezone.now()
        await Shipment.filter(id=shipment.id).update(handled_at=shipment.handled_at)
        await timeline.record(
            shipment.order_id,
            OrderEventKind.NOTE,
            actor,
            message=f"Parcel {shipment.tracking_number} ({status.value.replace('_', ' ')}) "
            f"handled" + (f": {text}" if text else "."),
            internal=True,
            data={"shipmentId": shipment.id},
        )
        await events.announce(order, shipment)
        return shipment
