"""The return status machine, its timeline, and the announcement of every change.

    REQUESTED -> APPROVED -> IN_TRANSIT -> RECEIVED -> INSPECTED -> CLOSED
        |  \\          \\___________\\__________^
        |   `-> DECLINED          (RECEIVED straight from APPROVED when the parcel is not
        `-> CANCELLED              tracked; APPROVED -> CLOSED when the items are kept)

REQUESTED and APPROVED may be CANCELLED (the shopper withdraws, or staff close it unsent).
Every move is an UPDATE conditional on the status and version read, so of two racing moves
one applies and the other is refused ILLEGAL_TRANSITION (or STALE); each writes its timeline
entry in the same transaction, and the change is announced on the order's channel and the
merchant's returns channel once it commits; the shopper's email of the new status is
enqueued in the same transaction (`services.emails.returns`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import timezone

from models.orders import Order
from models.returns import ReturnEvent, ReturnRequest, ReturnStatus
from services.emails import returns as return_emails
from services.orders.timeline import Actor
from services.returns.errors import ReturnError, ReturnErrorCode, fail, not_found
from subscriptions import events

S = ReturnStatus

#: Where each status may go next.
TRANSITIONS: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.DECLINED, S.CANCELLED}),
    S.APPROVED: frozenset({S.IN_TRANSIT, S.RECEIVED, S.CLOSED, S.CANCELLED}),
    S.IN_TRANSIT: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.INSPECTED}),
    S.INSPECTED: frozenset({S.CLOSED}),
    S.DECLINED: frozenset(),
    S.CLOSED: frozenset(),
    S.CANCELLED: frozenset(),
}

#: Statuses in which a return still holds its lines' units (they cannot be asked back twice).
OPEN = frozenset({S.REQUESTED, S.APPROVED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED})
#: Statuses that count the lines as returned (or being returned): all but the refusals.
HOLDING = OPEN | {S.CLOSED}
#: The column each status stamps with the time it was reached.
STAMPS: dict[ReturnStatus, str] = {
    S.APPROVED: "approved_at",
    S.RECEIVED: "received_at",
    S.CLOSED: "closed_at",
    S.CANCELLED: "cancelled_at",
}

MAX_MESSAGE = 500


def can_move(current: ReturnStatus, to: ReturnStatus) -> bool:
    return to in TRANSITIONS[ReturnStatus(current)]


def illegal(current: ReturnStatus, to: ReturnStatus) -> ReturnError:
    return fail(
        ReturnErrorCode.ILLEGAL_TRANSITION,
        f"A return that is {ReturnStatus(current).value.replace('_', ' ')} cannot become "
        f"{to.value.replace('_', ' ')}.",
        "return_id",
    )


async def record(
    ret: ReturnRequest,
    actor: Actor,
    *,
    message: str = "",
    from_status: ReturnStatus | None = None,
    to_status: ReturnStatus | None = None,
    internal: bool = False,
    data: dict[str, Any] | None = None,
) -> ReturnEvent:
    """Write one timeline entry; call it inside the transaction of the change it records."""
    return await ReturnEvent.create(
        return_request_id=ret.id,
        from_status=from_status.value if from_status else "",
        to_status=to_status.value if to_status else "",
        actor=actor.label,
        actor_user_id=actor.user_id,
        message=message[:MAX_MESSAGE],
        internal=internal,
        data=data or {},
    )


async def locked(return_id: int, *, order_id: int | None = None) -> ReturnRequest:
    """The return, its row locked until the transaction ends; `order_id` limits it to one
    order's returns (another order's reads as NOT_FOUND)."""
    rows = ReturnRequest.select_for_update().filter(id=return_id)
    if order_id is not None:
        rows = rows.filter(order_id=order_id)
    ret = await rows.first()
    if ret is None:
        raise not_found("The return", "return_id")
    return ret


def check_version(ret: ReturnRequest, version: int | None) -> None:
    """STALE when a screen acts on a version of the return older than the row."""
    if version is not None and version != ret.version:
        raise fail(
            ReturnErrorCode.STALE,
            "The return changed since it was read: read it again.",
            "version",
        )


async def move(
    ret: ReturnRequest,
    to: ReturnStatus,
    *,
    actor: Actor,
    message: str = "",
    internal: bool = False,
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> ReturnRequest:
    """Move `ret` from the status and version it was read with to `to`, or raise
    ILLEGAL_TRANSITION. Call inside `atomic()`; `changes` are further columns set by the same
    UPDATE. Returns the return with the new values; the announcement goes out on commit."""
    current = ReturnStatus(ret.status)
    if not can_move(current, to):
        raise illegal(current, to)
    now = timezone.now()
    if to in STAMPS:
        changes.setdefault(STAMPS[to], now)
    changes["updated_at"] = now
    changes["version"] = ret.version + 1
    won = await ReturnRequest.filter(id=ret.id, status=current, version=ret.version).update(
        status=to, **changes
    )
    if not won:
        fresh = await ReturnRequest.get_or_none(id=ret.id).only("status")
        raise illegal(ReturnStatus(fresh.status) if fresh else current, to)
    await record(
        ret, actor, message=message, from_status=current, to_status=to,
        internal=internal, data=data,
    )  # fmt: skip
    ret.status = to
    for name, value in changes.items():
        setattr(ret, name, value)
    # The shopper's email of the new status, in the same transaction: every move tells them.
    await return_emails.status_changed(ret.order_id, ret.id, to)
    await announce(ret, previous=current, at=now)
    return ret


async def touch(ret: ReturnRequest, **changes: Any) -> ReturnRequest:
    """Change columns of `ret` other than its status (instructions, a label), bumping its
    version; STALE if another request changed it since it was read. Inside `atomic()`."""
    now = timezone.now()
    changes["updated_at"] = now
    changes["version"] = ret.version + 1
    won = await ReturnRequest.filter(id=ret.id, version=ret.version).update(**changes)
    if not won:
        raise fail(
            ReturnErrorCode.STALE, "The return changed since it was read: read it again.",
            "version",
        )  # fmt: skip
    for name, value in changes.items():
        setattr(ret, name, value)
    await announce(ret, previous=ReturnStatus(ret.status), at=now)
    return ret


async def announce(ret: ReturnRequest, *, previous: ReturnStatus, at: datetime) -> None:
    """Publish the return's change on its order's channel and the merchant's, after commit."""
    order = await Order.get(id=ret.order_id).only("id", "number")
    await events.publish(
        events.ReturnChanged(
            number=order.number,
            return_number=ret.number,
            status=ReturnStatus(ret.status),
            previous_status=previous,
            at=at,
        )
    )
