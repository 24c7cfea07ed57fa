"""Points through the GraphQL API: balance, ledger, lapses, check-in and staff adjustments."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.members import CheckIn, PointsEntry, PointsKind
from services.auth import StaffPermission
from services.members import points
from tests.factories import gid, make_user

ME_POINTS = """
query { me {
  pointsBalance
  pointsExpiringSoon { amount expiresAt }
  pointsEntries(first: 2) { totalCount pageInfo { hasNextPage endCursor }
    nodes { id amount kind note expiresAt } }
  checkInStatus { checkedInToday streak nextPoints }
} }
"""

CHECK_IN = """
mutation { checkIn { checkIn { day streak points } pointsBalance errors { code message } } }
"""

CHECK_INS = "query { me { checkIns { totalCount nodes { day streak points } } } }"

ADJUST = """
mutation Adjust($input: AdjustPointsInput!) {
  adjustPoints(input: $input) { entry { amount kind note } pointsBalance errors { field code } }
}
"""

CUSTOMER = """
query Customer($id: ID!) { customer(id: $id) { pointsBalance pointsEntries { totalCount } } }
"""


async def _customers_staff():
    return await make_user(role=Role.STAFF, permissions=(StaffPermission.CUSTOMERS.value,))


async def test_the_balance_leaves_out_lapsed_points_and_shows_the_next_lapse(client):
    member = await make_user()
    lapsed = await points.award(member.id, 100, PointsKind.ORDER, "order:1")
    lapsed.expires_at = timezone.now() - timedelta(hours=1)
    await lapsed.save()
    fresh = await points.award(member.id, 40, PointsKind.REVIEW, "review:1", note="Thanks")
    await points.award(member.id, 20, PointsKind.CHECK_IN, "check-in:2026-01-01")
    me = (await client.query(ME_POINTS, user=member))["me"]
    assert me["pointsBalance"] == 60
    assert me["pointsExpiringSoon"]["amount"] == 40
    assert fresh.expires_at is not None
    assert me["pointsExpiringSoon"]["expiresAt"].startswith(fresh.expires_at.isoformat()[:16])
    entries = me["pointsEntries"]
    assert entries["totalCount"] == 3 and entries["pageInfo"]["hasNextPage"] is True
    assert [n["amount"] for n in entries["nodes"]] == [20, 40]  # newest first
    assert entries["nodes"][1]["kind"] == "REVIEW" and entries["nodes"][1]["note"] == "Thanks"


async def test_check_in_once_a_day_with_the_streak(client):
    member = await make_user()
    yesterday = (timezone.now() - timedelta(days=1)).date()
    await CheckIn.create(user=member, day=yesterday, streak=2, points=6)
    before = (await client.query(ME_POINTS, user=member))["me"]["checkInStatus"]
    assert before == {"checkedInToday": False, "streak": 2, "nextPoints": 7}
    data = (await client.query(CHECK_IN, user=member))["checkIn"]
    assert data["errors"] == []
    assert data["checkIn"] == {"day": timezone.now().date().isoformat(), "streak": 3, "points": 7}
    assert data["pointsBalance"] == 7
    again = (await client.query(CHECK_IN, user=member))["checkIn"]
    assert again["checkIn"] is None
    assert [e["code"] for e in again["errors"]] == ["ALREADY_CHECKED_IN"]
    assert await PointsEntry.filter(user_id=member.id).count() == 1
    after = (await client.query(ME_POINTS, user=member))["me"]["checkInStatus"]
    assert after == {"checkedInToday": True, "streak": 3, "nextPoints": 8}
    listed = (await client.query(CHECK_INS, user=member))["me"]["checkIns"]
    assert listed["totalCount"] == 2 and listed["nodes"][0]["streak"] == 3


async def test_check_in_needs_a_signed_in_member(client):
    body = await client.request(CHECK_IN)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await CheckIn.all().count() == 0


async def test_staff_adjust_points_idempotently_and_never_below_zero(client):
    staff = await _customers_staff()
    member = await make_user()
    grant = {
        "userId": gid("User", member.id),
        "amount": 50,
        "reason": "Apology",
        "idempotencyKey": "t-1",
    }
    data = (await client.query(ADJUST, {"input": grant}, user=staff))["adjustPoints"]
    assert data["entry"] == {"amount": 50, "kind": "ADJUSTMENT", "note": "Apology"}
    assert data["pointsBalance"] == 50
    repeat = (await client.query(ADJUST, {"input": grant}, user=staff))["adjustPoints"]
    assert repeat["pointsBalance"] == 50
    entry = await PointsEntry.get(user_id=member.id)
    assert entry.actor_id == staff.id and entry.source == "adjustment:t-1"

    too_much = {"userId": gid("User", member.id), "amount": -51, "reason": "Mistake"}
    refused = (await client.query(ADJUST, {"input": too_much}, user=staff))["adjustPoints"]
    assert refused["errors"] == [{"field": ["amount"], "code": "INSUFFICIENT_POINTS"}]
    blank = {"userId": gid("User", member.id), "amount": -5, "reason": " "}
    refused = (await client.query(ADJUST, {"input": blank}, user=staff))["adjustPoints"]
    assert refused["errors"] == [{"field": ["reason"], "code": "REQUIRED"}]
    assert await PointsEntry.filter(user_id=member.id).count() == 1

    deduct = {"userId": gid("User", member.id), "amount": -50, "reason": "Mistake"}
    done = (await client.query(ADJUST, {"input": deduct}, user=staff))["adjustPoints"]
    assert done["pointsBalance"] == 0 and done["entry"]["amount"] == -50


async def test_only_customer_staff_adjust_points_or_read_a_members_ledger(client):
    member = await make_user()
    await points.award(member.id, 10, PointsKind.REVIEW, "review:1")
    other = await make_user()
    grant = {"userId": gid("User", member.id), "amount": 5, "reason": "Gift"}
    body = await client.request(ADJUST, {"input": grant}, user=member)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(CUSTOMER, {"id": gid("User", member.id)}, user=other)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    staff = await _customers_staff()
    data = await client.query(CUSTOMER, {"id": gid("User", member.id)}, user=staff)
    assert data["customer"] == {"pointsBalance": 10, "pointsEntries": {"totalCount": 1}}
    assert await PointsEntry.filter(user_id=member.id).count() == 1


async def test_another_members_entries_do_not_resolve_as_nodes(client):
    member, other = await make_user(), await make_user()
    entry = await points.award(member.id, 10, PointsKind.REVIEW, "review:1")
    query = "query($id: ID!) { node(id: $id) { ... on PointsEntry { amount } } }"
    assert (await client.query(query, {"id": gid("PointsEntry", entry.id)}, user=other)) == {
        "node": None
    }
    mine = await client.query(query, {"id": gid("PointsEntry", entry.id)}, user=member)
    assert mine == {"node": {"amount": 10}}


async def test_a_list_of_customers_reads_balances_in_batches(client, count_queries):
    staff = await _customers_staff()
    members = [await make_user() for _ in range(3)]
    for member in members:
        await points.award(member.id, 10, PointsKind.REVIEW, "review:1")
    ids = [gid("User", m.id) for m in members]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { ... on User {
      pointsBalance pointsExpiringSoon { amount } checkInStatus { streak } } } }"""
    count_queries.statements.clear()
    data = await client.query(query, {"ids": ids}, user=staff)
    few = count_queries.count
    assert [n["pointsBalance"] for n in data["nodes"]] == [10, 10, 10]
    for _ in range(5):
        member = await make_user()
        await points.award(member.id, 10, PointsKind.REVIEW, "review:1")
        ids.append(gid("User", member.id))
    count_queries.statements.clear()
    await client.query(query, {"ids": ids}, user=staff)
    assert count_queries.count == few
