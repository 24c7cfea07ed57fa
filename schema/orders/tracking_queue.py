"""The exceptions queue's types: a parcel waiting for staff, with its order's shopper, and the
payload of sending a parcel again."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import strawberry

from models.orders import Order, Shipment
from models.tracking import TrackingStatus
from schema.context import Info
from schema.geo import CountryCode
from schema.orders.types import OrderType, ShipmentType, shipment_of
from schema.relay import Connection, encode_id
from schema.tracking import (
    TrackingErrorType,
    TrackingStatusCountType,
    TrackingStatusEnum,
    TrackingSubStatusEnum,
    country_or_none,
    sub_status,
)


@strawberry.type(
    name="TrackingException",
    description="A parcel in the exceptions queue: its trouble, and whose order it is.",
)
class TrackingExceptionType:
    order_id: strawberry.ID
    order_number: str
    customer_name: str = strawberry.field(description="The name on the shipping address.")
    customer_email: str
    country: CountryCode | None = strawberry.field(
        description="Where the parcel goes: the shipping address's country."
    )
    carrier_name: str
    tracking_number: str
    status: TrackingStatusEnum  # type: ignore[valid-type]
    sub_status: TrackingSubStatusEnum | None  # type: ignore[valid-type]
    since: datetime | None = strawberry.field(
        description="When the parcel took its current status (its `statusSince`)."
    )
    handled_at: datetime | None
    _shipment: strawberry.Private[Shipment]
    _order: strawberry.Private[Order]

    @classmethod
    def build(cls, shipment: Shipment) -> TrackingExceptionType:
        """A row of the queue; `shipment.order` must be loaded."""
        order = shipment.order
        return cls(
            order_id=encode_id("Order", order.id),
            order_number=order.number,
            customer_name=str(order.shipping_address.get("full_name", "")),
            customer_email=order.email,
            country=country_or_none(order.ship_country),
            carrier_name=shipment.carrier_name,
            tracking_number=shipment.tracking_number,
            status=TrackingStatus(shipment.tracking_status),
            sub_status=sub_status(shipment.tracking_sub_status),
            since=shipment.status_since,
            handled_at=shipment.handled_at,
            _shipment=shipment,
            _order=order,
        )

    @strawberry.field(description="The parcel, with its lines and tracking.")
    async def shipment(self, info: Info) -> ShipmentType:
        return await shipment_of(info, self._order, self._shipment.id)

    @strawberry.field(description="What the latest tracking event said.")
    async def last_event_message(self, info: Info) -> str | None:
        rows = await info.context.loaders.tracking_events_by_shipment.load(self._shipment.id)
        return rows[-1].message or None if rows else None


@strawberry.type(name="TrackingExceptionConnection")
class TrackingExceptionConnection(Connection[TrackingExceptionType]):
    _status_counts: strawberry.Private[Callable[[], Awaitable[dict[TrackingStatus, int]]]]

    @strawberry.field(
        description="Parcels of each status under the other filters (the status filter left "
        "out), for filter chips; statuses with none are left out."
    )
    async def status_counts(self) -> list[TrackingStatusCountType]:
        counts = await self._status_counts()
        return [
            TrackingStatusCountType(status=status, count=counts[status])
            for status in TrackingStatus
            if counts.get(status)
        ]


@strawberry.type(description="A parcel sent again, and the one it replaces.")
class ReshipShipmentPayload:
    order: OrderType | None = None
    shipment: ShipmentType | None = strawberry.field(
        default=None, description="The new parcel (its `replacementForId` is the old one)."
    )
    replaced: ShipmentType | None = strawberry.field(
        default=None, description="The lost or damaged parcel, now marked handled."
    )
    errors: list[TrackingErrorType] = strawberry.field(default_factory=list)
