"""The adapters and signatures, as pure functions: formats read into reports, and the
Standard Webhooks library's crashes on hostile input turned into refusals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import SecretStr

from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.tracking import signing
from services.tracking.errors import TrackingError
from services.tracking.sources import MAX_EVENTS, aftership, standard
from tests.tracking.webhooks import STANDARD_SECRET, aftership_fixture, event, generic


def _aftership(**msg: object) -> dict[str, object]:
    payload = json.loads(aftership_fixture("aftership_in_transit", slug="dhl", number="x1"))
    payload["msg"].update(msg)
    return payload


def test_the_generic_format_reads_into_reports():
    delivery = standard.parse(
        generic(
            " DHL ",
            "rr 123 456 785 cn",
            event(
                "in_customs",
                "2026-12-05T18:00:00+08:00",
                id="evt-1",
                sub_status="customs_duties_due",
                location={"city": "Frankfurt", "country": "deu"},
                estimated_delivery="2026-12-09",
            ),
        )
    )
    assert (delivery.carrier, delivery.tracking_number) == ("dhl", "RR123456785CN")
    [report] = delivery.reports
    assert (report.status, report.sub_status, report.event_id) == (
        S.IN_CUSTOMS,
        Sub.CUSTOMS_DUTIES_DUE,
        "evt-1",
    )
    assert report.occurred_at.utcoffset() == timedelta(hours=8)
    assert (report.city, report.country) == ("Frankfurt", "DE")
    assert report.estimated_delivery == date(2026, 12, 9)


def test_aftership_reads_times_without_an_offset_as_utc_and_skips_unknown_codes():
    payload = _aftership()
    payload["msg"]["checkpoints"][0]["checkpoint_time"] = "2026-11-02T09:00:00"  # type: ignore[index]
    delivery = aftership.parse(payload)
    assert delivery.skipped == 1
    assert delivery.reports[0].occurred_at == datetime(2026, 11, 2, 9, tzinfo=UTC)
    # The tracking's expected delivery goes with its newest checkpoint.
    assert [r.estimated_delivery for r in delivery.reports] == [None, None, date(2026, 11, 9)]


def test_aftership_falls_back_to_its_own_prediction():
    delivery = aftership.parse(_aftership(expected_delivery=None))
    assert delivery.reports[-1].estimated_delivery == date(2026, 11, 10)


def test_aftership_keeps_the_newest_checkpoints_of_a_long_history():
    start = datetime(2026, 11, 1, tzinfo=UTC)
    checkpoints = [
        {"tag": "InTransit", "checkpoint_time": (start + timedelta(hours=i)).isoformat()}
        for i in range(MAX_EVENTS + 20)
    ]
    delivery = aftership.parse(_aftership(checkpoints=list(reversed(checkpoints))))
    assert len(delivery.reports) == MAX_EVENTS
    assert delivery.reports[0].occurred_at == start + timedelta(hours=20)


@pytest.mark.parametrize(
    "headers",
    [
        {"webhook-id": "m", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
        {"webhook-id": "m", "webhook-timestamp": "nan", "webhook-signature": "v1,AAAA"},
        {"webhook-id": "m", "webhook-timestamp": "1e400", "webhook-signature": "v1,AAAA"},
        {"webhook-id": "m\n", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
    ],
)
def test_hostile_signature_headers_are_refusals(headers):
    with pytest.raises(signing.BadSignature):
        signing.verify_standard(STANDARD_SECRET, b"{}", headers)


def test_library_crashes_become_refusals():
    now = datetime.now(UTC)
    good = signing.sign_standard(STANDARD_SECRET, "m", now, b"{}")
    for signature in ("v1", "v1,a,b", "v1,!!!", "v1,QQ"):
        with pytest.raises(signing.BadSignature):
            signing.verify_standard(
                STANDARD_SECRET, b"{}", {**good, "webhook-signature": signature}
            )
    with pytest.raises(signing.BadSignature, match="UTF-8"):
        signing.verify_standard(STANDARD_SECRET, b"\xff", good)
    assert signing.verify_standard(STANDARD_SECRET, b"{}", good) == "m"
    # One good entry among several versions and signatures is enough.
    several = f"v2,xyz v1,QUFBQQ== {good['webhook-signature']}"
    assert signing.verify_standard(STANDARD_SECRET, b"{}", {**good, "webhook-signature": several})


def test_the_simulator_secret_is_derived_from_the_shop_key_unless_set(settings):
    derived = signing.simulator_secret(settings)
    assert derived.startswith("whsec_") and signing.valid_standard_secret(derived)
    assert derived == signing.simulator_secret(settings)
    other = settings.model_copy(update={"secret_key": SecretStr("k" * 40)})
    assert signing.simulator_secret(other) != derived
    chosen = settings.model_copy(update={"tracking_simulator_secret": SecretStr(STANDARD_SECRET)})
    assert signing.simulator_secret(chosen) == STANDARD_SECRET


def test_a_generic_delivery_of_wrong_shape_names_the_field():
    with pytest.raises(TrackingError) as refused:
        standard.parse(generic("dhl", "x", {"status": "delivered"}))
    [problem] = refused.value.problems
    assert problem.field == ("data", "events", "0", "occurred_at")
