"""Which of an order's lines may go back now, how many units of each, and why not.

A unit may be asked back once it has left in an outbound parcel (a parcel bringing a
return back, `Shipment.return_request` set, is never one), while the line's return window
is open, unless its product is final sale or the unit is already held by a return that was
not declined or cancelled (`status.HOLDING`). The window is the line's policy
(`policy.policies_for`) counted from the delivery tracking recorded for the parcel that
carried it, or its shipping date plus the delivery margin; a line that left in several
parcels gets the latest of their windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tortoise import timezone

from models.orders import Order, OrderLine, OrderStatus, ShipmentLine
from models.returns import ReturnLine
from services.returns import policy as return_policy
from services.returns.policy import EffectivePolicy
from services.returns.status import HOLDING


class NotReturnable(StrEnum):
    """Why a line has no unit left to return."""

    FINAL_SALE = "final_sale"
    WINDOW_OVER = "window_over"
    NOT_SHIPPED = "not_shipped"
    ALREADY_RETURNED = "already_returned"
    ORDER_CANCELLED = "order_cancelled"
    ORDER_UNPAID = "order_unpaid"


#: What each reason says, for error messages (screens word it themselves).
EXPLAINED: dict[NotReturnable, str] = {
    NotReturnable.FINAL_SALE: "This item is final sale and cannot be returned.",
    NotReturnable.WINDOW_OVER: "The return window for this item closed on {date}.",
    NotReturnable.NOT_SHIPPED: "This item has not been shipped yet.",
    NotReturnable.ALREADY_RETURNED: "Every unit of this item is already being returned.",
    NotReturnable.ORDER_CANCELLED: "The order was cancelled.",
    NotReturnable.ORDER_UNPAID: "The order has not been paid.",
}


@dataclass(frozen=True, slots=True)
class LineEligibility:
    """One order line's standing for a return now."""

    line: OrderLine
    #: Units that left in outbound parcels.
    shipped: int
    #: Units held by returns that still count (requested, approved, ..., closed).
    held: int
    #: Units that may be asked back now (0 when `reason` is set).
    returnable: int
    reason: NotReturnable | None
    #: The last moment a return may be asked (None while nothing of the line shipped).
    window_ends: datetime | None
    policy: EffectivePolicy

    def explain(self) -> str:
        """Why no unit may go back, in a sentence ("" when some may)."""
        if self.reason is None:
            return ""
        day = self.window_ends.date().isoformat() if self.window_ends else ""
        return EXPLAINED[self.reason].format(date=day)


async def _shipped(order_id: int) -> tuple[dict[int, int], dict[int, list[tuple]]]:
    """Per order line: units shipped in outbound parcels, and (delivered_at, shipped_at) of
    each such parcel."""
    rows = await ShipmentLine.filter(
        shipment__order_id=order_id, shipment__return_request_id__isnull=True
    ).values("order_line_id", "quantity", "shipment__delivered_at", "shipment__shipped_at")
    units: dict[int, int] = {}
    parcels: dict[int, list[tuple]] = {}
    for row in rows:
        line_id = row["order_line_id"]
        units[line_id] = units.get(line_id, 0) + row["quantity"]
        parcels.setdefault(line_id, []).append(
            (row["shipment__delivered_at"], row["shipment__shipped_at"])
        )
    return units, parcels


async def held_units(order_id: int) -> dict[int, int]:
    """Per order line, the units held by the order's returns that still count."""
    rows = ReturnLine.filter(
        return_request__order_id=order_id,
        return_request__status__in=[s.value for s in HOLDING],
    ).values("order_line_id", "quantity")
    held: dict[int, int] = {}
    for row in await rows:
        held[row["order_line_id"]] = held.get(row["order_line_id"], 0) + row["quantity"]
    return held


def _window_end(policy: EffectivePolicy, parcels: list[tuple]) -> datetime | None:
    ends = [
        end
        for delivered, shipped in parcels
        if (end := return_policy.window_ends(policy, delivered, shipped)) is not None
    ]
    return max(ends) if ends else None


def _reason(
    order: Order, policy: EffectivePolicy, shipped: int, held: int, ends: datetime | None,
    now: datetime,
) -> NotReturnable | None:  # fmt: skip
    status = OrderStatus(order.status)
    if status is OrderStatus.CANCELLED:
        return NotReturnable.ORDER_CANCELLED
    if status is OrderStatus.PENDING_PAYMENT:
        return NotReturnable.ORDER_UNPAID
    if not policy.returnable:
        return NotReturnable.FINAL_SALE
    if shipped <= 0 or ends is None:
        return NotReturnable.NOT_SHIPPED
    if shipped - held <= 0:
        return NotReturnable.ALREADY_RETURNED
    if now > ends:
        return NotReturnable.WINDOW_OVER
    return None


async def eligibility(order: Order, *, now: datetime | None = None) -> list[LineEligibility]:
    """Each of the order's lines (in line order) with the units that may go back now."""
    now = now or timezone.now()
    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    units, parcels = await _shipped(order.id)
    held = await held_units(order.id)
    policies = await return_policy.policies_for(ln.product_id for ln in lines if ln.product_id)
    shop = await return_policy.shop_policy()
    found = []
    for line in lines:
        policy = policies.get(line.product_id, shop) if line.product_id else shop
        shipped = min(units.get(line.id, 0), line.quantity)
        kept = held.get(line.id, 0)
        ends = _window_end(policy, parcels.get(line.id, []))
        reason = _reason(order, policy, shipped, kept, ends, now)
        found.append(
            LineEligibility(
                line=line,
                shipped=shipped,
                held=kept,
                returnable=0 if reason else shipped - kept,
                reason=reason,
                window_ends=ends,
                policy=policy,
            )
        )
    return found
