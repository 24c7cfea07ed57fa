"""Staff writing to a shopper about a parcel: the message goes out by email, framed in the
shopper's language with the parcel's tracking, and stays on the order's timeline.

The timeline note is the record of what was said: an internal note naming the staff member,
with the subject and the whole message in its data. The email is the `shipment_notice` job
keyed by that note, enqueued in the same transaction, so a note without its email (or an
email without its note) cannot be.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.orders import OrderEvent, OrderEventKind, Shipment
from services.emails import events as order_emails
from services.errors import Problems
from services.orders import timeline
from services.orders.status import order_for_change
from services.orders.timeline import Actor
from services.tracking.errors import TrackingError, TrackingErrorCode, fail, not_found
from services.transactions import atomic

MAX_MESSAGE = 5000
MAX_SUBJECT = 200
MAX_IDEMPOTENCY_KEY = 64
#: Characters of the message the timeline's own line quotes (the whole is in its data).
QUOTED = 200


@dataclass(frozen=True, slots=True)
class Contacted:
    """What `contact_shopper` did."""

    shipment: Shipment
    #: The timeline note of the message (the first one, for a repeated idempotency key).
    note: OrderEvent
    #: False when the idempotency key had been used already and nothing was sent again.
    sent: bool


def _checked(
    message: str, subject: str, idempotency_key: str | None
) -> tuple[str, str, str | None]:
    """The message (trimmed, its lines kept), the subject on one line and the key; typed
    errors for all that is wrong at once."""
    checks = Problems(TrackingError)
    text = message.strip()
    if "\x00" in message:
        checks.add(TrackingErrorCode.INVALID, "The text contains a NUL character.", "message")
    elif not text:
        checks.add(TrackingErrorCode.REQUIRED, "Write the message.", "message")
    elif len(text) > MAX_MESSAGE:
        checks.add(TrackingErrorCode.INVALID, f"At most {MAX_MESSAGE} characters.", "message")
    title = " ".join(subject.split())
    if "\x00" in subject:
        checks.add(TrackingErrorCode.INVALID, "The text contains a NUL character.", "subject")
    elif len(title) > MAX_SUBJECT:
        checks.add(TrackingErrorCode.INVALID, f"At most {MAX_SUBJECT} characters.", "subject")
    key = (idempotency_key or "").strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        checks.add(
            TrackingErrorCode.INVALID,
            f"At most {MAX_IDEMPOTENCY_KEY} characters.",
            "idempotency_key",
        )
    checks.raise_if_any()
    return text, title, key or None


async def _earlier(order_id: int, shipment_id: int, key: str) -> OrderEvent | None:
    """The note an earlier request with this key wrote; INVALID when it was about another
    parcel. An order's timeline is short, so its notes are read rather than indexed."""
    notes = await OrderEvent.filter(order_id=order_id, kind=OrderEventKind.NOTE, internal=True)
    for note in notes:
        contact = note.data.get("contact")
        if isinstance(contact, dict) and contact.get("idempotencyKey") == key:
            if note.data.get("shipmentId") != shipment_id:
                raise fail(
                    TrackingErrorCode.INVALID,
                    "This idempotency key was used for another parcel.",
                    "idempotency_key",
                )
            return note
    return None


async def contact_shopper(
    shipment_id: int,
    *,
    actor: Actor,
    message: str,
    subject: str = "",
    idempotency_key: str | None = None,
) -> Contacted:
    """Email the shopper `message` about the parcel and note it on the order's timeline.

    Typed errors and nothing written for bad input or an unknown parcel. A repeat with the
    same `idempotency_key` for the order returns the first note and sends nothing more; the
    key is looked up under the order's lock, so two at once write one note.
    """
    text, title, key = _checked(message, subject, idempotency_key)
    head = await Shipment.get_or_none(id=shipment_id, return_request_id=None).only("id", "order_id")
    if head is None:
        raise not_found("The shipment", "shipment_id")
    async with atomic():
        order = await order_for_change(head.order_id)
        shipment = await Shipment.get(id=shipment_id)
        if key is not None:
            earlier = await _earlier(order.id, shipment.id, key)
            if earlier is not None:
                return Contacted(shipment=shipment, note=earlier, sent=False)
        quoted = text if len(text) <= QUOTED else text[: QUOTED - 1] + "…"
        about = f"{title}: " if title else ""
        note = await timeline.record(
            order.id,
            OrderEventKind.NOTE,
            actor,
            message=f"Shopper emailed about parcel {shipment.tracking_number}: {about}{quoted}",
            internal=True,
            data={
                "shipmentId": shipment.id,
                "contact": {
                    "to": order.email,
                    "subject": title,
                    "message": text,
                    "idempotencyKey": key,
                },
            },
        )
        await order_emails.shipment_notice(order.id, note.id)
        return Contacted(shipment=shipment, note=note, sent=True)
