"""Stripe's own minor units, which differ from ISO 4217 for a few currencies.

Tradewind keeps money in ISO 4217 minor units (`services.money`). Stripe expects `amount`
in the currency's "smallest unit" as *Stripe* defines it (https://docs.stripe.com/currencies):

- Zero-decimal currencies are sent in whole units. The list includes MGA, which ISO gives
  two decimals: 1,500.00 MGA is ISO minor 150000 and Stripe amount 1500.
- Three-decimal currencies (BHD, JOD, KWD, OMR, TND) are sent in thousandths, but Stripe
  requires the last digit to be 0: KWD 1.230 is sent as 1230, and KWD 1.234 is refused
  rather than rounded, so the shopper is never charged an amount other than the order's.
- Special cases charged in whole units although written with two decimals: ISK (ISO zero
  decimals; Stripe amount = krónur x 100, always ending in 00), HUF and TWD (ISO two
  decimals; only whole forint and dollars, amounts ending in 00). Stripe's page also lists
  UGX there; it is in Stripe's zero-decimal list, which is what its API applies, so UGX is
  sent in whole shillings, the same as its ISO minor unit.
- Every other currency is two-decimal at Stripe: an ISO three-decimal currency that Stripe
  does not list (IQD, LYD) is sent in hundredths and refused when the thousandths are not 0.

Conversions are exact both ways and raise `StripeAmountError` for an amount Stripe cannot
represent (or one it could not have sent).
"""

from __future__ import annotations

from services.money import currency_exponent

#: Currencies Stripe takes in whole units.
ZERO_DECIMAL = frozenset(
    {
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA",
        "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    }
)  # fmt: skip
#: Currencies Stripe takes in thousandths, with the last digit 0.
THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
#: Two-decimal at Stripe, but charged only in whole units (the amount ends in 00).
WHOLE_UNITS_ONLY = frozenset({"ISK", "HUF", "TWD"})


class StripeAmountError(ValueError):
    """The amount cannot be expressed in Stripe's units for the currency."""

    def __init__(self, message: str, *, amount: int, currency: str) -> None:
        super().__init__(message)
        self.amount = amount
        self.currency = currency


def stripe_exponent(currency: str) -> int:
    """Decimal places of Stripe's unit for the currency (JPY and MGA 0, USD 2, KWD 3)."""
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def _granularity(currency: str) -> int:
    """What every Stripe amount in the currency must be a multiple of."""
    code = currency.upper()
    if code in THREE_DECIMAL:
        return 10
    if code in WHOLE_UNITS_ONLY:
        return 100
    return 1


def to_stripe_amount(amount_iso_minor: int, currency: str) -> int:
    """The ISO 4217 minor-unit amount in Stripe's units; refuses what Stripe cannot take."""
    code = currency.upper()
    shift = stripe_exponent(code) - currency_exponent(code)
    if shift >= 0:
        amount = amount_iso_minor * 10**shift
    else:
        amount, rest = divmod(amount_iso_minor, 10**-shift)
        if rest:
            raise StripeAmountError(
                f"Stripe takes {code} with {stripe_exponent(code)} decimals; "
                f"{amount_iso_minor} ISO minor units has more",
                amount=amount_iso_minor,
                currency=code,
            )
    if amount % _granularity(code):
        raise StripeAmountError(
            f"Stripe takes {code} only in multiples of {_granularity(code)} of its unit; "
            f"{amount} is not one",
            amount=amount_iso_minor,
            currency=code,
        )
    return amount


def from_stripe_amount(amount_stripe: int, currency: str) -> int:
    """A Stripe amount in ISO 4217 minor units, exactly; refuses one that would need rounding."""
    code = currency.upper()
    shift = currency_exponent(code) - stripe_exponent(code)
    if shift >= 0:
        return amount_stripe * 10**shift
    amount, rest = divmod(amount_stripe, 10**-shift)
    if rest:
        raise StripeAmountError(
            f"{amount_stripe} in Stripe's {code} units is not a whole ISO minor unit",
            amount=amount_stripe,
            currency=code,
        )
    return amount
