"""The shop's generic tracking format: what a merchant's logistics system sends.

    {"type": "tracking.updated", "timestamp": "2026-12-05T10:00:00Z",
     "data": {"carrier": "dhl", "tracking_number": "RR123456785CN",
       "events": [{"id": "evt-1", "status": "in_customs", "sub_status": "customs_duties_due",
         "occurred_at": "2026-12-05T18:00:00+08:00", "message": "Held: import duties to pay",
         "location": {"city": "Frankfurt", "region": "HE", "postcode": "60549",
                      "country": "DE"},
         "estimated_delivery": "2026-12-09"}]}}

`carrier` is the shop's carrier code; `status` and `sub_status` are the shop's own
`TrackingStatus` and `TrackingSubStatus` values, the sub-status one of the status's own.
`occurred_at` carries its UTC offset. From 1 to `MAX_EVENTS` events per delivery.
"""

from __future__ import annotations

from typing import Any

from models.tracking import SUB_STATUS_OF, TrackingStatus, TrackingSubStatus
from services.tracking.errors import TrackingErrorCode, fail
from services.tracking.events import MAX_MESSAGE, MAX_PLACE, MAX_POSTCODE, Report
from services.tracking.sources import (
    MAX_EVENT_ID,
    Delivery,
    as_object,
    as_text,
    aware_time,
    calendar_date,
    carrier_code,
    country_alpha2,
    event_list,
    path,
    tracking_number,
)

#: The one delivery type of the format.
TRACKING_UPDATED = "tracking.updated"
_STATUSES = {status.value: status for status in TrackingStatus}
_SUB_STATUSES = {sub.value: sub for sub in TrackingSubStatus}


def parse(payload: object) -> Delivery:
    """The delivery a generic-format body says; TrackingError naming the field otherwise."""
    body = as_object(payload)
    kind = as_text(body.get("type"), "type", limit=64, required=True)
    if kind != TRACKING_UPDATED:
        raise fail(TrackingErrorCode.INVALID, f"Only {TRACKING_UPDATED!r} is known.", "type")
    if body.get("timestamp") is not None:
        aware_time(body["timestamp"], "timestamp")
    data = as_object(body.get("data"), "data")
    carrier = carrier_code(data.get("carrier"), "data", "carrier")
    number = tracking_number(data.get("tracking_number"), "data", "tracking_number")
    events = event_list(data.get("events"), "data", "events")
    if not events:
        raise fail(TrackingErrorCode.REQUIRED, "Give at least one event.", "data", "events")
    reports = [_report(event, path("data", "events", i)) for i, event in enumerate(events)]
    return Delivery(carrier, number, reports)


def _report(value: object, at: tuple[str, ...]) -> Report:
    event = as_object(value, *at)
    raw_status = event.get("status")
    status = _STATUSES.get(raw_status) if isinstance(raw_status, str) else None
    if status is None:
        raise fail(TrackingErrorCode.INVALID_STATUS, "Not a tracking status.", *at, "status")
    sub_status = None
    raw_sub = event.get("sub_status")
    if raw_sub not in (None, ""):
        sub_status = _SUB_STATUSES.get(raw_sub) if isinstance(raw_sub, str) else None
        if sub_status is None or SUB_STATUS_OF.get(sub_status) is not status:
            raise fail(
                TrackingErrorCode.INVALID_SUB_STATUS,
                f"Not a sub-status of {status.value!r}.",
                *at,
                "sub_status",
            )
    location: dict[str, Any] = {}
    if event.get("location") is not None:
        location = as_object(event["location"], *at, "location")
    where = (*at, "location")
    return Report(
        status=status,
        sub_status=sub_status,
        occurred_at=aware_time(event.get("occurred_at"), *at, "occurred_at"),
        message=as_text(event.get("message"), *at, "message", limit=MAX_MESSAGE),
        city=as_text(location.get("city"), *where, "city", limit=MAX_PLACE),
        region=as_text(location.get("region"), *where, "region", limit=MAX_PLACE),
        postcode=as_text(location.get("postcode"), *where, "postcode", limit=MAX_POSTCODE),
        country=country_alpha2(location.get("country"), *where, "country"),
        event_id=as_text(event.get("id"), *at, "id", limit=MAX_EVENT_ID).strip(),
        estimated_delivery=calendar_date(
            event.get("estimated_delivery"), *at, "estimated_delivery"
        ),
        payload=event,
    )
