"""Shipped orders and carrier reports for the tracking tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from models.orders import Order, OrderLine, OrderStatus, Shipment
from models.tracking import TrackingStatus, TrackingSubStatus
from services.orders import fulfilment
from services.orders.fulfilment import ShipLine
from services.orders.timeline import SYSTEM
from services.shipping.tracking_numbers import s10_check_digit
from services.tracking.events import Report
from tests.factories import make_product, make_user
from tests.orders.handling_setup import make_carrier, placed_order

#: A morning in Shanghai, where the demo's parcels start.
SHANGHAI = timezone(timedelta(hours=8))
START = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)


async def shipped_order(parcels: int = 1, **carrier: object) -> tuple[Order, list[Shipment]]:
    """A paid order of `parcels` lines shipped one parcel per line; its shipments."""
    variants = []
    for _ in range(parcels):
        product = await make_product(prices=("10.00",), stock=(5,))
        [variant] = await product.variants.all()
        variants.append(variant)
    order = await placed_order(
        await make_user(), [(v, 1) for v in variants], status=OrderStatus.PENDING_SHIPMENT
    )
    shipping = await make_carrier(**carrier)
    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    shipments = []
    for index, line in enumerate(lines):
        shipped = await fulfilment.ship_order(
            order.id,
            actor=SYSTEM,
            carrier_id=shipping.id,
            tracking_number=s10_number(f"{index:02d}{order.id:06d}"),
            lines=[ShipLine(line.id, 1)],
        )
        shipments.append(shipped.shipment)
    return await Order.get(id=order.id), shipments


def s10_number(serial: str, prefix: str = "LX", country: str = "CN") -> str:
    """A valid UPU S10 number for an 8-digit serial."""
    return f"{prefix}{serial}{s10_check_digit(serial)}{country}"


def report(
    status: TrackingStatus,
    hours: float,
    *,
    sub: TrackingSubStatus | None = None,
    message: str = "",
    **more: object,
) -> Report:
    """A carrier's report `hours` after the start of the journey."""
    return Report(
        status=status,
        occurred_at=START + timedelta(hours=hours),
        sub_status=sub,
        message=message or status.value.replace("_", " "),
        **more,  # type: ignore[arg-type]
    )


def utc(at: datetime) -> datetime:
    return at.astimezone(UTC)
