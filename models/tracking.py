"""Tracking tables: a parcel's journey as the carrier tells it, and what the shop knows of it.

Every event a carrier, an aggregator, staff or the demo's simulated carrier reports is a row,
stored once however often it is delivered. The shipment keeps the status its events add up to
(`services.tracking.progress`), and the estimated delivery date keeps its revisions.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.orders import Shipment


class TrackingStatus(StrEnum):
    """Where a parcel is, in one vocabulary for every carrier and aggregator."""

    PENDING = "pending"  # shipped in the shop, nothing heard from the carrier yet
    INFO_RECEIVED = "info_received"  # the label exists, the carrier has not the parcel
    IN_TRANSIT = "in_transit"
    IN_CUSTOMS = "in_customs"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    ATTEMPT_FAILED = "attempt_failed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNING = "returning"  # on its way back to the sender
    RETURNED = "returned"
    EXPIRED = "expired"  # nothing heard for longer than the carrier's tracking window
    CANCELLED = "cancelled"  # the label was voided


class TrackingSubStatus(StrEnum):
    """What carriers say beyond the status; each belongs to one status (`SUB_STATUS_OF`)."""

    # In customs.
    CUSTOMS_PROCESSING = "customs_processing"
    CUSTOMS_DUTIES_DUE = "customs_duties_due"
    CUSTOMS_RELEASED = "customs_released"
    CUSTOMS_DOCUMENTS_MISSING = "customs_documents_missing"
    CUSTOMS_HELD = "customs_held"
    # A delivery attempt that failed.
    ATTEMPT_RECIPIENT_ABSENT = "attempt_recipient_absent"
    ATTEMPT_BUSINESS_CLOSED = "attempt_business_closed"
    ATTEMPT_NO_ACCESS = "attempt_no_access"
    # Exceptions.
    EXCEPTION_ADDRESS = "exception_address"
    EXCEPTION_DAMAGED = "exception_damaged"
    EXCEPTION_LOST = "exception_lost"
    EXCEPTION_REFUSED = "exception_refused"
    EXCEPTION_DELAYED = "exception_delayed"
    EXCEPTION_UNDELIVERABLE = "exception_undeliverable"
    EXCEPTION_OTHER = "exception_other"
    # Delivered.
    DELIVERED_SIGNED = "delivered_signed"
    DELIVERED_PICKED_UP = "delivered_picked_up"
    DELIVERED_LEFT_SAFE = "delivered_left_safe"


#: The status each sub-status refines.
_PREFIXES = {
    "customs_": TrackingStatus.IN_CUSTOMS,
    "attempt_": TrackingStatus.ATTEMPT_FAILED,
    "exception_": TrackingStatus.EXCEPTION,
    "delivered_": TrackingStatus.DELIVERED,
}
SUB_STATUS_OF: dict[TrackingSubStatus, TrackingStatus] = {
    sub: status
    for sub in TrackingSubStatus
    for prefix, status in _PREFIXES.items()
    if sub.value.startswith(prefix)
}


class TrackingSource(StrEnum):
    """Who told the shop about an event."""

    WEBHOOK = "webhook"  # a carrier's or aggregator's notification
    POLL = "poll"  # the scheduler asked a carrier
    STAFF = "staff"  # entered by hand (a phone call from the carrier)
    SIMULATED = "simulated"  # the demo's simulated carrier
    SYSTEM = "system"  # the shop itself (a shipment whose tracking expired)


class TrackingEvent(Model):
    """One thing that happened to a parcel, as reported.

    The timeline reads them by `occurred_at`, never by arrival. (No semicolon in the first
    line: SQLite migrations split their statements on it, comments included.)"""

    id = fields.BigIntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "models.Shipment", related_name="tracking_events", on_delete=OnDelete.CASCADE
    )
    shipment_id: int
    #: What makes a delivery of this event the same event: the source's event id when it
    #: has one, else a digest of what it says (`services.tracking.events.fingerprint`).
    fingerprint = fields.CharField(max_length=64)
    #: When it happened, in UTC, and the UTC offset of the carrier's local time in minutes
    #: (null when the carrier gave none), so the shopper sees the local time of the scan.
    occurred_at = fields.DatetimeField()
    utc_offset_minutes = fields.SmallIntField(null=True)
    #: When the shop learned of it.
    received_at = fields.DatetimeField(auto_now_add=True)
    status = fields.CharEnumField(TrackingStatus, max_length=24)
    sub_status = fields.CharField(max_length=32, default="")
    message = fields.CharField(max_length=500, default="")
    city = fields.CharField(max_length=120, default="")
    region = fields.CharField(max_length=120, default="")
    postcode = fields.CharField(max_length=20, default="")
    #: ISO 3166-1 alpha-2, "" when the carrier gave no country.
    country = fields.CharField(max_length=2, default="")
    source = fields.CharEnumField(TrackingSource, max_length=16)
    #: The integration that reported it (`aftership`, `standard`, `simulated`, a poller's
    #: carrier code), "" for staff.
    source_name = fields.CharField(max_length=32, default="")
    #: The staff member who entered it by hand.
    actor_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tracking_events", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_user_id: int | None
    #: The carrier's event as received, for support and for remapping later.
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "tracking_event"
        unique_together = (("shipment", "fingerprint"),)
        ordering = ["occurred_at", "id"]


class DeliveryEstimate(Model):
    """One revision of a parcel's estimated delivery date (the latest is the shipment's)."""

    id = fields.IntField(primary_key=True)
    shipment: fields.ForeignKeyRelation[Shipment] = fields.ForeignKeyField(
        "models.Shipment", related_name="delivery_estimates", on_delete=OnDelete.CASCADE
    )
    shipment_id: int
    estimated_date = fields.DateField()
    source = fields.CharEnumField(TrackingSource, max_length=16)
    source_name = fields.CharField(max_length=32, default="")
    recorded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tracking_delivery_estimate"
        ordering = ["recorded_at", "id"]


class TrackingDelivery(Model):
    """A webhook delivery id already accepted, so a replay is refused: the replay store
    when the shop runs without Redis. Rows older than the replay window are pruned."""

    id = fields.BigIntField(primary_key=True)
    source = fields.CharField(max_length=32)
    delivery_id = fields.CharField(max_length=128)
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "tracking_delivery"
        unique_together = (("source", "delivery_id"),)
