"""Returns subscriptions: the merchant console's returns queue, live.

Streams the `ReturnChanged` events published after commit on `merchant:returns`. After an
interruption of the bus, what was missed is read back from the returns' timelines and sent
as the events that were published (`services.missed_events.return_changes_since`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from loaders import Loaders
from schema.context import Info
from schema.permissions import CanManageOrders
from schema.returns.types import ReturnStatusEnum, ReturnType
from services import missed_events
from services.returns import queue
from subscriptions import bus, events
from subscriptions.lifetime import limited


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
