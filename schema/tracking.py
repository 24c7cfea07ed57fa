"""Tracking types: a parcel's status in one vocabulary for every carrier, and its timeline.

Shoppers see where their parcel went; staff also see who reported each event and the
carrier's payload as it came.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from models.orders import Shipment
from models.tracking import (
    DeliveryEstimate,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    TrackingSubStatus,
)
from schema.context import Info
from schema.errors import UserError
from schema.geo import CountryCode, country_code
from schema.relay import SortDirection, encode_id
from services.auth import StaffPermission
from services.tracking.errors import TrackingErrorCode

TrackingStatusEnum = strawberry.enum(
    TrackingStatus,
    name="TrackingStatus",
    description="Where a parcel is, in one vocabulary for every carrier (mapping in the README).",
)
TrackingSubStatusEnum = strawberry.enum(
    TrackingSubStatus,
    name="TrackingSubStatus",
    description="What a carrier said beyond the status: IN_CUSTOMS, ATTEMPT_FAILED, EXCEPTION "
    "and DELIVERED have sub-statuses, named after them.",
)
TrackingSourceEnum = strawberry.enum(
    TrackingSource, name="TrackingSource", description="Who told the shop about an event."
)


def sub_status(value: str) -> TrackingSubStatus | None:
    """A stored sub-status as the API's enum; None for none (or one no longer known)."""
    try:
        return TrackingSubStatus(value) if value else None
    except ValueError:
        return None


def country_or_none(code: str) -> CountryCode | None:
    """The country of a stored code; None for none (or two letters that are no country)."""
    try:
        return country_code(code)
    except ValueError:  # two letters, but no country's
        return None


@strawberry.type(name="TrackingLocation", description="Where a tracking event happened.")
class TrackingLocationType:
    city: str | None
    region: str | None
    postcode: str | None
    country: CountryCode | None


@strawberry.type(
    name="TrackingEvent",
    description="One thing that happened to a parcel, as reported. A timeline is ordered by "
    "`occurredAt`, never by when the report arrived.",
)
class TrackingEventType:
    id: strawberry.ID
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    utc_offset_minutes: int | None = strawberry.field(
        description="The carrier's local UTC offset at the place of the event, in minutes, when "
        "it gave one: add it to `occurredAt` for the local time of the scan."
    )
    received_at: datetime = strawberry.field(description="When the shop learned of it.")
    status: TrackingStatusEnum  # type: ignore[valid-type]
    sub_status: TrackingSubStatusEnum | None  # type: ignore[valid-type]
    message: str
    location: TrackingLocationType | None
    source: TrackingSourceEnum  # type: ignore[valid-type]
    source_name: str | None = strawberry.field(
        description="The integration that reported it (`aftership`, `standard`, `simulated`, a "
        "carrier's poller); staff only."
    )
    actor_id: strawberry.ID | None = strawberry.field(
        description="The staff member who entered it by hand; staff only."
    )
    payload: JSON | None = strawberry.field(
        description="The carrier's event as received; staff only."
    )

    @classmethod
    def build(cls, event: TrackingEvent, *, staff: bool) -> TrackingEventType:
        where = (event.city, event.region, event.postcode, event.country)
        return cls(
            id=encode_id("TrackingEvent", event.id),
            occurred_at=event.occurred_at,
            utc_offset_minutes=event.utc_offset_minutes,
            received_at=event.received_at,
            status=TrackingStatus(event.status),
            sub_status=sub_status(event.sub_status),
            message=event.message,
            location=TrackingLocationType(
                city=event.city or None,
                region=event.region or None,
                postcode=event.postcode or None,
                country=country_or_none(event.country),
            )
            if any(where)
            else None,
            source=TrackingSource(event.source),
            source_name=(event.source_name or None) if staff else None,
            actor_id=encode_id("User", event.actor_user_id)
            if staff and event.actor_user_id
            else None,
            payload=cast(Any, event.payload) if staff else None,
        )


@strawberry.type(
    name="DeliveryEstimate", description="One revision of a parcel's estimated delivery date."
)
class DeliveryEstimateType:
    estimated_date: date
    source: TrackingSourceEnum  # type: ignore[valid-type]
    recorded_at: datetime

    @classmethod
    def build(cls, estimate: DeliveryEstimate) -> DeliveryEstimateType:
        return cls(
            estimated_date=estimate.estimated_date,
            source=TrackingSource(estimate.source),
            recorded_at=estimate.recorded_at,
        )


@strawberry.interface(
    name="Tracked", description="A parcel followed through its carrier's tracking events."
)
class TrackedType:
    _shipment_id: strawberry.Private[int]
    tracking_status: TrackingStatusEnum = strawberry.field(  # type: ignore[valid-type]
        description="Where the parcel is, as its events add up (PENDING before the first)."
    )
    tracking_sub_status: TrackingSubStatusEnum | None  # type: ignore[valid-type]
    status_since: datetime | None = strawberry.field(
        description="When the parcel took its current tracking status."
    )
    last_event_at: datetime | None = strawberry.field(
        description="When the latest tracking event happened."
    )
    estimated_delivery: date | None = strawberry.field(
        description="The delivery date the carrier expects now (revisions in `deliveryEstimates`)."
    )

    @strawberry.field(description="What happened to the parcel, in the order it happened.")
    async def tracking_events(self, info: Info) -> list[TrackingEventType]:
        staff = info.context.viewer.can(StaffPermission.ORDERS)
        rows = await info.context.loaders.tracking_events_by_shipment.load(self._shipment_id)
        return [TrackingEventType.build(row, staff=staff) for row in rows]

    @strawberry.field(description="Every estimated delivery date given, oldest first.")
    async def delivery_estimates(self, info: Info) -> list[DeliveryEstimateType]:
        rows = await info.context.loaders.delivery_estimates_by_shipment.load(self._shipment_id)
        return [DeliveryEstimateType.build(row) for row in rows]


def tracked_fields(shipment: Shipment) -> dict[str, Any]:
    """The `Tracked` fields of a shipment, for the types that implement it."""
    return {
        "_shipment_id": shipment.id,
        "tracking_status": TrackingStatus(shipment.tracking_status),
        "tracking_sub_status": sub_status(shipment.tracking_sub_status),
        "status_since": shipment.status_since,
        "last_event_at": shipment.last_event_at,
        "estimated_delivery": shipment.estimated_delivery,
    }


TrackingErrorCodeEnum = strawberry.enum(TrackingErrorCode, name="TrackingErrorCode")


@strawberry.type(name="TrackingError")
class TrackingErrorType(UserError):
    code: TrackingErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input(description="An event staff learned of, such as a phone call from the carrier.")
class AddTrackingEventInput:
    shipment_id: strawberry.ID
    status: TrackingStatusEnum  # type: ignore[valid-type]
    occurred_at: datetime = strawberry.field(
        description="When it happened, with its UTC offset; not in the future."
    )
    sub_status: TrackingSubStatusEnum | None = None  # type: ignore[valid-type]
    message: str = ""
    city: str = ""
    country: str = strawberry.field(default="", description="ISO 3166-1 alpha-2.")


@strawberry.input(description="Take a parcel out of the exceptions queue.")
class MarkShipmentHandledInput:
    shipment_id: strawberry.ID
    note: str = strawberry.field(
        default="", description="What was done, kept as an internal note on the order."
    )


@strawberry.input(description="A message from staff to the shopper about one of their parcels.")
class ContactShopperAboutShipmentInput:
    shipment_id: strawberry.ID
    message: str = strawberry.field(
        description="What to tell the shopper, as written (1 to 5000 characters); the email "
        "around it is in the shopper's language, with the parcel's tracking."
    )
    subject: str | None = strawberry.field(
        default=None,
        description="The email's subject (up to 200 characters; the order's number is added); "
        "a subject in the shopper's language when none is given.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Up to 64 characters; repeating a key for the same order sends nothing "
        "more and answers with the parcel as the first request did.",
    )


@strawberry.enum(name="TrackingExceptionSortField")
class TrackingExceptionSortField(Enum):
    STATUS_SINCE = "status_since"


@strawberry.input(description="The exceptions queue's filters; every given filter must match.")
class TrackingExceptionFilter:
    statuses: list[TrackingStatusEnum] | None = None  # type: ignore[valid-type]
    carrier_ids: list[strawberry.ID] | None = None
    countries: list[CountryCode] | None = strawberry.field(
        default=None, description="The shipping address's country."
    )
    older_than_days: int | None = strawberry.field(
        default=None, description="In trouble for at least this many days (0 to 3650)."
    )
    since: datetime | None = strawberry.field(
        default=None, description="In trouble since this instant or later."
    )
    include_handled: bool = strawberry.field(
        default=False, description="Also the parcels staff marked handled, while in trouble."
    )


@strawberry.input
class TrackingExceptionSortInput:
    field: TrackingExceptionSortField = TrackingExceptionSortField.STATUS_SINCE
    direction: SortDirection = strawberry.field(
        default=SortDirection.DESC, description="DESC: the newest trouble first."
    )


@strawberry.type(name="TrackingStatusCount", description="Parcels in the queue with one status.")
class TrackingStatusCountType:
    status: TrackingStatusEnum  # type: ignore[valid-type]
    count: int


@strawberry.input(description="Send a lost or damaged parcel's lines again in a new parcel.")
class ReshipShipmentInput:
    shipment_id: strawberry.ID = strawberry.field(description="The parcel in trouble.")
    carrier_id: strawberry.ID
    tracking_number: str = strawberry.field(
        description="Checked as `shipOrder` checks it (see `trackingNumberInfo`)."
    )
    service_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the carrier's active services."
    )
    service_name: str = strawberry.field(
        default="", description="The service as free text, when it is none of the carrier's."
    )
    accept_invalid_tracking_number: bool = strawberry.field(
        default=False,
        description="Send with a tracking number refused as TRACKING_NUMBER_INVALID or "
        "TRACKING_NUMBER_CARRIER_MISMATCH all the same; the internal note records it.",
    )
    note: str = strawberry.field(
        default="", description="Why it is sent again, kept as an internal note on the order."
    )
