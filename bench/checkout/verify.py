"""The database after the run: orders, the stock ledger, payments (`--role verify`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

# ---------------------------------------------------------------- the check afterwards


async def verify_run() -> dict[str, Any]:
    from tortoise import Tortoise

    from settings import get_settings, tortoise_config

    await Tortoise.init(config=tortoise_config(get_settings().database_url))
    try:
        return await database_figures()
    finally:
        await Tortoise.close_connections()


async def database_figures() -> dict[str, Any]:
    """Orders (in all and by status), ledger mismatches, over-reserved variants and
    payments by outcome, read from the open database."""
    from tortoise.expressions import F

    from models.catalog import ProductVariant
    from models.orders import Order, OrderLine, OrderStatus
    from models.payments import Payment, PaymentStatus
    from services.inventory import stock

    mismatches = await stock.verify_ledger()
    succeeded = Payment.filter(status=PaymentStatus.SUCCEEDED)
    statuses = Counter(str(s) for s in await Order.all().values_list("status", flat=True))
    return {
        "orders": await Order.all().count(),
        "orders_by_status": dict(sorted(statuses.items())),
        "order_lines": await OrderLine.all().count(),
        "ledger_mismatches": len(mismatches),
        "over_reserved_variants": await ProductVariant.filter(
            stock_reserved__gt=F("stock_on_hand")
        ).count(),
        "orders_paid": await Order.filter(status=OrderStatus.PENDING_SHIPMENT).count(),
        "payments_succeeded": await succeeded.count(),
        "payments_settled": await succeeded.filter(settled_amount__isnull=False).count(),
        "payments_other": await Payment.exclude(status=PaymentStatus.SUCCEEDED).count(),
    }
