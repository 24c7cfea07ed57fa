"""The rules of tracking emails: which tracking state sends which email, how one status
episode is keyed, and why a late backlog sends nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from models.emails import EmailKind
from models.jobs import Job
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.emails import events
from services.emails.events import parse_tracking_ref, tracking_email_kind, tracking_ref
from tests.factories import make_order


@pytest.mark.parametrize(
    ("status", "sub", "kind"),
    [
        (S.OUT_FOR_DELIVERY, "", EmailKind.OUT_FOR_DELIVERY),
        (S.ATTEMPT_FAILED, Sub.ATTEMPT_NO_ACCESS.value, EmailKind.DELIVERY_ATTEMPT_FAILED),
        (S.ATTEMPT_FAILED, "", EmailKind.DELIVERY_ATTEMPT_FAILED),
        (S.EXCEPTION, Sub.EXCEPTION_LOST.value, EmailKind.TRACKING_EXCEPTION),
        (S.IN_CUSTOMS, Sub.CUSTOMS_DUTIES_DUE.value, EmailKind.CUSTOMS_DUTIES_DUE),
        (S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING.value, None),
        (S.IN_CUSTOMS, Sub.CUSTOMS_DOCUMENTS_MISSING.value, None),
        (S.IN_TRANSIT, "", None),
        (S.AVAILABLE_FOR_PICKUP, "", None),
        (S.DELIVERED, Sub.DELIVERED_SIGNED.value, None),
        (S.EXPIRED, "", None),
        (S.RETURNING, "", None),
    ],
)
def test_which_tracking_state_sends_which_email(status: S, sub: str, kind: EmailKind | None):
    assert tracking_email_kind(status, sub) is kind


def test_an_episode_key_names_the_parcel_and_the_second_it_began():
    since = datetime(2026, 12, 3, 8, 30, 15, 250_000, tzinfo=UTC)

    ref = tracking_ref(42, since)

    assert ref == f"42:{int(since.timestamp())}"
    assert parse_tracking_ref(ref) == (42, since.replace(microsecond=0))
    assert parse_tracking_ref("42") == (42, None)


async def _changed(order_id: int, status: S, sub: str, since: datetime, latest: datetime) -> None:
    await events.tracking_changed(order_id, 7, status, sub, since=since, latest=latest)


async def test_news_within_three_days_is_enqueued_and_older_news_is_not(db):
    order = await make_order(None, [])
    now = datetime.now(UTC)
    fresh = now - events.STALE_AFTER + timedelta(minutes=5)
    stale = now - events.STALE_AFTER - timedelta(minutes=5)

    await _changed(order.id, S.OUT_FOR_DELIVERY, "", stale, stale)
    await _changed(order.id, S.EXCEPTION, "", fresh, fresh)
    # The status began long ago, but the parcel's latest word is fresh: it is news.
    await _changed(order.id, S.ATTEMPT_FAILED, "", stale, fresh)
    await _changed(order.id, S.IN_TRANSIT, "", fresh, fresh)

    jobs = await Job.filter(task=events.TASK).order_by("id")
    assert [(job.kwargs["kind"], job.kwargs["ref"]) for job in jobs] == [
        ("tracking_exception", tracking_ref(7, fresh)),
        ("delivery_attempt_failed", tracking_ref(7, stale)),
    ]


async def test_the_same_episode_enqueued_twice_is_one_job(db):
    order = await make_order(None, [])
    since = datetime.now(UTC) - timedelta(hours=1)

    await _changed(order.id, S.EXCEPTION, Sub.EXCEPTION_ADDRESS.value, since, since)
    await _changed(order.id, S.EXCEPTION, Sub.EXCEPTION_DAMAGED.value, since, since)

    assert await Job.filter(task=events.TASK).count() == 1
