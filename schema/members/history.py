"""Purchase history on a member: `User.orders` and `myOrders`, pages of the full `Order`."""

from __future__ import annotations

from schema.context import Info
from schema.errors import BadUserInput
from schema.kit import connection
from schema.orders.types import OrderConnection, OrderType
from services.members import history
from services.pagination import (
    DEFAULT_PAGE_SIZE,
    Page,
    PageRequest,
    PaginationError,
    check_page_size,
    cursor_for,
)


async def order_history(info: Info, user_id: int, request: PageRequest) -> OrderConnection:
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
    return connection(
        OrderConnection,
        page,
        [OrderType.build(row) for row in page.items],
        lambda: loaders.order_count_by_user.load(user_id),
    )
