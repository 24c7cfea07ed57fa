"""Inventory subscriptions: low-stock alerts, live, for the merchant console."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry

from loaders import Loaders
from schema.context import Info
from schema.inventory import LowStockAlertType
from schema.permissions import CanManageInventory
from services import missed_events
from services.inventory.alerts import LOW_STOCK_CHANNEL
from subscriptions import bus
from subscriptions.lifetime import limited


@strawberry.type
class InventorySubscription:
    @strawberry.subscription(
        permission_classes=[CanManageInventory],
        description="Each new low-stock alert, as its variant falls to its threshold.",
    )
    async def low_stock_alerts(self, info: Info) -> AsyncGenerator[LowStockAlertType, None]:
        async with bus.current().subscribe(LOW_STOCK_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                for message in await bus.caught_up(item, missed_events.low_stock_alerts_since):
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield LowStockAlertType(
                        id=message["alertId"],
                        threshold=message["threshold"],
                        available=message["available"],
                        created_at=datetime.fromisoformat(message["createdAt"]),
                        resolved_at=None,
                        _variant_id=message["variantId"],
                    )
