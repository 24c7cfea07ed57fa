"""Returns ready for their outcome: a delivered order paid through the test gateway, with
a return inspected (or approved with the items kept), built from the models directly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.accounts import User
from models.catalog import ProductVariant
from models.customs import ChargeKind, OrderCharge
from models.orders import Order, OrderLine, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from models.returns import (
    Inspection,
    ReturnLine,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
)
from services.members import points as member_points
from tests.factories import make_order, make_product


async def paid_order(
    user: User | None,
    prices: tuple[str, ...],
    *,
    quantities: tuple[int, ...] | None = None,
    currency: str | None = None,
    rate: str = "1",
    stock: int = 10,
    **fields: Any,
) -> tuple[Order, Payment, list[OrderLine]]:
    """A delivered order of one line per price (quantity 1 unless told), paid in full by
    card through the test gateway; a completed order's member earned its points."""
    quantities = quantities or (1,) * len(prices)
    lines: list[tuple[ProductVariant, int]] = []
    for price, quantity in zip(prices, quantities, strict=True):
        product = await make_product(prices=(price,), stock=(stock,))
        lines.append((await ProductVariant.get(product_id=product.id), quantity))
    fields.setdefault("delivered_at", datetime.now().astimezone())
    fields.setdefault("status", OrderStatus.DELIVERED)
    order = await make_order(user, lines, currency=currency, rate=rate, **fields)
    payment = await pay(order)
    if user is not None:
        await member_points.on_order_completed(order.id)
    return order, payment, await OrderLine.filter(order_id=order.id).order_by("id")


async def pay(order: Order) -> Payment:
    """The order's total (less store credit) captured by the test gateway."""
    amount = order.total_presentment - order.store_credit_presentment
    return await Payment.create(
        order=order,
        attempt=1,
        gateway=Gateway.TEST,
        method="card",
        provider_id=f"test_pi_{order.number}",
        status=PaymentStatus.SUCCEEDED,
        currency=order.currency,
        amount=amount,
        amount_received=amount,
        succeeded_at=datetime.now().astimezone(),
    )


async def discounted(order: Order, shop: int, presentment: int) -> Order:
    """Give the order a merchandise discount (shop and presentment minor units)."""
    order.discount_total = shop
    order.discount_total_presentment = presentment
    order.total = order.subtotal - shop + order.shipping_total
    order.total_presentment = order.subtotal_presentment - presentment
    order.total_presentment += order.shipping_total_presentment
    await order.save()
    return order


async def charge(
    order: Order, line: OrderLine, kind: ChargeKind, amount: int, shown: int, *, regime: str
) -> OrderCharge:
    """A duty or import tax collected at checkout on `line` (added to the order's totals)."""
    row = await OrderCharge.create(
        order=order, line=line, kind=kind, regime=regime, name=kind.value,
        destination=order.ship_country or "DE", basis="price", amount=amount,
        amount_presentment=shown, collected=True,
    )  # fmt: skip
    order.total += amount
    order.total_presentment += shown
    await order.save(update_fields=["total", "total_presentment"])
    return row


_sequence: dict[int, int] = {}


async def inspected_return(
    order: Order,
    lines: list[tuple[OrderLine, int]],
    *,
    inspection: Inspection = Inspection.RESTOCK,
    inspected: int | None = None,
    keep_items: bool = False,
    resolution: ReturnResolution = ReturnResolution.REFUND,
    exchange: dict[int, int] | None = None,
) -> ReturnRequest:
    """A return of `(order line, units)`: INSPECTED as `inspection` (all units, or
    `inspected` of each), or APPROVED with the items kept; `exchange` maps an order line id
    to the variant wanted instead."""
    n = _sequence[order.id] = _sequence.get(order.id, 0) + 1
    ret = await ReturnRequest.create(
        number=f"{order.number}-R{n}",
        order=order,
        sequence=n,
        status=ReturnStatus.APPROVED if keep_items else ReturnStatus.INSPECTED,
        resolution=resolution,
        keep_items=keep_items,
    )
    for line, units in lines:
        done = units if inspected is None else inspected
        await ReturnLine.create(
            return_request=ret,
            order_line=line,
            quantity=units,
            exchange_variant_id=(exchange or {}).get(line.id),
            inspection=Inspection.PENDING if keep_items else inspection,
            inspected_quantity=0 if keep_items else done,
            restocked_quantity=done if inspection is Inspection.RESTOCK and not keep_items else 0,
        )
    return ret
