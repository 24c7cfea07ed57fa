"""The rules a parcel's status follows: forward always, back only where it makes sense."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from models.tracking import TrackingStatus as S
from services.tracking.progress import Step, fold, needs_attention, status_after

T0 = datetime(2026, 11, 2, tzinfo=UTC)


def steps(*statuses: S) -> list[Step]:
    return [Step(s, "", T0 + timedelta(hours=i)) for i, s in enumerate(statuses)]


@pytest.mark.parametrize(
    ("current", "incoming", "after"),
    [
        (S.PENDING, S.IN_TRANSIT, S.IN_TRANSIT),
        (S.IN_TRANSIT, S.INFO_RECEIVED, S.IN_TRANSIT),  # a late label scan moves nothing back
        (S.OUT_FOR_DELIVERY, S.IN_TRANSIT, S.OUT_FOR_DELIVERY),
        (S.ATTEMPT_FAILED, S.OUT_FOR_DELIVERY, S.OUT_FOR_DELIVERY),  # tried again
        (S.ATTEMPT_FAILED, S.IN_TRANSIT, S.IN_TRANSIT),  # back to the depot
        (S.EXCEPTION, S.IN_TRANSIT, S.IN_TRANSIT),  # the trouble is over
        (S.OUT_FOR_DELIVERY, S.IN_CUSTOMS, S.IN_CUSTOMS),  # customs may stop it anywhere
        (S.IN_TRANSIT, S.EXCEPTION, S.EXCEPTION),
        (S.DELIVERED, S.IN_TRANSIT, S.DELIVERED),  # delivered is final...
        (S.DELIVERED, S.EXCEPTION, S.DELIVERED),
        (S.DELIVERED, S.RETURNING, S.RETURNING),  # ...unless a return starts
        (S.RETURNING, S.IN_TRANSIT, S.RETURNING),
        (S.RETURNING, S.RETURNED, S.RETURNED),
        (S.RETURNED, S.DELIVERED, S.RETURNED),
        (S.CANCELLED, S.IN_TRANSIT, S.CANCELLED),
        (S.EXPIRED, S.IN_TRANSIT, S.IN_TRANSIT),  # a quiet parcel speaks again
        (S.IN_TRANSIT, S.EXPIRED, S.EXPIRED),
        (S.IN_TRANSIT, S.PENDING, S.IN_TRANSIT),
    ],
)
def test_status_after(current, incoming, after):
    assert status_after(current, incoming) is after


def test_the_fold_reads_a_whole_journey():
    journey = fold(
        steps(
            S.INFO_RECEIVED,
            S.IN_TRANSIT,
            S.IN_CUSTOMS,
            S.IN_TRANSIT,
            S.OUT_FOR_DELIVERY,
            S.ATTEMPT_FAILED,
            S.OUT_FOR_DELIVERY,
            S.DELIVERED,
        )
    )
    assert journey.status is S.DELIVERED
    assert journey.delivered_at == T0 + timedelta(hours=7)
    assert journey.since == T0 + timedelta(hours=7)
    assert journey.last_event_at == T0 + timedelta(hours=7)


def test_the_fold_keeps_the_time_the_status_was_taken_not_the_latest_repeat():
    journey = fold(steps(S.INFO_RECEIVED, S.IN_TRANSIT, S.IN_TRANSIT, S.IN_TRANSIT))
    assert journey.status is S.IN_TRANSIT
    assert journey.since == T0 + timedelta(hours=1)
    assert journey.last_event_at == T0 + timedelta(hours=3)


def test_a_sub_status_change_is_a_change():
    journey = fold(
        [
            Step(S.IN_CUSTOMS, "customs_processing", T0),
            Step(S.IN_CUSTOMS, "customs_duties_due", T0 + timedelta(hours=1)),
        ]
    )
    assert (journey.status, journey.sub_status) == (S.IN_CUSTOMS, "customs_duties_due")
    assert journey.since == T0


def test_nothing_heard_is_pending():
    assert fold([]).status is S.PENDING
    assert fold([]).last_event_at is None


def test_the_outcome_of_a_timeline_sorted_by_time_does_not_depend_on_arrival():
    # Every arrival order of the same events, sorted by when they happened, reads the same.
    journey = steps(S.INFO_RECEIVED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED)
    outcomes = {
        fold(sorted(order, key=lambda s: s.occurred_at)).status
        for order in itertools.permutations(journey)
    }
    assert outcomes == {S.DELIVERED}


@pytest.mark.parametrize(
    ("status", "sub", "queued"),
    [
        (S.EXCEPTION, "exception_lost", True),
        (S.ATTEMPT_FAILED, "", True),
        (S.EXPIRED, "", True),
        (S.RETURNING, "", True),
        (S.IN_CUSTOMS, "customs_duties_due", True),
        (S.IN_CUSTOMS, "customs_documents_missing", True),
        (S.IN_CUSTOMS, "customs_processing", False),
        (S.IN_TRANSIT, "", False),
        (S.DELIVERED, "", False),
    ],
)
def test_which_parcels_need_attention(status, sub, queued):
    assert needs_attention(status, sub) is queued
