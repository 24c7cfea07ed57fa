"""The merchant's customs data as checkout reads it: duty rates, each market's Incoterm, and
where the shop ships from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.customs import CustomsMarket, DutyRate, Incoterm
from settings import get_settings


@dataclass(frozen=True, slots=True)
class FoundRate:
    """The duty rate that applies to an HS code, and the row it came from."""

    rate_bps: int
    #: The matching prefix ("" for the destination's default rate).
    hs_prefix: str
    source: str


async def rates_for(country: str, hs_codes: Iterable[str]) -> dict[str, FoundRate | None]:
    """The duty rate into `country` of each of `hs_codes`, in one query.

    The row with the longest `hs_prefix` that starts the code wins; the empty prefix is the
    destination's default. A code no row matches (and the empty code of unclassified goods,
    when there is no default) maps to None: an unknown rate, never a guess.
    """
    codes = set(hs_codes)
    rows = await DutyRate.filter(country=country.upper()).order_by("hs_prefix")
    found: dict[str, FoundRate | None] = {}
    for code in codes:
        best: DutyRate | None = None
        for row in rows:
            if code.startswith(row.hs_prefix) and (
                best is None or len(row.hs_prefix) > len(best.hs_prefix)
            ):
                best = row
        found[code] = FoundRate(best.rate_bps, best.hs_prefix, best.source) if best else None
    return found


async def incoterm_for(country: str) -> Incoterm:
    """How orders to `country` settle duties and taxes: its market's choice, else the
    `customs_default_incoterm` setting."""
    market = await CustomsMarket.get_or_none(country=country.upper())
    if market is not None:
        return Incoterm(market.incoterm)
    return default_incoterm()


def default_incoterm() -> Incoterm:
    """The incoterm of a country without a market row (`customs_default_incoterm` setting)."""
    return Incoterm(get_settings().customs_default_incoterm)


def ship_from_country() -> str:
    """The country the merchant ships from (`ship_from_country` setting)."""
    return get_settings().ship_from_country


def is_domestic(country: str) -> bool:
    """Whether a parcel to `country` crosses no border (it pays no duty or import tax)."""
    return country.upper() == ship_from_country()
