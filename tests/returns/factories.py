"""Returns made directly in the tables, as asking for one will leave them: a delivered order
with its lines, and a return of some of them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from models.accounts import User
from models.catalog import ProductVariant
from models.orders import Order, OrderLine, OrderStatus
from models.returns import ReturnLine, ReturnReason, ReturnRequest, ReturnResolution, ReturnStatus
from tests.factories import make_order, make_product, make_user


async def delivered_order(
    user: User | None = None,
    *,
    quantities: tuple[int, ...] = (2, 1),
    country: str = "JP",
    stock: int = 10,
    **fields: Any,
) -> Order:
    """A delivered order of one product's variants (one line per quantity given), each
    variant with `stock` units on hand."""
    product = await make_product(
        name="Linen shirt",
        prices=tuple(f"{20 + 10 * i}.00" for i in range(len(quantities))),
        stock=tuple(stock for _ in quantities),
    )
    variants = await product.variants.all().order_by("id")
    now = datetime.now().astimezone()
    address = {"full_name": "Aiko Tanaka", "line1": "1-2-3 Shibuya", "city": "Tokyo",
               "postal_code": "150-0002", "country": country}  # fmt: skip
    return await make_order(
        user if user is not None else await make_user(),
        list(zip(variants, quantities, strict=True)),
        status=OrderStatus.DELIVERED,
        ship_country=country,
        shipping_address=address,
        shipped_at=now - timedelta(days=5),
        delivered_at=now - timedelta(days=2),
        **fields,
    )


async def reason(code: str = "wrong_size", name: str = "Wrong size") -> ReturnReason:
    found = await ReturnReason.get_or_none(code=code)
    return found or await ReturnReason.create(code=code, name=name)


async def make_return(
    order: Order,
    *,
    lines: list[tuple[OrderLine, int]] | None = None,
    status: ReturnStatus = ReturnStatus.REQUESTED,
    why: ReturnReason | None = None,
    created_at: datetime | None = None,
    **fields: Any,
) -> ReturnRequest:
    """A return of the order's `lines` (every line, all its units, by default)."""
    if lines is None:
        lines = [(line, line.quantity) for line in await OrderLine.filter(order_id=order.id)]
    sequence = await ReturnRequest.filter(order_id=order.id).count() + 1
    why = why or await reason()
    ret = await ReturnRequest.create(
        number=f"{order.number}-R{sequence}",
        order_id=order.id,
        sequence=sequence,
        status=status,
        resolution=fields.pop("resolution", ReturnResolution.REFUND),
        reason_id=why.id,
        reason_name=why.name,
        **fields,
    )
    if created_at is not None:
        await ReturnRequest.filter(id=ret.id).update(created_at=created_at)
        ret = await ReturnRequest.get(id=ret.id)
    await ReturnLine.bulk_create(
        [
            ReturnLine(return_request_id=ret.id, order_line_id=line.id, quantity=quantity)
            for line, quantity in lines
        ]
    )
    return ret


async def order_lines(order: Order) -> list[OrderLine]:
    return await OrderLine.filter(order_id=order.id).order_by("id")


async def on_hand(line: OrderLine) -> int:
    """Units of the line's variant on hand now."""
    variant = await ProductVariant.get(id=line.variant_id)
    return variant.stock_on_hand
