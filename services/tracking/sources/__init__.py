"""Adapters from what a tracking source sends to the shop's own reports.

Each module reads one format (`standard`: the shop's generic format, `aftership`:
AfterShip's webhooks) with a pure function from the decoded JSON to a `Delivery`: the
parcel (carrier code and tracking number) and its events as `events.Report`s. Anything
malformed is a `TrackingError` naming the field, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pycountry

from services.shipping.tracking_numbers import normalise
from services.tracking.errors import TrackingErrorCode, fail
from services.tracking.events import Report

#: Most events one delivery may carry; a sender with more splits them.
MAX_EVENTS = 100
#: Longest carrier code and tracking number taken.
MAX_CARRIER = 32
MAX_NUMBER = 80
#: Longest event id taken from a source.
MAX_EVENT_ID = 128


@dataclass(frozen=True, slots=True)
class Delivery:
    """One parcel's news, in the shop's vocabulary."""

    carrier: str
    tracking_number: str
    reports: Sequence[Report]
    #: Events the source sent that the shop could not read (an unknown status code).
    skipped: int = 0


def path(*parts: object) -> tuple[str, ...]:
    return tuple(str(part) for part in parts)


def as_object(value: object, *field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(TrackingErrorCode.INVALID, "Expected a JSON object.", *field)
    return value


def as_text(value: object, *field: str, limit: int, required: bool = False) -> str:
    """A string field (None reads as ""); REQUIRED when `required` and blank."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise fail(TrackingErrorCode.INVALID, "Expected a string.", *field)
    if required and not value.strip():
        raise fail(TrackingErrorCode.REQUIRED, "This field is required.", *field)
    if len(value) > limit:
        raise fail(TrackingErrorCode.INVALID, f"At most {limit} characters.", *field)
    return value


def carrier_code(value: object, *field: str) -> str:
    return as_text(value, *field, limit=MAX_CARRIER, required=True).strip().lower()


def tracking_number(value: object, *field: str) -> str:
    return normalise(as_text(value, *field, limit=MAX_NUMBER, required=True))


def aware_time(value: object, *field: str) -> datetime:
    """An ISO 8601 date and time with its UTC offset; a naive one is refused, since the
    instant it names is unknown."""
    if not isinstance(value, str) or not value.strip():
        raise fail(TrackingErrorCode.INVALID_TIME, "Give a date and time.", *field)
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise fail(
            TrackingErrorCode.INVALID_TIME, "Not an ISO 8601 date and time.", *field
        ) from None
    if at.utcoffset() is None:
        raise fail(TrackingErrorCode.INVALID_TIME, "Give the time with its UTC offset.", *field)
    return at


def calendar_date(value: object, *field: str) -> date | None:
    """A `YYYY-MM-DD` date (or the date of a date and time); None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise fail(TrackingErrorCode.INVALID_DATE, "Expected a YYYY-MM-DD date.", *field)
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise fail(TrackingErrorCode.INVALID_DATE, "Expected a YYYY-MM-DD date.", *field) from None


def country_alpha2(value: object, *field: str) -> str:
    """An ISO 3166-1 country, alpha-2 or alpha-3, as alpha-2 ("" when absent)."""
    code = as_text(value, *field, limit=3).strip().upper()
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None and len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise fail(TrackingErrorCode.INVALID_COUNTRY, "Not an ISO 3166-1 country code.", *field)
    return str(country.alpha_2)


def event_list(value: object, *field: str) -> list[Any]:
    if not isinstance(value, list):
        raise fail(TrackingErrorCode.INVALID, "Expected a list of events.", *field)
    if len(value) > MAX_EVENTS:
        raise fail(
            TrackingErrorCode.INVALID, f"At most {MAX_EVENTS} events in one delivery.", *field
        )
    return value
