"""Money: ISO 4217 exponents and exact conversions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.money import InvalidAmount, InvalidCurrency, Money, currency_codes, currency_exponent


@pytest.mark.parametrize(
    ("code", "exponent"), [("JPY", 0), ("USD", 2), ("EUR", 2), ("KWD", 3), ("MGA", 2)]
)
def test_exponents_follow_iso_4217(code, exponent):
    assert currency_exponent(code) == exponent


@pytest.mark.parametrize("code", ["XXX", "XAU", "usd1", "", "ABC"])
def test_codes_without_a_minor_unit_or_unknown_are_refused(code):
    with pytest.raises(InvalidCurrency):
        currency_exponent(code)


def test_amounts_convert_exactly_both_ways():
    assert Money.from_decimal(Decimal("19.99"), "USD") == Money(1999, "USD")
    assert Money.from_decimal("1500", "JPY") == Money(1500, "JPY")
    assert Money.from_decimal("1.234", "KWD").minor == 1234
    assert str(Money(5, "USD").amount) == "0.05"
    assert str(Money(1500, "JPY").amount) == "1500"
    assert str(Money(1234, "KWD").amount) == "1.234"
    assert str(Money(-250, "EUR")) == "-2.50 EUR"


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("0.001", "USD"), ("1.5", "JPY"), ("NaN", "USD"), ("abc", "USD"), ("Infinity", "EUR")],
)
def test_amounts_the_currency_cannot_hold_are_refused(amount, currency):
    with pytest.raises(InvalidAmount):
        Money.from_decimal(amount, currency)


def test_the_currency_list_excludes_funds_and_metals():
    codes = currency_codes()
    assert "USD" in codes and "JPY" in codes and "XAU" not in codes and "XXX" not in codes


@pytest.mark.parametrize("amount", ["1e1000000", "-1e1000000", "1e13", "99999999999999"])
def test_amounts_beyond_any_price_are_refused_not_overflowed(amount):
    with pytest.raises(InvalidAmount):
        Money.from_decimal(amount, "USD")


def test_the_largest_amount_still_converts():
    assert Money.from_decimal("9999999999999.99", "USD").minor == 999999999999999
