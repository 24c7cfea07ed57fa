"""Recording what happened to a parcel, and what follows from it.

`record(shipment_id, reports, source=...)` stores each report once (the same event delivered
twice, or by two sources, is one row: see `fingerprint`), then re-reads the whole timeline
to set the shipment's status (`services.tracking.progress`). In the same transaction:
- a parcel delivered marks the shipment delivered, and the order DELIVERED through the
  order status machine once every parcel of a fully shipped order is;
- a new estimated delivery date is kept as a revision;
- a parcel that starts needing attention (an exception, a failed attempt, duties due)
  leaves staff's "handled" mark behind and is announced on the merchant's tracking channel;
- a parcel that goes out for delivery, fails a delivery attempt, meets an exception or owes
  import duties has its email to the shopper enqueued (`services.emails.events`).
Announcements go out after the commit, on the order's tracking channel and the merchant's.

A return parcel (`Shipment.return_request`, the goods coming back to the shop) moves its
return instead, never the order: delivered, it receives the return
(`services.returns.arrivals`); it sends the shopper no parcel emails, and its news is
announced as a change of the return.

Two deliveries for one parcel at once are serialised by the order's row lock, taken first
as every order change does, so neither can miss the other's events when it re-reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from tortoise import timezone

from models.orders import Order, OrderEventKind, OrderStatus, Shipment
from models.tracking import (
    SUB_STATUS_OF,
    DeliveryEstimate,
    TrackingEvent,
    TrackingSource,
    TrackingStatus,
    TrackingSubStatus,
)
from services.emails import events as order_emails
from services.orders.status import move, order_for_change
from services.orders.timeline import Actor
from services.returns import arrivals as return_arrivals
from services.tracking import progress
from services.tracking.errors import not_found
from services.transactions import atomic
from subscriptions import events

#: Longest texts kept from a carrier's event; carriers' data is cut, not refused.
MAX_MESSAGE = 500
MAX_PLACE = 120
MAX_POSTCODE = 20
#: The tracking system as the order's timeline names it.
TRACKING = Actor("tracking")


@dataclass(frozen=True, slots=True)
class Report:
    """One event as a source tells it, already in the shop's vocabulary."""

    status: TrackingStatus
    #: When it happened: an aware datetime in the carrier's local time where known.
    occurred_at: datetime
    sub_status: TrackingSubStatus | None = None
    message: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    #: ISO 3166-1 alpha-2, upper case; anything else is dropped.
    country: str = ""
    #: The source's own id for the event, when it gives one.
    event_id: str = ""
    #: The delivery date the carrier expects as of this event.
    estimated_delivery: date | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What `record` did."""

    shipment: Shipment
    #: Events stored now (the others were already known).
    added: int
    #: Whether the shipment's status or sub-status changed.
    changed: bool


def _clean(value: str, limit: int) -> str:
    """A carrier's text on one line, without NULs, cut to `limit` characters."""
    return " ".join(value.replace("\x00", "").split())[:limit]


def utc_offset_minutes(at: datetime) -> int | None:
    """The UTC offset of an aware datetime in minutes (None when naive)."""
    offset = at.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def fingerprint(report: Report, source_name: str) -> str:
    """What makes two deliveries the same event: the source's id for it when it has one,
    else the instant, status and words (so a carrier that resends its history adds nothing)."""
    if report.event_id:
        basis = f"id|{source_name}|{report.event_id}"
    else:
        at = report.occurred_at.astimezone(UTC).isoformat()
        words = _clean(report.message, MAX_MESSAGE).casefold()
        sub = report.sub_status.value if report.sub_status else ""
        basis = "|".join(("event", at, report.status.value, sub, words, report.city.casefold()))
    return hashlib.sha256(basis.encode()).hexdigest()


def _row(
    shipment_id: int,
    report: Report,
    *,
    source: TrackingSource,
    source_name: str,
    actor_user_id: int | None,
) -> TrackingEvent:
    sub = report.sub_status
    if sub is not None and SUB_STATUS_OF.get(sub) is not report.status:
        sub = None  # a sub-status of another status says nothing about this one
    country = report.country.strip().upper()
    return TrackingEvent(
        shipment_id=shipment_id,
        fingerprint=fingerprint(report, source_name),
        occurred_at=report.occurred_at,
        utc_offset_minutes=utc_offset_minutes(report.occurred_at),
        status=report.status,
        sub_status=sub.value if sub else "",
        message=_clean(report.message, MAX_MESSAGE),
        city=_clean(report.city, MAX_PLACE),
        region=_clean(report.region, MAX_PLACE),
        postcode=_clean(report.postcode, MAX_POSTCODE),
        country=country if len(country) == 2 and country.isascii() and country.isalpha() else "",
        source=source,
        source_name=source_name[:32],
        actor_user_id=actor_user_id,
        payload=report.payload,
    )


async def record(
    shipment_id: int,
    reports: Sequence[Report],
    *,
    source: TrackingSource,
    source_name: str = "",
    actor_id: int | None = None,
) -> Recorded:
    """Store the reports not already known and bring the shipment (and its order) up to
    date with its whole timeline. NOT_FOUND when the shipment does not exist."""
    head = await Shipment.get_or_none(id=shipment_id).only("id", "order_id")
    if head is None:
        raise not_found("The shipment", "shipment_id")
    async with atomic():
        order = await order_for_change(head.order_id)
        shipment = await Shipment.select_for_update().get(id=shipment_id)
        rows = [
            _row(shipment.id, r, source=source, source_name=source_name, actor_user_id=actor_id)
            for r in reports
        ]
        known = set(
            await TrackingEvent.filter(
                shipment_id=shipment.id, fingerprint__in=[r.fingerprint for r in rows]
            ).values_list("fingerprint", flat=True)
        )
        fresh: dict[str, TrackingEvent] = {}
        for row in rows:
            if row.fingerprint not in known:
                fresh.setdefault(row.fingerprint, row)
        if fresh:
            await TrackingEvent.bulk_create(list(fresh.values()))
        new_reports = [r for r, row in zip(reports, rows, strict=True) if row.fingerprint in fresh]
        await _revise_estimate(shipment, new_reports, source, source_name)
        changed = await _follow(order, shipment)
        if shipment.return_request_id is not None:
            if fresh or changed:
                await return_arrivals.parcel_tracked(
                    shipment, delivered=shipment.delivered_at is not None
                )
            return Recorded(shipment=shipment, added=len(fresh), changed=changed)
        if changed:
            await order_emails.tracking_changed(
                order.id,
                shipment.id,
                TrackingStatus(shipment.tracking_status),
                shipment.tracking_sub_status,
                since=shipment.status_since,
                latest=shipment.last_event_at,
            )
        if fresh or changed:
            await announce(order, shipment)
        return Recorded(shipment=shipment, added=len(fresh), changed=changed)


async def refresh(shipment_id: int) -> Shipment:
    """Re-read a shipment's timeline and bring it and its order up to date."""
    recorded = await record(shipment_id, [], source=TrackingSource.SYSTEM)
    return recorded.shipment


async def _revise_estimate(
    shipment: Shipment, reports: Sequence[Report], source: TrackingSource, source_name: str
) -> None:
    """Keep the estimate of the latest report that gives one, as a revision if it is new."""
    dated = [r for r in reports if r.estimated_delivery is not None]
    if not dated:
        return
    latest = max(dated, key=lambda r: r.occurred_at)
    estimate = latest.estimated_delivery
    if estimate is None or estimate == shipment.estimated_delivery:
        return
    if shipment.last_event_at is not None and latest.occurred_at < shipment.last_event_at:
        return  # an older event's estimate does not overrule a newer one already kept
    await DeliveryEstimate.create(
        shipment_id=shipment.id,
        estimated_date=latest.estimated_delivery,
        source=source,
        source_name=source_name[:32],
    )
    shipment.estimated_delivery = latest.estimated_delivery
    await Shipment.filter(id=shipment.id).update(estimated_delivery=latest.estimated_delivery)


async def _follow(order: Order, shipment: Shipment) -> bool:
    """Set the shipment's status from its timeline; move the order when it is all delivered.

    Returns whether the status or sub-status changed."""
    steps = [
        progress.Step(TrackingStatus(status), sub, at)
        for status, sub, at in await TrackingEvent.filter(shipment_id=shipment.id)
        .order_by("occurred_at", "id")
        .values_list("status", "sub_status", "occurred_at")
    ]
    now = progress.fold(steps)
    changed = (
        now.status is not TrackingStatus(shipment.tracking_status)
        or now.sub_status != shipment.tracking_sub_status
    )
    values: dict[str, Any] = {"last_event_at": now.last_event_at}
    if changed:
        values.update(
            tracking_status=now.status,
            tracking_sub_status=now.sub_status,
            status_since=now.since,
            handled_at=None,
        )
    if now.delivered_at is not None and shipment.delivered_at is None:
        values["delivered_at"] = now.delivered_at
    await Shipment.filter(id=shipment.id).update(**values)
    shipment.update_from_dict(values)
    if "delivered_at" in values and shipment.return_request_id is None:
        await _deliver_order(order)
    return changed


async def _deliver_order(order: Order) -> None:
    """Move a shipped order to DELIVERED once its last parcel is delivered."""
    if OrderStatus(order.status) is not OrderStatus.SHIPPED:
        return  # partly shipped, or already moved on: the order's own flow decides
    waiting = set(
        await Shipment.filter(
            order_id=order.id, return_request_id__isnull=True, delivered_at__isnull=True
        ).values_list("id", flat=True)
    )
    if waiting:
        # A parcel sent again after a loss waits no more: its replacement stands for it.
        replaced = Shipment.filter(order_id=order.id, replacement_for_id__in=list(waiting))
        waiting -= set(await replaced.values_list("replacement_for_id", flat=True))
    if waiting:
        return
    await move(
        order,
        OrderStatus.DELIVERED,
        actor=TRACKING,
        kind=OrderEventKind.STATUS,
        message="Every parcel was delivered.",
        delivered_at=timezone.now(),
    )


async def announce(order: Order, shipment: Shipment) -> None:
    """Tell the order's tracking channel and the merchant's, after the commit, where the
    parcel is and whether it waits for staff."""
    status = TrackingStatus(shipment.tracking_status)
    await events.publish(
        events.ShipmentTracked(
            number=order.number,
            shipment_id=shipment.id,
            status=status,
            sub_status=shipment.tracking_sub_status,
            attention=progress.needs_attention(status, shipment.tracking_sub_status)
            and shipment.handled_at is None,
            at=timezone.now(),
        )
    )
