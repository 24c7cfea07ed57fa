"""Order handling root fields: the merchant's list and actions, a shopper's own orders, and
the public lookup by number and email.

Staff fields need the orders permission; a shopper's fields pass their own id into the
service query, so they only ever reach their own orders.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import Forbidden
from schema.kit import (
    connection,
    errors_for,
    input_pk,
    mutation,
    page_or_error,
    pk_or_none,
    rate_limited,
    refused,
)
from schema.members.history import order_history
from schema.orders.inputs import (
    AddOrderNoteInput,
    CancelMyOrderInput,
    CancelOrderInput,
    CompleteOrderInput,
    MarkOrderDeliveredInput,
    OrderFilter,
    OrderSortInput,
    RecordBankTransferPaymentInput,
    ShipOrderInput,
)
from schema.orders.payloads import (
    AddOrderNotePayload,
    OrderPayload,
    ShipOrderPayload,
)
from schema.orders.types import (
    OrderConnection,
    OrderEventType,
    OrderTrackingType,
    OrderType,
    sees_all_orders,
    shipments_of,
)
from schema.permissions import CanManageOrders, SignedIn, require_signed_in
from schema.relay import SortDirection, encode_id, page_request
from services.money import InvalidAmount, Money
from services.orders import access, bank_transfer, cancellation, fulfilment, queries, timeline
from services.orders import status as order_status
from services.orders.errors import OrderErrorCode
from services.orders.timeline import actor_for
from settings import get_settings


def _filter(given: OrderFilter | None) -> queries.OrderFilter:
    if given is None:
        return queries.OrderFilter()
    customer = None
    if given.customer_id is not None:
        # An ID of something else matches no customer, so it finds no orders.
        customer = pk_or_none(given.customer_id, "User") or 0
    return queries.OrderFilter(
        statuses=list(given.statuses or []),
        placed_after=given.placed_after,
        placed_before=given.placed_before,
        country=given.country.value if given.country else None,
        customer_id=customer,
        number=given.number,
        email=given.email,
        min_total=given.min_total,
        max_total=given.max_total,
    )


@strawberry.type
class HandlingQuery:
    @strawberry.field(
        permission_classes=[CanManageOrders],
        description="Every shopper's orders, newest first unless `sortBy` says otherwise.",
    )
    async def orders(
        self,
        info: Info,
        filter: OrderFilter | None = None,
        sort_by: OrderSortInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OrderConnection:
        given = _filter(filter)
        sort = sort_by or OrderSortInput()
        page = await page_or_error(
            queries.list_orders(
                given,
                page_request(first, after, last, before),
                sort=queries.OrderSortField(sort.field),
                descending=sort.direction == SortDirection.DESC,
                max_size=info.context.settings.max_page_size,
            )
        )
        nodes = [OrderType.build(row) for row in page.items]
        info.context.loaders.order.prime_all(page.items)
        return connection(OrderConnection, page, nodes, lambda: queries.count_orders(given))

    @strawberry.field(
        description="One order by ID or number: any order for staff, a shopper's own for them, "
        "and a guest's by its number with the `accessToken` that `placeOrder` answered."
    )
    async def order(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        number: str | None = None,
        access_token: str | None = None,
    ) -> OrderType | None:
        if access_token is not None:
            row = await access.order_for_token(number or "", access_token)
            if row is None:
                # The same answer whether the order does not exist or the token is not its.
                raise Forbidden("This access token does not open this order.")
            return OrderType.build(row)
        viewer = info.context.viewer
        owner = None if sees_all_orders(info) else require_signed_in(viewer)
        if id is not None:
            pk = pk_or_none(id, "Order")
            row = await info.context.loaders.order.load(pk) if pk else None
            if row is None or (owner is not None and row.user_id != owner):
                return None
        elif number:
            row = await queries.order_by_number(number, owner_id=owner)
        else:
            return None
        return OrderType.build(row) if row is not None else None

    @strawberry.field(
        permission_classes=[SignedIn],
        description="The signed-in shopper's orders, newest first (the same list as "
        "`me { orders }`).",
    )
    async def my_orders(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> OrderConnection:
        user_id = require_signed_in(info.context.viewer)
        return await order_history(info, user_id, page_request(first, after, last, before))

    @strawberry.field(
        description="Where an order is, for anyone who knows its number and email; null "
        "unless both match. Limited per client address: over the limit the call fails with "
        "the error code RATE_LIMITED."
    )
    async def order_lookup(self, info: Info, number: str, email: str) -> OrderTrackingType | None:
        with rate_limited("Too many order lookups; try again later."):
            row = await queries.lookup_order(number, email, client=info.context.client_address)
        return OrderTrackingType.build(row) if row is not None else None


def _shop_minor(value: Decimal | None, field: str) -> int | None:
    """A staff-given amount of the shop currency in minor units; raises `OrderError`."""
    if value is None:
        return None
    with refused(InvalidAmount, OrderErrorCode.INVALID, field):
        return Money.from_decimal(value, get_settings().shop_currency).minor


@strawberry.type
class HandlingMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Record a bank transfer for an unpaid order: it becomes PENDING_SHIPMENT.",
    )
    async def record_bank_transfer_payment(
        self, info: Info, input: RecordBankTransferPaymentInput
    ) -> OrderPayload:
        order = await bank_transfer.record_bank_transfer_payment(
            input_pk(input.order_id, "Order", "orderId"),
            actor=actor_for(info.context.viewer),
            reference=input.reference,
            received=_shop_minor(input.received, "received"),
            charges=_shop_minor(input.bank_charges, "bankCharges"),
        )
        return OrderPayload(order=OrderType.build(order))

    @mutation(
        permission_classes=[CanManageOrders],
        description="Send a parcel for a paid order. The order becomes SHIPPED once every "
        "unit has shipped; a partial shipment leaves it PENDING_SHIPMENT.",
    )
    async def ship_order(self, info: Info, input: ShipOrderInput) -> ShipOrderPayload:
        lines = None
        if input.lines is not None:
            lines = [
                fulfilment.ShipLine(
                    input_pk(line.order_line_id, "OrderLine", f"lines.{i}.orderLineId"),
                    line.quantity,
                )
                for i, line in enumerate(input.lines)
            ]
        shipped = await fulfilment.ship_order(
            input_pk(input.order_id, "Order", "orderId"),
            actor=actor_for(info.context.viewer),
            carrier_id=input_pk(input.carrier_id, "Carrier", "carrierId"),
            tracking_number=input.tracking_number,
            lines=lines,
            service_id=(
                input_pk(input.service_id, "ShippingService", "serviceId")
                if input.service_id is not None
                else None
            ),
            accept_invalid_tracking_number=input.accept_invalid_tracking_number,
        )
        shipments = await shipments_of(info, shipped.order)
        wanted = encode_id("Shipment", shipped.shipment.id)
        shipment = next(s for s in shipments if s.id == wanted)
        return ShipOrderPayload(order=OrderType.build(shipped.order), shipment=shipment)

    @mutation(
        permission_classes=[CanManageOrders], description="Record that a shipped order arrived."
    )
    async def mark_order_delivered(
        self, info: Info, input: MarkOrderDeliveredInput
    ) -> OrderPayload:
        order = await order_status.mark_delivered(
            input_pk(input.order_id, "Order", "orderId"), actor=actor_for(info.context.viewer)
        )
        return OrderPayload(order=OrderType.build(order))

    @mutation(
        permission_classes=[CanManageOrders],
        description="Close a delivered order; the member earns its points.",
    )
    async def complete_order(self, info: Info, input: CompleteOrderInput) -> OrderPayload:
        order = await order_status.complete_order(
            input_pk(input.order_id, "Order", "orderId"), actor=actor_for(info.context.viewer)
        )
        return OrderPayload(order=OrderType.build(order))

    @mutation(
        permission_classes=[CanManageOrders],
        description="Cancel an order not yet shipped: its unshipped stock, coupon use and "
        "redeemed points are given back.",
    )
    async def cancel_order(self, info: Info, input: CancelOrderInput) -> OrderPayload:
        viewer = info.context.viewer
        order = await cancellation.cancel_order(
            input_pk(input.order_id, "Order", "orderId"),
            actor=actor_for(viewer),
            reason=input.reason,
        )
        if not input.refund:
            return OrderPayload(order=OrderType.build(order))
        order, unrefunded = await cancellation.refund_cancelled(
            order.id, reason=input.reason, actor_id=viewer.user_id
        )
        # The order stays cancelled; what could not be refunded is for staff to finish.
        errors = errors_for(OrderPayload, unrefunded, info) if unrefunded else []
        return OrderPayload(order=OrderType.build(order), errors=errors)

    @mutation(
        permission_classes=[SignedIn],
        description="Cancel one's own order while it is unpaid.",
    )
    async def cancel_my_order(self, info: Info, input: CancelMyOrderInput) -> OrderPayload:
        viewer = info.context.viewer
        order = await cancellation.cancel_order(
            input_pk(input.order_id, "Order", "orderId"),
            actor=timeline.Actor.customer(viewer.user_id),
            reason=input.reason,
            owner_id=require_signed_in(viewer),
            allowed=order_status.CUSTOMER_CANCELLABLE,
        )
        return OrderPayload(order=OrderType.build(order))

    @mutation(
        permission_classes=[CanManageOrders],
        description="Add a note to an order's timeline; internal notes are for staff only.",
    )
    async def add_order_note(self, info: Info, input: AddOrderNoteInput) -> AddOrderNotePayload:
        order_id = input_pk(input.order_id, "Order", "orderId")
        event = await timeline.add_note(
            order_id,
            actor=actor_for(info.context.viewer),
            message=input.message,
            internal=input.internal,
        )
        order = await info.context.loaders.order.load(order_id)
        return AddOrderNotePayload(
            order=OrderType.build(order) if order else None,
            event=OrderEventType.build(event, staff=True),
        )
