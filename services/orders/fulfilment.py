"""Shipping a paid order, in one parcel or several.

A shipment takes the units given (or everything not yet shipped) of a PENDING_SHIPMENT
order, never more of a line than is left: OVER_SHIPPED otherwise. Its stock leaves the
warehouse (`stock.ship`) in the same transaction. When every unit has shipped the order
becomes SHIPPED; a partial shipment leaves it PENDING_SHIPMENT with a SHIPMENT entry in its
timeline, so the rest can follow (or be cancelled, releasing only the unshipped units).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise import timezone

from models.orders import (
    Order,
    OrderEventKind,
    OrderLine,
    OrderStatus,
    Shipment,
    ShipmentLine,
)
from models.shipping import Carrier, ShippingService
from services.emails import events as order_emails
from services.errors import Problem
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.orders import queries, timeline
from services.orders.errors import OrderError, OrderErrorCode, fail, not_found
from services.orders.status import illegal, move, not_reserved, order_for_change
from services.orders.timeline import Actor
from services.shipping import carriers, tracking_numbers
from services.shipping.tracking_numbers import Validity, Verdict
from services.tracking import simulator
from services.transactions import atomic


@dataclass(frozen=True, slots=True)
class ShipLine:
    order_line_id: int
    quantity: int


@dataclass(frozen=True, slots=True)
class Shipped:
    order: Order
    shipment: Shipment


def _tracking_problems(verdict: Verdict) -> list[Problem]:
    """What staff must confirm before a parcel ships with this number (nothing: it is fine)."""
    problems = []
    if verdict.validity in (Validity.INVALID_CHECK_DIGIT, Validity.INVALID_FORMAT):
        problems.append(
            Problem(OrderErrorCode.TRACKING_NUMBER_INVALID, verdict.message, ("tracking_number",))
        )
    if verdict.carrier_mismatch:
        problems.append(
            Problem(
                OrderErrorCode.TRACKING_NUMBER_CARRIER_MISMATCH,
                verdict.mismatch_message,
                ("tracking_number",),
            )
        )
    return problems


def _units(
    lines: Sequence[ShipLine] | None, order_lines: list[OrderLine], shipped: dict[int, int]
) -> dict[int, int]:
    """Units to ship by order line id: the lines asked for, or everything left."""
    left = {line.id: line.quantity - shipped.get(line.id, 0) for line in order_lines}
    if lines is None:
        return {line_id: units for line_id, units in left.items() if units > 0}
    wanted: dict[int, int] = defaultdict(int)
    for position, line in enumerate(lines):
        if line.order_line_id not in left:
            raise not_found("The order line", "lines", str(position), "order_line_id")
        if line.quantity <= 0:
            raise fail(
                OrderErrorCode.INVALID_QUANTITY,
                "Ship at least one unit.",
                "lines",
                str(position),
                "quantity",
            )
        wanted[line.order_line_id] += line.quantity
        if wanted[line.order_line_id] > left[line.order_line_id]:
            raise fail(
                OrderErrorCode.OVER_SHIPPED,
                f"Only {left[line.order_line_id]} of this line are left to ship.",
                "lines",
                str(position),
                "quantity",
            )
    return dict(wanted)


@dataclass(frozen=True, slots=True)
class Label:
    """What a parcel ships with: its carrier, service and tracking number, checked."""

    carrier: Carrier
    service: ShippingService | None
    #: The tracking number, normalised.
    number: str
    #: The tracking number's refusals staff chose to override (none: it passed its check).
    overridden: list[Problem]

    @property
    def tracking_url(self) -> str:
        return carriers.tracking_link(self.carrier.tracking_url, self.number) or ""


async def check_label(
    *,
    carrier_id: int,
    tracking_number: str,
    service_id: int | None = None,
    accept_invalid_tracking_number: bool = False,
) -> Label:
    """The carrier (active), its service (active, when given) and the tracking number a
    parcel may ship with, or an `OrderError` at `carrier_id`, `service_id` or
    `tracking_number`. A number that fails its check or names another carrier is refused
    (TRACKING_NUMBER_INVALID, TRACKING_NUMBER_CARRIER_MISMATCH) unless
    `accept_invalid_tracking_number`."""
    number = tracking_numbers.normalise(tracking_number)
    if not number:
        raise fail(OrderErrorCode.REQUIRED, "Give the tracking number.", "tracking_number")
    if (problem := tracking_numbers.format_problem(number)) is not None:
        raise fail(OrderErrorCode.INVALID, problem, "tracking_number")
    carrier = await Carrier.get_or_none(id=carrier_id, active=True)
    if carrier is None:
        raise not_found("The carrier", "carrier_id")
    to_confirm = _tracking_problems(tracking_numbers.check(number, carrier_code=carrier.code))
    if to_confirm and not accept_invalid_tracking_number:
        raise OrderError(to_confirm)
    service = None
    if service_id is not None:
        service = await ShippingService.get_or_none(
            id=service_id, carrier_id=carrier.id, active=True
        )
        if service is None:
            raise not_found("The carrier's service", "service_id")
    return Label(carrier=carrier, service=service, number=number, overridden=to_confirm)


async def ship_order(
    order_id: int,
    *,
    actor: Actor,
    carrier_id: int,
    tracking_number: str,
    lines: Sequence[ShipLine] | None = None,
    service_id: int | None = None,
    accept_invalid_tracking_number: bool = False,
) -> Shipped:
    """Send a parcel for a paid order; `lines` None ships everything not yet shipped.

    `service_id`, when given, is an active service of the same carrier. The tracking number
    is stored normalised; `accept_invalid_tracking_number` ships one that fails its check."""
    label = await check_label(
        carrier_id=carrier_id,
        tracking_number=tracking_number,
        service_id=service_id,
        accept_invalid_tracking_number=accept_invalid_tracking_number,
    )
    carrier, service, number = label.carrier, label.service, label.number
    to_confirm = label.overridden
    async with atomic():
        # The lock keeps two shipments of one order from both taking the last units.
        order = await order_for_change(order_id)
        if OrderStatus(order.status) is not OrderStatus.PENDING_SHIPMENT:
            raise illegal(OrderStatus(order.status), OrderStatus.SHIPPED)
        order_lines = await OrderLine.filter(order_id=order.id)
        shipped = await queries.shipped_by_line(order.id)
        units = _units(lines, order_lines, shipped)
        if not units:
            raise fail(OrderErrorCode.NOTHING_TO_SHIP, "Nothing is left to ship.", "lines")
        shipment = await Shipment.create(
            order_id=order.id,
            carrier_id=carrier.id,
            carrier_name=carrier.name,
            service_id=service.id if service else None,
            service_name=service.name if service else "",
            tracking_number=number,
            tracking_url=label.tracking_url,
        )
        await ShipmentLine.bulk_create(
            [
                ShipmentLine(shipment_id=shipment.id, order_line_id=line_id, quantity=quantity)
                for line_id, quantity in sorted(units.items())
            ]
        )
        await order_emails.shipped(order.id, shipment.id)
        await simulator.follow(shipment)
        by_variant: dict[int, int] = defaultdict(int)
        for line in order_lines:
            if line.id in units and line.variant_id is not None:
                by_variant[line.variant_id] += units[line.id]
        if by_variant:
            try:
                await stock.ship(
                    sorted(by_variant.items()), reference=order.number, actor_id=actor.user_id
                )
            except InventoryError as exc:
                raise not_reserved(exc) from None
        everything = all(
            shipped.get(line.id, 0) + units.get(line.id, 0) >= line.quantity for line in order_lines
        )
        note = f"Shipped with {carrier.name}, tracking {number}."
        data: dict[str, Any] = {"shipmentId": shipment.id, "trackingNumber": number}
        overridden = [{"code": p.code.name, "message": p.message} for p in to_confirm]
        if overridden:
            data["trackingNumberAccepted"] = overridden
        if everything:
            order = await move(
                order,
                OrderStatus.SHIPPED,
                actor=actor,
                kind=OrderEventKind.SHIPMENT,
                message=note,
                data=data,
                shipped_at=timezone.now(),
            )
        else:
            await timeline.record(
                order.id,
                OrderEventKind.SHIPMENT,
                actor,
                message=f"Partly shipped with {carrier.name}, tracking {number}.",
                data=data,
            )
        if overridden:
            # The shopper reads the shipment entry; what staff overrode is for staff alone.
            await timeline.record(
                order.id,
                OrderEventKind.NOTE,
                actor,
                message=f"Shipped with tracking number {number} although it did not pass "
                f"its check: {' '.join(p.message for p in to_confirm)}",
                internal=True,
                data={"shipmentId": shipment.id, "trackingNumberAccepted": overridden},
            )
        return Shipped(order=order, shipment=shipment)
