"""Sending a parcel again: the same lines, in a new parcel, for one lost or damaged on its way.

Only a parcel in trouble (`progress.needs_attention`, handled or not) may be sent again, and
only once: a replacement in trouble is itself the one to send again. The new parcel is a
`Shipment` whose `replacement_for` is the old one, checked for its carrier and tracking
number exactly as `shipOrder` checks a parcel (`fulfilment.check_label`). Its units leave
the warehouse again as a RESHIPMENT movement, from the available stock: the order's own
reservation left with the first parcel. The order's money and status stay as they are.

In one transaction, under the order's row lock (so two staff sending the same parcel again
at once make one replacement): the new parcel and its lines, the stock, the old parcel
marked handled, a shipment entry the shopper sees and an internal note saying who sent it
again and why. Nothing of it is kept when any step is refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tortoise import timezone

from models.accounts import User
from models.orders import Order, OrderEventKind, OrderLine, Shipment, ShipmentLine
from models.tracking import TrackingStatus
from services.emails import events as order_emails
from services.errors import Problems
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.orders import fulfilment, timeline
from services.orders.errors import OrderError
from services.orders.status import order_for_change
from services.orders.timeline import Actor
from services.tracking import events, progress, staff
from services.tracking.errors import TrackingError, TrackingErrorCode, fail, not_found
from services.transactions import atomic

#: As long as a carrier's service name may be (`Shipment.service_name`).
MAX_SERVICE_NAME = 80


@dataclass(frozen=True, slots=True)
class Reshipped:
    order: Order
    #: The parcel that replaces the lost or damaged one.
    shipment: Shipment
    #: The lost or damaged parcel, now marked handled.
    replaced: Shipment


async def _label(
    checks: Problems[TrackingErrorCode],
    *,
    carrier_id: int,
    tracking_number: str,
    service_id: int | None,
    accept_invalid_tracking_number: bool,
) -> fulfilment.Label | None:
    """The new parcel's carrier, service and number as `shipOrder` checks them; None (with
    the refusals noted under the tracking domain's codes) when refused."""
    try:
        return await fulfilment.check_label(
            carrier_id=carrier_id,
            tracking_number=tracking_number,
            service_id=service_id,
            accept_invalid_tracking_number=accept_invalid_tracking_number,
        )
    except OrderError as exc:
        checks.add_from(exc)
        return None


async def reship(
    shipment_id: int,
    *,
    actor: Actor,
    carrier_id: int,
    tracking_number: str,
    service_id: int | None = None,
    service_name: str = "",
    accept_invalid_tracking_number: bool = False,
    note: str = "",
) -> Reshipped:
    """Send the lines of a parcel in trouble again, as a new parcel replacing it.

    `service_id` is one of the carrier's active services; without it `service_name` names
    the service as free text. Refused with NOT_FOUND, NOT_A_PROBLEM, ALREADY_RESHIPPED,
    INSUFFICIENT_STOCK or the tracking number's refusals of `shipOrder`; nothing changes then.
    """
    # A return parcel comes back to the shop: there is nothing to send again.
    head = await Shipment.get_or_none(id=shipment_id, return_request_id=None).only("id", "order_id")
    if head is None:
        raise not_found("The shipment", "shipment_id")
    checks = Problems(TrackingError)
    reason = staff.clean_text(checks, note, "note", staff.MAX_NOTE)
    named = staff.clean_text(checks, service_name, "service_name", MAX_SERVICE_NAME)
    label = await _label(
        checks,
        carrier_id=carrier_id,
        tracking_number=tracking_number,
        service_id=service_id,
        accept_invalid_tracking_number=accept_invalid_tracking_number,
    )
    checks.raise_if_any()
    assert label is not None  # refused above otherwise
    async with atomic():
        order = await order_for_change(head.order_id)
        old = await Shipment.select_for_update().get(id=shipment_id)
        status = TrackingStatus(old.tracking_status)
        if not progress.needs_attention(status, old.tracking_sub_status):
            raise fail(
                TrackingErrorCode.NOT_A_PROBLEM,
                "Only a parcel in trouble (lost, damaged, held, on its way back) is sent again.",
                "shipment_id",
            )
        if await Shipment.filter(replacement_for_id=old.id).exists():
            raise fail(
                TrackingErrorCode.ALREADY_RESHIPPED,
                "This parcel was already sent again.",
                "shipment_id",
            )
        units = await ShipmentLine.filter(shipment_id=old.id).order_by("id")
        shipment = await Shipment.create(
            order_id=order.id,
            carrier_id=label.carrier.id,
            carrier_name=label.carrier.name,
            service_id=label.service.id if label.service else None,
            service_name=label.service.name if label.service else named,
            tracking_number=label.number,
            tracking_url=label.tracking_url,
            replacement_for_id=old.id,
        )
        await ShipmentLine.bulk_create(
            [
                ShipmentLine(
                    shipment_id=shipment.id,
                    order_line_id=unit.order_line_id,
                    quantity=unit.quantity,
                )
                for unit in units
            ]
        )
        await _take_stock(order, old, units, actor)
        now = timezone.now()
        await Shipment.filter(id=old.id).update(handled_at=now)
        old.handled_at = now
        await _write_timeline(order, old, shipment, label, actor, reason)
        await order_emails.shipped(order.id, shipment.id)
        await events.announce(order, old)
        await events.announce(order, shipment)
        return Reshipped(order=order, shipment=shipment, replaced=old)


async def _take_stock(order: Order, old: Shipment, units: list[ShipmentLine], actor: Actor) -> None:
    """Take the parcel's units out of the available stock again; INSUFFICIENT_STOCK if short."""
    variants = dict(
        await OrderLine.filter(id__in=[u.order_line_id for u in units]).values_list(
            "id", "variant_id"
        )
    )
    by_variant: dict[int, int] = defaultdict(int)
    for unit in units:
        variant_id = variants.get(unit.order_line_id)
        if variant_id is not None:  # a variant deleted since: nothing left to count
            by_variant[variant_id] += unit.quantity
    if not by_variant:
        return
    try:
        await stock.reship(
            sorted(by_variant.items()),
            reference=order.number,
            note=f"Sent again for parcel {old.tracking_number}.",
            actor_id=actor.user_id,
        )
    except InventoryError as exc:
        detail = " ".join(p.message for p in exc.problems)
        raise fail(
            TrackingErrorCode.INSUFFICIENT_STOCK,
            f"Not enough stock to send the parcel again: {detail}",
            "shipment_id",
        ) from None


async def _write_timeline(
    order: Order,
    old: Shipment,
    shipment: Shipment,
    label: fulfilment.Label,
    actor: Actor,
    reason: str,
) -> None:
    """The shopper learns of the new parcel; staff also read who sent it again and why."""
    data: dict[str, Any] = {
        "shipmentId": shipment.id,
        "replacementForId": old.id,
        "trackingNumber": label.number,
    }
    await timeline.record(
        order.id,
        OrderEventKind.SHIPMENT,
        actor,
        message=f"Sent again with {label.carrier.name}, tracking {label.number}, to replace "
        f"parcel {old.tracking_number}.",
        data=data,
    )
    trouble = TrackingStatus(old.tracking_status).value.replace("_", " ")
    overridden = [{"code": p.code.name, "message": p.message} for p in label.overridden]
    if overridden:
        data["trackingNumberAccepted"] = overridden
    who = await _name(actor)
    accepted = (
        " The tracking number did not pass its check: "
        + " ".join(p.message for p in label.overridden)
        if overridden
        else ""
    )
    await timeline.record(
        order.id,
        OrderEventKind.NOTE,
        actor,
        message=f"Parcel {old.tracking_number} ({trouble}) sent again as {label.number} by "
        f"{who}" + (f": {reason}" if reason else ".") + accepted,
        internal=True,
        data=data,
    )


async def _name(actor: Actor) -> str:
    """The staff member as colleagues know them: nickname, else email."""
    user = None
    if actor.user_id is not None:
        user = await User.get_or_none(id=actor.user_id).only("id", "nickname", "email")
    if user is None:
        return actor.label
    return user.nickname or user.email or actor.label
