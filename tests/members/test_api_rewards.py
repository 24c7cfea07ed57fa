"""Rewards through the GraphQL API: staff define them, members redeem points, staff settle."""

from __future__ import annotations

import asyncio
import re

from models.accounts import Role
from models.coupons import Coupon, CouponKind
from models.members import PointsEntry, PointsKind, RedemptionStatus, Reward, RewardRedemption
from schema.relay import decode_id
from services.auth import StaffPermission
from services.members import points
from tests.factories import gid, make_user

CREATE = """
mutation Create($input: CreateRewardInput!) {
  createReward(input: $input) {
    reward { id name kind pointsCost stock active available couponTemplateId }
    errors { field code }
  }
}
"""

UPDATE = """
mutation Update($input: UpdateRewardInput!) {
  updateReward(input: $input) { reward { name active pointsCost } errors { field code } }
}
"""

DELETE = """
mutation Delete($input: LoyaltyIdInput!) {
  deleteReward(input: $input) { deletedId reward { active } errors { code } }
}
"""

REWARDS = "query { rewards { totalCount nodes { name pointsCost available } } }"

REDEEM = """
mutation Redeem($input: RedeemRewardInput!) {
  redeemReward(input: $input) {
    redemption { id points status reward { name } coupon { code endsAt used } }
    pointsBalance
    errors { field code message }
  }
}
"""

MY_REDEMPTIONS = """
query { myRedemptions { totalCount nodes { status reward { name } coupon { code } } } }
"""

FULFILL = """
mutation Fulfill($input: LoyaltyIdInput!) {
  fulfillRedemption(input: $input) { redemption { status } errors { code } }
}
"""

CANCEL = """
mutation Cancel($input: LoyaltyIdInput!) {
  cancelRedemption(input: $input) { redemption { status coupon { code } } errors { code } }
}
"""


async def _staff():
    return await make_user(role=Role.STAFF, permissions=(StaffPermission.CUSTOMERS.value,))


async def _member_with(amount: int):
    member = await make_user()
    if amount:
        await points.award(member.id, amount, PointsKind.REVIEW, "review:1")
    return member


async def _template() -> Coupon:
    return await Coupon.create(
        code="TENOFF",
        name="10% off",
        kind=CouponKind.PERCENTAGE,
        percent_bps=1000,
        max_discount=2_000,
        min_spend=5_000,
    )


async def test_staff_define_a_coupon_reward_and_a_member_redeems_it(client, settings):
    template = await _template()
    staff = await _staff()
    created = await client.query(
        CREATE,
        {
            "input": {
                "name": "10% coupon",
                "kind": "COUPON",
                "pointsCost": 100,
                "couponTemplateId": gid("Coupon", template.id),
                "stock": 2,
            }
        },
        user=staff,
    )
    reward = created["createReward"]["reward"]
    assert reward["couponTemplateId"] == gid("Coupon", template.id)
    assert (reward["stock"], reward["available"]) == (2, True)

    member = await _member_with(150)
    data = (await client.query(REDEEM, {"input": {"rewardId": reward["id"]}}, user=member))[
        "redeemReward"
    ]
    assert data["errors"] == [] and data["pointsBalance"] == 50
    redemption = data["redemption"]
    assert (redemption["points"], redemption["status"]) == (100, "ISSUED")
    code = redemption["coupon"]["code"]
    assert re.fullmatch(r"RW-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    issued = await Coupon.get(code=code)
    assert issued.owner_id == member.id and issued.usage_limit == 1
    assert (issued.percent_bps, issued.max_discount, issued.min_spend) == (1000, 2_000, 5_000)
    assert issued.ends_at is not None and issued.starts_at is not None
    assert (issued.ends_at - issued.starts_at).days == settings.reward_coupon_days
    assert (await Reward.get(id=decode_id(reward["id"], "Reward"))).stock == 1
    spent = await PointsEntry.get(user_id=member.id, kind=PointsKind.REDEMPTION)
    assert spent.amount == -100

    mine = (await client.query(MY_REDEMPTIONS, user=member))["myRedemptions"]
    assert mine["totalCount"] == 1 and mine["nodes"][0]["coupon"]["code"] == code
    other = await make_user()
    assert (await client.query(MY_REDEMPTIONS, user=other))["myRedemptions"]["totalCount"] == 0


async def test_refused_redemptions_change_nothing(client):
    poor = await _member_with(10)
    pricey = await Reward.create(name="Mug", kind="gift", points_cost=50, stock=1)
    retired = await Reward.create(name="Old", kind="gift", points_cost=5, active=False)
    gone = await Reward.create(name="Cap", kind="gift", points_cost=5, stock=0)

    async def codes(reward: Reward) -> list[str]:
        data = await client.query(
            REDEEM, {"input": {"rewardId": gid("Reward", reward.id)}}, user=poor
        )
        return [e["code"] for e in data["redeemReward"]["errors"]]

    assert await codes(pricey) == ["INSUFFICIENT_POINTS"]
    assert await codes(retired) == ["REWARD_UNAVAILABLE"]
    assert await codes(gone) == ["OUT_OF_STOCK"]
    assert (await Reward.get(id=pricey.id)).stock == 1
    assert await RewardRedemption.all().count() == 0
    assert await PointsEntry.filter(user_id=poor.id).count() == 1
    assert await points.balance(poor.id) == 10


async def test_concurrent_redemptions_never_overdraw_or_oversell(client):
    member = await _member_with(100)
    reward = await Reward.create(name="Tote", kind="gift", points_cost=30, stock=2)
    variables = {"input": {"rewardId": gid("Reward", reward.id)}}
    results = await asyncio.gather(
        *(client.query(REDEEM, variables, user=member) for _ in range(5))
    )
    ok = [r for r in results if not r["redeemReward"]["errors"]]
    assert len(ok) == 2
    assert (await Reward.get(id=reward.id)).stock == 0
    assert await points.balance(member.id) == 40

    rich = await _member_with(1000)
    unlimited = await Reward.create(name="Sticker", kind="gift", points_cost=300)
    variables = {"input": {"rewardId": gid("Reward", unlimited.id)}}
    results = await asyncio.gather(*(client.query(REDEEM, variables, user=rich) for _ in range(5)))
    assert sum(1 for r in results if not r["redeemReward"]["errors"]) == 3
    assert await points.balance(rich.id) == 100


async def test_shoppers_see_active_rewards_and_staff_see_all(client):
    await Reward.create(name="Mug", kind="gift", points_cost=50)
    await Reward.create(name="Old", kind="gift", points_cost=5, active=False)
    shopper = (await client.query(REWARDS))["rewards"]
    assert [n["name"] for n in shopper["nodes"]] == ["Mug"] and shopper["totalCount"] == 1
    staff = (await client.query(REWARDS, user=await _staff()))["rewards"]
    assert [n["name"] for n in staff["nodes"]] == ["Old", "Mug"]


async def test_reward_input_is_checked(client):
    staff = await _staff()
    data = await client.query(
        CREATE, {"input": {"name": " ", "kind": "COUPON", "pointsCost": 0}}, user=staff
    )
    codes = {(tuple(e["field"]), e["code"]) for e in data["createReward"]["errors"]}
    assert codes == {(("name",), "REQUIRED"), (("pointsCost",), "INVALID")}
    data = await client.query(
        CREATE, {"input": {"name": "C", "kind": "COUPON", "pointsCost": 5}}, user=staff
    )
    assert data["createReward"]["errors"] == [{"field": ["couponTemplateId"], "code": "REQUIRED"}]
    body = await client.request(
        CREATE, {"input": {"name": "Mug", "kind": "GIFT", "pointsCost": 5}}, user=await make_user()
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Reward.all().count() == 0


async def test_update_and_delete_a_reward(client):
    staff = await _staff()
    reward = await Reward.create(name="Mug", kind="gift", points_cost=50)
    data = await client.query(
        UPDATE,
        {"input": {"id": gid("Reward", reward.id), "name": "Big mug", "pointsCost": 80}},
        user=staff,
    )
    assert data["updateReward"]["reward"] == {"name": "Big mug", "active": True, "pointsCost": 80}
    redeemed = await Reward.create(name="Cap", kind="gift", points_cost=5)
    member = await _member_with(10)
    await client.query(REDEEM, {"input": {"rewardId": gid("Reward", redeemed.id)}}, user=member)
    kept = await client.query(DELETE, {"input": {"id": gid("Reward", redeemed.id)}}, user=staff)
    assert kept["deleteReward"] == {"deletedId": None, "reward": {"active": False}, "errors": []}
    deleted = await client.query(DELETE, {"input": {"id": gid("Reward", reward.id)}}, user=staff)
    assert deleted["deleteReward"]["deletedId"] == gid("Reward", reward.id)
    assert not await Reward.exists(id=reward.id)


async def test_staff_fulfil_gifts_and_cancel_to_return_points(client):
    staff = await _staff()
    member = await _member_with(100)
    gift = await Reward.create(name="Tote", kind="gift", points_cost=60, stock=3)
    template = await _template()
    coupon = await Reward.create(
        name="Coupon", kind="coupon", points_cost=20, coupon_template_id=template.id
    )
    first = await client.query(REDEEM, {"input": {"rewardId": gid("Reward", gift.id)}}, user=member)
    gift_id = first["redeemReward"]["redemption"]["id"]
    second = await client.query(
        REDEEM, {"input": {"rewardId": gid("Reward", coupon.id)}}, user=member
    )
    coupon_id = second["redeemReward"]["redemption"]["id"]

    body = await client.request(FULFILL, {"input": {"id": gift_id}}, user=member)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    not_gift = await client.query(FULFILL, {"input": {"id": coupon_id}}, user=staff)
    assert not_gift["fulfillRedemption"]["errors"] == [{"code": "INVALID"}]

    cancelled = await client.query(CANCEL, {"input": {"id": coupon_id}}, user=staff)
    assert cancelled["cancelRedemption"]["redemption"]["status"] == "CANCELLED"
    code = cancelled["cancelRedemption"]["redemption"]["coupon"]["code"]
    assert (await Coupon.get(code=code)).active is False
    assert await points.balance(member.id) == 40

    done = await client.query(FULFILL, {"input": {"id": gift_id}}, user=staff)
    assert done["fulfillRedemption"]["redemption"] == {"status": "FULFILLED"}
    late = await client.query(CANCEL, {"input": {"id": gift_id}}, user=staff)
    assert late["cancelRedemption"]["errors"] == [{"code": "INVALID"}]
    assert await points.balance(member.id) == 40
    assert (await Reward.get(id=gift.id)).stock == 2
    statuses = await RewardRedemption.all().order_by("id").values_list("status", flat=True)
    assert list(statuses) == [RedemptionStatus.FULFILLED, RedemptionStatus.CANCELLED]


async def test_a_retried_redemption_with_the_same_key_redeems_once(client):
    member = await _member_with(100)
    gift = await Reward.create(name="Tote", kind="gift", points_cost=30, stock=5)
    variables = {"input": {"rewardId": gid("Reward", gift.id), "idempotencyKey": "order-7f3a"}}
    first = (await client.query(REDEEM, variables, user=member))["redeemReward"]
    again = (await client.query(REDEEM, variables, user=member))["redeemReward"]
    assert first["errors"] == [] and again["errors"] == []
    assert again["redemption"] == first["redemption"]
    assert again["pointsBalance"] == first["pointsBalance"] == 70
    assert await RewardRedemption.all().count() == 1
    assert await PointsEntry.filter(user_id=member.id, kind=PointsKind.REDEMPTION).count() == 1
    assert (await Reward.get(id=gift.id)).stock == 4

    # The key is the member's own: another member's same key redeems for them.
    other = await _member_with(100)
    theirs = (await client.query(REDEEM, variables, user=other))["redeemReward"]
    assert theirs["errors"] == [] and theirs["redemption"]["id"] != first["redemption"]["id"]
    # A new key, or none, is a new redemption.
    variables["input"]["idempotencyKey"] = "order-8b1c"
    assert (await client.query(REDEEM, variables, user=member))["redeemReward"]["errors"] == []
    del variables["input"]["idempotencyKey"]
    assert (await client.query(REDEEM, variables, user=member))["redeemReward"]["errors"] == []
    assert await RewardRedemption.filter(user_id=member.id).count() == 3


async def test_concurrent_redemptions_with_one_key_redeem_once(client):
    member = await _member_with(1000)
    reward = await Reward.create(name="Sticker", kind="gift", points_cost=100)
    variables = {"input": {"rewardId": gid("Reward", reward.id), "idempotencyKey": "tap-1"}}
    results = await asyncio.gather(
        *(client.query(REDEEM, variables, user=member) for _ in range(5))
    )
    payloads = [r["redeemReward"] for r in results]
    assert all(p["errors"] == [] for p in payloads)
    assert len({p["redemption"]["id"] for p in payloads}) == 1
    assert await RewardRedemption.all().count() == 1
    assert await points.balance(member.id) == 900


async def test_an_idempotency_key_is_refused_for_another_reward_or_when_too_long(client):
    member = await _member_with(100)
    tote = await Reward.create(name="Tote", kind="gift", points_cost=10)
    mug = await Reward.create(name="Mug", kind="gift", points_cost=10)
    key = {"idempotencyKey": "k-1"}
    await client.query(REDEEM, {"input": {"rewardId": gid("Reward", tote.id), **key}}, user=member)
    other = await client.query(
        REDEEM, {"input": {"rewardId": gid("Reward", mug.id), **key}}, user=member
    )
    too_long = await client.query(
        REDEEM,
        {"input": {"rewardId": gid("Reward", mug.id), "idempotencyKey": "x" * 65}},
        user=member,
    )
    for payload in (other, too_long):
        errors = payload["redeemReward"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(["idempotencyKey"], "INVALID")]
    assert await RewardRedemption.all().count() == 1
    assert await points.balance(member.id) == 90


async def test_cancelling_a_coupon_reward_refuses_once_checkout_used_the_coupon(client):
    from services.coupons import usage

    staff = await _staff()
    member = await _member_with(100)
    template = await _template()
    reward = await Reward.create(
        name="Coupon", kind="coupon", points_cost=20, coupon_template_id=template.id
    )
    redeemed = await client.query(
        REDEEM, {"input": {"rewardId": gid("Reward", reward.id)}}, user=member
    )
    redemption_id = redeemed["redeemReward"]["redemption"]["id"]
    coupon = await Coupon.get(owner_id=member.id)
    await usage.record_use(coupon.id, user_id=member.id, email="", order_id=None, discount=1)
    refused = await client.query(CANCEL, {"input": {"id": redemption_id}}, user=staff)
    assert refused["cancelRedemption"]["errors"] == [{"code": "INVALID"}]
    assert (await Coupon.get(id=coupon.id)).active is True
    assert await points.balance(member.id) == 80


async def test_checkout_cannot_use_the_coupon_of_a_cancelled_reward(client):
    from services.coupons import usage
    from services.coupons.errors import CouponError, CouponErrorCode

    staff = await _staff()
    member = await _member_with(100)
    template = await _template()
    reward = await Reward.create(
        name="Coupon", kind="coupon", points_cost=20, coupon_template_id=template.id
    )
    redeemed = await client.query(
        REDEEM, {"input": {"rewardId": gid("Reward", reward.id)}}, user=member
    )
    redemption_id = redeemed["redeemReward"]["redemption"]["id"]
    coupon = await Coupon.get(owner_id=member.id)
    cancelled = await client.query(CANCEL, {"input": {"id": redemption_id}}, user=staff)
    assert cancelled["cancelRedemption"]["errors"] == []
    try:
        await usage.record_use(coupon.id, user_id=member.id, email="", order_id=None, discount=1)
    except CouponError as exc:
        assert exc.code is CouponErrorCode.INACTIVE
    else:
        raise AssertionError("a voided coupon was used")
    assert (await Coupon.get(id=coupon.id)).times_used == 0
    assert await points.balance(member.id) == 100


async def test_null_is_refused_for_reward_fields_that_cannot_be_null(client):
    staff = await _staff()
    reward = await Reward.create(name="Tote", kind="gift", points_cost=30, stock=4)
    rid = gid("Reward", reward.id)
    for field in ("name", "kind", "pointsCost", "active"):
        data = await client.query(UPDATE, {"input": {"id": rid, field: None}}, user=staff)
        assert data["updateReward"] == {
            "reward": None,
            "errors": [{"field": [field], "code": "REQUIRED"}],
        }, field
    after = await Reward.get(id=reward.id)
    assert (after.name, after.kind, after.points_cost, after.active) == ("Tote", "gift", 30, True)
    # Null clears what can be cleared: the stock limit and the description.
    cleared = await client.query(
        UPDATE, {"input": {"id": rid, "stock": None, "description": None}}, user=staff
    )
    assert cleared["updateReward"]["errors"] == []
    after = await Reward.get(id=reward.id)
    assert (after.stock, after.description) == (None, "")


async def test_a_cancel_racing_a_checkout_never_both_uses_and_refunds_the_coupon(client):
    from tortoise.transactions import in_transaction

    from services.coupons import usage
    from services.coupons.errors import CouponError

    staff = await _staff()
    member = await _member_with(100)
    template = await _template()
    reward = await Reward.create(
        name="Coupon", kind="coupon", points_cost=20, coupon_template_id=template.id
    )
    redeemed = await client.query(
        REDEEM, {"input": {"rewardId": gid("Reward", reward.id)}}, user=member
    )
    redemption_id = redeemed["redeemReward"]["redemption"]["id"]
    coupon = await Coupon.get(owner_id=member.id)

    async def checkout() -> bool:
        try:
            async with in_transaction():
                await usage.record_use(
                    coupon.id, user_id=member.id, email="", order_id=None, discount=1
                )
                await asyncio.sleep(0.05)  # the rest of checkout, holding the coupon row
        except CouponError:
            return False
        return True

    async def cancel() -> bool:
        await asyncio.sleep(0.01)  # once checkout has taken the coupon
        data = await client.query(CANCEL, {"input": {"id": redemption_id}}, user=staff)
        return data["cancelRedemption"]["errors"] == []

    used, cancelled = await asyncio.gather(checkout(), cancel())
    assert used != cancelled
    after = await Coupon.get(id=coupon.id)
    assert after.times_used == (1 if used else 0)
    assert await points.balance(member.id) == (80 if used else 100)
