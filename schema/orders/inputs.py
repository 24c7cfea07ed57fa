"""Order handling inputs: the merchant list's filter and sort, and the staff mutations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.geo import CountryCode
from schema.orders.types import OrderStatusEnum
from schema.relay import SortDirection
from services.orders.queries import OrderSortField

OrderSortFieldEnum = strawberry.enum(OrderSortField, name="OrderSortField")


@strawberry.input(description="Every given filter must match.")
class OrderFilter:
    statuses: list[OrderStatusEnum] | None = None  # type: ignore[valid-type]
    placed_after: datetime | None = strawberry.field(default=None, description="Inclusive.")
    placed_before: datetime | None = strawberry.field(default=None, description="Exclusive.")
    country: CountryCode | None = strawberry.field(
        default=None, description="The shipping address's country."
    )
    customer_id: strawberry.ID | None = None
    number: str | None = strawberry.field(default=None, description="A prefix of the number.")
    email: str | None = strawberry.field(default=None, description="The whole email, any case.")
    min_total: str | None = strawberry.field(
        default=None, description="Shop currency, as a decimal string such as `12.50`."
    )
    max_total: str | None = strawberry.field(
        default=None, description="Shop currency, as a decimal string such as `12.50`."
    )


@strawberry.input
class OrderSortInput:
    field: OrderSortFieldEnum = OrderSortField.PLACED_AT  # type: ignore[valid-type]
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class RecordBankTransferPaymentInput:
    order_id: strawberry.ID
    reference: str = strawberry.field(description="The bank's reference for the transfer.")
    received: Decimal | None = strawberry.field(
        default=None,
        description="What arrived in the shop's account after the banks' charges, in the "
        "shop currency; the settlement report uses it.",
    )
    bank_charges: Decimal | None = strawberry.field(
        default=None, description="What the banks kept, in the shop currency."
    )


@strawberry.input
class ShipOrderLineInput:
    order_line_id: strawberry.ID
    quantity: int


@strawberry.input
class ShipOrderInput:
    order_id: strawberry.ID
    carrier_id: strawberry.ID
    service_id: strawberry.ID | None = strawberry.field(
        default=None, description="One of the carrier's active services, when known."
    )
    tracking_number: str = strawberry.field(
        description="Stored trimmed, without spaces, upper-case. A number of a known format "
        "must pass its check digit and fit the carrier (see `trackingNumberInfo`)."
    )
    lines: list[ShipOrderLineInput] | None = strawberry.field(
        default=None,
        description="The units in this parcel; left out, everything not yet shipped.",
    )
    accept_invalid_tracking_number: bool = strawberry.field(
        default=False,
        description="Ship with a tracking number refused as TRACKING_NUMBER_INVALID or "
        "TRACKING_NUMBER_CARRIER_MISMATCH all the same; the order's timeline records it.",
    )


@strawberry.input
class MarkOrderDeliveredInput:
    order_id: strawberry.ID


@strawberry.input
class CompleteOrderInput:
    order_id: strawberry.ID


@strawberry.input
class CancelOrderInput:
    order_id: strawberry.ID
    reason: str = ""
    refund: bool = strawberry.field(
        default=False,
        description="Also refund what the order's payments captured, through the gateways "
        "that took them (bank transfers: recorded as refunded by hand).",
    )


@strawberry.input
class CancelMyOrderInput:
    order_id: strawberry.ID
    reason: str = ""


@strawberry.input
class AddOrderNoteInput:
    order_id: strawberry.ID
    message: str
    internal: bool = strawberry.field(
        default=True, description="Staff-only; false shows the note to the customer too."
    )
