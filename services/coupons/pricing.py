"""What a coupon code is worth for a cart: the checks checkout runs and the discount it gives.

`evaluate_coupon` is what checkout and the storefront's "apply code" box call. The rules
themselves (`refusal`, `discount_for`) are pure functions of the coupon and the cart, so
they are tested without a database. Amounts are minor units of the shop currency; a
`rate` only changes how amounts read in messages. `check_coupon` takes a cart's amounts
as the shopper sees them and answers the discount the same way checkout shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_currency
from tortoise.expressions import Q

from models.coupons import Coupon, CouponKind, CouponUse
from models.currency import RoundingRule
from services.coupons import coupons
from services.coupons.errors import CouponError, CouponErrorCode, fail
from services.currency import convert
from services.currency.rates import RateQuote, shop_quote
from services.errors import Problem
from services.money import Money
from settings import get_settings


@dataclass(frozen=True, slots=True)
class CouponQuote:
    """What a valid code takes off: from the merchandise, and from shipping."""

    coupon: Coupon
    #: Off the merchandise subtotal, never more than it.
    discount: int
    #: Off the shipping total (free-shipping coupons).
    shipping_discount: int

    @property
    def total_discount(self) -> int:
        return self.discount + self.shipping_discount


def percent_of(amount: int, bps: int) -> int:
    """`bps` basis points of `amount` minor units, rounded half-up to the minor unit."""
    return (amount * bps + 5000) // 10_000


def discount_for(coupon: Coupon, merchandise_subtotal: int, shipping_total: int) -> tuple[int, int]:
    """(merchandise discount, shipping discount) the coupon gives a cart; no eligibility checks."""
    subtotal = max(merchandise_subtotal, 0)
    kind = CouponKind(coupon.kind)
    if kind is CouponKind.PERCENTAGE:
        off = percent_of(subtotal, coupon.percent_bps)
        if coupon.max_discount is not None:
            off = min(off, coupon.max_discount)
        return min(off, subtotal), 0
    if kind is CouponKind.FIXED_AMOUNT:
        return min(coupon.amount, subtotal), 0
    return 0, max(shipping_total, 0)


def refusal(
    coupon: Coupon,
    *,
    user_id: int | None,
    tier_id: int | None,
    merchandise_subtotal: int,
    now: datetime,
    customer_uses: int,
    locale: str | None = None,
    rate: RateQuote | None = None,
) -> CouponError | None:
    """Why the shopper may not use the coupon now, or None when they may.

    Checked in the order a shopper can act on: a dead code first, then who may use it,
    then the limits, and the spend last (the one thing more shopping can fix).
    """
    if not coupon.active:
        return fail(CouponErrorCode.INACTIVE, "This code is no longer active.", "code")
    if coupon.starts_at is not None and now < coupon.starts_at:
        return fail(CouponErrorCode.NOT_STARTED, "This code cannot be used yet.", "code")
    if coupon.ends_at is not None and now >= coupon.ends_at:
        return fail(CouponErrorCode.EXPIRED, "This code has expired.", "code")
    if (coupon.owner_id is not None or coupon.tier_ids) and user_id is None:
        return fail(CouponErrorCode.SIGN_IN_REQUIRED, "Sign in to use this code.", "code")
    if coupon.owner_id is not None and coupon.owner_id != user_id:
        return fail(CouponErrorCode.NOT_YOUR_COUPON, "This code belongs to another member.", "code")
    if coupon.tier_ids and tier_id not in coupon.tier_ids:
        return fail(
            CouponErrorCode.TIER_NOT_ELIGIBLE,
            "This code is for other membership tiers.",
            "code",
        )
    if coupon.usage_limit is not None and coupon.times_used >= coupon.usage_limit:
        return fail(CouponErrorCode.USAGE_LIMIT_REACHED, "This code has been used up.", "code")
    if coupon.per_customer_limit is not None and customer_uses >= coupon.per_customer_limit:
        return fail(
            CouponErrorCode.CUSTOMER_LIMIT_REACHED,
            "You have used this code as often as it allows.",
            "code",
        )
    if merchandise_subtotal < coupon.min_spend:
        shortfall = coupon.min_spend - merchandise_subtotal
        message = (
            f"Spend {_money(shortfall, locale, rate)} more to use this code "
            f"(it needs {_money(coupon.min_spend, locale, rate)})."
        )
        return CouponError(
            Problem(CouponErrorCode.MIN_SPEND_NOT_MET, message, ("subtotal",)), shortfall=shortfall
        )
    return None


async def customer_uses(coupon_id: int, *, user_id: int | None, email: str | None) -> int:
    """Unreleased uses of the coupon by the member, or by the email a guest checks out with."""
    who = Q()
    if user_id is not None:
        who |= Q(user_id=user_id)
    if email:
        who |= Q(email=email.strip().lower())
    if user_id is None and not email:
        return 0
    return await CouponUse.filter(who, coupon_id=coupon_id, released_at__isnull=True).count()


async def evaluate_coupon(
    code: str,
    *,
    user_id: int | None,
    email: str | None,
    tier_id: int | None,
    merchandise_subtotal: int,
    shipping_total: int,
    now: datetime,
    locale: str | None = None,
    rate: RateQuote | None = None,
) -> CouponQuote:
    """The discount `code` gives this shopper's cart now; raises a `CouponError` saying why not.

    Messages show amounts as `rate` converts them (the shop currency's by default).
    """
    coupon = await coupons.coupon_by_code(code)
    if coupon is None:
        raise fail(CouponErrorCode.NOT_FOUND, "There is no such code.", "code")
    uses = 0
    if coupon.per_customer_limit is not None:
        uses = await customer_uses(coupon.id, user_id=user_id, email=email)
    problem = refusal(
        coupon,
        user_id=user_id,
        tier_id=tier_id,
        merchandise_subtotal=merchandise_subtotal,
        now=now,
        customer_uses=uses,
        locale=locale,
        rate=rate,
    )
    if problem is not None:
        raise problem
    discount, shipping_discount = discount_for(coupon, merchandise_subtotal, shipping_total)
    return CouponQuote(coupon=coupon, discount=discount, shipping_discount=shipping_discount)


@dataclass(frozen=True, slots=True)
class ShownCouponQuote:
    """A coupon's discount on a cart as the shopper sees it, in the rate's currency."""

    quote: CouponQuote
    rate: RateQuote
    #: Off the shown merchandise subtotal, as checkout shows it.
    discount: int
    #: Off the shown shipping total.
    shipping_discount: int

    @property
    def total_discount(self) -> int:
        return self.discount + self.shipping_discount


def shown_discounts(
    quote: CouponQuote,
    rate: RateQuote,
    *,
    shop_subtotal: int,
    shown_subtotal: int,
    shown_shipping: int,
) -> tuple[int, int]:
    """(merchandise, shipping) discount in the rate's currency, as checkout shows them.

    The merchandise discount takes the same share of the shown subtotal as of the shop
    subtotal; a shipping discount converts exactly, never more than the shown shipping.
    """
    discount = min(convert.share(quote.discount, shop_subtotal, shown_subtotal), shown_subtotal)
    exact = convert.present(quote.shipping_discount, rate, rounding=RoundingRule.NONE)
    return discount, min(exact, shown_shipping)


async def check_coupon(
    code: str,
    *,
    user_id: int | None,
    email: str | None,
    tier_id: int | None,
    shown_subtotal: int,
    shown_shipping: int,
    rate: RateQuote,
    now: datetime,
    locale: str | None = None,
) -> ShownCouponQuote:
    """What `code` takes off a cart whose amounts are given in the rate's currency.

    The amounts are taken back to the shop currency (the least shop amount shown as at
    least them), the coupon's rules run there as at checkout, and the discount is shown as
    checkout shows it; raises a `CouponError` (messages in the rate's currency) otherwise.
    """
    shown_subtotal, shown_shipping = max(shown_subtotal, 0), max(shown_shipping, 0)
    shop_subtotal = convert.shop_floor(shown_subtotal, rate, rounding=RoundingRule.NONE)
    shop_shipping = convert.shop_floor(shown_shipping, rate, rounding=RoundingRule.NONE)
    quote = await evaluate_coupon(
        code,
        user_id=user_id,
        email=email,
        tier_id=tier_id,
        merchandise_subtotal=shop_subtotal,
        shipping_total=shop_shipping,
        now=now,
        locale=locale,
        rate=rate,
    )
    discount, shipping = shown_discounts(
        quote,
        rate,
        shop_subtotal=shop_subtotal,
        shown_subtotal=shown_subtotal,
        shown_shipping=shown_shipping,
    )
    return ShownCouponQuote(quote=quote, rate=rate, discount=discount, shipping_discount=shipping)


def _money(minor: int, locale: str | None, rate: RateQuote | None = None) -> str:
    settings = get_settings()
    rate = rate or shop_quote()
    shown = convert.present(minor, rate, rounding=RoundingRule.NONE)
    money = Money(shown, rate.currency)
    return format_currency(
        money.amount, money.currency, locale=(locale or settings.default_locale).replace("-", "_")
    )


def describe(coupon: Coupon, *, locale: str | None = None, rate: RateQuote | None = None) -> str:
    """What the coupon gives, in words a shopper reads: "15 % off, up to $20.00".

    Amounts read in `rate`'s currency (the shop currency's by default).
    """
    kind = CouponKind(coupon.kind)
    if kind is CouponKind.PERCENTAGE:
        text = f"{coupons.bps_to_percent(coupon.percent_bps)} % off"
        if coupon.max_discount is not None:
            text += f", up to {_money(coupon.max_discount, locale, rate)}"
    elif kind is CouponKind.FIXED_AMOUNT:
        text = f"{_money(coupon.amount, locale, rate)} off"
    else:
        text = "Free shipping"
    if coupon.min_spend:
        text += f" on orders of {_money(coupon.min_spend, locale, rate)} or more"
    return text
