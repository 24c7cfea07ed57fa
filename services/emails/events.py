"""Order emails handed to the job engine in the transaction of the change they tell about.

Each function enqueues one `emails.order` job through the jobs port; the job's key names the
order, the kind and the shipment or refund, so the same change enqueued twice is one job, and
the job itself sends at most once (`sending.send_order_email`).
"""

from __future__ import annotations

from models.emails import EmailKind
from models.orders import OrderStatus
from services import jobs

#: The job engine's task that sends an order email.
TASK = "emails.order"

#: The email a move into each status sends (shipments send their own, one per parcel).
ON_STATUS: dict[OrderStatus, EmailKind] = {
    OrderStatus.PENDING_SHIPMENT: EmailKind.PAYMENT_RECEIVED,
    OrderStatus.DELIVERED: EmailKind.DELIVERED,
    OrderStatus.CANCELLED: EmailKind.CANCELLED,
}


async def enqueue(order_id: int, kind: EmailKind, ref: str = "") -> None:
    """Write the job that sends this email, in the current transaction."""
    await jobs.enqueue(
        TASK,
        key=f"email:{order_id}:{kind.value}:{ref}",
        order_id=order_id,
        kind=kind.value,
        ref=ref,
    )


async def order_placed(order_id: int) -> None:
    await enqueue(order_id, EmailKind.ORDER_PLACED)


async def status_changed(order_id: int, status: OrderStatus) -> None:
    """The email of the order's new status, if that status has one."""
    kind = ON_STATUS.get(OrderStatus(status))
    if kind is not None:
        await enqueue(order_id, kind)


async def shipped(order_id: int, shipment_id: int) -> None:
    await enqueue(order_id, EmailKind.SHIPPED, str(shipment_id))


async def refunded(order_id: int, refund_id: int) -> None:
    await enqueue(order_id, EmailKind.REFUNDED, str(refund_id))
