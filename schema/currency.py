"""Currency types, inputs and payloads, and the prices a viewer is shown.

Shop prices are shown in one presentment currency per request field, negotiated as: an
explicit `currency` argument, else the `X-Currency` request header (the storefront's
current choice), else the signed-in member's profile currency, else the shop currency.
A currency asked for by argument or by header that is not offered (or has no rate) is
refused alike: a `BAD_USER_INPUT` error whose `problems` carry the `CurrencyErrorCode`.
A profile currency that cannot be priced falls back to the shop currency (the member's
standing default may have been withdrawn since), and every answer that shows prices says
which currency it used, so prices are never shown unconverted under another code.
Each currency's quote is looked up once per request and kept in the context.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, cast

import strawberry
from babel.numbers import get_currency_name, get_currency_symbol

from models.currency import ExchangeRate, PresentmentCurrency, RateSource, RoundingRule
from models.orders import Order
from schema.context import Info
from schema.errors import BadUserInput, UserError
from schema.money import CurrencyCode, MoneyType
from services.currency import convert, rates
from services.currency.errors import CurrencyError, CurrencyErrorCode
from services.money import InvalidAmount, currency_exponent

log = logging.getLogger("tradewind.currency")

#: Seconds a looked-up quote is reused within one context.
QUOTE_TTL_SECONDS = 30.0

RoundingRuleEnum = strawberry.enum(
    RoundingRule,
    name="RoundingRule",
    description="How converted prices end: NONE at the minor unit, WHOLE up to a whole unit, "
    "NINETY_NINE up to the next .99 (for currencies without decimals, the next ...9).",
)
RateSourceEnum = strawberry.enum(RateSource, name="ExchangeRateSource")
CurrencyErrorCodeEnum = strawberry.enum(CurrencyErrorCode, name="CurrencyErrorCode")


@strawberry.enum(name="QuoteSource", description="Where the rate of a quote comes from.")
class QuoteSource(Enum):
    SHOP = "shop"  # the shop currency itself, rate 1
    ECB = "ecb"  # the ECB's reference rates, crossed through the euro
    MANUAL = "manual"  # set by staff


def code_of(value: Any) -> str:
    """The ISO code of a `CurrencyCode` argument (an enum member) or a plain string."""
    return str(value.value if isinstance(value, Enum) else value)


def _code(value: str) -> Any:
    # `CurrencyCode` fields take the bare code (see `MoneyType.of`).
    return cast(Any, value)


# Prices in the viewer's currency.


@dataclass(frozen=True, slots=True)
class Prices:
    """Shop-currency amounts as one viewer is shown them, converted by one quote."""

    quote: rates.RateQuote

    @classmethod
    def shop(cls) -> Prices:
        return cls(rates.shop_quote())

    @classmethod
    def of_order(cls, order: Order) -> Prices:
        """Amounts as the order was priced: in its currency, at its own rate."""
        return cls(
            rates.RateQuote(
                currency=order.currency,
                rate=Decimal(order.exchange_rate or "1"),
                source=order.rate_source,
                rate_date=order.rate_date,
                stale=False,
                shop_currency=order.shop_currency,
            )
        )

    def money(self, minor: int) -> MoneyType:
        """A price, converted and given the currency's price ending."""
        return MoneyType.minor(convert.present(minor, self.quote), self.quote.currency)

    def exact(self, minor: int) -> MoneyType:
        """An amount converted exactly to the minor unit (no price ending)."""
        return MoneyType.minor(self.exact_minor(minor), self.quote.currency)

    def exact_minor(self, minor: int) -> int:
        """`exact` in minor units of the shown currency."""
        return convert.present(minor, self.quote, rounding=RoundingRule.NONE)

    @property
    def currency(self) -> str:
        return self.quote.currency

    def code(self) -> Any:
        """The shown currency, for a `CurrencyCode` field."""
        return _code(self.quote.currency)

    def minor(self, amount: Decimal | None, field: str) -> int | None:
        """A decimal amount a client gave in the shown currency, in its minor units.

        More decimals than the currency has (any for JPY) is a `BAD_USER_INPUT` error.
        """
        if amount is None:
            return None
        try:
            return convert.minor_of(amount, self.quote.currency)
        except InvalidAmount as exc:
            raise BadUserInput(f"{exc}.", field=field) from None

    def shop_floor(self, shown_minor: int) -> int:
        """The least shop price shown (with its price ending) as `shown_minor` or more."""
        return convert.shop_floor(shown_minor, self.quote)


async def _quote(info: Info, code: str) -> rates.RateQuote:
    """The quote for `code`, looked up once per request (failures too).

    The lookup itself is shared, so sibling fields resolving at once wait for one query
    rather than each running their own. A WebSocket keeps its context for the whole
    connection, so an entry also expires after `QUOTE_TTL_SECONDS`.
    """
    cache = info.context.quotes
    now = time.monotonic()
    entry = cache.get(code)
    if entry is None or now - entry[0] > QUOTE_TTL_SECONDS:
        entry = cache[code] = (now, asyncio.ensure_future(_lookup(code)))
    found = await entry[1]
    if isinstance(found, CurrencyError):
        raise found
    return found


async def _lookup(code: str) -> rates.RateQuote | CurrencyError:
    try:
        return await rates.quote(code)
    except CurrencyError as exc:
        return exc


async def _profile_currency(info: Info) -> str | None:
    """The signed-in member's standing default currency, if they chose one."""
    ctx = info.context
    if ctx.viewer.user_id is None:
        return None
    user = await ctx.loaders.user.load(ctx.viewer.user_id)
    return user.currency if user is not None and user.currency else None


def _asked_currency(info: Info, requested: Any = None) -> str | None:
    """The currency the request asks for: the `requested` argument, else `X-Currency`."""
    if requested is not None:
        return code_of(requested)
    return info.context.currency


async def shown_prices(info: Info, requested: Any = None) -> Prices:
    """How the viewer is shown prices: in `requested` (an argument), else as negotiated.

    A currency asked for (argument or `X-Currency` header) that cannot be priced is a
    `BAD_USER_INPUT` error whose `problems` carry the `CurrencyErrorCode`
    (INVALID_CURRENCY, CURRENCY_NOT_ENABLED, RATE_UNAVAILABLE) and the field `currency`.
    """
    asked = _asked_currency(info, requested)
    if asked is not None:
        try:
            return Prices(await _quote(info, asked))
        except CurrencyError as exc:
            raise BadUserInput.from_service_error(exc) from None
    profile = await _profile_currency(info)
    if profile is not None:
        try:
            return Prices(await _quote(info, profile))
        except CurrencyError as exc:
            log.debug("currency.preference_unpriced code=%s reason=%s", profile, exc)
    return Prices.shop()


# Types.


@strawberry.type(
    name="CurrencyQuote",
    description="The rate shop prices are converted at into a currency, and how current it is.",
)
class CurrencyQuoteType:
    currency: CurrencyCode
    rate: Decimal = strawberry.field(
        description="Units of the currency per unit of the shop currency, as a decimal string."
    )
    source: QuoteSource
    rate_date: date | None = strawberry.field(description="The day the rate is for.")
    stale: bool = strawberry.field(
        description="The rate is older than the shop allows: show prices as indicative; "
        "checkout in this currency is refused until the rate is renewed."
    )
    rounding: RoundingRuleEnum  # type: ignore[valid-type]

    @classmethod
    def build(cls, quote: rates.RateQuote) -> CurrencyQuoteType:
        return cls(
            currency=_code(quote.currency),
            rate=quote.rate,
            source=QuoteSource(quote.source),
            rate_date=quote.rate_date,
            stale=quote.stale,
            rounding=quote.rounding,
        )


@strawberry.type(name="ExchangeRate", description="A stored exchange rate.")
class ExchangeRateType:
    base: CurrencyCode
    quote: CurrencyCode
    rate: Decimal = strawberry.field(description="Units of `quote` per unit of `base`.")
    source: RateSourceEnum  # type: ignore[valid-type]
    rate_date: date
    stale: bool
    created_at: datetime

    @classmethod
    def build(cls, row: ExchangeRate, stale: bool) -> ExchangeRateType:
        return cls(
            base=_code(row.base),
            quote=_code(row.quote),
            rate=Decimal(row.rate),
            source=row.source,
            rate_date=row.rate_date,
            stale=stale,
            created_at=row.created_at,
        )


@strawberry.type(
    name="PresentmentCurrency", description="A currency shoppers may see prices and pay in."
)
class PresentmentCurrencyType:
    code: CurrencyCode
    name: str = strawberry.field(description="The currency's name in the request's locale.")
    symbol: str
    decimal_places: int = strawberry.field(description="Of its minor unit: JPY 0, USD 2, KWD 3.")
    rounding: RoundingRuleEnum  # type: ignore[valid-type]
    is_shop_currency: bool
    exchange_rate: CurrencyQuoteType | None = strawberry.field(
        description="The current rate from the shop currency; null: none yet, so prices "
        "cannot be shown in it."
    )

    @classmethod
    def build(
        cls, row: PresentmentCurrency, quote: rates.RateQuote | None, info: Info
    ) -> PresentmentCurrencyType:
        babel_locale = info.context.locale.replace("-", "_")
        rounding = RoundingRule(row.rounding)
        if quote is not None:
            quote = replace(quote, rounding=rounding)
        return cls(
            code=_code(row.code),
            name=get_currency_name(row.code, locale=babel_locale),
            symbol=get_currency_symbol(row.code, locale=babel_locale),
            decimal_places=currency_exponent(row.code),
            rounding=rounding,
            is_shop_currency=row.code == info.context.settings.shop_currency,
            exchange_rate=CurrencyQuoteType.build(quote) if quote else None,
        )


async def presentment_currency_types(
    rows: list[PresentmentCurrency], info: Info
) -> list[PresentmentCurrencyType]:
    """Types for `rows`, their rates looked up together."""
    found = await rates.current_rates([row.code for row in rows])
    return [PresentmentCurrencyType.build(row, found.get(row.code), info) for row in rows]


# Errors, inputs and payloads.


@strawberry.type(name="CurrencyError")
class CurrencyErrorType(UserError):
    code: CurrencyErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input
class SetExchangeRateInput:
    currency: CurrencyCode
    rate: Decimal = strawberry.field(
        description="Units of `currency` per unit of the shop currency: positive, at most 12 "
        "significant digits and 10 decimal places."
    )


@strawberry.input
class EnableCurrencyInput:
    code: CurrencyCode
    rounding: RoundingRuleEnum = RoundingRule.NONE  # type: ignore[valid-type]


@strawberry.input
class DisableCurrencyInput:
    code: CurrencyCode


@strawberry.input
class UpdateCurrencyRoundingInput:
    code: CurrencyCode
    rounding: RoundingRuleEnum  # type: ignore[valid-type]


@strawberry.type
class SetExchangeRatePayload:
    exchange_rate: ExchangeRateType | None = None
    quote: CurrencyQuoteType | None = strawberry.field(
        default=None, description="The quote shoppers now get, when the currency is offered."
    )
    errors: list[CurrencyErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class PresentmentCurrencyPayload:
    currency: PresentmentCurrencyType | None = None
    errors: list[CurrencyErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class EnableCurrencyPayload(PresentmentCurrencyPayload):
    pass


@strawberry.type
class DisableCurrencyPayload(PresentmentCurrencyPayload):
    pass


@strawberry.type
class UpdateCurrencyRoundingPayload(PresentmentCurrencyPayload):
    pass


@strawberry.type
class ImportExchangeRatesPayload:
    dates: list[date] = strawberry.field(
        default_factory=list, description="The days the file held, newest first."
    )
    written: int = strawberry.field(default=0, description="Rates stored; 0: already imported.")
    errors: list[CurrencyErrorType] = strawberry.field(default_factory=list)
