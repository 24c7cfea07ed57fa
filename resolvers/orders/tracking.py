"""Parcel tracking root fields for staff: add an event by hand, mark a parcel's trouble
handled, write to the shopper about a parcel. Carriers' events come in through `webhooks/`,
not here."""

from __future__ import annotations

import strawberry

from models.orders import Order
from models.tracking import TrackingStatus, TrackingSubStatus
from schema.context import Info
from schema.kit import input_pk, mutation
from schema.orders.payloads import (
    ContactShopperAboutShipmentPayload,
    MarkShipmentHandledPayload,
    TrackingEventPayload,
)
from schema.orders.types import ShipmentType, shipment_of
from schema.permissions import CanManageOrders
from schema.tracking import (
    AddTrackingEventInput,
    ContactShopperAboutShipmentInput,
    MarkShipmentHandledInput,
)
from services.orders.timeline import actor_for
from services.tracking import contact, staff


async def _shipment_type(info: Info, order_id: int, shipment_id: int) -> ShipmentType:
    """The shipment as the API shows it, with its lines."""
    return await shipment_of(info, await Order.get(id=order_id), shipment_id)


@strawberry.type
class TrackingMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Record a tracking event staff learned of (a phone call from the carrier), "
        "with who entered it. The parcel's status follows its whole timeline.",
    )
    async def add_tracking_event(
        self, info: Info, input: AddTrackingEventInput
    ) -> TrackingEventPayload:
        viewer = info.context.viewer
        assert viewer.user_id is not None  # CanManageOrders: a signed-in staff member
        recorded = await staff.add_event(
            input_pk(input.shipment_id, "Shipment", "shipmentId"),
            staff.StaffEvent(
                status=TrackingStatus(input.status),
                occurred_at=input.occurred_at,
                sub_status=TrackingSubStatus(input.sub_status) if input.sub_status else None,
                message=input.message,
                city=input.city,
                country=input.country,
            ),
            actor_id=viewer.user_id,
        )
        shipment = recorded.shipment
        return TrackingEventPayload(
            shipment=await _shipment_type(info, shipment.order_id, shipment.id),
            event_added=recorded.added > 0,
        )

    @mutation(
        permission_classes=[CanManageOrders],
        description="Take a parcel out of the exceptions queue until its tracking status "
        "changes again; the note goes to the order's timeline for staff.",
    )
    async def mark_shipment_handled(
        self, info: Info, input: MarkShipmentHandledInput
    ) -> MarkShipmentHandledPayload:
        shipment = await staff.mark_handled(
            input_pk(input.shipment_id, "Shipment", "shipmentId"),
            actor=actor_for(info.context.viewer),
            note=input.note,
        )
        return MarkShipmentHandledPayload(
            shipment=await _shipment_type(info, shipment.order_id, shipment.id)
        )

    @mutation(
        permission_classes=[CanManageOrders],
        description="Email the shopper a message about one of their parcels, framed in their "
        "language with the parcel's tracking; an internal note on the order's timeline keeps "
        "who wrote what.",
    )
    async def contact_shopper_about_shipment(
        self, info: Info, input: ContactShopperAboutShipmentInput
    ) -> ContactShopperAboutShipmentPayload:
        contacted = await contact.contact_shopper(
            input_pk(input.shipment_id, "Shipment", "shipmentId"),
            actor=actor_for(info.context.viewer),
            message=input.message,
            subject=input.subject or "",
            idempotency_key=input.idempotency_key,
        )
        shipment = contacted.shipment
        return ContactShopperAboutShipmentPayload(
            shipment=await _shipment_type(info, shipment.order_id, shipment.id)
        )
