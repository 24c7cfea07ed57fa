"""Postal codes per country: the pattern each main shipping destination uses, and its
canonical spelling.

A code is compared in a compact form (upper-case, no spaces or hyphens), then written back
the way the country's post office prints it: `sw1a1aa` -> `SW1A 1AA`, `1000001` ->
`100-0001`. Countries not in the table accept any short code, tidied but not checked;
countries that have no postal codes drop whatever was typed, because checkout forms
elsewhere often force shoppers to type something.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry


@dataclass(frozen=True, slots=True)
class PostalFormat:
    """How one country's postal codes look.

    `pattern` matches the compact form; its groups, joined by `separator`, are the
    canonical form (a group that did not match, like the ZIP+4 extension, is left out).
    """

    pattern: re.Pattern[str]
    separator: str
    example: str
    required: bool = True


def _format(
    pattern: str, example: str, separator: str = "", *, required: bool = True
) -> PostalFormat:
    return PostalFormat(re.compile(pattern), separator, example, required)


_FOUR = r"^(\d{4})$"
_FIVE = r"^(\d{5})$"

#: The main shipping destinations.
FORMATS: dict[str, PostalFormat] = {
    "US": _format(r"^(\d{5})(\d{4})?$", "94105 or 94105-1804", "-"),
    "CA": _format(
        r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$", "K1A 0B1", " "
    ),
    # Outward code (area, district, optional sub-district letter) then inward code; GIR 0AA
    # is Girobank's historic code, still in use.
    "GB": _format(
        r"^(GIR|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRV-Y\d]?))"
        r"((?<=GIR)0AA|(?<!GIR)\d[ABD-HJLNP-UW-Z]{2})$",
        "SW1A 1AA",
        " ",
    ),
    "DE": _format(_FIVE, "10115"),
    "FR": _format(_FIVE, "75008"),
    "IT": _format(_FIVE, "00184"),
    "ES": _format(r"^((?:0[1-9]|[1-4]\d|5[0-2])\d{3})$", "28013"),
    "NL": _format(r"^([1-9]\d{3})((?!SA|SD|SS)[A-Z]{2})$", "1012 AB", " "),
    "BE": _format(r"^([1-9]\d{3})$", "1000"),
    "AT": _format(r"^([1-9]\d{3})$", "1010"),
    "CH": _format(r"^([1-9]\d{3})$", "8001"),
    "SE": _format(r"^([1-9]\d{2})(\d{2})$", "114 55", " "),
    "PL": _format(r"^(\d{2})(\d{3})$", "00-950", "-"),
    "PT": _format(r"^([1-9]\d{3})(\d{3})$", "1100-148", "-"),
    # Eircode: a routing key (a letter and two digits, or D6W) and a unique identifier.
    # Many Irish addresses are still written without one, so it is optional.
    "IE": _format(
        r"^([AC-FHKNPRTV-Y]\d{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})$", "D02 X285", " ", required=False
    ),
    "JP": _format(r"^(\d{3})(\d{4})$", "100-0001", "-"),
    "CN": _format(r"^([1-8]\d{5})$", "100000"),
    "KR": _format(_FIVE, "03187"),
    "AU": _format(_FOUR, "2000"),
    "NZ": _format(_FOUR, "6011"),
    "IN": _format(r"^([1-9]\d{5})$", "110001"),
    "BR": _format(r"^(\d{5})(\d{3})$", "01310-100", "-"),
    "MX": _format(_FIVE, "06600"),
    "SG": _format(r"^(\d{6})$", "018956"),
}

#: Countries and territories whose addresses have no postal code.
NOT_USED = frozenset(
    (
        "AE",
        "AG",
        "AO",
        "AW",
        "BF",
        "BI",
        "BJ",
        "BO",
        "BS",
        "BW",
        "BZ",
        "CD",
        "CF",
        "CG",
        "CI",
        "CK",
        "CM",
        "DJ",
        "DM",
        "ER",
        "FJ",
        "GA",
        "GD",
        "GH",
        "GM",
        "GQ",
        "GY",
        "HK",
        "KI",
        "KM",
        "KN",
        "KP",
        "LC",
        "ML",
        "MO",
        "MR",
        "MS",
        "MW",
        "NR",
        "NU",
        "QA",
        "RW",
        "SB",
        "SC",
        "SL",
        "SR",
        "SS",
        "ST",
        "SY",
        "TD",
        "TF",
        "TG",
        "TK",
        "TL",
        "TO",
        "TV",
        "UG",
        "VU",
        "YE",
        "ZW",
    )
)

#: Longest free-form code accepted for a country not in the table (the column holds 20).
MAX_OTHER_LENGTH = 12
_OTHER = re.compile(r"^[A-Z0-9][A-Z0-9 -]*$")
_GAPS = re.compile(r"[\s-]+")


class InvalidPostalCode(ValueError):
    """The code does not fit the country's format; the message says what does."""


def compact(value: str) -> str:
    """Upper-case, without spaces or hyphens: the form the patterns match."""
    return _GAPS.sub("", value).upper()


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else code


def is_required(country: str) -> bool:
    fmt = FORMATS.get(country)
    return fmt.required if fmt else False


def normalize_postal_code(country: str, value: str | None) -> str:
    """The canonical spelling of `value` for addresses in `country` ("" when none).

    Raises `InvalidPostalCode` when the country needs a code and none was given, or
    when the code does not fit the country's format.
    """
    value = (value or "").strip()
    if country in NOT_USED:
        return ""
    fmt = FORMATS.get(country)
    if not value:
        if fmt is not None and fmt.required:
            raise InvalidPostalCode(
                f"Addresses in {country_name(country)} need a postal code, like {fmt.example}."
            )
        return ""
    if fmt is None:
        tidy = " ".join(value.upper().split())
        if len(tidy) > MAX_OTHER_LENGTH or not _OTHER.match(tidy):
            raise InvalidPostalCode(
                "Enter the postal code with letters, digits, spaces and hyphens."
            )
        return tidy
    match = fmt.pattern.match(compact(value))
    if match is None:
        raise InvalidPostalCode(
            f"This is not a postal code of {country_name(country)}; it looks like {fmt.example}."
        )
    return fmt.separator.join(group for group in match.groups() if group)
