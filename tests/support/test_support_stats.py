"""Customer service statistics through the API, with figures worked out by hand.

The shop answers Monday to Friday, 9:00 to 17:00 UTC. The week of Monday 2 March 2026:

| conv | channel | assignee | created      | first response | resolved     | breach  | rating |
|------|---------|----------|--------------|----------------|--------------|---------|--------|
| c1   | chat    | Ann      | Mon 09:00    | Mon 09:10 600s | Mon 10:00 3600s  |     | 5 Ann  |
| c2   | email   | Ann      | Mon 16:50    | Tue 09:20 1800s| Tue 10:50 7200s  | Tue | 3 Ann  |
| c3   | chat    | Bob      | Tue 09:00    | Tue 09:05 300s | -                |     |        |
| c4   | email   | -        | Wed 12:00    | -              | -                |     |        |
| c5   | chat    | Bob      | Fri 27 Feb 16:00 | Mon 09:30 5400s | Mon 10:00 7200s |   | 2 Bob  |
| c6   | chat    | Ann      | next Mon     | next Mon       | next Mon         | yes     | 1 Ann  |

c5 was opened the week before (not counted as opened); c6 falls after the range.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from models.accounts import Role, User
from models.support import (
    BusinessHours,
    Conversation,
    ConversationChannel,
    ConversationRating,
    SupportSchedule,
)
from services.support import conversations
from services.support.conversations import Contact
from services.support.stats import median, percentile
from tests.factories import make_user

FIGURES = """
  opened resolved firstResponses medianFirstResponseSeconds p90FirstResponseSeconds
  medianResolutionSeconds breaches ratings averageRating
"""

REPORT = f"""
query ($from: Date!, $to: Date!, $groupBy: SupportStatisticsGroupBy!, $timezone: String) {{
  supportStatistics(from: $from, to: $to, groupBy: $groupBy, timezone: $timezone) {{
    statistics {{
      from to timezone groupBy
      totals {{ {FIGURES} }}
      rows {{ channel staffEmail staff {{ id }} figures {{ {FIGURES} }} }}
    }}
    errors {{ code field message }}
  }}
}}
"""

WEEK = {"from": "2026-03-02", "to": "2026-03-06"}


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def figures(
    opened: int = 0,
    resolved: int = 0,
    first: int = 0,
    median_first: int | None = None,
    p90_first: int | None = None,
    median_resolution: int | None = None,
    breaches: int = 0,
    ratings: int = 0,
    average: float | None = None,
) -> dict[str, Any]:
    return {
        "opened": opened,
        "resolved": resolved,
        "firstResponses": first,
        "medianFirstResponseSeconds": median_first,
        "p90FirstResponseSeconds": p90_first,
        "medianResolutionSeconds": median_resolution,
        "breaches": breaches,
        "ratings": ratings,
        "averageRating": average,
    }


async def _conversation(
    channel: ConversationChannel,
    assignee: User | None,
    created: datetime,
    first_response: datetime | None = None,
    resolved: datetime | None = None,
    breached: datetime | None = None,
    rating: tuple[int, datetime] | None = None,
    *,
    responder: User | None = None,
    reopened: datetime | None = None,
) -> Conversation:
    """A conversation with these instants; its first response by `responder` (else by its
    assignee)."""
    row = await conversations.open_conversation(
        channel, Contact(name="Guest", email="guest@example.com")
    )
    answered_by = responder or assignee
    await Conversation.filter(id=row.id).update(
        assignee_id=assignee.id if assignee else None,
        created_at=created,
        first_response_at=first_response,
        first_responder_id=answered_by.id if answered_by and first_response else None,
        reopened_at=reopened,
        resolved_at=resolved,
        breached_at=breached,
    )
    if rating is not None:
        score, when = rating
        rated = await ConversationRating.create(
            conversation_id=row.id, score=score, assignee_id=assignee.id if assignee else None
        )
        await ConversationRating.filter(id=rated.id).update(created_at=when)
    return row


@pytest.fixture
async def week(db) -> tuple[User, User]:
    schedule = await SupportSchedule.create(timezone="UTC")
    for weekday in range(5):
        await BusinessHours.create(
            schedule=schedule, weekday=weekday, opens_minute=540, closes_minute=1020
        )
    ann = await make_user(role=Role.STAFF, permissions=("support",), email="ann@example.com")
    bob = await make_user(role=Role.STAFF, permissions=("support",), email="bob@example.com")
    chat, email = ConversationChannel.CHAT, ConversationChannel.EMAIL
    await _conversation(chat, ann, at(2, 9), at(2, 9, 10), at(2, 10), rating=(5, at(2, 11)))
    await _conversation(
        email, ann, at(2, 16, 50), at(3, 9, 20), at(3, 10, 50), at(3, 9), rating=(3, at(3, 12))
    )
    await _conversation(chat, bob, at(3, 9), at(3, 9, 5))
    await _conversation(email, None, at(4, 12))
    await _conversation(
        chat, bob, at(27, 16, month=2), at(2, 9, 30), at(2, 10), rating=(2, at(2, 12))
    )
    await _conversation(
        chat, ann, at(9, 9), at(9, 9, 5), at(9, 10), at(9, 9, 1), rating=(1, at(9, 11))
    )
    return ann, bob


async def _report(client, user: User, group_by: str, **variables: str) -> dict[str, Any]:
    data = await client.query(REPORT, {**WEEK, "groupBy": group_by, **variables}, user=user)
    result = data["supportStatistics"]
    assert result["errors"] == []
    return result["statistics"]


TOTALS = figures(4, 3, 4, 1200, 5400, 7200, 1, 3, 3.33)


async def test_per_staff_figures_in_business_seconds(client, week):
    ann, _ = week
    report = await _report(client, ann, "STAFF")
    assert (report["from"], report["to"], report["timezone"]) == ("2026-03-02", "2026-03-06", "UTC")
    assert report["totals"] == TOTALS
    rows = [(row["staffEmail"], row["channel"], row["figures"]) for row in report["rows"]]
    assert rows == [
        ("ann@example.com", None, figures(2, 2, 2, 1200, 1800, 5400, 1, 2, 4.0)),
        ("bob@example.com", None, figures(1, 1, 2, 2850, 5400, 7200, 0, 1, 2.0)),
        (None, None, figures(opened=1)),
    ]
    assert report["rows"][0]["staff"] is not None and report["rows"][2]["staff"] is None


async def test_a_first_response_counts_for_whoever_gave_it_not_the_assignee(client, week):
    ann, bob = week
    # Bob answered Thursday's question at 9:15; it was handed to Ann afterwards.
    await _conversation(ConversationChannel.CHAT, ann, at(5, 9), at(5, 9, 15), responder=bob)
    report = await _report(client, ann, "STAFF")
    by_email = {row["staffEmail"]: row["figures"] for row in report["rows"]}
    ann_figures = by_email["ann@example.com"]
    assert (ann_figures["opened"], ann_figures["firstResponses"]) == (3, 2)
    assert by_email["bob@example.com"]["firstResponses"] == 3
    assert by_email["bob@example.com"]["medianFirstResponseSeconds"] == 900
    assert report["totals"]["firstResponses"] == 5


async def test_a_reopened_conversation_is_timed_from_its_reopening(client, week):
    ann, _ = week
    # Asked the Friday before, resolved then; the customer came back Thursday 10:00 and it
    # was resolved again at 10:30: half an hour of work, not a week.
    await _conversation(
        ConversationChannel.CHAT, ann, at(27, 9, month=2), at(27, 9, 5, month=2),
        at(5, 10, 30), reopened=at(5, 10),
    )  # fmt: skip
    report = await _report(client, ann, "CHANNEL", **{"from": "2026-03-05", "to": "2026-03-05"})
    assert (report["totals"]["resolved"], report["totals"]["medianResolutionSeconds"]) == (1, 1800)


async def test_per_channel_figures(client, week):
    reporter = await make_user(role=Role.STAFF, permissions=("reports",))
    report = await _report(client, reporter, "CHANNEL")
    assert report["totals"] == TOTALS
    rows = [(row["channel"], row["staffEmail"], row["figures"]) for row in report["rows"]]
    assert rows == [
        ("CHAT", None, figures(2, 2, 3, 600, 5400, 5400, 0, 2, 3.5)),
        ("EMAIL", None, figures(2, 1, 1, 1800, 1800, 7200, 1, 1, 3.0)),
    ]


async def test_a_range_without_conversations_has_zeros_and_no_rows(client, week):
    ann, _ = week
    report = await _report(client, ann, "STAFF", **{"from": "2025-01-01", "to": "2025-01-31"})
    assert report["totals"] == figures()
    assert report["rows"] == []


async def test_the_next_week_counts_only_its_own_conversation(client, week):
    ann, _ = week
    report = await _report(client, ann, "STAFF", **{"from": "2026-03-09", "to": "2026-03-09"})
    assert report["totals"] == figures(1, 1, 1, 300, 300, 3600, 1, 1, 1.0)


async def test_days_are_the_readers_zone_or_else_the_service_hours_zone(client, week):
    ann, _ = week
    monday = {"from": "2026-03-02", "to": "2026-03-02"}
    utc = await _report(client, ann, "CHANNEL", **monday)
    # Monday in Shanghai ends at 16:00 UTC, before c2 was opened at 16:50.
    shanghai = await _report(client, ann, "CHANNEL", **monday, timezone="Asia/Shanghai")
    assert (utc["timezone"], utc["totals"]["opened"]) == ("UTC", 2)
    assert (shanghai["timezone"], shanghai["totals"]["opened"]) == ("Asia/Shanghai", 1)
    await SupportSchedule.all().update(timezone="Asia/Shanghai")
    default = await _report(client, ann, "CHANNEL", **monday)
    assert (default["timezone"], default["totals"]["opened"]) == ("Asia/Shanghai", 1)


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"from": "2026-03-06", "to": "2026-03-02"}, "INVALID_RANGE"),
        ({"from": "2025-01-01", "to": "2026-01-02"}, "RANGE_TOO_LONG"),
        ({**WEEK, "timezone": "Mars/Olympus_Mons"}, "INVALID_TIMEZONE"),
        ({**WEEK, "timezone": "../../etc/passwd"}, "INVALID_TIMEZONE"),
        ({**WEEK, "timezone": "UTC\x00"}, "INVALID_TIMEZONE"),
    ],
)
async def test_refused_arguments_get_a_typed_error_and_no_figures(client, week, variables, code):
    ann, _ = week
    body = await client.request(REPORT, {**variables, "groupBy": "STAFF"}, user=ann)
    result = body["data"]["supportStatistics"] if body.get("data") else None
    if result is None:  # refused by the input rules before the resolver ran
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
        return
    assert result["statistics"] is None
    field = "timezone" if code == "INVALID_TIMEZONE" else "to"
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, [field])]


async def test_a_leap_year_is_accepted(client, week):
    ann, _ = week
    report = await _report(client, ann, "CHANNEL", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert report["rows"] == []


async def test_only_staff_who_read_reports_or_answer_customers_get_statistics(client, week):
    refusals = [
        (None, "UNAUTHENTICATED"),
        (await make_user(), "FORBIDDEN"),
        (await make_user(role=Role.STAFF, permissions=("catalog", "orders")), "FORBIDDEN"),
    ]
    for user, code in refusals:
        body = await client.request(REPORT, {**WEEK, "groupBy": "STAFF"}, user=user)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code


async def test_a_group_by_outside_the_enum_is_refused(client, week):
    ann, _ = week
    body = await client.request(REPORT, {**WEEK, "groupBy": "PRIORITY"}, user=ann)
    assert body["data"] is None
    assert body["errors"]


def test_median_and_nearest_rank_percentile():
    assert median([]) is None and percentile([], 90) is None
    assert median([600, 1800]) == 1200
    assert median([1.5, 2.0]) == 2  # 1.75 rounds half up
    assert percentile([300, 600, 1800, 5400], 90) == 5400
    assert percentile(list(range(1, 11)), 90) == 9
    assert percentile([7], 90) == 7
