"""Emails about returns and cancellation requests: enqueued in the transaction of the change
they tell about, and what they say of the return when written.

A return's emails are keyed by the return's id, one per kind: requested, approved (how to
send the goods back), declined (why), received, closed (what was refunded, credited or
exchanged) and cancelled. `services.returns.status.move` and the creation of a return are
the only places that enqueue them, so every path that moves a return tells the shopper.
A new return also tells the shop, at its contact address when it has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from models.emails import EmailKind
from models.orders import Order, OrderLine
from models.returns import (
    CancellationRequest,
    ReturnLine,
    ReturnOutcome,
    ReturnRequest,
    ReturnStatus,
)
from services.emails.events import enqueue
from services.emails.rendering import CANCELLATION_KINDS, RETURN_KINDS, SHOP_KINDS, EmailLine
from settings import get_settings

#: The email a return's move into each status sends.
ON_STATUS: dict[ReturnStatus, EmailKind] = {
    ReturnStatus.APPROVED: EmailKind.RETURN_APPROVED,
    ReturnStatus.DECLINED: EmailKind.RETURN_DECLINED,
    ReturnStatus.RECEIVED: EmailKind.RETURN_RECEIVED,
    ReturnStatus.CLOSED: EmailKind.RETURN_CLOSED,
    ReturnStatus.CANCELLED: EmailKind.RETURN_CANCELLED,
}


async def requested(order_id: int, return_id: int) -> None:
    """The shopper's "we have your request" email, and the shop's notice of a new return."""
    await enqueue(order_id, EmailKind.RETURN_REQUESTED, str(return_id))
    if get_settings().shop_contact_email:
        await enqueue(order_id, EmailKind.SHOP_RETURN_REQUESTED, str(return_id))


async def status_changed(order_id: int, return_id: int, status: ReturnStatus) -> None:
    """The email of the return's new status, if that status has one."""
    kind = ON_STATUS.get(ReturnStatus(status))
    if kind is not None:
        await enqueue(order_id, kind, str(return_id))


async def cancellation_decided(order_id: int, request_id: int, *, approved: bool) -> None:
    kind = EmailKind.CANCELLATION_APPROVED if approved else EmailKind.CANCELLATION_DECLINED
    await enqueue(order_id, kind, str(request_id))


def recipient(order: Order, kind: EmailKind) -> str:
    """Where the email goes: the shop's contact address for the shop's own, else the shopper."""
    return get_settings().shop_contact_email if kind in SHOP_KINDS else order.email


@dataclass(frozen=True, slots=True)
class ReturnDetails:
    """What an email says of its return or cancellation request ("" where it says nothing)."""

    return_number: str = ""
    return_lines: list[EmailLine] = field(default_factory=list)
    reason: str = ""
    instructions: str = ""
    label_reference: str = ""
    decline_reason: str = ""
    refunded: str = ""
    credited: str = ""
    kept_fee: str = ""
    exchange_number: str = ""
    keep_items: bool = False


async def return_details(
    order: Order, kind: EmailKind, key: str, money: Callable[..., str]
) -> ReturnDetails:
    """The return (or cancellation request) an email of `kind` keyed `key` tells about."""
    if kind in CANCELLATION_KINDS:
        request = await CancellationRequest.get(id=int(key), order_id=order.id)
        return ReturnDetails(decline_reason=request.decline_reason)
    if kind not in RETURN_KINDS:
        return ReturnDetails()
    ret = await ReturnRequest.get(id=int(key), order_id=order.id)
    ordered = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    lines = []
    for row in await ReturnLine.filter(return_request_id=ret.id).order_by("id"):
        line = ordered[row.order_line_id]
        name = line.product_name
        if line.variant_name:
            name = f"{name} ({line.variant_name})"
        lines.append(
            EmailLine(
                name=name,
                quantity=row.quantity,
                unit_price=money(line.unit_price_presentment),
                total=money(line.unit_price_presentment * row.quantity),
            )
        )
    outcome = await ReturnOutcome.get_or_none(return_request_id=ret.id)
    exchange = ""
    if outcome is not None and outcome.exchange_order_id is not None:
        replacement = await Order.get_or_none(id=outcome.exchange_order_id).only("id", "number")
        exchange = replacement.number if replacement else ""
    return ReturnDetails(
        return_number=ret.number,
        return_lines=lines,
        reason=ret.reason_name,
        instructions=ret.instructions,
        label_reference=ret.label_reference,
        decline_reason=ret.decline_reason,
        refunded=_amount(outcome, "refund_amount", money),
        credited=_amount(outcome, "credit_amount", money),
        kept_fee=_amount(outcome, "fee_amount", money),
        exchange_number=exchange,
        keep_items=ret.keep_items,
    )


def _amount(outcome: ReturnOutcome | None, name: str, money: Callable[..., str]) -> str:
    """One of the outcome's amounts, formatted in its currency ("" when none)."""
    minor = getattr(outcome, name) if outcome is not None else 0
    return money(minor, outcome.currency) if outcome is not None and minor else ""
