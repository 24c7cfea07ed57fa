"""The `Return` type and its parts, reached through the order it belongs to (`Order.returns`)
or the staff queue: whoever may see the order sees its returns, and the few fields that
are staff's own (internal timeline entries, inspection notes, who acted) check the viewer.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from models.orders import Order, Shipment
from models.returns import (
    Inspection,
    ReturnEvent,
    ReturnLine,
    ReturnPhoto,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
)
from schema.context import Info
from schema.errors import UserError
from schema.money import MoneyType
from schema.orders.types import sees_all_orders
from schema.relay import encode_id
from schema.tracking import TrackedType, tracked_fields
from services.returns.errors import ReturnErrorCode
from services.returns.wording import language_of

if TYPE_CHECKING:
    from schema.orders.types import OrderType

if TYPE_CHECKING:
    from schema.returns.outcome import ReturnOutcomeType

ReturnStatusEnum = strawberry.enum(
    ReturnStatus,
    name="ReturnStatus",
    description="Where a return is: requested, approved or declined, in transit back, "
    "received, inspected, closed (its outcome carried out), or cancelled.",
)
ReturnResolutionEnum = strawberry.enum(
    ReturnResolution,
    name="ReturnResolution",
    description="What the shopper asked for: a refund, store credit, or an exchange.",
)
ReturnErrorCodeEnum = strawberry.enum(ReturnErrorCode, name="ReturnErrorCode")
InspectionEnum = strawberry.enum(
    Inspection,
    name="ReturnInspection",
    description="What became of a returned line: pending, back to stock, needs work, "
    "written off, or missing from the parcel.",
)


@strawberry.type(name="ReturnError")
class ReturnErrorType(UserError):
    code: ReturnErrorCodeEnum  # type: ignore[valid-type]


def shopper_actor(label: str, actor_user_id: int | None, owner_id: int | None) -> str:
    """How a timeline names who acted, for a shopper: never which staff account."""
    if not label.startswith("user:"):
        return label
    return "customer" if owner_id is not None and actor_user_id == owner_id else "staff"


@strawberry.type(name="ReturnLine", description="Units of one order line asked back.")
class ReturnLineType:
    id: strawberry.ID
    order_line_id: strawberry.ID
    name: str = strawberry.field(description="The product's name when ordered.")
    variant_name: str
    sku: str
    quantity: int = strawberry.field(description="Units asked back.")
    unit_price: MoneyType = strawberry.field(
        description="What one unit was paid, in the order's currency (before its share of "
        "discounts)."
    )
    exchange_variant_id: strawberry.ID | None = strawberry.field(
        description="The variant wanted instead, for an exchange."
    )
    inspection: InspectionEnum  # type: ignore[valid-type]
    inspected_quantity: int
    restocked_quantity: int = strawberry.field(description="Units put back in stock.")
    inspection_note: str | None = strawberry.field(description="Staff only (null for others).")
    inspected_at: datetime | None

    @classmethod
    def build(cls, line: ReturnLine, order: Order, *, staff: bool) -> ReturnLineType:
        ordered = line.order_line
        return cls(
            id=encode_id("ReturnLine", line.id),
            order_line_id=encode_id("OrderLine", line.order_line_id),
            name=ordered.product_name,
            variant_name=ordered.variant_name,
            sku=ordered.sku,
            quantity=line.quantity,
            unit_price=MoneyType.minor(ordered.unit_price_presentment, order.currency),
            exchange_variant_id=encode_id("ProductVariant", line.exchange_variant_id)
            if line.exchange_variant_id
            else None,
            inspection=Inspection(line.inspection),
            inspected_quantity=line.inspected_quantity,
            restocked_quantity=line.restocked_quantity,
            inspection_note=(line.inspection_note or None) if staff else None,
            inspected_at=line.inspected_at,
        )


@strawberry.type(name="ReturnPhoto", description="A picture the shopper sent with a return.")
class ReturnPhotoType:
    id: strawberry.ID
    url: str = strawberry.field(description="Absolute URL of the image file.")
    width: int
    height: int

    @classmethod
    def build(cls, photo: ReturnPhoto, media_base: str) -> ReturnPhotoType:
        return cls(
            id=encode_id("ReturnPhoto", photo.id),
            url=media_base + photo.path,
            width=photo.width,
            height=photo.height,
        )


@strawberry.type(name="ReturnEvent", description="One entry of a return's timeline.")
class ReturnEventType:
    id: strawberry.ID
    from_status: ReturnStatusEnum | None  # type: ignore[valid-type]
    to_status: ReturnStatusEnum | None  # type: ignore[valid-type]
    actor: str = strawberry.field(
        description="`customer`, `system`, or `user:<id>` for staff (shown to shoppers as `staff`)."
    )
    message: str
    internal: bool = strawberry.field(description="A staff note the shopper does not see.")
    created_at: datetime

    @classmethod
    def build(cls, event: ReturnEvent, *, staff: bool, owner_id: int | None) -> ReturnEventType:
        return cls(
            id=encode_id("ReturnEvent", event.id),
            from_status=ReturnStatus(event.from_status) if event.from_status else None,
            to_status=ReturnStatus(event.to_status) if event.to_status else None,
            actor=event.actor
            if staff
            else shopper_actor(event.actor, event.actor_user_id, owner_id),
            message=event.message,
            internal=event.internal,
            created_at=event.created_at,
        )


@strawberry.type(
    name="ReturnParcel",
    description="A parcel bringing a return's goods back to the shop, followed through its "
    "carrier's tracking: delivered, it receives the return.",
)
class ReturnParcelType(TrackedType):
    id: strawberry.ID
    carrier_name: str
    tracking_number: str
    tracking_url: str | None
    added_at: datetime = strawberry.field(description="When the parcel was recorded.")
    delivered_at: datetime | None

    @classmethod
    def build(cls, parcel: Shipment) -> ReturnParcelType:
        return cls(
            id=encode_id("Shipment", parcel.id),
            carrier_name=parcel.carrier_name,
            tracking_number=parcel.tracking_number,
            tracking_url=parcel.tracking_url or None,
            added_at=parcel.shipped_at,
            delivered_at=parcel.delivered_at,
            **tracked_fields(parcel),
        )


@strawberry.type(name="Return", description="A return of some of an order's lines.")
class ReturnType(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="The number the shopper quotes (`TW-1042-R1`).")
    order_number: str
    status: ReturnStatusEnum  # type: ignore[valid-type]
    resolution: ReturnResolutionEnum  # type: ignore[valid-type]
    note: str
    decline_reason: str | None
    instructions: str | None = strawberry.field(
        description="How to send the goods back, once approved."
    )
    label_reference: str | None = strawberry.field(
        description="The prepaid return label's reference or URL, when the merchant gave one."
    )
    keep_items: bool = strawberry.field(description="Refunded without sending the goods back.")
    opened_by_staff: bool
    version: int = strawberry.field(
        description="Changes with every change: name it when acting, to act on what was read."
    )
    created_at: datetime
    updated_at: datetime
    approved_at: datetime | None
    received_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    _row: strawberry.Private[ReturnRequest]
    _order: strawberry.Private[Order]

    @classmethod
    def build(cls, ret: ReturnRequest, order: Order) -> ReturnType:
        return cls(
            id=ret.id,
            number=ret.number,
            order_number=order.number,
            status=ReturnStatus(ret.status),
            resolution=ReturnResolution(ret.resolution),
            note=ret.note,
            decline_reason=ret.decline_reason or None,
            instructions=ret.instructions or None,
            label_reference=ret.label_reference or None,
            keep_items=ret.keep_items,
            opened_by_staff=ret.opened_by_staff,
            version=ret.version,
            created_at=ret.created_at,
            updated_at=ret.updated_at,
            approved_at=ret.approved_at,
            received_at=ret.received_at,
            closed_at=ret.closed_at,
            cancelled_at=ret.cancelled_at,
            _row=ret,
            _order=order,
        )

    @strawberry.field(
        description="The reason given: in the request's language where the shop translated "
        "it, else as named when asked (a reason renamed or deleted since keeps that name)."
    )
    async def reason(self, info: Info) -> str:
        if self._row.reason_id is None:
            return self._row.reason_name
        names = {
            t.locale: t.name
            for t in await info.context.loaders.translations_by_reason.load(self._row.reason_id)
        }
        locale = info.context.locale
        return names.get(locale) or names.get(language_of(locale)) or self._row.reason_name

    @strawberry.field(description="The lines asked back.")
    async def lines(self, info: Info) -> list[ReturnLineType]:
        loaders = info.context.loaders
        rows = await loaders.lines_by_return.load(self._row.id)
        ordered = {line.id: line for line in await loaders.lines_by_order.load(self._order.id)}
        staff = sees_all_orders(info)
        built = []
        for row in rows:
            row.order_line = ordered[row.order_line_id]
            built.append(ReturnLineType.build(row, self._order, staff=staff))
        return built

    @strawberry.field(description="The order the lines were bought with.")
    def order(self) -> Annotated[OrderType, strawberry.lazy("schema.orders.types")]:
        from schema.orders.types import OrderType

        return OrderType.build(self._order)

    @strawberry.field(
        description="The parcels the goods come back in, oldest first, with their tracking."
    )
    async def parcels(self, info: Info) -> list[ReturnParcelType]:
        rows = await info.context.loaders.parcels_by_return.load(self._row.id)
        return [ReturnParcelType.build(row) for row in rows]

    @strawberry.field(description="Pictures the shopper sent.")
    async def photos(self, info: Info) -> list[ReturnPhotoType]:
        rows = await info.context.loaders.photos_by_return.load(self._row.id)
        return [ReturnPhotoType.build(row, info.context.media_base) for row in rows]

    @strawberry.field(
        description="What happened to the return, oldest first; internal notes for staff only."
    )
    async def timeline(self, info: Info) -> list[ReturnEventType]:
        staff = sees_all_orders(info)
        rows = await info.context.loaders.events_by_return.load(self._row.id)
        return [
            ReturnEventType.build(row, staff=staff, owner_id=self._order.user_id)
            for row in rows
            if staff or not row.internal
        ]

    @strawberry.field(
        description="What the return ended in, once carried out (or while it is): amounts "
        "for the shopper, all of it for staff."
    )
    async def outcome(
        self, info: Info
    ) -> Annotated[ReturnOutcomeType, strawberry.lazy("schema.returns.outcome")] | None:
        from schema.returns import outcome as outcome_types  # the outcome module imports this

        rows = await info.context.loaders.outcomes_by_return.load(self._row.id)
        if not rows:
            return None
        return outcome_types.ReturnOutcomeType.build(
            rows[0],
            staff=sees_all_orders(info),
            exchange_number=await outcome_types.exchange_number(rows[0]),
        )


async def returns_of(info: Info, order: Order) -> list[ReturnType]:
    """An order's returns, newest first, from the per-request loaders."""
    rows = await info.context.loaders.returns_by_order.load(order.id)
    return [ReturnType.build(row, order) for row in rows]


async def built(info: Info, ret: ReturnRequest) -> ReturnType:
    """`ret` as the API shows it, its order from the per-request loaders."""
    order = await info.context.loaders.order.load(ret.order_id)
    assert order is not None  # a return's order is never deleted (RESTRICT)
    return ReturnType.build(ret, order)


@strawberry.type(description="A return after it was asked for or changed.")
class ReturnPayload:
    return_request: ReturnType | None = strawberry.field(name="return", default=None)
    errors: list[ReturnErrorType] = strawberry.field(default_factory=list)

    @classmethod
    async def of(cls, info: Info, ret: ReturnRequest) -> ReturnPayload:
        return cls(return_request=await built(info, ret))
