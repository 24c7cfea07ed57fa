"""The European Central Bank's euro reference rates, in its `eurofxref` XML format.

The ECB publishes, each working day around 16:00 CET, how many units of some thirty
currencies one euro buys (`eurofxref-daily.xml`; the same format carries 90 days or the
whole history in `eurofxref-hist-90d.xml` and `eurofxref-hist.xml`):

    <gesmes:Envelope ...>
      <Cube>
        <Cube time="2026-11-20">
          <Cube currency="USD" rate="1.0412"/>
          ...

The file comes from the network, so it is parsed as hostile input: through `defusedxml`
with DTDs, entities and external references refused, after a size check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from services.currency.errors import CurrencyErrorCode, fail
from services.money import InvalidCurrency, currency_exponent

#: The base of every ECB rate.
ECB_BASE = "EUR"
#: The whole history since 1999 is about 7 MB; anything far larger is not a rates file.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: The ECB quotes at most six significant digits; this leaves room without inviting junk.
MAX_RATE_DIGITS = 15

_CODE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True, slots=True)
class DailyRates:
    """One reference day: units of each currency one euro buys."""

    rate_date: date
    rates: dict[str, Decimal]
    #: Codes in the file that ISO 4217 does not list with a minor unit; not imported.
    skipped: tuple[str, ...] = ()


def _local(tag: str) -> str:
    """An element's name without its namespace (`{ns}Cube` -> `Cube`)."""
    return tag.rpartition("}")[2]


def _invalid(message: str) -> Exception:
    return fail(CurrencyErrorCode.INVALID_RATES_FILE, message)


def _rate(code: str, text: str | None) -> Decimal:
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        raise _invalid(f"The rate of {code} is not a number: {text!r}.") from None
    if not value.is_finite() or value <= 0 or len(value.as_tuple().digits) > MAX_RATE_DIGITS:
        raise _invalid(f"The rate of {code} is not a usable positive number: {text!r}.")
    return value


def _day(cube: Element) -> DailyRates:
    try:
        day = date.fromisoformat(cube.get("time", ""))
    except ValueError:
        raise _invalid(f"{cube.get('time')!r} is not a date.") from None
    rates: dict[str, Decimal] = {}
    skipped = []
    for child in cube:
        if _local(child.tag) != "Cube":
            continue
        code = (child.get("currency") or "").strip()
        if not _CODE.match(code):
            raise _invalid(f"{code!r} on {day} is not a currency code.")
        if code in rates or code in skipped:
            raise _invalid(f"{code} appears twice on {day}.")
        rate = _rate(code, child.get("rate"))
        try:
            currency_exponent(code)
        except InvalidCurrency:
            skipped.append(code)
            continue
        rates[code] = rate
    return DailyRates(rate_date=day, rates=rates, skipped=tuple(skipped))


def parse_rates(data: bytes) -> list[DailyRates]:
    """Every day in an ECB reference-rates document, newest first.

    Raises `CurrencyError` INVALID_RATES_FILE for anything that is not one (too large,
    not well-formed, with a DTD or entities, without a day of rates, or with bad values).
    """
    if len(data) > MAX_FILE_BYTES:
        raise _invalid(f"The rates file is larger than {MAX_FILE_BYTES} bytes.")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise _invalid(f"The rates file is not safe, well-formed XML ({exc}).") from None
    if _local(root.tag) != "Envelope":
        raise _invalid("The rates file is not an ECB reference-rates envelope.")
    days = [
        _day(cube) for cube in root.iter() if _local(cube.tag) == "Cube" and "time" in cube.attrib
    ]
    days = [day for day in days if day.rates]
    if not days:
        raise _invalid("The rates file holds no day of rates.")
    if len({day.rate_date for day in days}) != len(days):
        raise _invalid("The rates file lists a day twice.")
    return sorted(days, key=lambda d: d.rate_date, reverse=True)
