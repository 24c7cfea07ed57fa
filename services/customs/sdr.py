"""The value of the IMF's Special Drawing Right (SDR) in any currency, from the shop's rates.

The UPU states its customs limits in SDR (a CN22 covers contents worth up to 300 SDR). The
SDR is no currency the ECB quotes, but it is defined as a basket of fixed amounts of five
currencies the ECB does quote; the SDR's value in a currency is the sum of those amounts
converted with the shop's own exchange rates, which is how the IMF itself values it each day
(from market rates against the US dollar). The amounts change only at the IMF's five-yearly
review: the basket below is the one in force from 2022-08-01 to 2027-07-31.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from services.currency.rates import current_rates

log = logging.getLogger("tradewind.customs")


@dataclass(frozen=True, slots=True)
class Basket:
    valid_from: date
    valid_to: date
    #: Units of each currency in one SDR.
    amounts: dict[str, Decimal]
    source: str


#: IMF, "IMF Determines New Currency Amounts for the SDR Valuation Basket" (29 July 2022),
#: https://www.imf.org/external/np/fin/data/rms_sdrv.aspx (the daily valuation shows the
#: amounts), as reported on 2022-08-01 by https://allafrica.com/stories/202208010289.html
BASKET = Basket(
    valid_from=date(2022, 8, 1),
    valid_to=date(2027, 7, 31),
    amounts={
        "USD": Decimal("0.57813"),
        "EUR": Decimal("0.37379"),
        "CNY": Decimal("1.0993"),
        "JPY": Decimal("13.452"),
        "GBP": Decimal("0.080870"),
    },
    source="https://www.imf.org/external/np/fin/data/rms_sdrv.aspx",
)


def sdr_value(rates: dict[str, Decimal], currency: str, basket: Basket = BASKET) -> Decimal | None:
    """One SDR in `currency`, from `rates` (units of each currency per shop unit, the shop
    currency's own being 1); None when a rate it needs is missing."""
    if currency not in rates or any(code not in rates for code in basket.amounts):
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        in_shop = sum((amount / rates[code] for code, amount in basket.amounts.items()), Decimal(0))
        return in_shop * rates[currency]


async def sdr_in(currency: str, *, on: date) -> Decimal | None:
    """One SDR in `currency` with the shop's current rates; None when the shop lacks one."""
    if on > BASKET.valid_to:
        log.warning("customs.sdr_basket_outdated", extra={"valid_to": str(BASKET.valid_to)})
    quotes = await current_rates({currency, *BASKET.amounts})
    return sdr_value({code: quote.rate for code, quote in quotes.items()}, currency)
