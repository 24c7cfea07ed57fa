"""The replacement order of an exchange: the wanted variants at the price planned (today's,
when the outcome was planned), sent to the original order's address.

The returned units' worth pays for it: it is written as the replacement's discount, so the
order reads `subtotal - discount = total` with `total` the difference the shopper still owes.
Owing nothing, the replacement is paid at once and waits for shipment; owing something, it
waits for payment (PENDING_PAYMENT) and the shopper pays the difference from the order's
page like any unpaid order. Units are reserved as checkout reserves them. Shipping is free
and no duties are quoted again: the replacement travels under the original order's terms.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.catalog import Product, ProductVariant
from models.orders import Order, OrderEvent, OrderEventKind, OrderLine, OrderStatus
from services.customs.facts import customs_facts
from services.emails import events as order_emails
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.orders.numbers import new_order_number
from services.returns.errors import ReturnErrorCode, fail
from services.returns.outcome import scaled
from services.transactions import atomic
from subscriptions import events

NUMBER_ATTEMPTS = 5


async def create_replacement(
    original: Order, plan: dict[str, Any], *, return_number: str, actor_label: str,
    actor_id: int | None,
) -> Order:  # fmt: skip
    """Write the replacement order `plan` (the outcome's `exchange` entry) describes and
    reserve its units; EXCHANGE_UNAVAILABLE (nothing written) when they are not in stock.
    Inside the carry-out's transaction."""
    lines: list[list[Any]] = plan["lines"]
    variants = {v.id: v for v in await ProductVariant.filter(id__in=[int(row[0]) for row in lines])}
    if len(variants) != len({int(row[0]) for row in lines}):
        raise fail(
            ReturnErrorCode.EXCHANGE_UNAVAILABLE,
            "A variant wanted in exchange no longer exists.",
            "exchange",
        )
    products = {
        p.id: p for p in await Product.filter(id__in={v.product_id for v in variants.values()})
    }
    subtotal = sum(int(row[1]) * int(row[2]) for row in lines)
    subtotal_shown = sum(int(row[1]) * int(row[3]) for row in lines)
    used = int(plan["used"])
    owed = max(0, subtotal_shown - used)
    discount = subtotal - scaled(subtotal, owed, subtotal_shown) if subtotal_shown else subtotal
    now = timezone.now()
    status = OrderStatus.PENDING_SHIPMENT if owed == 0 else OrderStatus.PENDING_PAYMENT
    order = None
    async with atomic():
        for _ in range(NUMBER_ATTEMPTS):
            try:
                async with atomic():
                    order = await Order.create(
                        number=new_order_number(),
                        user_id=original.user_id,
                        email=original.email,
                        phone=original.phone,
                        status=status,
                        shop_currency=original.shop_currency,
                        currency=original.currency,
                        exchange_rate=plan["rate"] or "1",
                        rate_source=plan.get("rate_source") or "shop",
                        rate_date=date.fromisoformat(plan["rate_date"])
                        if plan.get("rate_date")
                        else None,
                        subtotal=subtotal,
                        discount_total=discount,
                        total=subtotal - discount,
                        subtotal_presentment=subtotal_shown,
                        discount_total_presentment=subtotal_shown - owed,
                        total_presentment=owed,
                        ship_country=original.ship_country,
                        ship_region=original.ship_region,
                        shipping_address=original.shipping_address,
                        shipping_service_id=original.shipping_service_id,
                        shipping_method=original.shipping_method,
                        incoterm=original.incoterm,
                        locale=original.locale,
                        paid_at=now if owed == 0 else None,
                    )
                break
            except IntegrityError:
                continue  # a number already taken: draw another
        if order is None:
            raise RuntimeError("could not draw a free order number")
        rows = []
        for variant_id, quantity, unit, unit_shown in lines:
            variant = variants[int(variant_id)]
            product = products[variant.product_id]
            facts = customs_facts(product, variant, original.ship_country or None)
            rows.append(
                OrderLine(
                    order_id=order.id,
                    product_id=product.id,
                    variant_id=variant.id,
                    product_name=product.name,
                    variant_name=variant.name
                    or " / ".join(o["value"] for o in variant.options or []),
                    sku=variant.sku,
                    quantity=int(quantity),
                    unit_price=int(unit),
                    unit_price_presentment=int(unit_shown),
                    line_total=int(unit) * int(quantity),
                    line_total_presentment=int(unit_shown) * int(quantity),
                    hs_code=facts.hs_code,
                    hs_national=facts.hs_national,
                    origin_country=facts.origin_country,
                    customs_description=facts.description,
                    material=facts.material[:120],
                    net_weight_grams=facts.net_weight_grams,
                    dangerous_goods=facts.dangerous_goods,
                    excise_goods=facts.excise_goods,
                )
            )
        await OrderLine.bulk_create(rows)
        try:
            await stock.reserve(
                [(int(row[0]), int(row[1])) for row in lines], reference=order.number
            )
        except InventoryError as exc:
            raise fail(
                ReturnErrorCode.EXCHANGE_UNAVAILABLE,
                exc.problems[0].message,
                "exchange",
            ) from None
        await OrderEvent.create(
            order_id=order.id,
            kind=OrderEventKind.PLACED,
            to_status=status.value,
            actor=actor_label,
            actor_user_id=actor_id,
            message=f"Exchange for return {return_number} of order {original.number}.",
            data={"exchangeFor": original.number, "return": return_number},
        )
        await order_emails.order_placed(order.id)
        await events.publish(
            events.OrderStatusChanged(
                kind="placed",
                number=order.number,
                status=status,
                previous_status=None,
                at=order.placed_at,
            )
        )
    return order
