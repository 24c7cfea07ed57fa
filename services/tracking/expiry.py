"""Parcels the carrier stopped talking about: tracking expired after the carrier's quiet days.

A parcel that is neither delivered, returned nor cancelled, whose latest event (or its
shipping, before any) is older than its carrier's `tracking_expiry_days`, gets an EXPIRED
event from the shop itself. It then waits in the console's exceptions queue; any later event
from the carrier brings it back to life (`services.tracking.progress`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise import timezone
from tortoise.expressions import Q

from models.orders import Shipment
from models.shipping import Carrier
from models.tracking import TrackingSource, TrackingStatus
from services.tracking import events, progress

log = logging.getLogger("tradewind.tracking")

#: Quiet days for a parcel whose carrier row is gone.
DEFAULT_EXPIRY_DAYS = 30
#: Parcels expired per run at most; the next run takes the rest.
BATCH = 500


async def expire_quiet(now: datetime | None = None) -> int:
    """Expire every parcel quiet for longer than its carrier allows; returns how many."""
    now = now or timezone.now()
    days = dict(await Carrier.all().values_list("id", "tracking_expiry_days"))
    shortest = min([*days.values(), DEFAULT_EXPIRY_DAYS])
    cutoff = now - timedelta(days=shortest)
    done = progress.SETTLED | {TrackingStatus.EXPIRED}
    open_statuses = [s for s in TrackingStatus if s not in done]
    rows = (
        await Shipment.filter(tracking_status__in=open_statuses)
        .filter(Q(last_event_at__lt=cutoff) | Q(last_event_at__isnull=True, shipped_at__lt=cutoff))
        .order_by("id")
        .limit(BATCH)
        .values_list("id", "carrier_id", "last_event_at", "shipped_at")
    )
    expired = 0
    for shipment_id, carrier_id, last_event_at, shipped_at in rows:
        quiet_since = last_event_at or shipped_at
        limit = days.get(carrier_id, DEFAULT_EXPIRY_DAYS) if carrier_id else DEFAULT_EXPIRY_DAYS
        if quiet_since >= now - timedelta(days=limit):
            continue
        report = events.Report(
            status=TrackingStatus.EXPIRED,
            occurred_at=now,
            message=f"No news from the carrier for {limit} days.",
            event_id=f"expired:{quiet_since.isoformat()}",
        )
        recorded = await events.record(
            shipment_id, [report], source=TrackingSource.SYSTEM, source_name="shop"
        )
        expired += recorded.changed
    if expired:
        log.info("tracking.expired count=%d", expired)
    return expired
