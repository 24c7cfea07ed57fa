"""The order status machine and the transitions staff, shoppers and the sweeper make.

    PENDING_PAYMENT -> PENDING_SHIPMENT -> SHIPPED -> DELIVERED -> COMPLETED
           \\                  \\
            `-> CANCELLED       `-> CANCELLED

Every transition is an UPDATE conditional on the status read, so of two transitions racing
on one order only one applies; the other finds no row to change and is refused as
ILLEGAL_TRANSITION. The transition writes its timeline entry in the same transaction, and
the change is announced on `order:<number>` and `merchant:orders` once it commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import timezone

from models.orders import Order, OrderEventKind, OrderStatus, Shipment
from models.tracking import TrackingEvent, TrackingSource, TrackingStatus
from services.emails import events as order_emails
from services.errors import ServiceError
from services.members import points as member_points
from services.orders import timeline
from services.orders.errors import OrderError, OrderErrorCode, fail, not_found
from services.orders.timeline import Actor
from services.transactions import atomic
from subscriptions import events

#: Where each status may go next.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PENDING_SHIPMENT, OrderStatus.CANCELLED}),
    OrderStatus.PENDING_SHIPMENT: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.COMPLETED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}

#: Statuses staff may cancel from: nothing has left the warehouse for good yet.
STAFF_CANCELLABLE = frozenset({OrderStatus.PENDING_PAYMENT, OrderStatus.PENDING_SHIPMENT})
#: A shopper may cancel their own order only while it is unpaid.
CUSTOMER_CANCELLABLE = frozenset({OrderStatus.PENDING_PAYMENT})

#: Statuses of an order whose payment came in.
PAID = frozenset(
    {
        OrderStatus.PENDING_SHIPMENT,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.COMPLETED,
    }
)

MAX_REFERENCE = 120


def can_move(current: OrderStatus, to: OrderStatus) -> bool:
    return to in TRANSITIONS[OrderStatus(current)]


def can_cancel(status: OrderStatus, *, staff: bool) -> bool:
    """Whether the viewer (staff, or the order's shopper) may cancel an order in `status`."""
    return OrderStatus(status) in (STAFF_CANCELLABLE if staff else CUSTOMER_CANCELLABLE)


def illegal(current: OrderStatus, to: OrderStatus) -> OrderError:
    return fail(
        OrderErrorCode.ILLEGAL_TRANSITION,
        f"An order that is {OrderStatus(current).value.replace('_', ' ')} cannot become "
        f"{to.value.replace('_', ' ')}.",
        "order_id",
    )


def not_reserved(exc: ServiceError) -> OrderError:
    """Inventory's refusal to ship or release an order's units, as the order's error."""
    detail = " ".join(p.message for p in exc.problems)
    return fail(
        OrderErrorCode.STOCK_NOT_RESERVED,
        f"The stock held for this order does not add up: {detail}",
        "order_id",
    )


async def move(
    order: Order,
    to: OrderStatus,
    *,
    actor: Actor,
    kind: OrderEventKind = OrderEventKind.STATUS,
    message: str = "",
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> Order:
    """Move `order` from the status it was read with to `to`, or raise ILLEGAL_TRANSITION.

    Call inside `atomic()`. `changes` are further columns set by the same UPDATE. Returns the
    order with the new values; the announcement goes out after the commit.
    """
    current = OrderStatus(order.status)
    if not can_move(current, to):
        raise illegal(current, to)
    now = timezone.now()
    changes["updated_at"] = now
    won = await Order.filter(id=order.id, status=current).update(status=to, **changes)
    if not won:
        # Another request moved it first: report the status it is really in now.
        fresh = await Order.get_or_none(id=order.id).only("status")
        raise illegal(OrderStatus(fresh.status) if fresh else current, to)
    await timeline.record(
        order.id, kind, actor, message=message, from_status=current, to_status=to, data=data
    )
    await order_emails.status_changed(order.id, to)
    order.status = to
    for name, value in changes.items():
        setattr(order, name, value)
    await events.publish(
        events.OrderStatusChanged(
            kind="status", number=order.number, status=to, previous_status=current, at=now
        )
    )
    return order


async def order_for_change(order_id: int, *, owner_id: int | None = None) -> Order:
    """The order, its row locked until the transaction ends (PostgreSQL; SQLite runs one
    writer at a time anyway); `owner_id` limits it to one shopper's orders."""
    rows = Order.select_for_update().filter(id=order_id)
    if owner_id is not None:
        rows = rows.filter(user_id=owner_id)
    order = await rows.first()
    if order is None:
        raise not_found("The order", "order_id")
    return order


async def mark_delivered(order_id: int, *, actor: Actor) -> Order:
    """Record that a shipped order arrived; its shipments are marked delivered too."""
    async with atomic():
        order = await order_for_change(order_id)
        now = timezone.now()
        order = await move(order, OrderStatus.DELIVERED, actor=actor, delivered_at=now)
        await _deliver_shipments(order.id, now, actor)
        return order


async def _deliver_shipments(order_id: int, at: datetime, actor: Actor) -> None:
    """Mark the order's parcels delivered, each with a DELIVERED tracking event by `actor`,
    so their timelines agree with the order whatever a carrier reports later. A parcel sent
    again is left as it was: its replacement is the one that arrived."""
    replaced = Shipment.filter(order_id=order_id, replacement_for_id__isnull=False)
    # Return parcels come back to the shop: their own tracking says when they arrive.
    parcels = await Shipment.filter(
        order_id=order_id, return_request_id__isnull=True, delivered_at__isnull=True
    ).exclude(id__in=list(await replaced.values_list("replacement_for_id", flat=True)))
    if not parcels:
        return
    await TrackingEvent.bulk_create(
        [
            TrackingEvent(
                shipment_id=parcel.id,
                fingerprint=f"marked-delivered:{parcel.id}",
                occurred_at=at,
                status=TrackingStatus.DELIVERED,
                message="Marked delivered by staff.",
                source=TrackingSource.STAFF,
                actor_user_id=actor.user_id,
            )
            for parcel in parcels
        ],
        ignore_conflicts=True,
    )
    await Shipment.filter(id__in=[parcel.id for parcel in parcels]).update(
        delivered_at=at,
        tracking_status=TrackingStatus.DELIVERED,
        tracking_sub_status="",
        status_since=at,
        last_event_at=at,
        handled_at=None,
    )


async def complete_order(order_id: int, *, actor: Actor) -> Order:
    """Close a delivered order; the member earns its points in the same transaction."""
    async with atomic():
        order = await order_for_change(order_id)
        order = await move(order, OrderStatus.COMPLETED, actor=actor, completed_at=timezone.now())
        # Same transaction: a completed order without its points can never be committed.
        await member_points.on_order_completed(order.id)
        return order
