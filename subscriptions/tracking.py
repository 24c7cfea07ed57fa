"""Tracking subscriptions: one order's parcels for its shopper and staff, and the parcels
that start or stop needing staff's attention, for the console's badge.

Both stream the `ShipmentTracked` events published after commit on `tracking:<number>` and
`merchant:tracking`. Who may follow an order's parcels is who may follow the order
(`subscriptions.orders.CanFollowOrder`), checked once, when the subscription starts.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum

import strawberry

from loaders import Loaders
from models.tracking import TrackingStatus
from schema.context import Info
from schema.errors import UserFacingError
from schema.orders.types import ShipmentType, shipments_of
from schema.permissions import CanManageOrders
from schema.relay import encode_id
from schema.tracking import TrackingStatusEnum, TrackingSubStatusEnum, sub_status
from services import missed_events
from services.orders import queries
from subscriptions import bus, events
from subscriptions.lifetime import limited
from subscriptions.orders import CanFollowOrder


class OrderNotFound(UserFacingError):
    """Staff asked to follow an order number no order has."""

    code = "NOT_FOUND"


@strawberry.enum(name="ShipmentTrackingChangeKind")
class ShipmentTrackingChangeKind(Enum):
    TRACKED = strawberry.enum_value(
        "tracked", description="The parcel learned something: new events, or a new status."
    )
    CURRENT = strawberry.enum_value(
        "current",
        description="The parcel as it is now, sent when the live feed was interrupted and "
        "changes may have been missed.",
    )


@strawberry.type(
    name="ShipmentTrackingChange",
    description="A parcel's tracking changed: its status, sub-status and attention flag as "
    "they are after the change, and the parcel itself as it is now.",
)
class ShipmentTrackingChangeType:
    kind: ShipmentTrackingChangeKind
    number: str = strawberry.field(description="The order's number.")
    shipment_id: strawberry.ID
    status: TrackingStatusEnum  # type: ignore[valid-type]
    sub_status: TrackingSubStatusEnum | None  # type: ignore[valid-type]
    needs_attention: bool = strawberry.field(
        description="Whether the parcel waits in the exceptions queue (see "
        "`Shipment.needsAttention`)."
    )
    at: datetime
    _shipment_pk: strawberry.Private[int]

    @strawberry.field(
        description="The parcel as it is now, with its events (staff-only fields for staff "
        "only); null when it no longer exists."
    )
    async def shipment(self, info: Info) -> ShipmentType | None:
        order = await queries.order_by_number(self.number)
        if order is None:
            return None
        wanted = encode_id("Shipment", self._shipment_pk)
        return next((s for s in await shipments_of(info, order) if s.id == wanted), None)

    @classmethod
    def of(
        cls, event: events.ShipmentTracked, kind: ShipmentTrackingChangeKind
    ) -> ShipmentTrackingChangeType:
        return cls(
            kind=kind,
            number=event.number,
            shipment_id=encode_id("Shipment", event.shipment_id),
            status=TrackingStatus(event.status),
            sub_status=sub_status(event.sub_status),
            needs_attention=event.attention,
            at=event.at,
            _shipment_pk=event.shipment_id,
        )


TRACKED = ShipmentTrackingChangeKind.TRACKED
CURRENT = ShipmentTrackingChangeKind.CURRENT


@strawberry.type
class TrackingSubscription:
    @strawberry.subscription(
        permission_classes=[CanFollowOrder],
        description="Each change to the tracking of one order's parcels, for its shopper and "
        "for orders staff, and for a guest with the order's `accessToken`.",
    )
    async def shipment_tracking(
        self, info: Info, number: str, access_token: str | None = None
    ) -> AsyncGenerator[ShipmentTrackingChangeType, None]:
        number = queries.normalize_number(number)
        # Shoppers learn of an unknown order from the permission check, as FORBIDDEN; staff,
        # who may follow any order, are told here instead of following nothing.
        if await queries.order_by_number(number) is None:
            raise OrderNotFound("No order has this number.")
        async with bus.current().subscribe(events.tracking_channel(number)) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                if isinstance(item, bus.Gap):
                    # Changes may have been lost while the bus was away: send every parcel now.
                    for parcel in await missed_events.parcels_of_order(number):
                        info.context.loaders = Loaders()
                        yield ShipmentTrackingChangeType.of(parcel, CURRENT)
                    continue
                event = events.ShipmentTracked.parse(item)
                if event is None or event.number != number:
                    continue
                # The connection's context lives long; give every event fresh loaders.
                info.context.loaders = Loaders()
                yield ShipmentTrackingChangeType.of(event, TRACKED)

    @strawberry.subscription(
        permission_classes=[CanManageOrders],
        description="Parcels that start or stop needing attention (`needsAttention`), for the "
        "console's exceptions badge. After an interruption of the live feed, each parcel whose "
        "attention changed meanwhile is sent as it is now (`kind: CURRENT`).",
    )
    async def tracking_alerts(self, info: Info) -> AsyncGenerator[ShipmentTrackingChangeType, None]:
        channel = events.MERCHANT_TRACKING_CHANNEL
        async with bus.current().subscribe(channel) as messages:
            # What this stream has told, so that only a change of attention goes out: the
            # queue as it is when the stream starts, then each parcel's latest flag.
            waiting = await missed_events.parcels_needing_attention()
            async for item in limited(messages.with_gaps(), info.context):
                if isinstance(item, bus.Gap):
                    now = await missed_events.parcels_needing_attention()
                    changed = await missed_events.parcels(waiting ^ now)
                    waiting = now
                    for parcel in changed:
                        info.context.loaders = Loaders()
                        yield ShipmentTrackingChangeType.of(parcel, CURRENT)
                    continue
                event = events.ShipmentTracked.parse(item)
                if event is None or event.attention == (event.shipment_id in waiting):
                    continue
                if event.attention:
                    waiting.add(event.shipment_id)
                else:
                    waiting.discard(event.shipment_id)
                info.context.loaders = Loaders()
                yield ShipmentTrackingChangeType.of(event, TRACKED)
