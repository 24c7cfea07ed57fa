"""PayPal's amounts: decimal strings in the currency's PayPal decimals, and the currencies
PayPal takes payments in.

Tradewind keeps money in ISO 4217 minor units (`services.money`). PayPal writes amounts as
decimal strings ("9.20") with two decimals, except for HUF, JPY and TWD, which it takes in
whole units only although ISO gives HUF and TWD two decimals. An amount PayPal cannot write
exactly (HUF 123.45) is refused rather than rounded, so a shopper is never charged other than
the order's amount. Conversions are exact both ways and raise `PayPalAmountError`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from services.money import currency_exponent

#: The currencies PayPal takes payments in (its REST API's currency codes page).
CURRENCIES = frozenset(
    {
        "AUD", "BRL", "CAD", "CNY", "CZK", "DKK", "EUR", "HKD", "HUF", "ILS", "JPY", "MYR",
        "MXN", "TWD", "NZD", "NOK", "PHP", "PLN", "GBP", "SGD", "SEK", "CHF", "THB", "USD",
    }
)  # fmt: skip
#: Currencies PayPal takes in whole units only.
WHOLE_UNITS = frozenset({"HUF", "JPY", "TWD"})


class PayPalAmountError(ValueError):
    """The amount cannot be written exactly in PayPal's decimals for the currency."""


def paypal_decimals(currency: str) -> int:
    """Decimal places PayPal writes for the currency (JPY 0, USD 2)."""
    return 0 if currency.upper() in WHOLE_UNITS else 2


def to_paypal_value(amount: int, currency: str) -> str:
    """ISO minor units as PayPal's decimal string: 920 EUR is "9.20", 1500 JPY is "1500",
    12300 HUF is "123"; raises `PayPalAmountError` for 12345 HUF."""
    code = currency.upper()
    exact = Decimal(amount).scaleb(-currency_exponent(code))
    places = paypal_decimals(code)
    written = exact.quantize(Decimal(1).scaleb(-places))
    if written != exact:
        raise PayPalAmountError(
            f"{exact} {code} cannot be charged through PayPal, which takes {code} "
            f"with {places} decimals"
        )
    return format(written, "f")


def from_paypal_value(value: object, currency: str) -> int:
    """PayPal's decimal string as ISO minor units ("9.20" EUR is 920); raises
    `PayPalAmountError` for a value that is not an exact amount of the currency."""
    code = currency.upper()
    try:
        given = Decimal(str(value))
    except InvalidOperation:
        raise PayPalAmountError(f"{value!r} is not an amount") from None
    minor = given.scaleb(currency_exponent(code))
    if not given.is_finite() or minor != minor.to_integral_value():
        raise PayPalAmountError(f"{value} {code} is not a whole number of minor units")
    return int(minor)
