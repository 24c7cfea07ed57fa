"""Order emails handed to the job engine in the transaction of the change they tell about.

Each function enqueues one `emails.order` job through the jobs port; the job's key names the
order, the kind and the shipment, refund or staff message, so the same change enqueued twice
is one job, and the job itself sends at most once (`sending.send_order_email`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise import timezone

from models.emails import EmailKind
from models.orders import OrderStatus
from models.tracking import TrackingStatus, TrackingSubStatus
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


#: The email a parcel's move into each tracking status sends.
ON_TRACKING_STATUS: dict[TrackingStatus, EmailKind] = {
    TrackingStatus.OUT_FOR_DELIVERY: EmailKind.OUT_FOR_DELIVERY,
    TrackingStatus.ATTEMPT_FAILED: EmailKind.DELIVERY_ATTEMPT_FAILED,
    TrackingStatus.EXCEPTION: EmailKind.TRACKING_EXCEPTION,
}
#: The email a parcel's move into each sub-status sends, whatever its status did.
ON_TRACKING_SUB_STATUS: dict[str, EmailKind] = {
    TrackingSubStatus.CUSTOMS_DUTIES_DUE.value: EmailKind.CUSTOMS_DUTIES_DUE,
}
#: The tracking status each parcel email tells about (what its latest event is read from).
TRACKING_STATUS_OF: dict[EmailKind, TrackingStatus] = {
    **{kind: status for status, kind in ON_TRACKING_STATUS.items()},
    EmailKind.CUSTOMS_DUTIES_DUE: TrackingStatus.IN_CUSTOMS,
}
#: News older than this when it arrives is a backlog: the shopper is not written to about it.
STALE_AFTER = timedelta(days=3)


def tracking_email_kind(status: TrackingStatus, sub_status: str) -> EmailKind | None:
    """The email a parcel in this tracking state gets, or None when it gets none."""
    return ON_TRACKING_SUB_STATUS.get(sub_status) or ON_TRACKING_STATUS.get(status)


def tracking_ref(shipment_id: int, since: datetime) -> str:
    """The key of one parcel's status episode: the shipment and when it took the status."""
    return f"{shipment_id}:{int(since.timestamp())}"


def parse_tracking_ref(ref: str) -> tuple[int, datetime | None]:
    """The shipment and episode start of a `tracking_ref` (a bare shipment id has no start)."""
    shipment, _, since = ref.partition(":")
    start = datetime.fromtimestamp(int(since), tz=UTC) if since else None
    return int(shipment), start


async def tracking_changed(
    order_id: int,
    shipment_id: int,
    status: TrackingStatus,
    sub_status: str,
    *,
    since: datetime | None,
    latest: datetime | None,
) -> None:
    """The email of a parcel's new tracking state, if that state has one (out for delivery,
    a failed delivery attempt, an exception, import duties due).

    Call it in the transaction that changed the state, whoever reported the event (a
    carrier, staff, the demo's simulated carrier). One email per shipment, kind and status
    episode (`since`, when the parcel took the status): a replayed event or a change of
    sub-status within the episode sends nothing more, while a second failed attempt after the
    parcel went out again is a new episode and a new email. Nothing is sent when the parcel's
    latest event (`latest`) is older than `STALE_AFTER`: a late backlog is history, not news.
    """
    kind = tracking_email_kind(TrackingStatus(status), sub_status)
    started = since or latest
    if kind is None or started is None or latest is None:
        return
    if latest < timezone.now() - STALE_AFTER:
        return
    await enqueue(order_id, kind, tracking_ref(shipment_id, started))


async def shipment_notice(order_id: int, note_id: int) -> None:
    """The email carrying a staff member's message about a parcel, kept as timeline note
    `note_id`; one per note."""
    await enqueue(order_id, EmailKind.SHIPMENT_NOTICE, str(note_id))
