"""An order's timeline: who did what and when, as `OrderEvent` rows.

Every status change writes one event in the transaction that changes the status, so the
timeline can never disagree with the order. Staff may add notes; internal notes are never
shown to the customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from services.auth import Viewer
from services.orders.errors import OrderErrorCode, fail, not_found
from services.transactions import atomic

MAX_MESSAGE = 500


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts on an order, as the timeline names them."""

    #: `user:12` for staff, `customer` for the shopper, `system` for the sweeper.
    label: str
    user_id: int | None = None

    @classmethod
    def staff(cls, user_id: int) -> Actor:
        return cls(f"user:{user_id}", user_id)

    @classmethod
    def customer(cls, user_id: int | None) -> Actor:
        return cls("customer", user_id)


SYSTEM = Actor("system")


def actor_for(viewer: Viewer) -> Actor:
    """The actor a signed-in viewer is on an order: staff by id, anyone else as the customer."""
    if viewer.is_staff and viewer.user_id is not None:
        return Actor.staff(viewer.user_id)
    return Actor.customer(viewer.user_id)


async def record(
    order_id: int,
    kind: OrderEventKind,
    actor: Actor,
    *,
    message: str = "",
    from_status: OrderStatus | None = None,
    to_status: OrderStatus | None = None,
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> OrderEvent:
    """Write one timeline entry; call it inside the transaction of the change it records."""
    return await OrderEvent.create(
        order_id=order_id,
        kind=kind,
        from_status=from_status.value if from_status else "",
        to_status=to_status.value if to_status else "",
        actor=actor.label,
        actor_user_id=actor.user_id,
        message=message[:MAX_MESSAGE],
        internal=internal,
        data=data or {},
    )


async def add_note(order_id: int, *, actor: Actor, message: str, internal: bool) -> OrderEvent:
    """Add a staff note to an order's timeline; `internal` keeps it from the customer."""
    text = message.strip()
    if not text:
        raise fail(OrderErrorCode.REQUIRED, "Write the note.", "message")
    if len(text) > MAX_MESSAGE:
        raise fail(
            OrderErrorCode.INVALID, f"A note has at most {MAX_MESSAGE} characters.", "message"
        )
    async with atomic():
        if not await Order.filter(id=order_id).exists():
            raise not_found("The order", "order_id")
        return await record(order_id, OrderEventKind.NOTE, actor, message=text, internal=internal)


def visible_events(events: list[OrderEvent], *, staff: bool) -> list[OrderEvent]:
    """The entries a viewer may read: everything for staff, no internal notes for the customer."""
    return events if staff else [event for event in events if not event.internal]
