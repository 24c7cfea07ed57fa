"""Staff give and correct store credit through the API; shoppers read their own balances
and history; the customer is emailed about a grant."""

from __future__ import annotations

import uuid

import pytest

from jobs import emails as email_tasks  # noqa: F401  (registers `emails.store_credit`)
from jobs import relay
from models.accounts import Role
from models.currency import PresentmentCurrency
from models.jobs import Job
from models.store_credit import CreditEntryKind, StoreCreditEntry
from services import messaging
from services.auth import StaffPermission
from services.store_credit import grants, ledger
from tests.factories import gid, make_user

GRANT = """
mutation($input: GrantStoreCreditInput!) {
  grantStoreCredit(input: $input) {
    entry { id kind amount { amount currency } balanceAfter { amount } note }
    balance { amount currency }
    errors { field code message }
  }
}
"""
ADJUST = """
mutation($input: AdjustStoreCreditInput!) {
  adjustStoreCredit(input: $input) {
    entry { kind amount { amount } } balance { amount } errors { field code }
  }
}
"""
ME = """
query($first: Int, $after: String, $currency: CurrencyCode) { me { storeCredit {
  balances { currency balance { amount currency formatted } }
  entries(first: $first, after: $after, currency: $currency) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { kind amount { amount currency } balanceAfter { amount } note orderNumber }
  }
} } }
"""
CUSTOMER = """
query($id: ID!) { customer(id: $id) { storeCredit {
  balances { currency balance { amount } } entries(first: 5) { totalCount }
} } }
"""


async def _staff(*permissions: StaffPermission):
    return await make_user(role=Role.STAFF, permissions=tuple(p.value for p in permissions))


def _grant(user, amount="1200", currency="JPY", **extra):
    return {
        "input": {
            "userId": gid("User", user.id),
            "currency": currency,
            "amount": amount,
            "note": "Sorry about the late parcel",
            "idempotencyKey": extra.pop("key", uuid.uuid4().hex),
            **extra,
        }
    }


@pytest.fixture
async def yen(db):
    await PresentmentCurrency.create(code="JPY")


async def test_staff_grant_credit_and_the_customer_sees_it_with_an_email(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user(email="hanako@example.jp", locale="ja")
    data = (await client.query(GRANT, _grant(member), user=staff))["grantStoreCredit"]
    assert data["errors"] == []
    assert data["entry"]["kind"] == "GRANT"
    assert data["entry"]["amount"] == {"amount": "1200", "currency": "JPY"}
    assert data["balance"] == {"amount": "1200", "currency": "JPY"}
    entry = await StoreCreditEntry.get(kind=CreditEntryKind.GRANT)
    assert entry.actor_id == staff.id and entry.note == "Sorry about the late parcel"

    me = (await client.query(ME, {"first": 10}, user=member))["me"]["storeCredit"]
    assert me["balances"] == [
        {"currency": "JPY", "balance": {"amount": "1200", "currency": "JPY", "formatted": "¥1,200"}}
    ]
    assert me["entries"]["nodes"] == [
        {
            "kind": "GRANT",
            "amount": {"amount": "1200", "currency": "JPY"},
            "balanceAfter": {"amount": "1200"},
            "note": "Sorry about the late parcel",
            "orderNumber": None,
        }
    ]

    assert await relay.run_due() == 1
    sent = [m for m in messaging.outbox() if m.channel == "email"]
    assert len(sent) == 1 and sent[0].to == "hanako@example.jp"
    assert "ストアクレジット" in sent[0].subject
    assert "￥1,200" in sent[0].body and "Sorry about the late parcel" in sent[0].body
    assert sent[0].html is not None and "#/account" in sent[0].html


async def test_a_repeated_key_grants_once_and_another_amount_with_it_is_refused(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user()
    given = _grant(member, key="grant-key-0001")
    first = (await client.query(GRANT, given, user=staff))["grantStoreCredit"]
    again = (await client.query(GRANT, given, user=staff))["grantStoreCredit"]
    assert again["errors"] == [] and again["entry"]["id"] == first["entry"]["id"]
    other = _grant(member, amount="500", key="grant-key-0001")
    refused = (await client.query(GRANT, other, user=staff))["grantStoreCredit"]
    assert [e["code"] for e in refused["errors"]] == ["REFERENCE_REUSED"]
    assert await ledger.balance(member.id, "JPY") == 1200
    assert await Job.filter(task=grants.EMAIL_TASK).count() == 1


async def test_support_staff_may_grant_but_not_correct(client, yen):
    support = await _staff(StaffPermission.SUPPORT)
    member = await make_user()
    granted = (await client.query(GRANT, _grant(member), user=support))["grantStoreCredit"]
    assert granted["errors"] == []
    body = await client.request(ADJUST, _grant(member, amount="-100"), user=support)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await ledger.balance(member.id, "JPY") == 1200


async def test_others_cannot_grant(client, yen):
    member = await make_user()
    orders_staff = await _staff(StaffPermission.ORDERS)
    for user in (None, member, orders_staff):
        body = await client.request(GRANT, _grant(member), user=user)
        assert body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
    assert await StoreCreditEntry.all().count() == 0


async def test_an_adjustment_corrects_either_way_but_never_below_zero(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user()
    await client.query(GRANT, _grant(member, amount="1000"), user=staff)
    down = await client.query(ADJUST, _grant(member, amount="-400"), user=staff)
    assert down["adjustStoreCredit"]["balance"] == {"amount": "600"}
    assert down["adjustStoreCredit"]["entry"]["kind"] == "ADJUSTMENT"
    too_far = await client.query(ADJUST, _grant(member, amount="-601"), user=staff)
    assert [e["code"] for e in too_far["adjustStoreCredit"]["errors"]] == ["INSUFFICIENT_CREDIT"]
    assert await ledger.balance(member.id, "JPY") == 600
    # A correction tells the customer nothing: only the grant's email job exists.
    assert await Job.filter(task=grants.EMAIL_TASK).count() == 1


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"amount": "0"}, "INVALID_AMOUNT", "amount"),
        ({"amount": "-5"}, "INVALID_AMOUNT", "amount"),
        ({"amount": "12.5"}, "INVALID_AMOUNT", "amount"),  # yen have no decimals
        ({"amount": "1e30"}, "INVALID_AMOUNT", "amount"),
        ({"amount": "99999999999999"}, "INVALID_AMOUNT", "amount"),
        ({"currency": "KWD"}, "INVALID_CURRENCY", "currency"),  # not sold in
        ({"note": "   "}, "REQUIRED", "note"),
        ({"note": "x" * 301}, "TOO_LONG", "note"),
        ({"note": "bell\x07"}, "INVALID", "note"),
        ({"key": "short"}, "INVALID", "idempotencyKey"),
        ({"userId": "nope"}, "NOT_FOUND", "userId"),
    ],
)
async def test_bad_grants_are_refused_with_typed_errors(client, yen, change, code, field):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user()
    given = _grant(member, **{k: v for k, v in change.items() if k not in ("userId",)})
    if "userId" in change:
        given["input"]["userId"] = change["userId"]
    data = (await client.query(GRANT, given, user=staff))["grantStoreCredit"]
    assert data["entry"] is None
    assert [(e["code"], e["field"]) for e in data["errors"]] == [(code, [field])]
    assert await StoreCreditEntry.all().count() == 0


async def test_a_nul_in_the_note_is_refused_before_anything_runs(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user()
    body = await client.request(GRANT, _grant(member, note="a\x00b"), user=staff)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await StoreCreditEntry.all().count() == 0


async def test_credit_cannot_be_given_to_staff(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    colleague = await _staff(StaffPermission.ORDERS)
    data = (await client.query(GRANT, _grant(colleague), user=staff))["grantStoreCredit"]
    assert [e["code"] for e in data["errors"]] == ["NOT_FOUND"]


async def test_staff_read_a_customers_balances_and_history(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user()
    await ledger.post(member.id, "USD", 2500, CreditEntryKind.GRANT, "grant:u")
    await ledger.post(member.id, "JPY", 800, CreditEntryKind.GRANT, "grant:j")
    data = await client.query(CUSTOMER, {"id": gid("User", member.id)}, user=staff)
    credit = data["customer"]["storeCredit"]
    assert credit["balances"] == [
        {"currency": "JPY", "balance": {"amount": "800"}},
        {"currency": "USD", "balance": {"amount": "25.00"}},
    ]
    assert credit["entries"]["totalCount"] == 2


async def test_the_history_pages_newest_first_and_filters_by_currency(client, yen):
    member = await make_user()
    for n in range(5):
        await ledger.post(member.id, "JPY", 100 + n, CreditEntryKind.GRANT, f"grant:p{n}")
    await ledger.post(member.id, "USD", 100, CreditEntryKind.GRANT, "grant:pu")
    first = (await client.query(ME, {"first": 2, "currency": "JPY"}, user=member))["me"]
    entries = first["storeCredit"]["entries"]
    assert entries["totalCount"] == 5 and entries["pageInfo"]["hasNextPage"] is True
    assert [n["amount"]["amount"] for n in entries["nodes"]] == ["104", "103"]
    after = entries["pageInfo"]["endCursor"]
    rest = await client.query(ME, {"first": 10, "after": after, "currency": "JPY"}, user=member)
    assert [n["amount"]["amount"] for n in rest["me"]["storeCredit"]["entries"]["nodes"]] == [
        "102",
        "101",
        "100",
    ]
    everything = (await client.query(ME, {"first": 10}, user=member))["me"]["storeCredit"]
    assert everything["entries"]["totalCount"] == 6


NODE = """query($id: ID!) { node(id: $id) { ... on StoreCreditEntry {
  kind amount { amount currency } note } } }"""


async def test_an_entry_is_a_node_for_its_customer_and_customer_staff_only(client, yen):
    staff = await _staff(StaffPermission.CUSTOMERS)
    member = await make_user(email="hanako@example.jp", locale="ja")
    granted = (await client.query(GRANT, _grant(member), user=staff))["grantStoreCredit"]
    entry_id = granted["entry"]["id"]
    expected = {"kind": "GRANT", "amount": {"amount": "1200", "currency": "JPY"},
                "note": "Sorry about the late parcel"}  # fmt: skip
    for viewer in (member, staff):
        assert (await client.query(NODE, {"id": entry_id}, user=viewer))["node"] == expected
    stranger = await make_user(email="other@example.com")
    assert (await client.query(NODE, {"id": entry_id}, user=stranger))["node"] is None
    assert (await client.query(NODE, {"id": entry_id}))["node"] is None
