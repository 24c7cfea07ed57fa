"""The currency rules that need no database: the ECB file, conversion, price endings, age."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.currency import RoundingRule
from services.currency import convert, ecb, rates
from services.currency.errors import CurrencyError, CurrencyErrorCode
from tests.currency.helpers import ECB_DAY, ecb_xml


def quote(currency: str, rate: str, *, shop: str = "USD", rounding=RoundingRule.NONE):
    return rates.RateQuote(
        currency=currency,
        rate=Decimal(rate),
        source="ecb",
        rate_date=ECB_DAY,
        stale=False,
        shop_currency=shop,
        rounding=rounding,
    )


def refused_file(data: bytes) -> CurrencyErrorCode:
    with pytest.raises(CurrencyError) as caught:
        ecb.parse_rates(data)
    return caught.value.problems[0].code  # type: ignore[return-value]


# The ECB file.


def test_the_ecb_daily_file_reads_as_one_day_of_euro_rates():
    [day] = ecb.parse_rates(ecb_xml())
    assert day.rate_date == ECB_DAY
    assert day.rates["USD"] == Decimal("1.1582")
    assert day.rates["JPY"] == Decimal("181.35")
    assert day.rates["HUF"] == Decimal("384.10")  # the ECB's own digits, trailing zero kept
    assert {"GBP", "CHF", "CNY", "KRW", "AUD", "CAD", "HKD", "SGD", "SEK", "PLN"} <= set(day.rates)
    assert "EUR" not in day.rates
    assert day.skipped == ()


def test_a_history_file_gives_every_day_newest_first():
    body = ecb_xml().decode()
    cube = body[body.index("<Cube time=") : body.index("</Cube>") + len("</Cube>")]
    older = cube.replace("2026-11-20", "2026-11-19").replace("1.1582", "1.1490")
    history = body.replace(cube, older + "\n" + cube).encode()
    days = ecb.parse_rates(history)
    assert [d.rate_date for d in days] == [date(2026, 11, 20), date(2026, 11, 19)]
    assert days[1].rates["USD"] == Decimal("1.1490")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01"
  xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time='2026-11-20'><Cube currency='USD' rate='&lol2;'/></Cube></Cube>
</gesmes:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE e [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Envelope><Cube><Cube time='2026-11-20'><Cube currency='USD' rate='&secret;'/></Cube></Cube>
</Envelope>"""


@pytest.mark.parametrize(
    "data",
    [
        BILLION_LAUGHS,
        EXTERNAL_ENTITY,
        b"<Envelope><Cube>",
        b"not xml at all",
        b"<html><Cube time='2026-11-20'><Cube currency='USD' rate='1.1'/></Cube></html>",
        b"<Envelope><Cube><Cube time='2026-11-20'></Cube></Cube></Envelope>",
        b"<Envelope><Cube time='20 Nov'><Cube currency='USD' rate='1.1'/></Cube></Envelope>",
        ecb_xml().replace(b"rate='1.1582'", b"rate='-1.1582'"),
        ecb_xml().replace(b"rate='1.1582'", b"rate='NaN'"),
        ecb_xml().replace(b"rate='1.1582'", b"rate='one'"),
        ecb_xml().replace(b"currency='JPY'", b"currency='USD'"),
        ecb_xml().replace(b"currency='JPY'", b"currency='yen'"),
        b"<Envelope>" + b" " * (ecb.MAX_FILE_BYTES + 1) + b"</Envelope>",
    ],
    ids=[
        "entity-expansion",
        "external-entity",
        "truncated",
        "not-xml",
        "wrong-root",
        "no-rates",
        "bad-date",
        "negative-rate",
        "nan-rate",
        "word-rate",
        "duplicate-currency",
        "bad-code",
        "too-large",
    ],
)
def test_anything_but_a_sound_rates_file_is_refused(data):
    assert refused_file(data) is CurrencyErrorCode.INVALID_RATES_FILE


def test_a_code_iso_does_not_price_in_is_skipped_not_imported():
    data = ecb_xml().replace(b"currency='ISK'", b"currency='XAU'")
    [day] = ecb.parse_rates(data)
    assert "XAU" not in day.rates
    assert day.skipped == ("XAU",)


# Rates and their age.


def test_cross_rate_divides_at_high_precision_and_keeps_twelve_digits():
    # Yen per dollar from EUR->JPY 181.35 and EUR->USD 1.1582.
    assert rates.cross_rate(Decimal("181.35"), Decimal("1.1582")) == Decimal("156.579174581")
    assert rates.cross_rate(Decimal("0.88135"), Decimal("1.1582")) == Decimal("0.760965290969")
    assert rates.cross_rate(Decimal("2"), Decimal("1")) == Decimal("2")
    assert rates.rate_text(rates.cross_rate(Decimal("200"), Decimal("2"))) == "100"


def test_a_rate_lasts_through_the_weekend_and_goes_stale_after_the_max_age(settings):
    friday = date(2026, 11, 20)
    assert settings.exchange_rate_max_age_hours == 72
    monday_evening = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    tuesday_past_midnight = datetime(2026, 11, 24, 0, 1, tzinfo=UTC)
    assert not rates.is_stale(friday, monday_evening)
    assert rates.is_stale(friday, tuesday_past_midnight)


@pytest.mark.parametrize(
    ("given", "stored"),
    [("151.2", "151.2"), ("0.0065000", "0.0065"), (" 7.25 ", "7.25"), ("1e2", "100")],
)
def test_a_manual_rate_is_a_positive_decimal_kept_in_plain_form(given, stored):
    assert rates.rate_text(rates.check_manual_rate(given)) == stored


@pytest.mark.parametrize(
    "given", ["0", "-1.5", "abc", "NaN", "Infinity", "1e12", "0.00000000001", "1.1234567890123"]
)
def test_a_manual_rate_that_is_not_a_sensible_positive_decimal_is_refused(given):
    with pytest.raises(CurrencyError) as caught:
        rates.check_manual_rate(given)
    assert [(p.code, p.field) for p in caught.value.problems] == [
        (CurrencyErrorCode.INVALID_RATE, ("rate",))
    ]


# Conversion and price endings.


def test_dollars_convert_to_yen_rounded_half_up_to_whole_yen():
    yen = quote("JPY", "156.579174581")
    assert convert.present(1999, yen) == 3130  # 19.99 x 156.579... = 3130.0177
    assert convert.present(1, yen) == 2  # 1.5658 -> 2
    assert convert.present(0, yen) == 0


def test_yen_shop_prices_convert_to_three_decimal_dinars():
    dinar = quote("KWD", "0.0019654321", shop="JPY")
    assert convert.present(1000, dinar) == 1965  # 1000 yen -> 1.9654321 KWD -> 1.965
    assert convert.present(1001, dinar) == 1967  # 1.96739... -> 1.967


def test_half_a_minor_unit_rounds_up():
    assert convert.present(1, quote("EUR", "0.5")) == 1  # 0.005 EUR -> 0.01
    assert convert.present(3, quote("EUR", "0.5")) == 2  # 0.015 -> 0.02


def test_the_shop_currency_is_shown_unchanged_whatever_the_rule():
    shop = rates.RateQuote(
        currency="USD",
        rate=Decimal(1),
        source="shop",
        rate_date=None,
        stale=False,
        shop_currency="USD",
        rounding=RoundingRule.NINETY_NINE,
    )
    assert convert.present(1230, shop) == 1230


@pytest.mark.parametrize(
    ("minor", "exponent", "rule", "shown"),
    [
        (1230, 2, RoundingRule.WHOLE, 1300),
        (1300, 2, RoundingRule.WHOLE, 1300),
        (1, 2, RoundingRule.WHOLE, 100),
        (1234, 0, RoundingRule.WHOLE, 1234),
        (12301, 3, RoundingRule.WHOLE, 13000),
        (1230, 2, RoundingRule.NINETY_NINE, 1299),
        (1299, 2, RoundingRule.NINETY_NINE, 1299),
        (1300, 2, RoundingRule.NINETY_NINE, 1399),
        (5, 2, RoundingRule.NINETY_NINE, 99),
        (12300, 3, RoundingRule.NINETY_NINE, 12990),
        (12995, 3, RoundingRule.NINETY_NINE, 13990),
        (1234, 0, RoundingRule.NINETY_NINE, 1239),
        (1239, 0, RoundingRule.NINETY_NINE, 1239),
        (1240, 0, RoundingRule.NINETY_NINE, 1249),
        (0, 2, RoundingRule.NINETY_NINE, 0),
        (0, 2, RoundingRule.WHOLE, 0),
        (-1230, 2, RoundingRule.NINETY_NINE, -1299),
        (1234, 2, RoundingRule.NONE, 1234),
    ],
)
def test_price_endings_only_move_prices_up(minor, exponent, rule, shown):
    assert convert.end_price(minor, exponent, rule) == shown


def test_the_currency_rule_applies_unless_the_caller_asks_for_exact_conversion():
    euro = quote("EUR", "0.863408737696", rounding=RoundingRule.NINETY_NINE)
    assert convert.present(2500, euro) == 2199  # 21.59 -> 21.99
    assert convert.present(2500, euro, rounding=RoundingRule.NONE) == 2159
    assert convert.present(2500, euro, rounding=RoundingRule.WHOLE) == 2200


def test_a_total_is_the_sum_of_its_converted_lines():
    # Three lines of half a cent each: every line shows 0.01, so the total shows 0.03,
    # where converting the shop total (0.015 -> 0.02) would not match the lines.
    halves = quote("EUR", "0.5")
    presented = convert.present_many([1, 1, 1], halves)
    assert presented.amounts == (1, 1, 1)
    assert presented.total == 3
    assert convert.present(3, halves) == 2


# From a shown amount back to the shop's: the bounds of price filters and facet buckets.


@pytest.mark.parametrize(
    "shown",
    [
        quote("JPY", "151.37"),
        quote("JPY", "151.37", rounding=RoundingRule.NINETY_NINE),
        quote("EUR", "0.8673", rounding=RoundingRule.NINETY_NINE),
        quote("EUR", "0.8673", rounding=RoundingRule.WHOLE),
        quote("KWD", "0.3071"),
        quote("USD", "0.0066", shop="JPY"),  # one yen is less than a cent
        quote("USD", "1"),
    ],
)
def test_shop_floor_is_the_least_shop_amount_shown_at_least_so(shown):
    for target in [*range(0, 3000, 7), 10**9, 10**12 + 3]:
        floor = convert.shop_floor(target, shown)
        assert convert.present(floor, shown) >= target
        if floor > 0:
            assert convert.present(floor - 1, shown) < target


def test_shop_floor_of_nothing_or_less_is_zero_and_of_too_much_the_largest_amount():
    jpy = quote("JPY", "151.37")
    assert convert.shop_floor(0, jpy) == convert.shop_floor(-5, jpy) == 0
    assert convert.shop_floor(10**40, jpy) == convert.MAX_MINOR


def test_a_share_is_taken_of_the_shown_whole_and_of_nothing_is_nothing():
    assert convert.share(125, 1252, 1878) == 188  # 187.5 rounds half-up
    assert convert.share(1252, 1252, 1878) == 1878
    assert convert.share(5, 0, 100) == 0
