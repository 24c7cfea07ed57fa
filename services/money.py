"""Money as integer minor units of an ISO 4217 currency, and its exact decimal conversions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from iso4217 import Currency


class InvalidCurrency(ValueError):
    """The code is not an ISO 4217 currency that can be priced in."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code!r} is not an ISO 4217 currency code")
        self.code = code


class InvalidAmount(ValueError):
    """The amount is not a finite number representable in the currency's minor unit."""


@cache
def currency_exponent(code: str) -> int:
    """Decimal places of the currency's minor unit per ISO 4217 (JPY 0, USD 2, KWD 3)."""
    try:
        exponent = Currency(code).exponent
    except ValueError:
        raise InvalidCurrency(code) from None
    if exponent is None:  # funds, metals and testing codes have no minor unit
        raise InvalidCurrency(code)
    return int(exponent)


def currency_codes() -> list[str]:
    """Every ISO 4217 currency that has a minor unit, sorted."""
    return sorted(c.code for c in Currency if c.exponent is not None)


#: Digits before the decimal point an amount may have: a trillion and more is refused.
MAX_AMOUNT_DIGITS = 13


@dataclass(frozen=True, slots=True)
class Money:
    """An amount as an integer count of the currency's minor units (cents, yen, fils)."""

    minor: int
    currency: str

    @classmethod
    def from_decimal(cls, amount: Decimal | str | int, currency: str) -> Money:
        """The exact amount; refuses a value with more decimals than the currency has."""
        exponent = currency_exponent(currency)
        try:
            value = Decimal(amount)
        except (InvalidOperation, ValueError, TypeError):
            raise InvalidAmount(f"{amount!r} is not a number") from None
        if not value.is_finite():
            raise InvalidAmount(f"{amount!r} is not a finite number")
        if value and value.adjusted() >= MAX_AMOUNT_DIGITS:
            # Checked before scaling: `1e1000000` would overflow the decimal context, and a
            # huge integral value would take long to convert, for an amount nobody charges.
            raise InvalidAmount(f"{currency} amounts have at most {MAX_AMOUNT_DIGITS} digits")
        minor = value.scaleb(exponent)
        if minor != minor.to_integral_value():
            raise InvalidAmount(f"{currency} has {exponent} decimal places; {amount} has more")
        return cls(int(minor), currency)

    @property
    def amount(self) -> Decimal:
        """The amount as a decimal with exactly the currency's number of places."""
        exponent = currency_exponent(self.currency)
        return Decimal(self.minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
