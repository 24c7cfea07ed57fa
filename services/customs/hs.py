"""The Harmonized System nomenclature: look codes up, search them, check a merchant's codes.

The nomenclature (HS 2022: chapters, headings, 6-digit subheadings) ships as a data file
beside this module (see `data/SOURCE.md`); it is read once, on first use. A product is
classified by a 6-digit subheading; a destination may ask for its national extension of
8 to 10 digits (US HTS, EU CN and TARIC, ...), which starts with that subheading.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import cache
from pathlib import Path

import pycountry

from services.errors import ServiceError

DATA_FILE = Path(__file__).parent / "data" / "harmonized-system.csv.gz"
#: The edition of the nomenclature in the data file.
EDITION = "HS 2022"

#: Longest search text taken, and most results given.
MAX_SEARCH_LENGTH = 100
MAX_RESULTS = 50

#: EU member states: one customs union, whose Combined Nomenclature (8 digits) and TARIC
#: (10 digits) extend the HS code.
EU_MEMBERS = frozenset(
    (
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    )
)  # fmt: skip
#: The lengths a destination's national tariff codes have, where known.
NATIONAL_LENGTHS: dict[str, tuple[int, ...]] = {
    "US": (10,),  # HTSUS statistical suffix
    "GB": (8, 10),  # UK commodity code: 8 for exports, 10 for imports
    "JP": (9,),  # Japan's statistical code
    "CN": (10,),  # China customs commodity code
    "AU": (8,),  # Australian tariff classification (plus a 2-digit statistical code)
    "CA": (10,),  # Canadian customs tariff
    **{country: (8, 10) for country in EU_MEMBERS},  # CN 8, TARIC 10
}
DEFAULT_NATIONAL_LENGTHS = (8, 9, 10)

_SEPARATORS = re.compile(r"[\s.]+")
_WORD = re.compile(r"\w+")


class HsErrorCode(Enum):
    INVALID_HS_CODE = "invalid_hs_code"
    UNKNOWN_HS_CODE = "unknown_hs_code"
    INVALID_COUNTRY = "invalid_country"
    INVALID_NATIONAL_CODE = "invalid_national_code"
    NATIONAL_CODE_MISMATCH = "national_code_mismatch"


class HsError(ServiceError[HsErrorCode]):
    """A code that is not a valid HS or national tariff code; the message says why."""


class HsLevel(StrEnum):
    CHAPTER = "chapter"
    HEADING = "heading"
    SUBHEADING = "subheading"


_LEVELS = {"2": HsLevel.CHAPTER, "4": HsLevel.HEADING, "6": HsLevel.SUBHEADING}
#: Search order of levels: a subheading is what a merchant classifies a product by.
_RANK = {HsLevel.SUBHEADING: 0, HsLevel.HEADING: 1, HsLevel.CHAPTER: 2}


@dataclass(frozen=True, slots=True)
class HsEntry:
    """One code of the nomenclature."""

    code: str
    description: str
    level: HsLevel
    #: The Roman numeral of the section the code is in.
    section: str
    #: The code one level up ("" for a chapter).
    parent: str
    #: The casefolded words of the description, for search.
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Nomenclature:
    entries: tuple[HsEntry, ...]
    by_code: dict[str, HsEntry]


def _stem(word: str) -> str:
    """A word without its English plural ending, so "knife" finds "knives" and "scarf"
    finds "scarves"."""
    if len(word) <= 3:
        return word
    for plural, singular in (
        ("ives", "if"),
        ("rves", "rf"),
        ("lves", "lf"),
        ("eaves", "eaf"),
        ("ies", "y"),
        ("ches", "ch"),
        ("shes", "sh"),
    ):
        if word.endswith(plural):
            return word[: -len(plural)] + singular
    if word.endswith("fe"):
        return word[:-1]
    if word.endswith(("ses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _WORD.findall(text.casefold()))


def _matches(query: str, word: str) -> bool:
    # Short words must start a word ("tea" is not in "steam"); longer ones may sit inside a
    # compound ("phone" in "telephones").
    return word.startswith(query) if len(query) < 5 else query in word


@cache
def nomenclature() -> Nomenclature:
    """The nomenclature in the data file, read once per process."""
    text = gzip.decompress(DATA_FILE.read_bytes()).decode("utf-8")
    entries = tuple(
        HsEntry(
            code=row["hscode"],
            description=row["description"],
            level=_LEVELS[row["level"]],
            section=row["section"],
            parent="" if row["parent"] == "TOTAL" else row["parent"],
            words=_words(row["description"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    )
    return Nomenclature(entries=entries, by_code={e.code: e for e in entries})


def normalise(code: str) -> str:
    """The code without the dots and spaces people write in it ("6109.10" -> "610910")."""
    return _SEPARATORS.sub("", code)


def lookup(code: str) -> HsEntry | None:
    """The chapter, heading or subheading `code` names (dots and spaces ignored), if any."""
    return nomenclature().by_code.get(normalise(code))


def search(text: str, limit: int = 20) -> list[HsEntry]:
    """Codes matching `text`: its digits as a code prefix and its words in the description.

    Every word must be found in a word of the description (case-insensitive, plurals
    ignored), so "shirt" finds "T-shirts" and "knife" finds "knives". With digits only, the
    code equal to them comes first, then the codes under it in the tree's order; with words,
    subheadings come before headings before chapters, those holding the words whole first.
    Empty or unmatched text gives no results; at most `limit` (capped at `MAX_RESULTS`).
    """
    prefix = ""
    words: list[str] = []
    for token in text[:MAX_SEARCH_LENGTH].split():
        if normalise(token).isdigit() and not prefix:
            prefix = normalise(token)
        else:
            words.extend(_words(token))
    limit = max(0, min(limit, MAX_RESULTS))
    if not (prefix or words) or limit == 0:
        return []
    found = [
        entry
        for entry in nomenclature().entries
        if entry.code.startswith(prefix)
        and all(any(_matches(q, w) for w in entry.words) for q in words)
    ]

    def rank(entry: HsEntry) -> tuple[int, int, int, str]:
        if prefix and not words:
            return (0 if entry.code == prefix else 1, 0, 0, entry.code)
        # Among one level, descriptions holding the words whole come first.
        whole = sum(q in entry.words for q in words)
        return (0 if entry.code == prefix else 1, _RANK[entry.level], -whole, entry.code)

    return sorted(found, key=rank)[:limit]


def check_hs_code(code: str) -> str:
    """The 6-digit subheading `code` names (dots and spaces ignored); `HsError` otherwise."""
    digits = normalise(code)
    if not digits.isascii() or not digits.isdigit() or len(digits) != 6:
        extra = (
            " Give the national extension of 8 to 10 digits as a national code of its destination."
            if digits.isascii() and digits.isdigit() and 6 < len(digits) <= 10
            else ""
        )
        raise HsError.fail(
            HsErrorCode.INVALID_HS_CODE,
            "An HS code is the 6 digits of a subheading, e.g. 6109.10 "
            "(dots and spaces are ignored)." + extra,
        )
    entry = nomenclature().by_code.get(digits)
    if entry is None or entry.level is not HsLevel.SUBHEADING:
        raise HsError.fail(
            HsErrorCode.UNKNOWN_HS_CODE,
            f"{digits} is not a subheading of the Harmonized System ({EDITION}); "
            "look the goods up by their name.",
        )
    return digits


def national_lengths(country: str) -> tuple[int, ...]:
    """How many digits `country`'s national tariff codes have."""
    return NATIONAL_LENGTHS.get(country.upper(), DEFAULT_NATIONAL_LENGTHS)


def check_country(country: str) -> str:
    """`country` as an upper-case ISO 3166-1 alpha-2 code; `HsError` otherwise."""
    upper = country.strip().upper()
    if len(upper) != 2 or not upper.isascii() or pycountry.countries.get(alpha_2=upper) is None:
        raise HsError.fail(
            HsErrorCode.INVALID_COUNTRY,
            f"{country[:10]!r} is not an ISO 3166-1 alpha-2 country code.",
        )
    return upper


def check_national_code(country: str, code: str, hs_code: str | None) -> str:
    """`code` as `country`'s national tariff code extending the subheading `hs_code`.

    Dots and spaces are ignored. Refused (`HsError`) unless it is all digits, has a length
    the destination uses (8 to 10 where the rule is not known) and starts with `hs_code`;
    a national code needs the goods to be classified first.
    """
    country = check_country(country)
    digits = normalise(code)
    lengths = national_lengths(country)
    if not digits.isascii() or not digits.isdigit() or len(digits) not in lengths:
        spelled = " or ".join(str(n) for n in lengths) if len(lengths) < 3 else "8 to 10"
        raise HsError.fail(
            HsErrorCode.INVALID_NATIONAL_CODE,
            f"A national tariff code for {country} is {spelled} digits.",
        )
    if not hs_code:
        raise HsError.fail(
            HsErrorCode.NATIONAL_CODE_MISMATCH,
            "Give the goods' 6-digit HS code before their national codes.",
        )
    if not digits.startswith(hs_code[:6]):
        raise HsError.fail(
            HsErrorCode.NATIONAL_CODE_MISMATCH,
            f"The national code for {country} must start with the HS code {hs_code[:6]}.",
        )
    return digits
