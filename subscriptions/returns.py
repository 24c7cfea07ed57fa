"""Returns subscriptions: one order's returns as they are asked for and move, for the
order page of its shopper (a guest with the order's access token) and for staff.

`ReturnChanged` travels on the order's channel; who may follow the order is checked once,
when the subscription starts, as `orderStatusChanged` does.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from loaders import Loaders
from models.returns import ReturnRequest
from schema.context import Info
from schema.returns.types import ReturnType
from services.orders import queries
from subscriptions import bus, events
from subscriptions.lifetime import limited
from subscriptions.orders import CanFollowOrder


async def _current(number: str, return_number: str | None = None) -> list[ReturnType]:
    """The order's return `return_number` as it is now (every return of it when None)."""
    order = await queries.order_by_number(number)
    if order is None:
        return []
    rows = ReturnRequest.filter(order_id=order.id)
    if return_number is not None:
        rows = rows.filter(number=return_number)
    return [ReturnType.build(row, order) for row in await rows]


@strawberry.type
class ReturnsSubscription:
    @strawberry.subscription(
        permission_classes=[CanFollowOrder],
        description="The returns of one order as they are asked for and change, each as it "
        "is now, for its shopper, for a guest with the order's `accessToken`, and for staff. "
        "After an interruption every return of the order is sent again.",
    )
    async def order_return_changed(
        self, info: Info, number: str, access_token: str | None = None
    ) -> AsyncGenerator[ReturnType, None]:
        channel = events.order_channel(queries.normalize_number(number))
        async with bus.current().subscribe(channel) as messages:
            async for message in limited(messages.with_gaps(), info.context):
                if isinstance(message, bus.Gap):
                    changed = await _current(number)
                else:
                    event = events.parse_order_event(message)
                    if not isinstance(event, events.ReturnChanged):
                        continue
                    changed = await _current(number, event.return_number)
                for ret in changed:
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield ret
