"""What an email about a parcel says of it: carrier, tracking number and link, the carrier's
latest word, the expected delivery date, and for a staff message the message itself.

The emails' keys say which parcel (and which status episode or staff note) they are about
(`services.emails.events`); this module reads what to tell from them, formatted for the
shopper's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from babel.dates import format_datetime

from models.emails import EmailKind
from models.orders import Order, OrderEvent, Shipment
from models.tracking import TrackingEvent, TrackingStatus
from services.emails.events import (
    TRACKING_STATUS_OF,
    parse_tracking_ref,
    tracking_email_kind,
    tracking_ref,
)
from services.emails.rendering import PARCEL_KINDS, country_name, format_day


@dataclass(frozen=True, slots=True)
class ParcelDetails:
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    #: The sub-status the parcel had when the email was enqueued ("" for none).
    sub_status: str = ""
    #: The carrier's latest word: its message, where and when (local time of the scan).
    event_message: str = ""
    event_place: str = ""
    event_time: str = ""
    estimated_delivery: str = ""
    #: A staff member's message: their subject ("" for none) and text, as written.
    notice_subject: str = ""
    notice_message: str = ""


def _local_time(event: TrackingEvent, language: str) -> str:
    offset = event.utc_offset_minutes
    zone = timezone(timedelta(minutes=offset)) if offset is not None else UTC
    return format_datetime(
        event.occurred_at.astimezone(zone), format="medium", tzinfo=zone, locale=language
    )


def _place(event: TrackingEvent, language: str) -> str:
    country = country_name(event.country, language) if event.country else ""
    parts = (event.city, event.region, country)
    return ", ".join(part for part in parts if part)


async def _latest_event(
    shipment: Shipment, kind: EmailKind, since: datetime | None
) -> TrackingEvent | None:
    """The event the email tells about: the latest of its status in its episode, else the
    parcel's latest (a job that runs late still tells what brought the email)."""
    events = TrackingEvent.filter(shipment_id=shipment.id).order_by("-occurred_at", "-id")
    status = TRACKING_STATUS_OF.get(kind)
    if status is not None:
        own = events.filter(status=status)
        if since is not None:
            own = own.filter(occurred_at__gte=since)
        found = await own.first()
        if found is not None:
            return found
    return await events.first()


async def outdated(order: Order, kind: EmailKind, key: str) -> bool:
    """Whether a tracking email's news is stale by the time its job runs: the parcel has
    left the state it tells about (an "out for delivery" email held up in the queue must
    not arrive after the parcel was delivered)."""
    if kind not in TRACKING_STATUS_OF:
        return False
    shipment_id, _ = parse_tracking_ref(key)
    shipment = await Shipment.get_or_none(id=shipment_id, order_id=order.id).only(
        "id", "tracking_status", "tracking_sub_status", "status_since", "last_event_at"
    )
    if shipment is None:
        return True
    status = TrackingStatus(shipment.tracking_status)
    if tracking_email_kind(status, shipment.tracking_sub_status) is not kind:
        return True
    since = shipment.status_since or shipment.last_event_at
    return since is None or tracking_ref(shipment.id, since) != key


async def _notice(order: Order, key: str) -> tuple[int, dict[str, Any]]:
    note = await OrderEvent.get(id=int(key), order_id=order.id)
    contact = note.data.get("contact")
    return int(str(note.data["shipmentId"])), dict(contact) if isinstance(contact, dict) else {}


async def parcel_details(order: Order, kind: EmailKind, key: str, language: str) -> ParcelDetails:
    """What an email of `kind` keyed `key` says about its parcel (nothing for order emails)."""
    if kind not in PARCEL_KINDS:
        return ParcelDetails()
    since = None
    contact: dict[str, Any] = {}
    if kind is EmailKind.SHIPMENT_NOTICE:
        shipment_id, contact = await _notice(order, key)
    else:
        shipment_id, since = parse_tracking_ref(key)
    shipment = await Shipment.get(id=shipment_id, order_id=order.id)
    event = None if kind is EmailKind.SHIPPED else await _latest_event(shipment, kind, since)
    estimate = shipment.estimated_delivery
    return ParcelDetails(
        carrier=shipment.carrier_name,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url,
        sub_status=event.sub_status if event is not None else "",
        event_message=event.message if event is not None else "",
        event_place=_place(event, language) if event is not None else "",
        event_time=_local_time(event, language) if event is not None else "",
        estimated_delivery=format_day(estimate, language) if estimate is not None else "",
        notice_subject=str(contact.get("subject") or ""),
        notice_message=str(contact.get("message") or ""),
    )
