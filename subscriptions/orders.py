"""Order subscriptions: one order's status for its shopper and staff, new orders for staff.

Both stream the `OrderStatusChanged` events published after commit on `order:<number>` and
`merchant:orders` (refunds travel there too, and are left out). Who may follow an order is
checked once, when the subscription starts.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from loaders import Loaders
from models.orders import Order, OrderStatus
from schema.context import Info
from schema.errors import Forbidden
from schema.orders.types import OrderStatusEnum, OrderType, sees_all_orders
from schema.permissions import CanManageOrders, require_signed_in
from services import missed_events
from services.orders import access, queries
from subscriptions import bus, events
from subscriptions.lifetime import limited


@strawberry.enum(name="OrderChangeKind")
class OrderChangeKind(Enum):
    PLACED = "placed"
    STATUS = "status"
    CURRENT = strawberry.enum_value(
        "current",
        description="The order as it is now, sent when the live feed was interrupted and "
        "changes may have been missed.",
    )


@strawberry.type(name="OrderChange", description="An order was placed or changed status.")
class OrderChangeType:
    kind: OrderChangeKind
    number: str
    status: OrderStatusEnum  # type: ignore[valid-type]
    previous_status: OrderStatusEnum | None  # type: ignore[valid-type]
    at: datetime

    @strawberry.field(description="The order as it is now.")
    async def order(self, info: Info) -> OrderType | None:
        row = await queries.order_by_number(self.number)
        return OrderType.build(row) if row is not None else None

    @classmethod
    def current(cls, order: Order) -> OrderChangeType:
        return cls(
            kind=OrderChangeKind.CURRENT,
            number=order.number,
            status=OrderStatus(order.status),
            previous_status=None,
            at=datetime.now(UTC),
        )

    @classmethod
    def of(cls, event: events.OrderStatusChanged) -> OrderChangeType:
        return cls(
            kind=OrderChangeKind(event.kind),
            number=event.number,
            status=event.status,
            previous_status=event.previous_status,
            at=event.at,
        )


class CanFollowOrder(BasePermission):
    """Staff with the orders permission, the signed-in shopper who placed the order, or
    whoever holds a guest order's access token."""

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if kwargs.get("access_token") is not None:
            if await access.order_for_token(kwargs.get("number") or "", kwargs["access_token"]):
                return True
            raise Forbidden("This access token does not open this order.")
        user_id = require_signed_in(info.context.viewer)
        if sees_all_orders(info):
            return True
        if await queries.order_by_number(kwargs.get("number") or "", owner_id=user_id) is None:
            # The same answer whether the order is someone else's or does not exist.
            raise Forbidden("Only the order's shopper and staff can follow this order.")
        return True


@strawberry.type
class OrdersSubscription:
    @strawberry.subscription(
        permission_classes=[CanFollowOrder],
        description="Status changes of one order, for its shopper and for staff, and for a "
        "guest with the order's `accessToken`.",
    )
    async def order_status_changed(
        self, info: Info, number: str, access_token: str | None = None
    ) -> AsyncGenerator[OrderChangeType, None]:
        channel = events.order_channel(queries.normalize_number(number))
        async with bus.current().subscribe(channel) as messages:
            async for message in limited(messages.with_gaps(), info.context):
                if isinstance(message, bus.Gap):
                    # Events may have been lost while the bus was away: send the order now.
                    order = await queries.order_by_number(number)
                    if order is not None:
                        info.context.loaders = Loaders()
                        yield OrderChangeType.current(order)
                    continue
                event = events.parse_order_event(message)
                if not isinstance(event, events.OrderStatusChanged) or event.kind != "status":
                    continue
                # The connection's context lives long; give every event fresh loaders.
                info.context.loaders = Loaders()
                yield OrderChangeType.of(event)

    @strawberry.subscription(
        permission_classes=[CanManageOrders],
        description="Orders placed and orders changing status, for the merchant console.",
    )
    async def new_orders(self, info: Info) -> AsyncGenerator[OrderChangeType, None]:
        async with bus.current().subscribe(events.MERCHANT_ORDERS_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                caught_up = await events.caught_up(
                    item, events.parse_order_event, missed_events.order_changes_since
                )
                for event in caught_up:
                    if not isinstance(event, events.OrderStatusChanged):
                        continue  # refunds travel on the channel too
                    info.context.loaders = Loaders()
                    yield OrderChangeType.of(event)
