"""The landed-cost engine, per regime, at its thresholds and on the days its rules start and end.

A USD shop with round exchange rates, so each threshold falls on a whole number of cents:
EUR 150 = USD 187.50, GBP 135 = USD 180.00, AUD 1,000 = USD 625.00 (per good), JPY 10,000 =
USD 62.50 (customs value), CNY 5,000 = USD 625.00 (goods and shipping).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from models.customs import ChargeKind, Incoterm
from services.customs.facts import CustomsFacts
from services.customs.landed_cost import (
    FxRate,
    GoodsLine,
    LandedCost,
    Unknown,
    landed_cost,
    round_half_up,
    split,
)
from services.customs.lookup import FoundRate
from services.customs.regimes import load_regimes

TODAY = date(2026, 12, 6)
FX = {
    code: FxRate(code, Decimal(rate), date(2026, 12, 4), "manual")
    for code, rate in (
        ("EUR", "0.8"),
        ("GBP", "0.75"),
        ("AUD", "1.6"),
        ("JPY", "160"),
        ("CNY", "8"),
    )
}
TSHIRT = "610910"
MUG = "691200"
RATES = {TSHIRT: FoundRate(1200, "61", ""), MUG: FoundRate(500, "", "")}


def facts(hs: str = TSHIRT, *, excise: bool = False) -> CustomsFacts:
    return CustomsFacts(hs, "", "CN", "Cotton T-shirt", "cotton", 200, False, excise)


def cost(
    country: str,
    *lines: GoodsLine,
    shipping: int = 0,
    day: date = TODAY,
    incoterm: Incoterm = Incoterm.DAP,
    fx: dict[str, FxRate] | None = None,
    rates: dict[str, FoundRate | None] | None = None,
) -> LandedCost:
    return landed_cost(
        regimes=load_regimes(),
        lines=list(lines) or [GoodsLine(facts(), 1, 1000)],
        shipping=shipping,
        destination=country,
        day=day,
        shop_currency="USD",
        fx=FX if fx is None else fx,
        duty_rates=RATES if rates is None else rates,
        incoterm=incoterm,
    )


def line(value: int, hs: str = TSHIRT, quantity: int = 1, **kw: bool) -> GoodsLine:
    return GoodsLine(facts(hs, **kw), quantity, value)


def summary(result: LandedCost) -> list[tuple[str, str, int | None, int, bool]]:
    return [(c.kind.value, c.basis, c.rate_bps, c.amount, c.collected) for c in result.charges]


# The EU


def test_eu_ioss_at_the_threshold_charges_german_vat_now_and_estimates_the_flat_duty():
    result = cost("DE", line(18750), shipping=1000)
    assert result.regime == "EU-IOSS"
    assert result.threshold is not None
    assert (result.threshold.value, result.threshold.held) == (Decimal("150.00"), True)
    assert (result.threshold.rate, result.threshold.rate_source) == (Decimal("0.8"), "manual")
    # VAT 19 % on the price with shipping, charged now; EUR 3 (= USD 3.75) at the door (DAP).
    assert summary(result) == [
        ("duty", "price", None, 375, False),
        ("import_tax", "price", 1900, 3753, True),
    ]
    assert (result.duty_collected, result.import_tax_collected) == (0, 3753)


def test_eu_just_above_the_threshold_is_standard_duty_and_vat_on_cif():
    result = cost("DE", line(18751), shipping=1000, incoterm=Incoterm.DDP)
    assert result.regime == "EU-STANDARD"
    assert result.threshold is not None and result.threshold.held is False
    assert result.threshold.regime == "EU-IOSS"
    # Duty 12 % of CIF 197.51 = 23.7012 -> 23.70; VAT 19 % of 221.21 = 42.0299 -> 42.03.
    assert summary(result) == [
        ("duty", "cif", 1200, 2370, True),
        ("import_tax", "cif", 1900, 4203, True),
    ]


def test_france_charges_its_own_vat_rate():
    assert summary(cost("FR", line(10000)))[-1] == ("import_tax", "price", 2000, 2000, True)
    assert summary(cost("DE", line(10000)))[-1] == ("import_tax", "price", 1900, 1900, True)


@pytest.mark.parametrize(
    ("day", "flat"),
    [
        (date(2026, 6, 30), False),
        (date(2026, 7, 1), True),
        (date(2028, 6, 30), True),
        (date(2028, 7, 1), False),
    ],
)
def test_the_eu_flat_duty_applies_from_july_2026_to_july_2028(day, flat):
    result = cost("DE", line(1000), line(1000), line(2000, MUG), day=day, incoterm=Incoterm.DDP)
    duties = [c for c in result.charges if c.kind is ChargeKind.DUTY]
    # Two distinct subheadings: EUR 6 = USD 7.50, one amount for the parcel (no line).
    assert [(c.line, c.amount, c.collected) for c in duties] == (
        [(None, 750, True)] if flat else []
    )
    assert result.regime == "EU-IOSS"


def test_ioss_starts_on_1_july_2021():
    assert cost("DE", line(1000), day=date(2021, 6, 30)).regime == "EU-STANDARD"
    assert cost("DE", line(1000), day=date(2021, 7, 1)).regime == "EU-IOSS"


def test_excise_goods_leave_ioss():
    assert cost("DE", line(1000, excise=True)).regime == "EU-STANDARD"


@pytest.mark.parametrize(
    ("country", "day", "rate"),
    [
        ("EE", date(2025, 6, 30), 2200),
        ("EE", date(2025, 7, 1), 2400),
        ("RO", date(2025, 7, 31), 1900),
        ("RO", date(2025, 8, 1), 2100),
    ],
)
def test_member_state_vat_rates_change_on_their_own_dates(country, day, rate):
    taxes = [
        c for c in cost(country, line(10000), day=day).charges if c.kind is ChargeKind.IMPORT_TAX
    ]
    assert [(c.rate_bps, c.amount) for c in taxes] == [(rate, rate)]


# Great Britain


def test_gb_at_135_pounds_charges_uk_vat_at_the_point_of_sale_and_no_duty():
    result = cost("GB", line(18000), shipping=500)
    assert result.regime == "GB-LVI"
    assert summary(result) == [("import_tax", "price", 2000, 3700, True)]


def test_gb_above_135_pounds_pays_duty_and_vat_at_the_door_under_dap():
    result = cost("GB", line(18001), shipping=500)
    assert result.regime == "GB-STANDARD"
    # Duty 12 % of CIF 185.01 = 22.2012 -> 22.20; VAT 20 % of 207.21 = 41.442 -> 41.44.
    assert summary(result) == [
        ("duty", "cif", 1200, 2220, False),
        ("import_tax", "cif", 2000, 4144, False),
    ]
    assert (result.duty_collected, result.import_tax_collected) == (0, 0)


def test_gb_low_value_imports_start_on_1_january_2021():
    assert cost("GB", line(1000), day=date(2020, 12, 31)).regime == "GB-STANDARD"
    assert cost("GB", line(1000), day=date(2021, 1, 1)).regime == "GB-LVI"


# Australia


def test_au_goods_of_1000_dollars_each_pay_gst_at_the_point_of_sale():
    result = cost("AU", line(125000, quantity=2), shipping=2000)
    assert result.regime == "AU-LVG"
    assert summary(result) == [("import_tax", "price", 1000, 12700, True)]


def test_au_a_good_above_1000_dollars_pays_duty_on_fob_and_gst_on_cif_plus_duty():
    result = cost("AU", line(62501), shipping=2000, rates={TSHIRT: FoundRate(500, "", "")})
    assert result.regime == "AU-STANDARD"
    # Duty 5 % of FOB 625.01 = 31.2505 -> 31.25; GST 10 % of 625.01 + 20 + 31.25 = 67.626 -> 67.63.
    assert summary(result) == [
        ("duty", "fob", 500, 3125, False),
        ("import_tax", "cif", 1000, 6763, False),
    ]


def test_au_low_value_goods_start_on_1_july_2018():
    assert cost("AU", line(1000), day=date(2018, 6, 30)).regime == "AU-STANDARD"
    assert cost("AU", line(1000), day=date(2018, 7, 1)).regime == "AU-LVG"


# Japan


def test_jp_customs_value_of_10000_yen_is_exempt():
    # 60 % of USD 100.00 plus USD 2.50 shipping = USD 62.50 = JPY 10,000.
    result = cost("JP", line(10000, MUG), shipping=250)
    assert (result.regime, result.charges) == ("JP-SMALL", [])
    assert result.threshold is not None and result.threshold.value == Decimal("10000")


def test_jp_just_above_pays_duty_and_consumption_tax_on_cif():
    result = cost("JP", line(10000, MUG), shipping=251, incoterm=Incoterm.DDP)
    assert result.regime == "JP-STANDARD"
    # Duty 5 % of 62.51 = 3.1255 -> 3.13; consumption tax 10 % of 65.64 = 6.564 -> 6.56.
    assert summary(result) == [
        ("duty", "cif", 500, 313, True),
        ("import_tax", "cif", 1000, 656, True),
    ]


def test_jp_knitted_clothing_is_never_exempt():
    assert cost("JP", line(1000, TSHIRT)).regime == "JP-STANDARD"


# China


def test_cn_cross_border_retail_within_5000_yuan_pays_70_percent_of_vat_at_checkout():
    result = cost("CN", line(60000), shipping=2500)
    assert result.regime == "CN-CBEC"
    # 13 % x 0.7 = 9.1 % of 625.00.
    assert summary(result) == [("import_tax", "price", 910, 5688, True)]
    assert result.charges[0].name == "Cross-border e-commerce tax"


def test_cn_above_5000_yuan_is_general_trade():
    result = cost("CN", line(60000), shipping=2501)
    assert result.regime == "CN-GENERAL"
    assert [c.kind for c in result.charges] == [ChargeKind.DUTY, ChargeKind.IMPORT_TAX]


def test_cn_cross_border_limits_start_in_2019():
    assert cost("CN", line(1000), day=date(2018, 12, 31)).regime == "CN-GENERAL"
    assert cost("CN", line(1000), day=date(2019, 1, 1)).regime == "CN-CBEC"


# The United States and the rest of the world


def test_us_has_no_de_minimis_and_charges_duty_on_fob_only():
    result = cost("US", line(1000), shipping=5000)
    assert result.regime == "US-NO-DE-MINIMIS"
    assert summary(result) == [("duty", "fob", 1200, 120, False)]


def test_us_suspension_starts_on_29_august_2025():
    assert cost("US", line(1000), day=date(2025, 8, 28)).regime == "DEFAULT"
    assert cost("US", line(1000), day=date(2025, 8, 29)).regime == "US-NO-DE-MINIMIS"


def test_default_country_pays_duty_on_cif_then_tax_on_value_plus_duty():
    result = cost("CA", line(10000), shipping=1000, rates={TSHIRT: FoundRate(1800, "", "")})
    assert result.regime == "DEFAULT"
    # Duty 18 % of 110.00 = 19.80; GST 5 % of 129.80 = 6.49.
    assert summary(result) == [
        ("duty", "cif", 1800, 1980, False),
        ("import_tax", "cif", 500, 649, False),
    ]


def test_a_country_without_a_tax_rate_shows_the_tax_as_unknown():
    result = cost("BR", line(10000))
    assert result.regime == "DEFAULT"
    assert [(u.kind, u.reason) for u in result.unknown] == [
        (ChargeKind.IMPORT_TAX, Unknown.NO_TAX_RATE)
    ]


# Unknown states, rounding, the domestic case


def test_a_missing_duty_rate_is_unknown_and_so_is_the_tax_on_it():
    result = cost("GB", line(20000), rates={})
    assert result.charges == []
    assert [(u.kind, u.line, u.reason) for u in result.unknown] == [
        (ChargeKind.DUTY, 0, Unknown.NO_DUTY_RATE),
        (ChargeKind.IMPORT_TAX, 0, Unknown.DUTY_UNKNOWN),
    ]


def test_unclassified_goods_make_the_flat_duty_unknown_but_not_the_vat():
    result = cost("DE", line(1000, ""), incoterm=Incoterm.DDP)
    assert [c.kind for c in result.charges] == [ChargeKind.IMPORT_TAX]
    assert [(u.kind, u.reason) for u in result.unknown] == [
        (ChargeKind.DUTY, Unknown.NOT_CLASSIFIED)
    ]


def test_without_the_thresholds_exchange_rate_the_regime_is_unknown():
    result = cost("GB", line(1000), fx={})
    assert (result.regime, result.charges) == ("", [])
    assert result.regime_unknown
    assert [u.reason for u in result.unknown] == [Unknown.NO_EXCHANGE_RATE]


def test_a_parcel_to_the_country_it_ships_from_pays_nothing():
    result = landed_cost(
        regimes=load_regimes(),
        lines=[],
        shipping=0,
        destination="CN",
        day=TODAY,
        shop_currency="USD",
        fx={},
        duty_rates={},
        incoterm=Incoterm.DAP,
        domestic=True,
    )
    assert (result.domestic, result.regime, result.charges, result.incoterm) == (True, "", [], None)


def test_each_charge_rounds_half_up_to_the_minor_unit():
    assert [round_half_up(Decimal(v)) for v in ("47.5", "47.49", "0.5", "-0.5")] == [48, 47, 1, -1]
    # 2.50 x 19 % = 0.475 -> 0.48.
    assert summary(cost("DE", line(250)))[-1] == ("import_tax", "price", 1900, 48, True)


def test_shipping_is_shared_by_value_and_adds_up():
    assert split(100, [1, 1, 1]) == [34, 33, 33]
    assert split(1000, [300, 700]) == [300, 700]
    assert split(7, [0, 0]) == [4, 3]
    assert sum(split(12345, [17, 29, 3, 51])) == 12345


def test_every_day_of_the_flat_duty_window_is_covered_once():
    # The day the window ends it no longer applies; the day before it still does.
    end = date(2028, 7, 1)
    for day in (end - timedelta(days=1), end):
        kinds = [c.kind for c in cost("DE", line(1000), day=day).charges]
        assert kinds.count(ChargeKind.DUTY) == (1 if day < end else 0)
