"""A checkout's duties and import taxes: the priced cart handed to the landed-cost engine with
the shop's exchange rates, the merchant's duty rates and the market's Incoterm."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from services.currency import rates as currency_rates
from services.customs import landed_cost as engine
from services.customs import lookup
from services.customs.facts import customs_facts
from services.customs.regimes import load_regimes
from settings import get_settings

if TYPE_CHECKING:
    from services.orders.checkout.quote import PricedLine


def line_values(lines: Sequence[PricedLine], merchandise_discount: int) -> list[int]:
    """Each line's price after its share of the merchandise discounts (shop minor units).

    The discount is shared in proportion to the line totals, the odd units going to the
    largest remainders, so the values add up to the discounted subtotal exactly.
    """
    totals = [line.line_total for line in lines]
    shares = engine.split(min(merchandise_discount, sum(totals)), totals)
    return [total - share for total, share in zip(totals, shares, strict=True)]


async def landed_cost_of(
    lines: Sequence[PricedLine],
    *,
    merchandise_discount: int,
    shipping: int,
    country: str,
    day: date,
) -> engine.LandedCost:
    """The duties and import taxes of the buyable `lines` shipped to `country` on `day`."""
    settings = get_settings()
    country = country.upper()
    regimes = load_regimes()
    if lookup.is_domestic(country) or not lines:
        return engine.LandedCost(
            destination=country, day=day, incoterm=None, domestic=lookup.is_domestic(country)
        )
    goods = [
        engine.GoodsLine(
            facts=customs_facts(line.product, line.variant, country),
            quantity=line.quantity,
            value=value,
        )
        for line, value in zip(lines, line_values(lines, merchandise_discount), strict=True)
    ]
    currencies: set[str] = set()
    for regime in regimes.candidates(country, day):
        if regime.threshold is not None:
            currencies.add(regime.threshold.currency)
        currencies.update(rule.flat.currency for rule in regime.charges if rule.flat)
    quotes = await currency_rates.current_rates(currencies)
    fx = {code: engine.FxRate(code, q.rate, q.rate_date, q.source) for code, q in quotes.items()}
    return engine.landed_cost(
        regimes=regimes,
        lines=goods,
        shipping=shipping,
        destination=country,
        day=day,
        shop_currency=settings.shop_currency,
        fx=fx,
        duty_rates=await lookup.rates_for(country, {g.facts.hs_code for g in goods}),
        incoterm=await lookup.incoterm_for(country),
    )
