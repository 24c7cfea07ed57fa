"""Events of a moment the event bus was away, read back from the database.

Redis pub/sub drops what is published while a process is cut off from it. When the bus
comes back, streams call these to send what they may have missed, as the events that were
published (so the stream code handles them like any other). Where the database keeps no
history to replay (a parcel's tracking status), they read the subject as it is now instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tortoise import timezone
from tortoise.expressions import Q

from models.catalog import ProductListingEvent
from models.inventory import LowStockAlert
from models.orders import OrderEvent, OrderEventKind, OrderStatus, Shipment
from models.returns import ReturnEvent, ReturnStatus
from models.tracking import TrackingStatus
from services.tracking import progress
from subscriptions import events

#: At most this many events are sent again per stream; a longer outage is rare and the
#: client re-reads its lists anyway when it sees a gap this large.
LIMIT = 500


async def order_changes_since(since: datetime) -> list[events.OrderStatusChanged]:
    """Orders placed and orders changing status since `since`, oldest first."""
    rows = (
        await OrderEvent.filter(
            created_at__gte=since, kind__in=[OrderEventKind.PLACED, OrderEventKind.STATUS]
        )
        .order_by("created_at", "id")
        .limit(LIMIT)
        .select_related("order")
    )
    return [
        events.OrderStatusChanged(
            kind="placed" if row.kind == OrderEventKind.PLACED else "status",
            number=row.order.number,
            status=OrderStatus(row.to_status),
            previous_status=OrderStatus(row.from_status) if row.from_status else None,
            at=row.created_at,
        )
        for row in rows
    ]


async def return_changes_since(since: datetime) -> list[events.ReturnChanged]:
    """Returns asked for, moved or changed since `since`, oldest first: one event per
    timeline entry; a move says the statuses it went from and to, any other change the
    status the return has now (the console reads the return again either way)."""
    rows = (
        await ReturnEvent.filter(created_at__gte=since)
        .order_by("created_at", "id")
        .limit(LIMIT)
        .select_related("return_request__order")
    )
    changes = []
    for row in rows:
        ret = row.return_request
        now = ReturnStatus(row.to_status or ret.status)
        changes.append(
            events.ReturnChanged(
                number=ret.order.number,
                return_number=ret.number,
                status=now,
                previous_status=ReturnStatus(row.from_status or now),
                at=row.created_at,
            )
        )
    return changes


async def low_stock_alerts_since(since: datetime) -> list[events.LowStockAlertRaised]:
    """Low-stock alerts raised since `since`, oldest first."""
    alerts = (
        await LowStockAlert.filter(created_at__gte=since)
        .order_by("created_at", "id")
        .limit(LIMIT)
        .select_related("variant")
    )
    return [
        events.LowStockAlertRaised(
            alert_id=alert.id,
            variant_id=alert.variant_id,
            product_id=alert.variant.product_id,
            sku=alert.variant.sku,
            threshold=alert.threshold,
            available=alert.available,
            created_at=alert.created_at,
        )
        for alert in alerts
    ]


async def low_stock_changes_since(
    since: datetime,
) -> list[events.LowStockAlertRaised | events.LowStockAlertResolved]:
    """Low-stock alerts raised, then those resolved, since `since`."""
    raised: list[events.LowStockAlertRaised | events.LowStockAlertResolved] = []
    raised.extend(await low_stock_alerts_since(since))
    resolved = (
        await LowStockAlert.filter(resolved_at__gte=since)
        .order_by("resolved_at", "id")
        .limit(LIMIT)
        .values_list("id", "variant_id", "resolved_at")
    )
    return raised + [
        events.LowStockAlertResolved(alert_id=pk, variant_id=variant_id, resolved_at=at)
        for pk, variant_id, at in resolved
    ]


async def listing_changes_since(since: datetime) -> list[events.ProductListingChanged]:
    """Products that went on or off the shelf since `since`, oldest first."""
    rows = (
        await ProductListingEvent.filter(occurred_at__gte=since)
        .order_by("occurred_at", "id")
        .limit(LIMIT)
    )
    return [
        events.ProductListingChanged(
            product_id=row.product_id,  # type: ignore[attr-defined]
            visible=row.visible,
            cause=row.cause,
            status=row.status,
            actor=row.actor,
            occurred_at=row.occurred_at,
        )
        for row in rows
    ]


def _tracked(shipment: Shipment, number: str, at: datetime) -> events.ShipmentTracked:
    status = TrackingStatus(shipment.tracking_status)
    return events.ShipmentTracked(
        number=number,
        shipment_id=shipment.id,
        status=status,
        sub_status=shipment.tracking_sub_status,
        attention=progress.needs_attention(status, shipment.tracking_sub_status)
        and shipment.handled_at is None,
        at=at,
    )


async def parcels_of_order(number: str) -> list[events.ShipmentTracked]:
    """Each parcel of the order with this (stored) number as it is now, oldest first, in the
    shape of the event that announces its changes; none for an unknown order."""
    at = timezone.now()
    rows = (
        await Shipment.filter(order__number=number, return_request_id__isnull=True)
        .order_by("id")
        .limit(LIMIT)
    )
    return [_tracked(row, number, at) for row in rows]


async def parcels(shipment_ids: Iterable[int]) -> list[events.ShipmentTracked]:
    """These parcels as they are now (any that no longer exist left out), by id."""
    at = timezone.now()
    rows = (
        await Shipment.filter(id__in=list(shipment_ids))
        .order_by("id")
        .limit(LIMIT)
        .select_related("order")
    )
    return [_tracked(row, row.order.number, at) for row in rows]


async def parcels_needing_attention() -> set[int]:
    """The ids of the parcels in the exceptions queue now: trouble staff have not marked
    handled (`services.tracking.progress.needs_attention`)."""
    trouble = Q(tracking_status__in=[s.value for s in progress.PROBLEMS]) | Q(
        tracking_status=TrackingStatus.IN_CUSTOMS.value,
        tracking_sub_status__in=list(progress.CUSTOMS_PROBLEMS),
    )
    ids: list[int] = await Shipment.filter(
        trouble, handled_at__isnull=True, return_request_id__isnull=True
    ).values_list("id", flat=True)  # type: ignore[assignment]
    return set(ids)
