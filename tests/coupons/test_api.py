"""Coupons through the API: staff CRUD and permissions, and shoppers checking a code."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.coupons import Coupon, CouponKind
from models.members import MembershipTier
from services.coupons import coupons, usage
from tests.factories import gid, make_user

FIELDS = """
id code name kind percent explanation usageLimit perCustomerLimit timesUsed active
startsAt endsAt eligibleTierIds ownerId
amount { amount currency } maxDiscount { amount currency } minSpend { amount currency }
"""

CREATE = f"""
mutation($input: CreateCouponInput!) {{
  createCoupon(input: $input) {{ coupon {{ {FIELDS} }} errors {{ field code message }} }}
}}
"""

UPDATE = f"""
mutation($input: UpdateCouponInput!) {{
  updateCoupon(input: $input) {{ coupon {{ {FIELDS} }} errors {{ field code message }} }}
}}
"""

DEACTIVATE = """
mutation($input: DeactivateCouponInput!) {
  deactivateCoupon(input: $input) { coupon { active } errors { code } }
}
"""

DELETE = """
mutation($input: DeleteCouponInput!) {
  deleteCoupon(input: $input) { deletedId errors { field code } }
}
"""

LIST = """
query($filter: CouponFilter, $first: Int, $after: String) {
  coupons(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { code active }
  }
}
"""

ONE = """
query($id: ID, $code: String) { coupon(id: $id, code: $code) { code } }
"""

CHECK = """
query($code: String!, $subtotal: Decimal!, $shipping: Decimal, $currency: CurrencyCode) {
  checkCoupon(code: $code, subtotal: $subtotal, shippingTotal: $shipping, currency: $currency) {
    quote {
      code kind explanation
      discount { amount currency } shippingDiscount { amount } totalDiscount { amount }
    }
    errors { field code message amountNeeded { amount currency } }
  }
}
"""


async def make_coupon(**fields):
    data = {"code": "SAVE15", "kind": CouponKind.PERCENTAGE, "percent": "15", **fields}
    return await coupons.create_coupon(data)  # type: ignore[arg-type]


async def check(client, code, subtotal="100.00", **kw):
    user = kw.pop("user", None)
    data = await client.query(CHECK, {"code": code, "subtotal": subtotal, **kw}, user=user)
    return data["checkCoupon"]


def error_codes(result):
    return [e["code"] for e in result["errors"]]


async def test_staff_create_a_percentage_coupon(client):
    gold = await MembershipTier.create(name="Gold", rank=1)
    data = await client.staff(
        CREATE,
        {
            "input": {
                "code": "autumn-15",
                "name": "Autumn sale",
                "kind": "PERCENTAGE",
                "percent": "12.5",
                "maxDiscount": "20",
                "minSpend": "50.00",
                "usageLimit": 100,
                "perCustomerLimit": 1,
                "eligibleTiers": [gid("MembershipTier", gold.id)],
            }
        },
    )
    payload = data["createCoupon"]
    assert payload["errors"] == []
    coupon = payload["coupon"]
    assert (coupon["code"], coupon["kind"], coupon["percent"]) == (
        "AUTUMN-15",
        "PERCENTAGE",
        "12.5",
    )
    assert coupon["maxDiscount"] == {"amount": "20.00", "currency": "USD"}
    assert coupon["minSpend"]["amount"] == "50.00" and coupon["amount"] is None
    assert coupon["explanation"] == "12.5 % off, up to $20.00 on orders of $50.00 or more"
    assert coupon["eligibleTierIds"] == [gid("MembershipTier", gold.id)]
    row = await Coupon.get(code="AUTUMN-15")
    assert (row.percent_bps, row.max_discount, row.min_spend, row.tier_ids) == (
        1250,
        2000,
        5000,
        [gold.id],
    )


async def test_bad_definitions_are_typed_errors_and_write_nothing(client):
    await make_coupon(code="TAKEN")
    data = await client.staff(
        CREATE, {"input": {"code": "taken", "kind": "FIXED_AMOUNT", "amount": "5.001"}}
    )
    assert {(e["code"], tuple(e["field"])) for e in data["createCoupon"]["errors"]} == {
        ("INVALID_AMOUNT", ("amount",)),
    }
    data = await client.staff(
        CREATE, {"input": {"code": "taken", "kind": "FIXED_AMOUNT", "amount": "5"}}
    )
    assert error_codes(data["createCoupon"]) == ["DUPLICATE_CODE"]
    data = await client.staff(CREATE, {"input": {"code": "X!", "kind": "PERCENTAGE"}})
    assert set(error_codes(data["createCoupon"])) == {"INVALID_CODE", "REQUIRED"}
    assert await Coupon.all().count() == 1


async def test_staff_update_a_coupon_and_its_window(client):
    coupon = await make_coupon()
    now = timezone.now()
    variables = {
        "input": {
            "id": gid("Coupon", coupon.id),
            "kind": "FIXED_AMOUNT",
            "amount": "7.50",
            "startsAt": now.isoformat(),
            "endsAt": (now + timedelta(days=7)).isoformat(),
        }
    }
    data = await client.staff(UPDATE, variables)
    updated = data["updateCoupon"]["coupon"]
    assert updated["amount"] == {"amount": "7.50", "currency": "USD"}
    assert updated["percent"] is None and updated["explanation"] == "$7.50 off"
    variables["input"]["endsAt"] = (now - timedelta(days=1)).isoformat()
    data = await client.staff(UPDATE, variables)
    assert data["updateCoupon"]["errors"][0]["code"] == "INVALID_WINDOW"


async def test_only_unused_coupons_can_be_deleted(client):
    used, unused = await make_coupon(code="USED"), await make_coupon(code="UNUSED")
    await usage.record_use(used.id, user_id=None, email="g@x.io", order_id=None, discount=1)
    data = await client.staff(DELETE, {"input": {"id": gid("Coupon", used.id)}})
    assert data["deleteCoupon"]["errors"] == [{"field": ["id"], "code": "COUPON_IN_USE"}]
    data = await client.staff(DEACTIVATE, {"input": {"id": gid("Coupon", used.id)}})
    assert data["deactivateCoupon"]["coupon"]["active"] is False
    data = await client.staff(DELETE, {"input": {"id": gid("Coupon", unused.id)}})
    assert data["deleteCoupon"]["deletedId"] == gid("Coupon", unused.id)
    assert await Coupon.filter(code="UNUSED").count() == 0


async def test_staff_list_search_and_look_up_coupons(client):
    await make_coupon(code="SPRING", name="Spring sale")
    await make_coupon(code="SUMMER", name="Summer sale", active=False)
    await make_coupon(code="VIP10", name="Members")
    data = await client.staff(LIST, {"filter": {"search": "sale"}})
    assert sorted(n["code"] for n in data["coupons"]["nodes"]) == ["SPRING", "SUMMER"]
    data = await client.staff(LIST, {"filter": {"active": True}, "first": 1})
    assert data["coupons"]["totalCount"] == 2 and data["coupons"]["pageInfo"]["hasNextPage"]
    cursor = data["coupons"]["pageInfo"]["endCursor"]
    data = await client.staff(LIST, {"filter": {"active": True}, "first": 1, "after": cursor})
    assert len(data["coupons"]["nodes"]) == 1
    assert (await client.staff(ONE, {"code": "vip10"}))["coupon"]["code"] == "VIP10"
    coupon = await Coupon.get(code="SPRING")
    assert (await client.staff(ONE, {"id": gid("Coupon", coupon.id)}))["coupon"]["code"] == "SPRING"


async def test_coupon_administration_needs_the_catalog_permission(client):
    coupon = await make_coupon()
    customer = await make_user()
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    for user in (customer, orders_staff):
        for query, variables in (
            (LIST, {}),
            (ONE, {"code": "SAVE15"}),
            (CREATE, {"input": {"code": "NEWCODE", "kind": "FREE_SHIPPING"}}),
            (DELETE, {"input": {"id": gid("Coupon", coupon.id)}}),
        ):
            body = await client.request(query, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(LIST)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    node = await client.query(
        "query($id: ID!) { node(id: $id) { id } }", {"id": gid("Coupon", coupon.id)}, user=customer
    )
    assert node["node"] is None
    marketer = await make_user(role=Role.STAFF, permissions=("catalog",))
    data = await client.query(
        CREATE, {"input": {"code": "NEWCODE", "kind": "FREE_SHIPPING"}}, user=marketer
    )
    assert data["createCoupon"]["coupon"]["code"] == "NEWCODE"
    assert await Coupon.all().count() == 2


async def test_a_shopper_checks_a_code_before_checkout(client):
    await make_coupon(max_discount="10")
    result = await check(client, "save15", "100.00")
    assert result["errors"] == []
    quote = result["quote"]
    assert (quote["code"], quote["kind"]) == ("SAVE15", "PERCENTAGE")
    assert quote["discount"] == {"amount": "10.00", "currency": "USD"}
    assert quote["explanation"] == "15 % off, up to $10.00"
    await make_coupon(code="SHIPFREE", kind="free_shipping", percent=None)
    result = await check(client, "SHIPFREE", "20", shipping="6.95")
    assert result["quote"]["shippingDiscount"]["amount"] == "6.95"
    assert result["quote"]["totalDiscount"]["amount"] == "6.95"


async def test_refused_codes_say_why(client):
    now = timezone.now()
    gold = await MembershipTier.create(name="Gold", rank=2)
    silver = await MembershipTier.create(name="Silver", rank=1)
    owner, other = await make_user(), await make_user(tier=silver)
    used_up = await make_coupon(code="USEDUP", usage_limit=1)
    await usage.record_use(used_up.id, user_id=None, email="g@x.io", order_id=None, discount=1)
    await make_coupon(code="OLDIE", ends_at=now - timedelta(days=1))
    await make_coupon(code="GOLDONLY", tier_ids=[gold.id])
    await make_coupon(code="MINE", owner_id=owner.id)
    await make_coupon(code="BIGCART", min_spend="80")
    assert error_codes(await check(client, "NOSUCH")) == ["NOT_FOUND"]
    assert error_codes(await check(client, "USEDUP")) == ["USAGE_LIMIT_REACHED"]
    assert error_codes(await check(client, "OLDIE")) == ["EXPIRED"]
    assert error_codes(await check(client, "GOLDONLY")) == ["SIGN_IN_REQUIRED"]
    assert error_codes(await check(client, "GOLDONLY", user=other)) == ["TIER_NOT_ELIGIBLE"]
    assert error_codes(await check(client, "MINE", user=other)) == ["NOT_YOUR_COUPON"]
    assert error_codes(await check(client, "MINE", user=owner)) == []
    result = await check(client, "BIGCART", "62.50")
    assert result["errors"] == [
        {
            "field": ["subtotal"],
            "code": "MIN_SPEND_NOT_MET",
            "message": "Spend $17.50 more to use this code (it needs $80.00).",
            "amountNeeded": {"amount": "17.50", "currency": "USD"},
        }
    ]
    assert error_codes(await check(client, "BIGCART", "1.001")) == ["INVALID_AMOUNT"]


async def test_a_member_in_the_right_tier_gets_the_tier_coupon(client):
    gold = await MembershipTier.create(name="Gold", rank=2)
    member = await make_user(tier=gold)
    await make_coupon(code="GOLDONLY", tier_ids=[gold.id])
    result = await check(client, "GOLDONLY", "40.00", user=member)
    assert result["quote"]["discount"]["amount"] == "6.00"


async def test_update_refuses_null_for_fields_that_cannot_be_null(client):
    coupon = await make_coupon(name="Autumn", min_spend="20")
    cid = gid("Coupon", coupon.id)
    for field in ("code", "kind", "percent", "amount", "active"):
        data = await client.staff(UPDATE, {"input": {"id": cid, field: None}})
        payload = data["updateCoupon"]
        assert payload["coupon"] is None, field
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [([field], "REQUIRED")]
    after = await Coupon.get(id=coupon.id)
    assert (after.code, after.kind, after.percent_bps, after.active) == (
        "SAVE15",
        CouponKind.PERCENTAGE,
        1500,
        True,
    )
    # Null clears the optional ones.
    data = await client.staff(
        UPDATE, {"input": {"id": cid, "name": None, "minSpend": None, "eligibleTiers": None}}
    )
    cleared = data["updateCoupon"]["coupon"]
    assert (cleared["name"], cleared["minSpend"]["amount"], cleared["eligibleTierIds"]) == (
        "",
        "0.00",
        [],
    )
