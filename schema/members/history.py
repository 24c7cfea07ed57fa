"""Purchase history on a member: `OrderSummary`, a short view of an order.

The orders domain brings the full `Order` type; this stays small until it replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.orders import Order, OrderStatus
from schema.context import Info
from schema.errors import BadUserInput
from schema.money import MoneyType
from schema.relay import Connection, edges_of
from services.auth import StaffPermission
from services.members import history
from services.pagination import (
    DEFAULT_PAGE_SIZE,
    Page,
    PageRequest,
    PaginationError,
    check_page_size,
    cursor_for,
)

OrderStatusEnum = strawberry.enum(OrderStatus, name="OrderStatus")


@strawberry.type(name="OrderSummary", description="An order as a purchase history lists it.")
class OrderSummaryType(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="The order number the shopper quotes.")
    status: OrderStatusEnum  # type: ignore[valid-type]
    placed_at: datetime
    total: MoneyType = strawberry.field(description="What the shopper paid, in their currency.")

    @classmethod
    def build(cls, order: Order) -> OrderSummaryType:
        return cls(
            id=order.id,
            number=order.number,
            status=OrderStatus(order.status),
            placed_at=order.placed_at,
            total=MoneyType.minor(order.total_presentment, order.currency),
        )

    @strawberry.field(description="Units bought: the sum of the line quantities.")
    async def item_count(self, info: Info) -> int:
        return await info.context.loaders.item_count_by_order.load(self.id)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[OrderSummaryType | None]:
        viewer = info.context.viewer
        staff = viewer.can(StaffPermission.ORDERS) or viewer.can(StaffPermission.CUSTOMERS)
        rows = await info.context.loaders.order_summary.load_many([int(i) for i in node_ids])
        return [
            cls.build(row)
            if row is not None and (staff or (viewer.user_id and row.user_id == viewer.user_id))
            else None
            for row in rows
        ]


@strawberry.type(name="OrderSummaryConnection")
class OrderSummaryConnection(Connection[OrderSummaryType]):
    pass


async def order_history(info: Info, user_id: int, request: PageRequest) -> OrderSummaryConnection:
    """A page of the member's orders, newest first.

    The first page goes through a loader, so a list of members with their latest orders
    costs one query rather than one per member; later pages are read directly.
    """
    loaders = info.context.loaders
    max_size = info.context.settings.max_page_size
    try:
        if request.after is None and request.before is None and request.last is None:
            check_page_size(request, max_size)
            size = DEFAULT_PAGE_SIZE if request.first is None else request.first
            rows = await loaders.recent_orders_by_user.load((user_id, size + 1))
            items = rows[:size]
            page = Page(
                items=items,
                cursors=[cursor_for(row, history.SORT_FIELD) for row in items],
                has_next_page=len(rows) > size,
                has_previous_page=False,
            )
        else:
            page = await history.list_orders(user_id, request, max_size=max_size)
    except PaginationError as exc:
        raise BadUserInput.from_service_error(exc) from None
    edges, page_info = edges_of(page, [OrderSummaryType.build(row) for row in page.items])
    return OrderSummaryConnection(
        edges=edges,
        page_info=page_info,
        _count=lambda: loaders.order_count_by_user.load(user_id),
    )
