"""Coupon services against the database: definitions, evaluation, and counted uses."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from tortoise import timezone
from tortoise.transactions import in_transaction

from models.coupons import Coupon, CouponKind, CouponUse
from models.members import MembershipTier
from services.coupons import coupons, pricing, usage
from services.coupons.errors import CouponError, CouponErrorCode
from tests.factories import make_user


async def make_coupon(**fields: Any) -> Coupon:
    data: dict[str, Any] = {"code": "SAVE15", "kind": CouponKind.PERCENTAGE, "percent": "15"}
    return await coupons.create_coupon({**data, **fields})  # type: ignore[typeddict-item]


def problem_codes(exc: pytest.ExceptionInfo[CouponError]) -> set[tuple[Any, ...]]:
    return {(p.code, p.field) for p in exc.value.problems}


async def evaluate(code: str, **given: Any) -> pricing.CouponQuote:
    args: dict[str, Any] = {
        "user_id": None,
        "email": None,
        "tier_id": None,
        "merchandise_subtotal": 10_000,
        "shipping_total": 500,
        "now": timezone.now(),
        **given,
    }
    return await pricing.evaluate_coupon(code, **args)


async def test_a_definition_is_normalised_and_stored_in_minor_units(db):
    coupon = await make_coupon(
        code=" spring_25 ", percent="12.5", max_discount="20", min_spend="50.00"
    )
    assert (coupon.code, coupon.percent_bps) == ("SPRING_25", 1250)
    assert (coupon.max_discount, coupon.min_spend, coupon.amount) == (2000, 5000, 0)


async def test_every_problem_of_a_definition_is_reported_together(db):
    now = timezone.now()
    with pytest.raises(CouponError) as exc:
        await make_coupon(
            code="no",
            percent="150",
            min_spend="1.234",
            usage_limit=0,
            tier_ids=[999],
            starts_at=now,
            ends_at=now - timedelta(days=1),
        )
    assert problem_codes(exc) == {
        (CouponErrorCode.INVALID_CODE, ("code",)),
        (CouponErrorCode.INVALID_PERCENT, ("percent",)),
        (CouponErrorCode.INVALID_AMOUNT, ("min_spend",)),
        (CouponErrorCode.INVALID_LIMIT, ("usage_limit",)),
        (CouponErrorCode.INVALID_TIER, ("eligible_tiers",)),
        (CouponErrorCode.INVALID_WINDOW, ("ends_at",)),
    }
    assert await Coupon.all().count() == 0


async def test_each_kind_needs_its_own_terms_and_keeps_no_others(db):
    with pytest.raises(CouponError) as exc:
        await make_coupon(percent=None)
    assert problem_codes(exc) == {(CouponErrorCode.REQUIRED, ("percent",))}
    with pytest.raises(CouponError) as exc:
        await make_coupon(kind=CouponKind.FIXED_AMOUNT, percent=None)
    assert problem_codes(exc) == {(CouponErrorCode.REQUIRED, ("amount",))}
    coupon = await make_coupon(max_discount="5")
    changed = await coupons.update_coupon(
        coupon.id, {"kind": CouponKind.FIXED_AMOUNT, "amount": "7.50"}
    )
    assert (changed.amount, changed.percent_bps, changed.max_discount) == (750, 0, None)


async def test_codes_are_unique_whatever_their_case(db):
    await make_coupon(code="WELCOME")
    with pytest.raises(CouponError) as exc:
        await make_coupon(code="welcome")
    assert problem_codes(exc) == {(CouponErrorCode.DUPLICATE_CODE, ("code",))}
    other = await make_coupon(code="OTHER")
    with pytest.raises(CouponError):
        await coupons.update_coupon(other.id, {"code": "Welcome"})


async def test_a_limit_cannot_drop_below_the_uses_so_far(db):
    coupon = await make_coupon(usage_limit=5)
    await Coupon.filter(id=coupon.id).update(times_used=3)
    with pytest.raises(CouponError) as exc:
        await coupons.update_coupon(coupon.id, {"usage_limit": 2})
    assert problem_codes(exc) == {(CouponErrorCode.INVALID_LIMIT, ("usage_limit",))}


async def test_an_unknown_code_is_not_found(db):
    with pytest.raises(CouponError) as exc:
        await evaluate("NOPE")
    assert exc.value.code is CouponErrorCode.NOT_FOUND


async def test_evaluation_quotes_the_discount_for_the_typed_code(db):
    await make_coupon(code="HALF", percent="50", max_discount="30")
    quote = await evaluate(" half ", merchandise_subtotal=4999)
    assert (quote.discount, quote.shipping_discount) == (2500, 0)
    await make_coupon(code="SHIPFREE", kind=CouponKind.FREE_SHIPPING, percent=None)
    assert (await evaluate("SHIPFREE", shipping_total=895)).total_discount == 895


async def test_tier_coupons_follow_the_viewers_tier(db):
    gold = await MembershipTier.create(name="Gold", rank=2)
    silver = await MembershipTier.create(name="Silver", rank=1)
    await make_coupon(code="GOLDONLY", tier_ids=[gold.id])
    member = await make_user()
    assert (await evaluate("GOLDONLY", user_id=member.id, tier_id=gold.id)).discount == 1500
    with pytest.raises(CouponError) as exc:
        await evaluate("GOLDONLY", user_id=member.id, tier_id=silver.id)
    assert exc.value.code is CouponErrorCode.TIER_NOT_ELIGIBLE


async def test_per_customer_limit_counts_member_and_guest_email_uses(db):
    coupon = await make_coupon(per_customer_limit=1)
    member = await make_user(email="ana@example.com")
    await usage.record_use(
        coupon.id, user_id=None, email="ANA@example.com", order_id=None, discount=1
    )
    with pytest.raises(CouponError) as exc:
        await evaluate("SAVE15", user_id=member.id, email="ana@example.com")
    assert exc.value.code is CouponErrorCode.CUSTOMER_LIMIT_REACHED
    assert (await evaluate("SAVE15", email="bo@example.com")).discount == 1500


async def test_record_use_counts_and_refuses_past_the_overall_limit(db):
    coupon = await make_coupon(usage_limit=1)
    use = await usage.record_use(coupon.id, user_id=None, email="a@x.io", order_id=None, discount=9)
    assert (use.discount, use.email) == (9, "a@x.io")
    with pytest.raises(CouponError) as exc:
        await usage.record_use(coupon.id, user_id=None, email="b@x.io", order_id=None, discount=9)
    assert exc.value.code is CouponErrorCode.USAGE_LIMIT_REACHED
    assert (await Coupon.get(id=coupon.id)).times_used == 1
    assert await CouponUse.all().count() == 1


async def test_a_refused_use_changes_nothing_in_the_callers_transaction(db):
    coupon = await make_coupon(per_customer_limit=1)
    member = await make_user()
    await usage.record_use(coupon.id, user_id=member.id, email="", order_id=None, discount=1)
    async with in_transaction():
        with pytest.raises(CouponError) as exc:
            await usage.record_use(
                coupon.id, user_id=member.id, email="", order_id=None, discount=1
            )
        # Checkout goes on without the coupon and commits: the refused increment is gone.
    assert exc.value.code is CouponErrorCode.CUSTOMER_LIMIT_REACHED
    assert (await Coupon.get(id=coupon.id)).times_used == 1
    assert await CouponUse.all().count() == 1


async def test_a_released_use_no_longer_counts(db):
    from models.orders import Order

    coupon = await make_coupon(usage_limit=1, per_customer_limit=1)
    member = await make_user()
    order = await Order.create(
        number="TWREL001", user=member, email=member.email, shop_currency="USD", currency="USD"
    )
    await usage.record_use(coupon.id, user_id=member.id, email="", order_id=order.id, discount=5)
    assert await usage.release_use(order.id) == 1
    assert await usage.release_use(order.id) == 0  # safe to repeat
    assert (await Coupon.get(id=coupon.id)).times_used == 0
    assert (await CouponUse.get()).released_at is not None
    await usage.record_use(coupon.id, user_id=member.id, email="", order_id=None, discount=5)
    assert (await Coupon.get(id=coupon.id)).times_used == 1


async def test_concurrent_uses_never_exceed_the_limit(db):
    coupon = await make_coupon(usage_limit=3)

    async def checkout(n: int) -> bool:
        try:
            async with in_transaction():
                await usage.record_use(
                    coupon.id, user_id=None, email=f"g{n}@x.io", order_id=None, discount=1
                )
                await asyncio.sleep(0.01)  # the rest of checkout, holding the transaction open
        except CouponError:
            return False
        return True

    results = await asyncio.gather(*(checkout(n) for n in range(10)))
    assert results.count(True) == 3
    assert (await Coupon.get(id=coupon.id)).times_used == 3
    assert await CouponUse.all().count() == 3


async def test_concurrent_uses_by_one_customer_respect_their_limit(db):
    coupon = await make_coupon(per_customer_limit=2)
    member = await make_user()

    async def checkout() -> bool:
        try:
            async with in_transaction():
                await usage.record_use(
                    coupon.id, user_id=member.id, email="", order_id=None, discount=1
                )
                await asyncio.sleep(0.01)
        except CouponError:
            return False
        return True

    results = await asyncio.gather(*(checkout() for _ in range(6)))
    assert results.count(True) == 2
    assert await CouponUse.filter(user_id=member.id).count() == 2


async def _order(number: str) -> Any:
    from models.orders import Order

    return await Order.create(number=number, email="g@x.io", shop_currency="USD", currency="USD")


async def test_record_use_is_idempotent_per_order(db):
    coupon = await make_coupon(usage_limit=5)
    order = await _order("TWIDEM01")
    first = await usage.record_use(
        coupon.id, user_id=None, email="g@x.io", order_id=order.id, discount=7
    )
    again = await usage.record_use(
        coupon.id, user_id=None, email="g@x.io", order_id=order.id, discount=7
    )
    assert again.id == first.id
    assert (await Coupon.get(id=coupon.id)).times_used == 1
    assert await CouponUse.all().count() == 1


async def test_concurrent_records_for_one_order_count_once(db):
    coupon = await make_coupon()
    order = await _order("TWIDEM02")

    async def checkout() -> int:
        async with in_transaction():
            use = await usage.record_use(
                coupon.id, user_id=None, email="g@x.io", order_id=order.id, discount=1
            )
            await asyncio.sleep(0.01)
        return use.id

    ids = await asyncio.gather(*(checkout() for _ in range(4)))
    assert len(set(ids)) == 1
    assert (await Coupon.get(id=coupon.id)).times_used == 1
    assert await CouponUse.all().count() == 1


async def test_record_use_refuses_an_inactive_or_out_of_window_coupon(db):
    now = timezone.now()
    cases = [
        ({"code": "OFFNOW", "active": False}, CouponErrorCode.INACTIVE),
        ({"code": "LATER1", "starts_at": now + timedelta(days=1)}, CouponErrorCode.NOT_STARTED),
        (
            {"code": "GONE01", "starts_at": now - timedelta(days=2), "ends_at": now},
            CouponErrorCode.EXPIRED,
        ),
    ]
    for fields, code in cases:
        coupon = await make_coupon(**fields)
        with pytest.raises(CouponError) as exc:
            await usage.record_use(
                coupon.id, user_id=None, email="g@x.io", order_id=None, discount=1, now=now
            )
        assert exc.value.code is code
        assert (await Coupon.get(id=coupon.id)).times_used == 0
    assert await CouponUse.all().count() == 0


async def test_bad_amounts_read_as_their_rule_says_at_the_field(db):
    with pytest.raises(CouponError) as exc:
        await coupons.create_coupon(
            {
                "code": "NAN-TEST",
                "kind": CouponKind.PERCENTAGE,
                "percent": Decimal("NaN"),
                "min_spend": Decimal("Infinity"),
            }
        )
    assert [(p.code, p.field, p.message) for p in exc.value.problems] == [
        (
            CouponErrorCode.INVALID_PERCENT,
            ("percent",),
            "A percentage is more than 0 and at most 100.",
        ),
        (
            CouponErrorCode.INVALID_AMOUNT,
            ("min_spend",),
            "Decimal('Infinity') is not a finite number.",
        ),
    ]
    assert not await Coupon.exists(code="NAN-TEST")
