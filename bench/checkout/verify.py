"""The database after the run: orders, the stock ledger, payments (`--role verify`)."""

from __future__ import annotations

from typing import Any

# ---------------------------------------------------------------- the check afterwards


async def verify_run() -> dict[str, Any]:
    from tortoise import Tortoise
    from tortoise.expressions import F

    from models.catalog import ProductVariant
    from models.orders import Order, OrderLine, OrderStatus
    from models.payments import Payment, PaymentStatus
    from services.inventory import stock
    from settings import get_settings, tortoise_config

    await Tortoise.init(config=tortoise_config(get_settings().database_url))
    try:
        mismatches = await stock.verify_ledger()
        succeeded = Payment.filter(status=PaymentStatus.SUCCEEDED)
        return {
            "orders": await Order.all().count(),
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
    finally:
        await Tortoise.close_connections()
