"""Pollers: the scheduler asks a registered carrier about its parcels still on their way,
in batches, and records the answers as POLL events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pytest

from jobs import periodic
from models.orders import Shipment
from models.shipping import Carrier
from models.tracking import TrackingEvent, TrackingSource
from models.tracking import TrackingStatus as S
from services.tracking import events, polling
from services.tracking.events import Report
from tests.tracking.helpers import report, shipped_order


class FakePoller:
    """Answers from a table of reports per number, and notes every question."""

    def __init__(self, answers: Mapping[str, Sequence[Report]], *, fail: bool = False) -> None:
        self.answers = answers
        self.fail = fail
        self.asked: list[list[str]] = []

    async def poll(self, numbers: Sequence[str]) -> Mapping[str, Sequence[Report]]:
        self.asked.append(list(numbers))
        if self.fail:
            raise ConnectionError("the carrier is down")
        return {n: self.answers[n] for n in numbers if n in self.answers}


@pytest.fixture
def registry() -> Iterator[list[str]]:
    codes: list[str] = []
    yield codes
    for code in codes:
        polling.unregister(code)


async def _carrier_code(shipment: Shipment) -> str:
    return (await Carrier.get(id=shipment.carrier_id)).code


async def test_a_poller_is_asked_about_open_parcels_and_its_answers_recorded(db, registry):
    _, parcels = await shipped_order(parcels=3)
    code = await _carrier_code(parcels[0])
    done = parcels[2]
    await events.record(done.id, [report(S.DELIVERED, 5)], source=TrackingSource.STAFF)
    _, [elsewhere] = await shipped_order()  # another carrier's parcel: not asked
    journey = [report(S.INFO_RECEIVED, 0), report(S.IN_TRANSIT, 10, city="Shanghai")]
    poller = FakePoller({parcels[0].tracking_number: journey, "NOT-ASKED": journey})
    polling.register(code, poller)
    registry.append(code)

    assert await polling.poll_open(batch=1) == 2
    assert poller.asked == [[parcels[0].tracking_number], [parcels[1].tracking_number]]
    rows = await TrackingEvent.filter(shipment_id=parcels[0].id).order_by("occurred_at")
    assert [(r.status, r.source, r.source_name) for r in rows] == [
        (S.INFO_RECEIVED, TrackingSource.POLL, code),
        (S.IN_TRANSIT, TrackingSource.POLL, code),
    ]
    assert (await Shipment.get(id=parcels[0].id)).tracking_status == S.IN_TRANSIT
    assert await TrackingEvent.filter(shipment_id=elsewhere.id).count() == 0

    # Asked again, the same answers add nothing.
    assert await polling.poll_open() == 0
    assert poller.asked[-1] == sorted(p.tracking_number for p in parcels[:2])


async def test_the_periodic_job_runs_the_pollers(db, registry):
    _, [parcel] = await shipped_order()
    code = await _carrier_code(parcel)
    poller = FakePoller({parcel.tracking_number: [report(S.OUT_FOR_DELIVERY, 3)]})
    polling.register(code, poller)
    registry.append(code)
    assert any(p.task == "tracking.poll" for p in periodic.SCHEDULE)
    await periodic.poll_tracking()
    assert (await Shipment.get(id=parcel.id)).tracking_status == S.OUT_FOR_DELIVERY


async def test_a_failing_poller_is_logged_and_nothing_is_recorded(db, registry, caplog):
    _, [parcel] = await shipped_order()
    code = await _carrier_code(parcel)
    poller = FakePoller({}, fail=True)
    polling.register(code, poller)
    registry.append(code)
    assert await polling.poll_open() == 0
    assert poller.asked == [[parcel.tracking_number]]
    assert await TrackingEvent.all().count() == 0
    assert "tracking.poll_failed" in caplog.text


async def test_without_pollers_nothing_is_asked(db):
    await shipped_order()
    assert polling.registered() == {}
    assert await polling.poll_open() == 0
