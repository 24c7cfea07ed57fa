"""Inventory subscriptions: low-stock alerts, live, for the merchant console."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from loaders import Loaders
from schema.context import Info
from schema.inventory import LowStockAlertType
from schema.permissions import CanManageInventory
from services import missed_events
from services.inventory import alerts
from subscriptions import bus, events
from subscriptions.lifetime import limited


def _raised(event: events.LowStockAlertRaised) -> LowStockAlertType:
    return LowStockAlertType(
        id=event.alert_id,
        threshold=event.threshold,
        available=event.available,
        created_at=event.created_at,
        resolved_at=None,
        _variant_id=event.variant_id,
    )


@strawberry.type
class InventorySubscription:
    @strawberry.subscription(
        permission_classes=[CanManageInventory],
        description="Each new low-stock alert, as its variant falls to its threshold.",
    )
    async def low_stock_alerts(self, info: Info) -> AsyncGenerator[LowStockAlertType, None]:
        async with bus.current().subscribe(events.LOW_STOCK_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                caught_up = await events.caught_up(
                    item, events.parse_low_stock_event, missed_events.low_stock_alerts_since
                )
                for event in caught_up:
                    if not isinstance(event, events.LowStockAlertRaised):
                        continue
                    # The connection's context lives long; give every event fresh loaders.
                    info.context.loaders = Loaders()
                    yield _raised(event)

    @strawberry.subscription(
        permission_classes=[CanManageInventory],
        description="Each low-stock alert raised and each one resolved (restocked, a "
        "threshold lowered or dismissed): `isOpen` tells which, so a list of open alerts "
        "stays current.",
    )
    async def low_stock_alert_changes(self, info: Info) -> AsyncGenerator[LowStockAlertType, None]:
        async with bus.current().subscribe(events.LOW_STOCK_CHANNEL) as messages:
            async for item in limited(messages.with_gaps(), info.context):
                caught_up = await events.caught_up(
                    item, events.parse_low_stock_event, missed_events.low_stock_changes_since
                )
                for event in caught_up:
                    info.context.loaders = Loaders()
                    if isinstance(event, events.LowStockAlertRaised):
                        yield _raised(event)
                        continue
                    alert = await alerts.find_alert(event.alert_id)
                    if alert is not None:
                        yield LowStockAlertType.build(alert)
