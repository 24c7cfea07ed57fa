"""AfterShip's tracking webhooks (`tracking_update`, `edd_revise`) as the shop's reports.

A delivery carries the whole tracking (`msg`): the courier's slug, which must be the shop's
carrier code, the number and every checkpoint so far. Each checkpoint's `tag` and `subtag`
go through the AFTERSHIP table of `services.tracking.mappings`; a checkpoint with a code the
table does not know is skipped (and counted), never filed under a guessed status. The
tracking's expected delivery date goes with its newest checkpoint. Other event types
(`tracking_pending_time`, ...) carry no news of the parcel: they yield no reports.

Documented at https://www.aftership.com/docs/tracking/webhook/webhook-specifications.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from services.tracking import mappings
from services.tracking.errors import TrackingError, TrackingErrorCode, fail
from services.tracking.events import MAX_MESSAGE, MAX_PLACE, MAX_POSTCODE, Report
from services.tracking.sources import (
    MAX_EVENT_ID,
    MAX_EVENTS,
    Delivery,
    as_object,
    as_text,
    calendar_date,
    carrier_code,
    country_alpha2,
    path,
    tracking_number,
)

#: Event types whose `msg` is the tracking.
TRACKING_EVENTS = frozenset({"tracking_update", "edd_revise"})


def parse(payload: object) -> Delivery:
    """The delivery an AfterShip webhook body says; TrackingError naming the field otherwise."""
    body = as_object(payload)
    kind = as_text(body.get("event"), "event", limit=64, required=True)
    msg = as_object(body.get("msg"), "msg")
    carrier = carrier_code(msg.get("slug"), "msg", "slug")
    number = tracking_number(msg.get("tracking_number"), "msg", "tracking_number")
    if kind not in TRACKING_EVENTS:
        return Delivery(carrier, number, [])
    raw = msg.get("checkpoints") or []
    if not isinstance(raw, list):
        raise fail(
            TrackingErrorCode.INVALID, "Expected a list of checkpoints.", "msg", "checkpoints"
        )
    reports: list[Report] = []
    skipped = 0
    for index, checkpoint in enumerate(raw):
        report = _report(checkpoint, path("msg", "checkpoints", index))
        if report is None:
            skipped += 1
        else:
            reports.append(report)
    # Every delivery repeats the whole history: the newest checkpoints are the news.
    reports.sort(key=lambda r: r.occurred_at)
    reports = reports[-MAX_EVENTS:]
    estimate = _estimate(msg)
    if reports and estimate is not None:
        reports[-1] = replace(reports[-1], estimated_delivery=estimate)
    return Delivery(carrier, number, reports, skipped)


def event_id(payload: object) -> str:
    """The webhook event's id (a UUID), "" when the body has no usable one."""
    found = payload.get("event_id") if isinstance(payload, dict) else None
    return found if isinstance(found, str) and 0 < len(found) <= MAX_EVENT_ID else ""


def _report(value: object, at: tuple[str, ...]) -> Report | None:
    checkpoint = as_object(value, *at)
    tag = as_text(checkpoint.get("tag"), *at, "tag", limit=64)
    subtag = as_text(checkpoint.get("subtag"), *at, "subtag", limit=64)
    try:
        mapped = mappings.map_status(mappings.Vocabulary.AFTERSHIP, tag, subtag)
    except KeyError:
        return None
    occurred_at = _checkpoint_time(checkpoint.get("checkpoint_time"), at)
    if occurred_at is None:
        return None
    message = as_text(checkpoint.get("message"), *at, "message", limit=10 * MAX_MESSAGE)
    return Report(
        status=mapped.status,
        sub_status=mapped.sub_status,
        occurred_at=occurred_at,
        message=message or as_text(checkpoint.get("subtag_message"), limit=MAX_MESSAGE),
        city=as_text(checkpoint.get("city"), *at, "city", limit=10 * MAX_PLACE),
        region=as_text(checkpoint.get("state"), *at, "state", limit=10 * MAX_PLACE),
        postcode=as_text(checkpoint.get("zip"), *at, "zip", limit=10 * MAX_POSTCODE),
        country=_country(checkpoint.get("country_iso3")),
        payload=checkpoint,
    )


def _checkpoint_time(value: object, at: tuple[str, ...]) -> datetime | None:
    """The checkpoint's time. AfterShip gives the courier's local time, with its offset
    where the courier told it; a time without one is read as UTC, the best guess left."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=UTC)


def _country(value: object) -> str:
    try:
        return country_alpha2(value)
    except TrackingError:
        return ""  # a country AfterShip spells oddly is left out, not the whole event


def _estimate(msg: dict[str, Any]) -> date | None:
    """The expected delivery date: the courier's, else AfterShip's own prediction."""
    candidates: list[object] = [msg.get("expected_delivery")]
    for name in ("courier_estimated_delivery_date", "aftership_estimated_delivery_date"):
        nested = msg.get(name)
        if isinstance(nested, dict):
            candidates.append(nested.get("estimated_delivery_date"))
    for candidate in candidates:
        try:
            found = calendar_date(candidate)
        except TrackingError:
            continue
        if found is not None:
            return found
    return None
