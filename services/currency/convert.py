"""Shop-currency amounts shown in a presentment currency: decimal conversion and price endings.

An amount is converted exactly once, with `Decimal`: shop minor units -> shop major units,
times the quote's rate, rounded half-up to the target currency's minor unit (JPY 0
decimals, USD 2, KWD 3). The currency's price-ending rule then moves it up, never down:

- `WHOLE`: up to a whole unit (12.30 -> 13.00; a zero-decimal currency is unchanged);
- `NINETY_NINE`: up to the next amount ending in .99 (12.30 -> 12.99, 13.00 -> 13.99;
  KWD 12.300 -> 12.990). A zero-decimal currency has no .99, so its prices end in 9
  instead: up to the next ten minus one (JPY 1234 -> 1239, 1240 -> 1249).

Zero stays zero (a free item does not cost 0.99), and a negative amount is treated as
the mirror image of the positive one. Several amounts that add up (order lines and their
total) go through `present_many`: each line is converted on its own and the total is the
sum of the converted lines, so a receipt always adds up in both currencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from models.currency import RoundingRule
from services.currency.rates import RateQuote
from services.money import InvalidAmount, Money, currency_exponent

#: Digits of working precision: far beyond any price times any rate.
PRECISION = 50


def convert_exact(amount_shop_minor: int, quote: RateQuote) -> int:
    """`amount_shop_minor` in minor units of the quote's currency, rounded half-up."""
    if quote.is_identity:
        return amount_shop_minor
    shop_exponent = currency_exponent(quote.shop_currency)
    target_exponent = currency_exponent(quote.currency)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        target_minor = (
            Decimal(amount_shop_minor).scaleb(target_exponent - shop_exponent) * quote.rate
        )
        return int(target_minor.to_integral_value(rounding=ROUND_HALF_UP))


def end_price(minor: int, exponent: int, rule: RoundingRule) -> int:
    """`minor` (of a currency with `exponent` decimals) moved up to end as `rule` asks."""
    if rule is RoundingRule.NONE or minor == 0:
        return minor
    if minor < 0:
        return -end_price(-minor, exponent, rule)
    unit = 10**exponent
    if rule is RoundingRule.WHOLE:
        return -(-minor // unit) * unit
    # NINETY_NINE: the smallest amount >= minor whose last digits read .99 (or 9).
    step = unit if exponent >= 1 else 10
    ending = 99 * 10 ** (exponent - 2) if exponent >= 2 else step - 1
    candidate = minor - minor % step + ending
    return candidate if candidate >= minor else candidate + step


def present(
    amount_shop_minor: int, quote: RateQuote, *, rounding: RoundingRule | None = None
) -> int:
    """`amount_shop_minor` as shown in the quote's currency, in its minor units.

    `rounding` defaults to the currency's own price-ending rule (`quote.rounding`); pass
    `RoundingRule.NONE` for amounts that must convert exactly (discounts, shipping). The
    shop currency's amounts are returned unchanged.
    """
    if quote.is_identity:
        return amount_shop_minor
    rule = quote.rounding if rounding is None else rounding
    converted = convert_exact(amount_shop_minor, quote)
    return end_price(converted, currency_exponent(quote.currency), rule)


@dataclass(frozen=True, slots=True)
class Presented:
    """Converted amounts and their total, which is the sum of the converted amounts."""

    amounts: tuple[int, ...]
    total: int


def present_many(
    amounts_shop_minor: Sequence[int],
    quote: RateQuote,
    *,
    rounding: RoundingRule | None = None,
) -> Presented:
    """Each amount converted on its own (as `present`), and the sum of the results.

    The total is never the converted sum of the shop amounts: rounding each line would
    otherwise let the lines and the total disagree by a cent.
    """
    converted = tuple(present(a, quote, rounding=rounding) for a in amounts_shop_minor)
    return Presented(amounts=converted, total=sum(converted))


def share(amount: int, whole: int, shown_whole: int) -> int:
    """`amount`'s share of `whole`, taken of `shown_whole` (rounded half-up; 0 of nothing).

    Discounts are shown this way: the same fraction of the shown subtotal as they take of
    the shop subtotal, so a 100 % discount clears the shown subtotal exactly.
    """
    if not whole:
        return 0
    exact = Decimal(amount) * shown_whole / whole
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


#: The largest amount a money column holds (a signed 64-bit integer).
MAX_MINOR = 2**63 - 1


def minor_of(amount: Decimal | str | int, currency: str) -> int:
    """A decimal amount a client gave in `currency`, in its minor units.

    Raises `InvalidAmount` for more decimals than the currency has, and for an amount no
    money column holds (`1e100000` would otherwise overflow the decimal arithmetic).
    """
    try:
        minor = Money.from_decimal(amount, currency).minor
    except ArithmeticError:
        minor = MAX_MINOR + 1
    if abs(minor) > MAX_MINOR:
        raise InvalidAmount(f"{amount} is beyond any amount of {currency}")
    return minor


def shop_floor(shown_minor: int, quote: RateQuote, *, rounding: RoundingRule | None = None) -> int:
    """The least shop amount (minor units) that `present` shows as `shown_minor` or more.

    `present` never decreases as the shop amount grows, so "shown at least X" is exactly
    "at least `shop_floor(X)` in the shop currency": a price filter or facet bucket given
    in the shopper's currency becomes a bound on the stored shop prices, edges included.
    Amounts of 0 or less give 0 (prices are never negative); beyond a money column,
    `MAX_MINOR`.
    """
    if shown_minor <= 0:
        return 0
    if quote.is_identity:
        return min(shown_minor, MAX_MINOR)

    def shown(amount: int) -> int:
        return present(amount, quote, rounding=rounding)

    # Start from the exact inverse and widen until the answer is bracketed:
    # shown(low) < shown_minor <= shown(high) (shown(0) is 0).
    with localcontext() as ctx:
        ctx.prec = PRECISION
        exponents = currency_exponent(quote.shop_currency) - currency_exponent(quote.currency)
        guess = int(Decimal(shown_minor).scaleb(exponents) / quote.rate)
    guess = min(max(guess, 0), MAX_MINOR)
    low, step = guess, 1
    while low > 0 and shown(low) >= shown_minor:
        low, step = max(low - step, 0), step * 2
    high, step = max(guess, low + 1), 1
    while shown(high) < shown_minor:
        if high >= MAX_MINOR:
            return MAX_MINOR
        low, high, step = high, min(high + step, MAX_MINOR), step * 2
    while high - low > 1:
        middle = (low + high) // 2
        if shown(middle) < shown_minor:
            low = middle
        else:
            high = middle
    return high
