"""Orders whose parcels went out and arrived, and the reasons a shop offers, for the
returns tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise import timezone

from models.accounts import User
from models.catalog import Product, ProductVariant
from models.orders import Order, OrderLine, OrderStatus, Shipment, ShipmentLine
from models.returns import ReturnReason
from services.orders import access
from tests.factories import make_order, make_product, make_user


async def make_reasons() -> tuple[ReturnReason, ReturnReason]:
    """A plain reason and one that needs a photo (the same ones when asked again)."""
    size, _ = await ReturnReason.get_or_create(
        code="wrong_size", defaults={"name": "Wrong size", "position": 1}
    )
    damaged, _ = await ReturnReason.get_or_create(
        code="damaged", defaults={"name": "Arrived damaged", "needs_photo": True, "position": 2}
    )
    return size, damaged


async def ship(
    order: Order,
    lines: list[tuple[OrderLine, int]],
    *,
    shipped_at: datetime | None = None,
    delivered_at: datetime | None = None,
    **fields: Any,
) -> Shipment:
    """A parcel that carried `lines` to the shopper (delivered when `delivered_at` is set)."""
    parcel = await Shipment.create(
        order=order, carrier_name="Test Post", tracking_number=f"TP{order.id}", **fields
    )
    await Shipment.filter(id=parcel.id).update(
        shipped_at=shipped_at or timezone.now() - timedelta(days=3), delivered_at=delivered_at
    )
    for line, quantity in lines:
        await ShipmentLine.create(shipment=parcel, order_line=line, quantity=quantity)
    return await Shipment.get(id=parcel.id)


async def delivered_order(
    user: User | None = None,
    *,
    quantities: tuple[int, ...] = (1, 1),
    delivered_days_ago: float = 2,
    currency: str = "JPY",
    rate: str = "20",
    **fields: Any,
) -> tuple[Order, list[OrderLine], list[Product]]:
    """An order of one product per quantity, every unit shipped in one delivered parcel."""
    products = [await make_product(prices=("10.00", "12.00")) for _ in quantities]
    variants = [(await p.variants.all().order_by("id"))[0] for p in products]
    order = await make_order(
        user,
        [(v, q) for v, q in zip(variants, quantities, strict=True)],
        status=OrderStatus.DELIVERED,
        currency=currency,
        rate=rate,
        **fields,
    )
    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    delivered = timezone.now() - timedelta(days=delivered_days_ago)
    await ship(order, [(line, line.quantity) for line in lines], delivered_at=delivered)
    return order, list(lines), products


async def guest_order(**kw: Any) -> tuple[Order, list[OrderLine], str]:
    """A delivered guest order and its access token."""
    order, lines, _ = await delivered_order(None, **kw)
    return order, lines, await access.grant_access(order)


async def other_variant(product: Product) -> ProductVariant:
    return (await product.variants.all().order_by("id"))[1]


__all__ = ["delivered_order", "guest_order", "make_reasons", "make_user", "other_variant", "ship"]
