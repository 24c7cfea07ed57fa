"""Pricing rules on coupons in memory: discounts, rounding, caps, and every refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.coupons import Coupon, CouponKind
from services.coupons import pricing
from services.coupons.coupons import bps_to_percent, normalize_code, percent_to_bps
from services.coupons.errors import CouponErrorCode

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def coupon(**fields: Any) -> Coupon:
    defaults: dict[str, Any] = {
        "code": "SAVE",
        "kind": CouponKind.PERCENTAGE,
        "percent_bps": 1500,
        "active": True,
        "tier_ids": [],
        "times_used": 0,
        "min_spend": 0,
    }
    made = Coupon(**{**defaults, **fields})
    made.owner_id = fields.get("owner_id")  # Tortoise leaves an unset foreign key undefined
    return made


def refused(c: Coupon, **given: Any) -> CouponErrorCode | None:
    args: dict[str, Any] = {
        "user_id": 1,
        "tier_id": None,
        "merchandise_subtotal": 10_000,
        "now": NOW,
        "customer_uses": 0,
        **given,
    }
    error = pricing.refusal(c, **args)
    return None if error is None else error.code  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("bps", "subtotal", "expected"),
    [
        (1500, 1999, 300),  # 299.85 rounds up
        (1000, 1005, 101),  # exactly half a cent rounds up
        (1000, 1004, 100),  # 100.4 rounds down
        (1250, 1001, 125),  # 125.125
        (10_000, 4321, 4321),  # 100 % is the whole subtotal, never more
        (1, 49, 0),
    ],
)
def test_percentage_rounds_half_up_to_the_minor_unit(bps, subtotal, expected):
    assert pricing.discount_for(coupon(percent_bps=bps), subtotal, 500) == (expected, 0)


def test_percentage_respects_its_cap():
    capped = coupon(percent_bps=5000, max_discount=2000)
    assert pricing.discount_for(capped, 10_000, 0) == (2000, 0)
    assert pricing.discount_for(capped, 3000, 0) == (1500, 0)


def test_fixed_amount_never_exceeds_the_subtotal():
    fixed = coupon(kind=CouponKind.FIXED_AMOUNT, percent_bps=0, amount=1500)
    assert pricing.discount_for(fixed, 10_000, 700) == (1500, 0)
    assert pricing.discount_for(fixed, 999, 700) == (999, 0)


def test_free_shipping_takes_off_the_shipping_only():
    free = coupon(kind=CouponKind.FREE_SHIPPING, percent_bps=0)
    assert pricing.discount_for(free, 10_000, 795) == (0, 795)


def test_a_valid_coupon_is_not_refused():
    assert refused(coupon()) is None


def test_dead_codes_are_refused():
    assert refused(coupon(active=False)) is CouponErrorCode.INACTIVE
    assert refused(coupon(starts_at=NOW + timedelta(seconds=1))) is CouponErrorCode.NOT_STARTED
    assert refused(coupon(starts_at=NOW)) is None
    assert refused(coupon(ends_at=NOW)) is CouponErrorCode.EXPIRED
    assert refused(coupon(ends_at=NOW + timedelta(seconds=1))) is None


def test_personal_and_tier_coupons_need_the_right_member():
    personal = coupon(owner_id=7)
    assert refused(personal, user_id=None) is CouponErrorCode.SIGN_IN_REQUIRED
    assert refused(personal, user_id=8) is CouponErrorCode.NOT_YOUR_COUPON
    assert refused(personal, user_id=7) is None
    gold = coupon(tier_ids=[3, 4])
    assert refused(gold, user_id=None) is CouponErrorCode.SIGN_IN_REQUIRED
    assert refused(gold, tier_id=None) is CouponErrorCode.TIER_NOT_ELIGIBLE
    assert refused(gold, tier_id=2) is CouponErrorCode.TIER_NOT_ELIGIBLE
    assert refused(gold, tier_id=4) is None


def test_limits_are_refused_once_reached():
    assert refused(coupon(usage_limit=3, times_used=3)) is CouponErrorCode.USAGE_LIMIT_REACHED
    assert refused(coupon(usage_limit=3, times_used=2)) is None
    limited = coupon(per_customer_limit=1)
    assert refused(limited, customer_uses=1) is CouponErrorCode.CUSTOMER_LIMIT_REACHED
    assert refused(limited, customer_uses=0) is None


def test_min_spend_says_how_much_is_missing():
    error = pricing.refusal(
        coupon(min_spend=5000),
        user_id=None,
        tier_id=None,
        merchandise_subtotal=3750,
        now=NOW,
        customer_uses=0,
    )
    assert error is not None and error.code is CouponErrorCode.MIN_SPEND_NOT_MET
    assert error.shortfall == 1250
    assert "$12.50 more" in str(error) and "$50.00" in str(error)
    assert refused(coupon(min_spend=5000), merchandise_subtotal=5000) is None


def test_descriptions_read_as_a_shopper_expects():
    assert pricing.describe(coupon(max_discount=2000)) == "15 % off, up to $20.00"
    assert pricing.describe(coupon(percent_bps=1250)) == "12.5 % off"
    fixed = coupon(kind=CouponKind.FIXED_AMOUNT, amount=500, min_spend=3000)
    assert pricing.describe(fixed) == "$5.00 off on orders of $30.00 or more"
    assert pricing.describe(coupon(kind=CouponKind.FREE_SHIPPING)) == "Free shipping"


def test_percentages_become_basis_points():
    assert percent_to_bps("15") == 1500
    assert percent_to_bps("12.5") == 1250
    assert percent_to_bps("100") == 10_000
    for bad in ("0", "-5", "100.01", "12.345", "abc", "NaN"):
        with pytest.raises(ValueError):
            percent_to_bps(bad)
    assert str(bps_to_percent(1250)) == "12.5" and str(bps_to_percent(1500)) == "15"


def test_codes_are_matched_whatever_the_case():
    assert normalize_code("  summer-25 ") == "SUMMER-25"
