"""Staff access: admins invite staff, grant permissions, and cannot lock the shop out."""

from __future__ import annotations

import pytest

from models.accounts import Role, User
from services.accounts import staff
from services.accounts.errors import AccountError, AccountErrorCode
from tests.accounts.helpers import last_code
from tests.factories import gid, make_user

INVITE = """mutation($input: InviteStaffInput!) {
  inviteStaff(input: $input) { user { email role permissions } errors { field code } } }"""
SET_ACCESS = """mutation($input: SetStaffAccessInput!) {
  setStaffAccess(input: $input) { user { role permissions } errors { field code } } }"""


async def test_an_invited_clerk_sets_a_password_and_gets_exactly_the_granted_access(client):
    data = await client.staff(
        INVITE,
        {
            "input": {
                "email": "clerk@example.com",
                "role": "STAFF",
                "permissions": ["SUPPORT", "ORDERS"],
            }
        },
    )
    assert data["inviteStaff"] == {
        "user": {
            "email": "clerk@example.com",
            "role": "STAFF",
            "permissions": ["ORDERS", "SUPPORT"],
        },
        "errors": [],
    }
    reset = await client.query(
        """mutation($input: ResetPasswordInput!) {
          resetPassword(input: $input) { session { accessToken } errors { code } } }""",
        {
            "input": {
                "login": "clerk@example.com",
                "code": last_code("clerk@example.com"),
                "newPassword": "sales floor 2026",
            }
        },
    )
    token = reset["resetPassword"]["session"]["accessToken"]
    headers = {"Authorization": f"Bearer {token}"}
    refused = await client.request(
        'mutation { createBrand(input: {name: "X"}) { errors { code } } }', headers=headers
    )
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    me = await client.request("{ me { role permissions emailVerified } }", headers=headers)
    assert me["data"]["me"] == {
        "role": "STAFF",
        "permissions": ["ORDERS", "SUPPORT"],
        "emailVerified": True,
    }


async def test_changing_access_takes_effect_at_once(client):
    clerk = await make_user(role=Role.STAFF, permissions=("catalog",))
    before = await client.request("{ me { role } }", user=clerk)
    assert before["data"]["me"]["role"] == "STAFF"
    data = await client.staff(
        SET_ACCESS,
        {"input": {"userId": gid("User", clerk.id), "role": "CUSTOMER", "permissions": []}},
    )
    assert data["setStaffAccess"]["user"] == {"role": "CUSTOMER", "permissions": []}
    # The clerk's old token carried staff access: it no longer works at all.
    after = await client.request("{ me { role } }", user=clerk)
    assert after["data"]["me"] is None


async def test_the_last_admin_cannot_be_demoted_or_disabled(client):
    admin = await client.admin()
    data = await client.staff(
        SET_ACCESS, {"input": {"userId": gid("User", admin.id), "role": "STAFF", "permissions": []}}
    )
    assert data["setStaffAccess"]["errors"] == [{"field": ["role"], "code": "LAST_ADMIN"}]
    assert (await User.get(id=admin.id)).role == Role.ADMIN
    other = await make_user(role=Role.ADMIN)
    body = await client.request(
        "mutation($id: ID!) { disableAccount(userId: $id) { errors { code } } }",
        {"id": gid("User", admin.id)},
        user=other,
    )
    assert body["data"]["disableAccount"]["errors"] == []
    assert (await User.get(id=admin.id)).is_active is False


async def test_unknown_permissions_are_refused():
    with pytest.raises(AccountError) as caught:
        await staff.set_staff_access(1, Role.STAFF, ["everything"])
    assert caught.value.problems[0].code is AccountErrorCode.INVALID_PERMISSION


async def test_staff_members_are_listed_for_admins_only(client):
    await make_user(role=Role.STAFF, permissions=("reports",), email="rep@example.com")
    await make_user(email="shopper@example.com")
    data = await client.staff("{ staffMembers { email role } }")
    assert {m["email"] for m in data["staffMembers"]} == {"admin@example.com", "rep@example.com"}


async def test_create_admin_makes_or_promotes_an_account(db):
    user, created = await staff.create_admin("Boss@Example.com", "a long passphrase")
    assert created and user.role == Role.ADMIN and user.email == "boss@example.com"
    assert user.email_verified_at is not None
    customer = await make_user(email="promote@example.com")
    promoted, created = await staff.create_admin("promote@example.com", "another passphrase")
    assert not created and promoted.id == customer.id and promoted.role == Role.ADMIN
    with pytest.raises(AccountError):
        await staff.create_admin("weak@example.com", "short")
    assert not await User.filter(email="weak@example.com").exists()


async def test_customer_service_staff_cannot_read_the_shops_own_people(client):
    admin = await client.admin()
    agent = await make_user(role=Role.STAFF, permissions=("customers",))
    shopper = await make_user(email="buyer@example.com")
    query = "query($id: ID!) { node(id: $id) { ... on User { email } } }"
    seen = await client.query(query, {"id": gid("User", shopper.id)}, user=agent)
    assert seen["node"] == {"email": "buyer@example.com"}
    hidden = await client.query(query, {"id": gid("User", admin.id)}, user=agent)
    assert hidden["node"] is None
    assert (await client.staff(query, {"id": gid("User", agent.id)}))["node"] is not None


async def test_two_admins_removing_each_other_at_once_leave_one(client):
    import asyncio

    first, second = await make_user(role=Role.ADMIN), await make_user(role=Role.ADMIN)
    results = await asyncio.gather(
        staff.disable_account(first.id, second.id),
        staff.disable_account(second.id, first.id),
        return_exceptions=True,
    )
    assert sum(isinstance(r, AccountError) for r in results) == 1
    assert await User.filter(role=Role.ADMIN, is_active=True).count() == 1


async def test_staff_see_whether_an_account_is_disabled(client):
    shopper = await make_user()
    toggle = """mutation($id: ID!) {
      %s(userId: $id) { user { isActive deletedAt } errors { code } } }"""
    disabled = await client.staff(toggle % "disableAccount", {"id": gid("User", shopper.id)})
    assert disabled["disableAccount"] == {
        "user": {"isActive": False, "deletedAt": None},
        "errors": [],
    }
    listed = await client.staff(
        "query($id: ID!) { customer(id: $id) { isActive } }", {"id": gid("User", shopper.id)}
    )
    assert listed["customer"] == {"isActive": False}
    enabled = await client.staff(toggle % "enableAccount", {"id": gid("User", shopper.id)})
    assert enabled["enableAccount"]["user"]["isActive"] is True
