"""Events of a moment the event bus was away, read back from the database.

Redis pub/sub drops what is published while a process is cut off from it. When the bus
comes back, streams call these to send what they may have missed, in the shape the events
were published in (so the stream code handles them like any other message).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from models.catalog import ProductListingEvent
from models.inventory import LowStockAlert
from models.orders import OrderEvent, OrderEventKind, OrderStatus
from services.orders.status import status_message

#: At most this many events are sent again per stream; a longer outage is rare and the
#: client re-reads its lists anyway when it sees a gap this large.
LIMIT = 500


async def order_changes_since(since: datetime) -> list[dict[str, Any]]:
    """Orders placed and orders changing status since `since`, oldest first."""
    events = (
        await OrderEvent.filter(
            created_at__gte=since, kind__in=[OrderEventKind.PLACED, OrderEventKind.STATUS]
        )
        .order_by("created_at", "id")
        .limit(LIMIT)
        .select_related("order")
    )
    return [
        status_message(
            event.order.number,
            OrderStatus(event.to_status),
            OrderStatus(event.from_status) if event.from_status else None,
            event.created_at,
            "placed" if event.kind == OrderEventKind.PLACED else "status",
        )
        for event in events
    ]


async def low_stock_alerts_since(since: datetime) -> list[dict[str, Any]]:
    """Low-stock alerts raised since `since`, oldest first."""
    alerts = (
        await LowStockAlert.filter(created_at__gte=since)
        .order_by("created_at", "id")
        .limit(LIMIT)
        .select_related("variant")
    )
    return [
        {
            "alertId": alert.id,
            "variantId": alert.variant_id,
            "productId": alert.variant.product_id,
            "sku": alert.variant.sku,
            "threshold": alert.threshold,
            "available": alert.available,
            "createdAt": alert.created_at.isoformat(),
        }
        for alert in alerts
    ]


async def listing_changes_since(since: datetime) -> list[dict[str, Any]]:
    """Products that went on or off the shelf since `since`, oldest first."""
    events = (
        await ProductListingEvent.filter(occurred_at__gte=since)
        .order_by("occurred_at", "id")
        .limit(LIMIT)
    )
    return [
        {
            "productId": event.product_id,  # type: ignore[attr-defined]
            "visible": event.visible,
            "cause": event.cause.value,
            "status": event.status.value,
            "actor": event.actor,
            "occurredAt": event.occurred_at.isoformat(),
        }
        for event in events
    ]
