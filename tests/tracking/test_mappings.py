"""The status codes of AfterShip, EasyPost, Shippo, 17TRACK and Shopify, in the shop's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from models.tracking import SUB_STATUS_OF
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.tracking.mappings import (
    TABLES,
    Mapped,
    Vocabulary,
    lookup,
    map_status,
    markdown_table,
)

A = Vocabulary.AFTERSHIP
E = Vocabulary.EASYPOST
P = Vocabulary.SHIPPO
T = Vocabulary.SEVENTEEN_TRACK
Y = Vocabulary.SHOPIFY

#: (vocabulary, main code, finer code, expected status, expected sub-status): one row per
#: code the tables know, the finer codes reported beside a main code as they arrive.
CASES: list[tuple[Vocabulary, str, str, S, Sub | None]] = [
    (A, "Pending", "", S.PENDING, None),
    (A, "Pending", "Pending_001", S.PENDING, None),
    (A, "InfoReceived", "", S.INFO_RECEIVED, None),
    (A, "InfoReceived", "InfoReceived_001", S.INFO_RECEIVED, None),
    (A, "InTransit", "", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_001", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_002", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_003", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_004", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_005", S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED),
    (A, "InTransit", "InTransit_006", S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING),
    (A, "InTransit", "InTransit_007", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_008", S.IN_TRANSIT, None),
    (A, "InTransit", "InTransit_009", S.IN_TRANSIT, None),
    (A, "OutForDelivery", "", S.OUT_FOR_DELIVERY, None),
    (A, "OutForDelivery", "OutForDelivery_001", S.OUT_FOR_DELIVERY, None),
    (A, "OutForDelivery", "OutForDelivery_003", S.OUT_FOR_DELIVERY, None),
    (A, "OutForDelivery", "OutForDelivery_004", S.OUT_FOR_DELIVERY, None),
    (A, "AttemptFail", "", S.ATTEMPT_FAILED, None),
    (A, "AttemptFail", "AttemptFail_001", S.ATTEMPT_FAILED, None),
    (A, "AttemptFail", "AttemptFail_002", S.ATTEMPT_FAILED, Sub.ATTEMPT_RECIPIENT_ABSENT),
    (A, "AttemptFail", "AttemptFail_003", S.ATTEMPT_FAILED, Sub.ATTEMPT_BUSINESS_CLOSED),
    (A, "AvailableForPickup", "", S.AVAILABLE_FOR_PICKUP, None),
    (A, "AvailableForPickup", "AvailableForPickup_001", S.AVAILABLE_FOR_PICKUP, None),
    (A, "Delivered", "", S.DELIVERED, None),
    (A, "Delivered", "Delivered_001", S.DELIVERED, None),
    (A, "Delivered", "Delivered_002", S.DELIVERED, Sub.DELIVERED_PICKED_UP),
    (A, "Delivered", "Delivered_003", S.DELIVERED, Sub.DELIVERED_SIGNED),
    (A, "Delivered", "Delivered_004", S.DELIVERED, None),
    (A, "Delivered", "Delivered_005", S.DELIVERED, Sub.DELIVERED_LEFT_SAFE),
    (A, "Exception", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (A, "Exception", "Exception_001", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (A, "Exception", "Exception_002", S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    (A, "Exception", "Exception_003", S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    (A, "Exception", "Exception_004", S.IN_CUSTOMS, Sub.CUSTOMS_HELD),
    (A, "Exception", "Exception_005", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (A, "Exception", "Exception_006", S.IN_CUSTOMS, Sub.CUSTOMS_DUTIES_DUE),
    (A, "Exception", "Exception_007", S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    (A, "Exception", "Exception_008", S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    (A, "Exception", "Exception_009", S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    (A, "Exception", "Exception_010", S.RETURNING, None),
    (A, "Exception", "Exception_011", S.RETURNED, None),
    (A, "Exception", "Exception_012", S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    (A, "Exception", "Exception_013", S.EXCEPTION, Sub.EXCEPTION_LOST),
    (A, "Exception", "Exception_016", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (A, "Exception", "Exception_017", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (A, "Exception", "Exception_018", S.IN_CUSTOMS, Sub.CUSTOMS_DOCUMENTS_MISSING),
    (A, "Expired", "", S.EXPIRED, None),
    (A, "Expired", "Expired_001", S.EXPIRED, None),
    (E, "unknown", "", S.PENDING, None),
    (E, "pre_transit", "", S.INFO_RECEIVED, None),
    (E, "in_transit", "", S.IN_TRANSIT, None),
    (E, "out_for_delivery", "", S.OUT_FOR_DELIVERY, None),
    (E, "available_for_pickup", "", S.AVAILABLE_FOR_PICKUP, None),
    (E, "delivered", "", S.DELIVERED, None),
    (E, "return_to_sender", "", S.RETURNING, None),
    (E, "failure", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (E, "error", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (E, "cancelled", "", S.CANCELLED, None),
    (E, "in_transit", "address_correction", S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    (E, "in_transit", "damaged", S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    (E, "in_transit", "lost", S.EXCEPTION, Sub.EXCEPTION_LOST),
    (E, "in_transit", "refused", S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    (E, "in_transit", "delayed", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (E, "in_transit", "weather_delay", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (E, "in_transit", "missorted", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (P, "UNKNOWN", "", S.PENDING, None),
    (P, "PRE_TRANSIT", "", S.INFO_RECEIVED, None),
    (P, "TRANSIT", "", S.IN_TRANSIT, None),
    (P, "DELIVERED", "", S.DELIVERED, None),
    (P, "RETURNED", "", S.RETURNED, None),
    (P, "FAILURE", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (P, "TRANSIT", "out_for_delivery", S.OUT_FOR_DELIVERY, None),
    (P, "TRANSIT", "pickup_available", S.AVAILABLE_FOR_PICKUP, None),
    (P, "TRANSIT", "delivery_attempted", S.ATTEMPT_FAILED, None),
    (P, "TRANSIT", "notice_left", S.ATTEMPT_FAILED, None),
    (P, "TRANSIT", "location_inaccessible", S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS),
    (P, "TRANSIT", "address_issue", S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    (P, "TRANSIT", "package_damaged", S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    (P, "TRANSIT", "package_lost", S.EXCEPTION, Sub.EXCEPTION_LOST),
    (P, "TRANSIT", "package_undeliverable", S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    (P, "TRANSIT", "delayed", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (P, "TRANSIT", "contact_carrier", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (P, "TRANSIT", "return_to_sender", S.RETURNING, None),
    (P, "TRANSIT", "package_returned", S.RETURNED, None),
    (P, "TRANSIT", "cancelled", S.CANCELLED, None),
    (T, "NotFound", "", S.PENDING, None),
    (T, "NotFound", "NotFound_Other", S.PENDING, None),
    (T, "NotFound", "NotFound_InvalidCode", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (T, "InfoReceived", "", S.INFO_RECEIVED, None),
    (T, "InTransit", "", S.IN_TRANSIT, None),
    (T, "InTransit", "InTransit_PickedUp", S.IN_TRANSIT, None),
    (T, "InTransit", "InTransit_Departure", S.IN_TRANSIT, None),
    (T, "InTransit", "InTransit_Arrival", S.IN_TRANSIT, None),
    (T, "InTransit", "InTransit_Other", S.IN_TRANSIT, None),
    (T, "InTransit", "InTransit_CustomsProcessing", S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING),
    (T, "InTransit", "InTransit_CustomsReleased", S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED),
    (
        T,
        "InTransit",
        "InTransit_CustomsRequiringInformation",
        S.IN_CUSTOMS,
        Sub.CUSTOMS_DOCUMENTS_MISSING,
    ),
    (T, "Expired", "", S.EXPIRED, None),
    (T, "Expired", "Expired_Other", S.EXPIRED, None),
    (T, "AvailableForPickup", "", S.AVAILABLE_FOR_PICKUP, None),
    (T, "AvailableForPickup", "AvailableForPickup_Other", S.AVAILABLE_FOR_PICKUP, None),
    (T, "OutForDelivery", "", S.OUT_FOR_DELIVERY, None),
    (T, "OutForDelivery", "OutForDelivery_Other", S.OUT_FOR_DELIVERY, None),
    (T, "DeliveryFailure", "", S.ATTEMPT_FAILED, None),
    (T, "DeliveryFailure", "DeliveryFailure_Other", S.ATTEMPT_FAILED, None),
    (
        T,
        "DeliveryFailure",
        "DeliveryFailure_NoBody",
        S.ATTEMPT_FAILED,
        Sub.ATTEMPT_RECIPIENT_ABSENT,
    ),
    (T, "DeliveryFailure", "DeliveryFailure_Security", S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS),
    (T, "DeliveryFailure", "DeliveryFailure_Rejected", S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    (T, "DeliveryFailure", "DeliveryFailure_InvalidAddress", S.EXCEPTION, Sub.EXCEPTION_ADDRESS),
    (T, "Delivered", "", S.DELIVERED, None),
    (T, "Delivered", "Delivered_Other", S.DELIVERED, None),
    (T, "Exception", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (T, "Exception", "Exception_Other", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (T, "Exception", "Exception_Returning", S.RETURNING, None),
    (T, "Exception", "Exception_Returned", S.RETURNED, None),
    (T, "Exception", "Exception_NoBody", S.EXCEPTION, Sub.EXCEPTION_UNDELIVERABLE),
    (T, "Exception", "Exception_Security", S.IN_CUSTOMS, Sub.CUSTOMS_HELD),
    (T, "Exception", "Exception_Damage", S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    (T, "Exception", "Exception_Rejected", S.EXCEPTION, Sub.EXCEPTION_REFUSED),
    (T, "Exception", "Exception_Delayed", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (T, "Exception", "Exception_Lost", S.EXCEPTION, Sub.EXCEPTION_LOST),
    (T, "Exception", "Exception_Destroyed", S.EXCEPTION, Sub.EXCEPTION_DAMAGED),
    (T, "Exception", "Exception_Cancel", S.CANCELLED, None),
    (Y, "confirmed", "", S.PENDING, None),
    (Y, "label_purchased", "", S.INFO_RECEIVED, None),
    (Y, "label_printed", "", S.INFO_RECEIVED, None),
    (Y, "carrier_picked_up", "", S.IN_TRANSIT, None),
    (Y, "in_transit", "", S.IN_TRANSIT, None),
    (Y, "out_for_delivery", "", S.OUT_FOR_DELIVERY, None),
    (Y, "ready_for_pickup", "", S.AVAILABLE_FOR_PICKUP, None),
    (Y, "attempted_delivery", "", S.ATTEMPT_FAILED, None),
    (Y, "delayed", "", S.EXCEPTION, Sub.EXCEPTION_DELAYED),
    (Y, "failure", "", S.EXCEPTION, Sub.EXCEPTION_OTHER),
    (Y, "picked_up", "", S.DELIVERED, Sub.DELIVERED_PICKED_UP),
    (Y, "delivered", "", S.DELIVERED, None),
]


@pytest.mark.parametrize(("vocabulary", "code", "detail", "status", "sub_status"), CASES)
def test_each_code_maps_to_its_status(
    vocabulary: Vocabulary, code: str, detail: str, status: S, sub_status: Sub | None
) -> None:
    assert map_status(vocabulary, code, detail) == Mapped(status, sub_status)


def test_every_mapped_code_has_a_case() -> None:
    covered = {(v, detail or code) for v, code, detail, _, _ in CASES}
    mapped = {(v, code) for v, table in TABLES.items() for code in table}
    assert mapped == covered


@pytest.mark.parametrize("vocabulary", list(Vocabulary))
def test_every_sub_status_belongs_to_its_status(vocabulary: Vocabulary) -> None:
    for code, mapped in TABLES[vocabulary].items():
        if mapped.sub_status is not None:
            assert SUB_STATUS_OF[mapped.sub_status] == mapped.status, code


@pytest.mark.parametrize(
    ("vocabulary", "code", "detail", "expected"),
    [
        (A, "intransit", "INTRANSIT_005", Mapped(S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED)),
        (E, "IN_TRANSIT", "Weather_Delay", Mapped(S.EXCEPTION, Sub.EXCEPTION_DELAYED)),
        (P, "transit", "", Mapped(S.IN_TRANSIT)),
        (P, "Failure", "ADDRESS_ISSUE", Mapped(S.EXCEPTION, Sub.EXCEPTION_ADDRESS)),
        (T, "exception", "exception_lost", Mapped(S.EXCEPTION, Sub.EXCEPTION_LOST)),
        (Y, "  PICKED_UP ", "", Mapped(S.DELIVERED, Sub.DELIVERED_PICKED_UP)),
    ],
)
def test_codes_match_whatever_their_case(
    vocabulary: Vocabulary, code: str, detail: str, expected: Mapped
) -> None:
    assert map_status(vocabulary, code, detail) == expected


def test_an_unknown_detail_falls_back_to_the_main_code() -> None:
    assert map_status(A, "Delivered", "Delivered_099") == Mapped(S.DELIVERED)
    assert map_status(P, "FAILURE", "something_new") == Mapped(S.EXCEPTION, Sub.EXCEPTION_OTHER)
    assert lookup(T, "Exception", "Exception_Unheard") == Mapped(S.EXCEPTION, Sub.EXCEPTION_OTHER)


@pytest.mark.parametrize(
    ("vocabulary", "code"),
    [
        (A, "InTransit_042"),
        (E, "in_transit_new"),
        (P, "TRANSIT_SOMETHING"),
        (T, "InTransit_Teleported"),
        (Y, "in_transit_again"),
    ],
)
def test_an_unknown_in_transit_code_is_in_transit(vocabulary: Vocabulary, code: str) -> None:
    assert lookup(vocabulary, code) is None
    assert map_status(vocabulary, code) == Mapped(S.IN_TRANSIT)


@pytest.mark.parametrize(
    ("vocabulary", "code", "detail"),
    [
        (A, "Teleported", ""),
        (A, "Exception_099", ""),
        (E, "", ""),
        (P, "LOST_IN_SPACE", "package_vanished"),
        (T, "Delivered\x00", ""),
        (Y, "x" * 10_000, ""),
        # The prefix rule reads the main code only: a vague main code is not rescued by it.
        (T, "Weird", "InTransit_Whatever"),
    ],
)
def test_an_unknown_code_is_refused(vocabulary: Vocabulary, code: str, detail: str) -> None:
    assert lookup(vocabulary, code, detail) is None
    with pytest.raises(KeyError):
        map_status(vocabulary, code, detail)


def test_the_same_code_means_different_things_per_vocabulary() -> None:
    assert map_status(E, "failure") == Mapped(S.EXCEPTION, Sub.EXCEPTION_OTHER)
    assert map_status(Y, "picked_up") == Mapped(S.DELIVERED, Sub.DELIVERED_PICKED_UP)
    with pytest.raises(KeyError):
        map_status(E, "picked_up")


def _readme_tables() -> dict[str, str]:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Tracking statuses\n", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, str] = {}
    for block in section.split("\n### ")[1:]:
        heading, _, body = block.partition("\n")
        rows = [line for line in body.splitlines() if line.startswith("|")]
        tables[heading.split()[0].lower()] = "\n".join(rows) + "\n"
    return tables


def test_the_readme_shows_the_tables_of_the_code() -> None:
    tables = _readme_tables()
    assert set(tables) == {v.value for v in Vocabulary}
    for vocabulary in Vocabulary:
        assert tables[vocabulary.value] == markdown_table(vocabulary), vocabulary


def test_the_readme_explains_every_status_and_sub_status() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Tracking statuses\n", 1)[1].split("\n### ", 1)[0]
    explained = set(re.findall(r"^\| `([a-z_]+)` \| [A-Z]", section, flags=re.M))
    assert explained == {s.value for s in S} | {s.value for s in Sub}
