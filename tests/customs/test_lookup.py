"""The merchant's customs data as checkout reads it: the longest HS prefix wins, the empty
prefix is the destination's default, and a market's Incoterm falls back to the setting."""

from __future__ import annotations

from models.customs import CustomsMarket, DutyRate, Incoterm
from services.customs import lookup


async def test_the_longest_matching_prefix_wins_and_the_default_catches_the_rest(db):
    for prefix, bps in (("", 300), ("61", 1200), ("6109", 1000), ("610910", 800)):
        await DutyRate.create(country="GB", hs_prefix=prefix, rate_bps=bps)
    await DutyRate.create(country="DE", hs_prefix="61", rate_bps=1200)
    found = await lookup.rates_for("gb", ["610910", "610990", "611000", "940360", ""])
    assert {code: (r.rate_bps, r.hs_prefix) if r else None for code, r in found.items()} == {
        "610910": (800, "610910"),
        "610990": (1000, "6109"),
        "611000": (1200, "61"),
        "940360": (300, ""),
        "": (300, ""),
    }
    # Without a default, codes no prefix matches (and unclassified goods) are unknown.
    assert await lookup.rates_for("DE", ["940360", ""]) == {"940360": None, "": None}


async def test_a_market_without_a_row_follows_the_default_incoterm(db):
    await CustomsMarket.create(country="US", incoterm=Incoterm.DDP)
    assert await lookup.incoterm_for("us") is Incoterm.DDP
    assert await lookup.incoterm_for("FR") is Incoterm.DAP


def test_the_ship_from_country_is_domestic():
    assert lookup.ship_from_country() == "CN"
    assert lookup.is_domestic("cn") and not lookup.is_domestic("JP")
