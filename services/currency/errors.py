"""The currency domain's expected failures: codes not offered, rates missing or malformed."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class CurrencyErrorCode(Enum):
    #: Not an ISO 4217 currency with a minor unit.
    INVALID_CURRENCY = "invalid_currency"
    #: A real currency the merchant does not offer shoppers.
    CURRENCY_NOT_ENABLED = "currency_not_enabled"
    #: No exchange rate from the shop currency to it has been imported or set.
    RATE_UNAVAILABLE = "rate_unavailable"
    #: Not a positive decimal of sensible size and precision.
    INVALID_RATE = "invalid_rate"
    #: The shop currency is always offered, at rate 1 and with no price-ending rule.
    SHOP_CURRENCY = "shop_currency"
    #: A rates file that is not the ECB's reference-rates XML, or holds bad values.
    INVALID_RATES_FILE = "invalid_rates_file"
    #: The rates URL could not be fetched.
    RATES_FETCH_FAILED = "rates_fetch_failed"


class CurrencyError(ServiceError[CurrencyErrorCode]):
    """A currency request that was refused; nothing was changed."""

    @property
    def code(self) -> Enum:
        """The first problem's code: the currency calls raise one problem at a time."""
        return self.problems[0].code


fail = CurrencyError.fail
