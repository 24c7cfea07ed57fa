"""The orders domain's payload error, and the payloads of the order handling mutations."""

from __future__ import annotations

from typing import Any

import strawberry

from schema.errors import UserError
from schema.orders.types import OrderEventType, OrderType, ShipmentType
from schema.tracking import TrackingErrorType
from services.errors import ServiceError
from services.orders.errors import CartAlreadyOrdered, OrderErrorCode

OrderErrorCodeEnum = strawberry.enum(OrderErrorCode, name="OrderErrorCode")


@strawberry.type(name="OrderError")
class OrderErrorType(UserError):
    code: OrderErrorCodeEnum  # type: ignore[valid-type]
    order_number: str | None = strawberry.field(
        default=None,
        description="With CART_ALREADY_ORDERED: the order the cart became, to show instead.",
    )

    @classmethod
    def extra_fields(cls, exc: ServiceError, info: object) -> dict[str, Any]:
        """The order a cart already became, with CART_ALREADY_ORDERED."""
        return {"order_number": exc.order_number if isinstance(exc, CartAlreadyOrdered) else None}


@strawberry.type(description="The order after a change of status or payment.")
class OrderPayload:
    order: OrderType | None = None
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class ShipOrderPayload:
    order: OrderType | None = None
    shipment: ShipmentType | None = None
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class AddOrderNotePayload:
    order: OrderType | None = None
    event: OrderEventType | None = None
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


@strawberry.type(description="A parcel after staff added a tracking event.")
class TrackingEventPayload:
    shipment: ShipmentType | None = None
    event_added: bool = strawberry.field(
        default=False, description="False when the same event was already known."
    )
    errors: list[TrackingErrorType] = strawberry.field(default_factory=list)


@strawberry.type(description="A parcel taken out of the exceptions queue.")
class MarkShipmentHandledPayload:
    shipment: ShipmentType | None = None
    errors: list[TrackingErrorType] = strawberry.field(default_factory=list)


@strawberry.type(description="A message about a parcel on its way to the shopper by email.")
class ContactShopperAboutShipmentPayload:
    shipment: ShipmentType | None = None
    errors: list[TrackingErrorType] = strawberry.field(default_factory=list)
