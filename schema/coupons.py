"""Coupon types, inputs and payloads: staff definitions, and the quote a shopper's code gets.

Money is kept in the shop currency and shown as `schema.currency.shown_prices` negotiates
(a coupon's own money fields take an optional `currency` argument); amounts convert
exactly, and a cart's discount is shown the way checkout shows it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from models.coupons import Coupon, CouponKind
from schema.context import Info
from schema.currency import Prices, shown_prices
from schema.errors import UserError
from schema.kit import errors_for
from schema.money import CurrencyCode, MoneyType
from schema.relay import Connection, encode_id
from services.coupons import coupons, pricing
from services.coupons.errors import CouponError, CouponErrorCode
from services.errors import ServiceError

CouponKindEnum = strawberry.enum(CouponKind, name="CouponKind")
CouponErrorCodeEnum = strawberry.enum(CouponErrorCode, name="CouponErrorCode")


async def shown_money(minor: int, info: Info, currency: CurrencyCode | None) -> MoneyType:
    """An amount of the shop currency converted exactly into the viewer's currency."""
    return (await shown_prices(info, currency)).exact(minor)


@strawberry.type(name="Coupon", description="A code shoppers enter for a discount.")
class CouponType(relay.Node):
    id: relay.NodeID[int]
    code: str
    name: str
    kind: CouponKindEnum  # type: ignore[valid-type]
    percent: Decimal | None = strawberry.field(
        description="Percentage coupons: the percent taken off, e.g. 12.5."
    )
    starts_at: datetime | None
    ends_at: datetime | None
    usage_limit: int | None = strawberry.field(description="Uses allowed overall; null: no limit.")
    per_customer_limit: int | None
    times_used: int = strawberry.field(description="Uses by orders that were not cancelled.")
    eligible_tier_ids: list[strawberry.ID] = strawberry.field(
        description="Membership tiers that may use it; empty: every shopper."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        description="The member a personal coupon belongs to."
    )
    active: bool
    created_at: datetime
    updated_at: datetime
    _coupon: strawberry.Private[Coupon]

    @classmethod
    def build(cls, coupon: Coupon) -> CouponType:
        return cls(
            id=coupon.id,
            code=coupon.code,
            name=coupon.name,
            kind=coupon.kind,
            percent=(
                coupons.bps_to_percent(coupon.percent_bps)
                if coupon.kind == CouponKind.PERCENTAGE
                else None
            ),
            starts_at=coupon.starts_at,
            ends_at=coupon.ends_at,
            usage_limit=coupon.usage_limit,
            per_customer_limit=coupon.per_customer_limit,
            times_used=coupon.times_used,
            eligible_tier_ids=[encode_id("MembershipTier", t) for t in coupon.tier_ids],
            owner_id=encode_id("User", coupon.owner_id) if coupon.owner_id else None,
            active=coupon.active,
            created_at=coupon.created_at,
            updated_at=coupon.updated_at,
            _coupon=coupon,
        )

    @strawberry.field(description="Fixed-amount coupons: the amount taken off.")
    async def amount(self, info: Info, currency: CurrencyCode | None = None) -> MoneyType | None:
        if self._coupon.kind != CouponKind.FIXED_AMOUNT:
            return None
        return await shown_money(self._coupon.amount, info, currency)

    @strawberry.field(description="Percentage coupons: the most taken off; null: no cap.")
    async def max_discount(
        self, info: Info, currency: CurrencyCode | None = None
    ) -> MoneyType | None:
        if self._coupon.max_discount is None:
            return None
        return await shown_money(self._coupon.max_discount, info, currency)

    @strawberry.field(description="Merchandise subtotal needed to use the code.")
    async def min_spend(self, info: Info, currency: CurrencyCode | None = None) -> MoneyType:
        return await shown_money(self._coupon.min_spend, info, currency)

    @strawberry.field(description='What the code gives, in words: "15 % off, up to $20.00".')
    async def explanation(self, info: Info, currency: CurrencyCode | None = None) -> str:
        prices = await shown_prices(info, currency)
        return pricing.describe(self._coupon, locale=info.context.locale, rate=prices.quote)


@strawberry.type(name="CouponConnection")
class CouponConnection(Connection[CouponType]):
    pass


@strawberry.type(name="CouponQuote", description="What a valid code takes off a cart.")
class CouponQuoteType:
    code: str
    kind: CouponKindEnum  # type: ignore[valid-type]
    explanation: str = strawberry.field(description='In words: "15 % off, up to $20.00".')
    discount: MoneyType = strawberry.field(description="Off the merchandise subtotal.")
    shipping_discount: MoneyType = strawberry.field(
        description="Off the shipping (free-shipping codes)."
    )
    total_discount: MoneyType

    @classmethod
    def build(cls, shown: pricing.ShownCouponQuote, locale: str) -> CouponQuoteType:
        currency = shown.rate.currency
        return cls(
            code=shown.quote.coupon.code,
            kind=shown.quote.coupon.kind,
            explanation=pricing.describe(shown.quote.coupon, locale=locale, rate=shown.rate),
            discount=MoneyType.minor(shown.discount, currency),
            shipping_discount=MoneyType.minor(shown.shipping_discount, currency),
            total_discount=MoneyType.minor(shown.total_discount, currency),
        )


@strawberry.type(name="CouponError")
class CouponErrorType(UserError):
    code: CouponErrorCodeEnum  # type: ignore[valid-type]
    amount_needed: MoneyType | None = strawberry.field(
        default=None, description="MIN_SPEND_NOT_MET: how much more merchandise is needed."
    )

    @classmethod
    def extra_fields(
        cls, exc: ServiceError, info: Info, prices: Prices | None = None
    ) -> dict[str, Any]:
        """An amount needed, shown by `prices` (else the shop's)."""
        shortfall = exc.shortfall if isinstance(exc, CouponError) else None
        needed = (prices or Prices.shop()).exact(shortfall) if shortfall is not None else None
        return {"amount_needed": needed}


@strawberry.type(
    name="CouponCheck", description="The quote for a code, or the errors saying why it is refused."
)
class CouponCheckType:
    currency: CurrencyCode = strawberry.field(
        description="The currency of the amounts, given and answered: the `currency` "
        "argument, else X-Currency, else the member's, else the shop's."
    )
    quote: CouponQuoteType | None = None
    errors: list[CouponErrorType] = strawberry.field(default_factory=list)

    @classmethod
    async def from_service_error(
        cls, exc: ServiceError, info: Info, arguments: dict[str, Any]
    ) -> CouponCheckType:
        """The refusal, amounts shown in the currency asked for."""
        prices = await shown_prices(info, arguments.get("currency"))
        extra = CouponErrorType.extra_fields(exc, info, prices)
        return cls(currency=prices.code(), errors=errors_for(cls, exc, info, **extra))


@strawberry.input
class CouponFilter:
    active: bool | None = None
    search: str | None = strawberry.field(default=None, description="Part of a code or name.")


_MONEY = "A decimal amount of the shop currency."


@strawberry.input
class CreateCouponInput:
    code: str = strawberry.field(description="4 to 40 of A-Z, 0-9, - and _; stored upper-case.")
    kind: CouponKindEnum  # type: ignore[valid-type]
    name: str = ""
    percent: Decimal | None = strawberry.field(
        default=None, description="Percentage coupons: more than 0, at most 100, e.g. 12.5."
    )
    amount: Decimal | None = strawberry.field(
        default=None, description="Fixed-amount coupons. " + _MONEY
    )
    max_discount: Decimal | None = strawberry.field(
        default=None, description="Percentage coupons: the most taken off. " + _MONEY
    )
    min_spend: Decimal | None = strawberry.field(default=None, description=_MONEY)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None
    per_customer_limit: int | None = None
    eligible_tiers: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Membership tier IDs; empty: every shopper."
    )
    owner_id: strawberry.ID | None = strawberry.field(
        default=None, description="Make it a personal coupon of this member."
    )
    active: bool = True


@strawberry.input(
    description="Fields left out stay as they are. Null clears the name, minimum spend, "
    "tiers, dates, limits and owner; code, kind, percent, amount and active refuse it."
)
class UpdateCouponInput:
    id: strawberry.ID
    code: str | None = strawberry.UNSET
    kind: CouponKindEnum | None = strawberry.UNSET  # type: ignore[valid-type]
    name: str | None = strawberry.UNSET
    percent: Decimal | None = strawberry.UNSET
    amount: Decimal | None = strawberry.UNSET
    max_discount: Decimal | None = strawberry.UNSET
    min_spend: Decimal | None = strawberry.UNSET
    starts_at: datetime | None = strawberry.UNSET
    ends_at: datetime | None = strawberry.UNSET
    usage_limit: int | None = strawberry.UNSET
    per_customer_limit: int | None = strawberry.UNSET
    eligible_tiers: list[strawberry.ID] | None = strawberry.UNSET
    owner_id: strawberry.ID | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.input
class DeactivateCouponInput:
    id: strawberry.ID


@strawberry.input
class DeleteCouponInput:
    id: strawberry.ID


@strawberry.type
class CouponPayload:
    errors: list[CouponErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class CreateCouponPayload(CouponPayload):
    coupon: CouponType | None = None


@strawberry.type
class UpdateCouponPayload(CouponPayload):
    coupon: CouponType | None = None


@strawberry.type
class DeactivateCouponPayload(CouponPayload):
    coupon: CouponType | None = None


@strawberry.type
class DeleteCouponPayload(CouponPayload):
    deleted_id: strawberry.ID | None = None
