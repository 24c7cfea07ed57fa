"""The coupons domain's expected failures: bad definitions, and codes refused at checkout."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


class CouponErrorCode(Enum):
    # Staff definitions.
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_CODE = "invalid_code"
    DUPLICATE_CODE = "duplicate_code"
    INVALID_PERCENT = "invalid_percent"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_WINDOW = "invalid_window"
    INVALID_LIMIT = "invalid_limit"
    INVALID_TIER = "invalid_tier"
    COUPON_IN_USE = "coupon_in_use"
    # A code presented by a shopper.
    INACTIVE = "inactive"
    NOT_STARTED = "not_started"
    EXPIRED = "expired"
    MIN_SPEND_NOT_MET = "min_spend_not_met"
    USAGE_LIMIT_REACHED = "usage_limit_reached"
    CUSTOMER_LIMIT_REACHED = "customer_limit_reached"
    TIER_NOT_ELIGIBLE = "tier_not_eligible"
    NOT_YOUR_COUPON = "not_your_coupon"
    SIGN_IN_REQUIRED = "sign_in_required"


class CouponError(ServiceError[CouponErrorCode]):
    """A coupons request that was refused; nothing was changed.

    `shortfall` is set with MIN_SPEND_NOT_MET: the merchandise amount still needed, in minor
    units of the shop currency, so a storefront can say "spend $12.50 more".
    """

    def __init__(self, problems: Problem | list[Problem], *, shortfall: int | None = None) -> None:
        super().__init__(problems)
        self.shortfall = shortfall

    @property
    def code(self) -> Enum:
        """The first problem's code: a refused code at checkout has exactly one."""
        return self.problems[0].code


fail, not_found = CouponError.fail, CouponError.not_found
