"""What the status codes of carriers' aggregators and of Shopify mean in the shop's own
vocabulary (`models.tracking.TrackingStatus` and `TrackingSubStatus`).

One table per vocabulary, from a code to the status and sub-status it stands for. A table
holds the main codes and the finer ones (AfterShip subtags, EasyPost `status_detail`
values, Shippo substatus codes, 17TRACK sub-statuses) side by side: their spellings never
collide, and where two spell alike they mean the same. Codes are matched whatever their case.

Sources of the vocabularies:

- AfterShip delivery statuses and sub-statuses (subtags):
  https://www.aftership.com/docs/tracking/enum/delivery-statuses and
  https://www.aftership.com/docs/tracking/enum/delivery-sub-statuses
- EasyPost tracker `status` and `status_detail`: https://docs.easypost.com/docs/trackers
- Shippo tracking `status` and `substatus.code`: https://docs.goshippo.com/docs/Tracking/Tracking
- 17TRACK main statuses and sub-statuses:
  https://help.17track.net/hc/en-us/articles/37471096573337-Understanding-Tracking-Status-Main-Status-Substatus
- Shopify `FulfillmentEventStatus`:
  https://shopify.dev/docs/api/admin-graphql/latest/enums/FulfillmentEventStatus

The README's "Tracking statuses" section shows these tables (`markdown_table`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub


class Vocabulary(StrEnum):
    """Whose status codes these are."""

    AFTERSHIP = "aftership"
    EASYPOST = "easypost"
    SHIPPO = "shippo"
    SEVENTEEN_TRACK = "17track"
    SHOPIFY = "shopify"


@dataclass(frozen=True)
class Mapped:
    """A code in the shop's vocabulary: a status and, when the code says more, a sub-status
    that belongs to that status (`models.tracking.SUB_STATUS_OF`)."""

    status: S
    sub_status: Sub | None = None


def _m(status: S, sub_status: Sub | None = None) -> Mapped:
    return Mapped(status, sub_status)


AFTERSHIP: dict[str, Mapped] = {
    "Pending": _m(S.PENDING),
    "Pending_001": _m(S.PENDING),
    "InfoReceived": _m(S.INFO_RECEIVED),
    "InfoReceived_001": _m(S.INFO_RECEIVED),
    "InTransit": _m(S.IN_TRANSIT),
    "InTransit_001": _m(S.IN_TRANSIT),
    "InTransit_002": _m(S.IN_TRANSIT),  # acceptance scan
    "InTransit_003": _m(S.IN_TRANSIT),  # arrival scan
    "InTransit_004": _m(S.IN_TRANSIT),  # arrived at the destination country
    "InTransit_005": _m(S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED),
    "InTransit_006": _m(S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING),
    "InTransit_007": _m(S.IN_TRANSIT),  # departure scan
    "InTransit_008": _m(S.IN_TRANSIT),  # problem resolved
    "InTransit_009": _m(S.IN_TRANSIT),  # forwarded to a different address
    "OutForDelivery": _m(S.OUT_FOR_DELIVERY),
    "OutForDelivery_001": _m(S.OUT_FOR_DELIVERY),
    "OutForDelivery_003": _m(S.OUT_FOR_DELIVERY),  # customer contacted
    "OutForDelivery_004": _m(S.OUT_FOR_DELIVERY),  # delivery appointment scheduled
    "AttemptFail": _m(S.ATTEMPT_FAILED),
    "AttemptFail_001": _m(S.ATTEMPT_FAILED),
    "AttemptFail_002": _m(S.ATTEMPT_FAILED, Sub.ATTEMPT_RECIPIENT_ABSENT),
    "AttemptFail_003": _m(S.ATTEMPT_FAILED, Sub.ATTEMPT_BUSINESS_CLOSED),
    "AvailableForPickup": _m(S.AVAILABLE_FOR_PICKUP),
    "AvailableForPickup_001": _m(S.AVAILABLE_FOR_PICKUP),
    "Delivered": _m(S.DELIVERED),
    "Delivered_001": _m(S.DELIVERED),
    "Delivered_002": _m(S.DELIVERED, Sub.DELIVERED_PICKED_UP),
    "Delivered_003": _m(S.DELIVERED, Sub.DELIVERED_SIGNED),
    "Delivered_004": _m(S.DELIVERED),  # cash collected on delivery
    "Delivered_005": _m(S.DELIVERED, Sub.DELIVERED_LEFT_SAFE),  # with a neighbour
    "Exception": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "Exception_001": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "Exception_002": _m(S.EXCEPTION, Sub.EXCEPTION_ADDRESS),  # customer moved
    "Exception_003": _m(S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    "Exception_004": _m(S.IN_CUSTOMS, Sub.CUSTOMS_HELD),  # delayed in customs clearance
    "Exception_005": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),  # external factors
    "Exception_006": _m(S.IN_CUSTOMS, Sub.CUSTOMS_DUTIES_DUE),  # held for payment
    "Exception_007": _m(S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    "Exception_008": _m(S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),  # pickup missed
    "Exception_009": _m(S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),  # rejected by carrier
    "Exception_010": _m(S.RETURNING),
    "Exception_011": _m(S.RETURNED),
    "Exception_012": _m(S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    "Exception_013": _m(S.EXCEPTION, Sub.EXCEPTION_LOST),
    "Exception_016": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),  # processing issue
    "Exception_017": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),  # extreme weather
    "Exception_018": _m(S.IN_CUSTOMS, Sub.CUSTOMS_DOCUMENTS_MISSING),
    "Expired": _m(S.EXPIRED),
    "Expired_001": _m(S.EXPIRED),
}

# EasyPost's status_detail values are listed only where they say more than the status.
EASYPOST: dict[str, Mapped] = {
    "unknown": _m(S.PENDING),
    "pre_transit": _m(S.INFO_RECEIVED),
    "in_transit": _m(S.IN_TRANSIT),
    "out_for_delivery": _m(S.OUT_FOR_DELIVERY),
    "available_for_pickup": _m(S.AVAILABLE_FOR_PICKUP),
    "delivered": _m(S.DELIVERED),
    "return_to_sender": _m(S.RETURNING),
    "failure": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "error": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "cancelled": _m(S.CANCELLED),
    "address_correction": _m(S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    "damaged": _m(S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    "lost": _m(S.EXCEPTION, Sub.EXCEPTION_LOST),
    "refused": _m(S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    "delayed": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    "weather_delay": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    "missorted": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
}

SHIPPO: dict[str, Mapped] = {
    "UNKNOWN": _m(S.PENDING),
    "PRE_TRANSIT": _m(S.INFO_RECEIVED),
    "TRANSIT": _m(S.IN_TRANSIT),
    "DELIVERED": _m(S.DELIVERED),
    "RETURNED": _m(S.RETURNED),
    "FAILURE": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "out_for_delivery": _m(S.OUT_FOR_DELIVERY),
    "pickup_available": _m(S.AVAILABLE_FOR_PICKUP),
    "delivery_attempted": _m(S.ATTEMPT_FAILED),
    "notice_left": _m(S.ATTEMPT_FAILED),
    "location_inaccessible": _m(S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS),
    "address_issue": _m(S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    "package_damaged": _m(S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    "package_lost": _m(S.EXCEPTION, Sub.EXCEPTION_LOST),
    "package_undeliverable": _m(S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    "delayed": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    "contact_carrier": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "return_to_sender": _m(S.RETURNING),
    "package_returned": _m(S.RETURNED),
    "cancelled": _m(S.CANCELLED),
}

SEVENTEEN_TRACK: dict[str, Mapped] = {
    "NotFound": _m(S.PENDING),
    "NotFound_Other": _m(S.PENDING),
    "NotFound_InvalidCode": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "InfoReceived": _m(S.INFO_RECEIVED),
    "InTransit": _m(S.IN_TRANSIT),
    "InTransit_PickedUp": _m(S.IN_TRANSIT),
    "InTransit_Departure": _m(S.IN_TRANSIT),
    "InTransit_Arrival": _m(S.IN_TRANSIT),
    "InTransit_Other": _m(S.IN_TRANSIT),
    "InTransit_CustomsProcessing": _m(S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING),
    "InTransit_CustomsReleased": _m(S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED),
    "InTransit_CustomsRequiringInformation": _m(S.IN_CUSTOMS, Sub.CUSTOMS_DOCUMENTS_MISSING),
    "Expired": _m(S.EXPIRED),
    "Expired_Other": _m(S.EXPIRED),
    "AvailableForPickup": _m(S.AVAILABLE_FOR_PICKUP),
    "AvailableForPickup_Other": _m(S.AVAILABLE_FOR_PICKUP),
    "OutForDelivery": _m(S.OUT_FOR_DELIVERY),
    "OutForDelivery_Other": _m(S.OUT_FOR_DELIVERY),
    "DeliveryFailure": _m(S.ATTEMPT_FAILED),
    "DeliveryFailure_Other": _m(S.ATTEMPT_FAILED),
    "DeliveryFailure_NoBody": _m(S.ATTEMPT_FAILED, Sub.ATTEMPT_RECIPIENT_ABSENT),
    "DeliveryFailure_Security": _m(S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS),
    "DeliveryFailure_Rejected": _m(S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    "DeliveryFailure_InvalidAddress": _m(S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    "Delivered": _m(S.DELIVERED),
    "Delivered_Other": _m(S.DELIVERED),
    "Exception": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "Exception_Other": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "Exception_Returning": _m(S.RETURNING),
    "Exception_Returned": _m(S.RETURNED),
    "Exception_NoBody": _m(S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    "Exception_Security": _m(S.IN_CUSTOMS, Sub.CUSTOMS_HELD),
    "Exception_Damage": _m(S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    "Exception_Rejected": _m(S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    "Exception_Delayed": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    "Exception_Lost": _m(S.EXCEPTION, Sub.EXCEPTION_LOST),
    "Exception_Destroyed": _m(S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    "Exception_Cancel": _m(S.CANCELLED),
}

SHOPIFY: dict[str, Mapped] = {
    "confirmed": _m(S.PENDING),
    "label_purchased": _m(S.INFO_RECEIVED),
    "label_printed": _m(S.INFO_RECEIVED),
    "carrier_picked_up": _m(S.IN_TRANSIT),
    "in_transit": _m(S.IN_TRANSIT),
    "out_for_delivery": _m(S.OUT_FOR_DELIVERY),
    "ready_for_pickup": _m(S.AVAILABLE_FOR_PICKUP),
    "attempted_delivery": _m(S.ATTEMPT_FAILED),
    "delayed": _m(S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    "failure": _m(S.EXCEPTION, Sub.EXCEPTION_OTHER),
    "picked_up": _m(S.DELIVERED, Sub.DELIVERED_PICKED_UP),
    "delivered": _m(S.DELIVERED),
}

#: Each vocabulary's table, with the codes as the vocabulary spells them.
TABLES: dict[Vocabulary, dict[str, Mapped]] = {
    Vocabulary.AFTERSHIP: AFTERSHIP,
    Vocabulary.EASYPOST: EASYPOST,
    Vocabulary.SHIPPO: SHIPPO,
    Vocabulary.SEVENTEEN_TRACK: SEVENTEEN_TRACK,
    Vocabulary.SHOPIFY: SHOPIFY,
}

#: A code not in the table that starts with one of these still says the parcel is moving
#: (a vocabulary grows new in-transit subtags more often than anything else).
IN_TRANSIT_PREFIXES: dict[Vocabulary, tuple[str, ...]] = {
    Vocabulary.AFTERSHIP: ("intransit",),
    Vocabulary.EASYPOST: ("in_transit",),
    Vocabulary.SHIPPO: ("transit",),
    Vocabulary.SEVENTEEN_TRACK: ("intransit",),
    Vocabulary.SHOPIFY: ("in_transit",),
}

_BY_LOWER: dict[Vocabulary, dict[str, Mapped]] = {
    vocabulary: {code.lower(): mapped for code, mapped in table.items()}
    for vocabulary, table in TABLES.items()
}


def lookup(vocabulary: Vocabulary, code: str, detail: str = "") -> Mapped | None:
    """The mapping of `detail` when the table knows it, else of `code`, else None.

    Both are matched whatever their case and surrounding spaces."""
    table = _BY_LOWER[vocabulary]
    for candidate in (detail, code):
        mapped = table.get(candidate.strip().lower())
        if mapped is not None:
            return mapped
    return None


def map_status(vocabulary: Vocabulary, code: str, detail: str = "") -> Mapped:
    """The most specific mapping of a reported code: its detail (subtag, status_detail,
    substatus) first, then the main code; an unknown code that starts with the
    vocabulary's in-transit prefix is IN_TRANSIT.

    Raises KeyError for anything else, so a caller never files an event under a status
    nobody chose."""
    mapped = lookup(vocabulary, code, detail)
    if mapped is not None:
        return mapped
    if code.strip().lower().startswith(IN_TRANSIT_PREFIXES[vocabulary]):
        return Mapped(S.IN_TRANSIT)
    raise KeyError(f"unknown {vocabulary.value} status code {code!r}")


def markdown_table(vocabulary: Vocabulary) -> str:
    """The vocabulary's table as the README shows it: one row per code, in table order."""
    lines = ["| Code | Status | Sub-status |", "|---|---|---|"]
    for code, mapped in TABLES[vocabulary].items():
        sub = f"`{mapped.sub_status.value}`" if mapped.sub_status else ""
        lines.append(f"| `{code}` | `{mapped.status.value}` | {sub} |")
    return "\n".join(lines) + "\n"
