"""Returns subscriptions: one order's returns for its order page, and every return for the
console's queue.

`ReturnChanged` travels on the order's channel and on `merchant:returns`. Who may follow an
order is checked once, when the subscription starts, as `orderStatusChanged` does. After an
interruption of the bus, the order page is sent the order's returns again and the queue the
events it missed, read back from the returns' timelines
(`services.missed_events.return_changes_since`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from loaders import Loaders
from models.returns import ReturnRequest
from schema.context import Info
from schema.permissions import CanManageOrders
from schema.returns.types import ReturnStatusEnum, ReturnType
from services import missed_events
from services.orders import queries
from services.returns import queue
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


def _parse(message: bus.Message) -> events.ReturnChanged | None:
    event = events.parse_order_event(message)
    return event if isinstance(event, events.ReturnChanged) else None


@strawberry.type(
    name="ReturnChange",
    description="A return was asked for, moved, or changed (instructions, a parcel, an "
    "inspection, its outcome).",
)
class ReturnChangeType:
    number: str = strawberry.field(description="The order's number.")
    return_number: str
    status: ReturnStatusEnum  # type: ignore[valid-type]
    previous_status: ReturnStatusEnum  # type: ignore[valid-type]
    at: datetime

    @strawberry.field(
        name="return", description="The return as it is now; null when it no longer exists."
    )
    async def return_request(self, info: Info) -> ReturnType | None:
        ret = await queue.return_by_number(self.return_number)
        if ret is None:
            return None
        order = await info.context.loaders.order.load(ret.order_id)
        return ReturnType.build(ret, order) if order is not None else None

    @classmethod
    def of(cls, event: events.ReturnChanged) -> ReturnChangeType:
        return cls(
            number=event.number,
            return_number=event.return_number,
            status=event.status,
            previous_status=event.previous_status,
            at=event.at,
        )


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

    @strawberry.subscription(
        permission_classes=[CanManageOrders],
        description="Returns asked for and changing, for the console's returns queue.",
    )
    async def returns_changed(self, info: Info) -> AsyncGenerator[ReturnChangeType, None]:
        async with bus.current().subscribe(events.MERCHANT_RETURNS_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                for event in await events.caught_up(
                    item, _parse, missed_events.return_changes_since
                ):
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield ReturnChangeType.of(event)
