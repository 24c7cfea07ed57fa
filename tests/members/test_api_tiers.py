"""Membership tiers through the GraphQL API: staff define them, members see theirs."""

from __future__ import annotations

from models.accounts import Role, User
from models.catalog import ProductVariant
from models.members import MembershipTier
from services.auth import StaffPermission
from tests.factories import gid, make_order, make_product, make_user

TIERS = """
query { membershipTiers { totalCount nodes {
  id name rank minSpend { amount currency } minOrders discountRate pointsMultiplier
  earlyAccess prioritySupport benefits } } }
"""

CREATE = """
mutation Create($input: CreateMembershipTierInput!) {
  createMembershipTier(input: $input) {
    tier { id name rank minSpend { amount } minOrders discountRate pointsMultiplier earlyAccess }
    errors { field code message }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateMembershipTierInput!) {
  updateMembershipTier(input: $input) {
    tier { name rank minSpend { amount } discountRate }
    errors { field code }
  }
}
"""

DELETE = """
mutation Delete($input: LoyaltyIdInput!) {
  deleteMembershipTier(input: $input) { deletedId errors { field code } }
}
"""

RECOMPUTE = """
mutation Recompute($input: RecomputeMemberTierInput!) {
  recomputeMemberTier(input: $input) { userId tier { name } errors { field code } }
}
"""

MY_TIER = "query { me { tier { name discountRate } } }"

CUSTOMER_TIER = """
query Customer($id: ID!) { customer(id: $id) { tier { name } pointsBalance } }
"""


def gold(**extra: object) -> dict[str, object]:
    return {
        "name": "Gold",
        "rank": 2,
        "minSpend": "500.00",
        "minOrders": 3,
        "discountRate": "2.5",
        "pointsMultiplier": "1.5",
        "earlyAccess": True,
        **extra,
    }


async def test_staff_create_a_tier_and_shoppers_see_its_benefits(client):
    data = await client.staff(CREATE, {"input": gold()})
    payload = data["createMembershipTier"]
    assert payload["errors"] == []
    assert payload["tier"] == {
        "id": payload["tier"]["id"],
        "name": "Gold",
        "rank": 2,
        "minSpend": {"amount": "500.00"},
        "minOrders": 3,
        "discountRate": "2.5",
        "pointsMultiplier": "1.5",
        "earlyAccess": True,
    }
    row = await MembershipTier.get(name="Gold")
    assert (row.min_spend, row.discount_bps, row.points_multiplier_pct) == (50_000, 250, 150)

    listed = (await client.query(TIERS))["membershipTiers"]
    assert listed["totalCount"] == 1
    assert listed["nodes"][0]["benefits"] == [
        "2.5% off every order",
        "1.5x points on orders",
        "Early access to members-first products",
    ]
    assert listed["nodes"][0]["minSpend"] == {"amount": "500.00", "currency": "USD"}


async def test_bad_tier_input_is_refused_with_typed_errors(client):
    await MembershipTier.create(name="Gold", rank=2)
    data = await client.staff(
        CREATE,
        {"input": gold(minSpend="1.234", minOrders=-1, discountRate="120", pointsMultiplier="-1")},
    )
    codes = {(tuple(e["field"]), e["code"]) for e in data["createMembershipTier"]["errors"]}
    assert codes == {
        (("minSpend",), "INVALID_THRESHOLD"),
        (("minOrders",), "INVALID_THRESHOLD"),
        (("discountRate",), "INVALID"),
        (("pointsMultiplier",), "INVALID"),
    }
    duplicate = await client.staff(CREATE, {"input": gold()})
    codes = {e["code"] for e in duplicate["createMembershipTier"]["errors"]}
    assert codes == {"DUPLICATE_NAME", "DUPLICATE_RANK"}
    assert await MembershipTier.all().count() == 1


async def test_shoppers_and_staff_without_the_permission_cannot_manage_tiers(client):
    shopper = await make_user()
    body = await client.request(CREATE, {"input": gold()}, user=shopper)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(CREATE, {"input": gold()})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    catalog = await make_user(role=Role.STAFF, permissions=(StaffPermission.CATALOG.value,))
    body = await client.request(CREATE, {"input": gold()}, user=catalog)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await MembershipTier.all().count() == 0


async def test_a_new_tier_takes_in_members_who_reach_it(client):
    product = await make_product(prices=("200.00",))
    variant = await ProductVariant.get(product_id=product.id)
    member = await make_user()
    for _ in range(3):
        await make_order(member, [(variant, 1)])
    staff = await make_user(role=Role.STAFF, permissions=(StaffPermission.CUSTOMERS.value,))
    await client.query(CREATE, {"input": gold()}, user=staff)
    assert (await client.query(MY_TIER, user=member))["me"]["tier"] == {
        "name": "Gold",
        "discountRate": "2.5",
    }
    customer = await client.query(CUSTOMER_TIER, {"id": gid("User", member.id)}, user=staff)
    assert customer["customer"]["tier"] == {"name": "Gold"}


async def test_raising_a_threshold_moves_members_down(client):
    silver = await MembershipTier.create(name="Silver", rank=1, min_orders=1)
    gold_tier = await MembershipTier.create(name="Gold", rank=2, min_orders=1)
    variant = await ProductVariant.get(product_id=(await make_product()).id)
    member = await make_user(tier=gold_tier)
    await make_order(member, [(variant, 1)])
    data = await client.staff(
        UPDATE, {"input": {"id": gid("MembershipTier", gold_tier.id), "minOrders": 5}}
    )
    assert data["updateMembershipTier"]["errors"] == []
    assert (await User.get(id=member.id)).tier_id == silver.id


async def test_deleting_a_tier_re_evaluates_its_members(client):
    silver = await MembershipTier.create(name="Silver", rank=1)
    gold_tier = await MembershipTier.create(name="Gold", rank=2, min_orders=1)
    member = await make_user(tier=gold_tier)
    data = await client.staff(DELETE, {"input": {"id": gid("MembershipTier", gold_tier.id)}})
    assert data["deleteMembershipTier"] == {
        "deletedId": gid("MembershipTier", gold_tier.id),
        "errors": [],
    }
    after = await User.get(id=member.id)
    assert after.tier_id == silver.id and after.tier_evaluated_at is not None
    missing = await client.staff(DELETE, {"input": {"id": gid("MembershipTier", gold_tier.id)}})
    assert missing["deleteMembershipTier"]["errors"] == [{"field": ["id"], "code": "NOT_FOUND"}]


async def test_staff_recompute_one_members_tier(client):
    await MembershipTier.create(name="Base", rank=0)
    member = await make_user()
    data = await client.staff(RECOMPUTE, {"input": {"userId": gid("User", member.id)}})
    assert data["recomputeMemberTier"]["tier"] == {"name": "Base"}
    unknown = await client.staff(RECOMPUTE, {"input": {"userId": gid("User", 999_999)}})
    assert unknown["recomputeMemberTier"]["errors"] == [{"field": ["userId"], "code": "NOT_FOUND"}]


async def test_tiers_resolve_as_nodes(client):
    tier = await MembershipTier.create(name="Gold", rank=2)
    data = await client.query(
        "query($id: ID!) { node(id: $id) { ... on MembershipTier { name } } }",
        {"id": gid("MembershipTier", tier.id)},
    )
    assert data["node"] == {"name": "Gold"}


async def test_null_is_refused_for_every_tier_field(client):
    tier = await MembershipTier.create(
        name="Gold", rank=2, min_orders=3, discount_bps=500, early_access=True
    )
    tid = gid("MembershipTier", tier.id)
    fields = (
        "name",
        "rank",
        "minSpend",
        "minOrders",
        "discountRate",
        "pointsMultiplier",
        "earlyAccess",
        "prioritySupport",
    )
    for field in fields:
        data = await client.staff(UPDATE, {"input": {"id": tid, field: None}})
        assert data["updateMembershipTier"] == {
            "tier": None,
            "errors": [{"field": [field], "code": "REQUIRED"}],
        }, field
    after = await MembershipTier.get(id=tier.id)
    assert (after.name, after.min_orders, after.discount_bps, after.early_access) == (
        "Gold",
        3,
        500,
        True,
    )
