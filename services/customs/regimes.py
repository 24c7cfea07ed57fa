"""Import regimes as data: the rules a consumer parcel meets at its destination's border.

The rules are read from a TOML file (`data/regimes.toml`, or the operator's copy named by
the `CUSTOMS_REGIMES_FILE` setting) and checked as a whole: a file with any mistake raises
`RegimesFileError` listing every mistake, and nothing of it is used. `load_regimes` runs at
start-up so that a broken file stops the server rather than a checkout.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from iso4217 import Currency

from models.customs import ChargeKind
from settings import get_settings

#: The regimes file shipped with the shop.
SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "regimes.toml"
#: The destination pattern of the regime that catches every other country.
ANY = "*"

Collect = Literal["checkout", "incoterm"]
Base = Literal["price", "customs", "customs_plus_duty", "cif_plus_duty"]
MeasuredOn = Literal["intrinsic", "per_good", "customs", "transaction"]
Basis = Literal["cif", "fob"]

_COLLECT = ("checkout", "incoterm")
_BASES = ("price", "customs", "customs_plus_duty", "cif_plus_duty")
_MEASURES = ("intrinsic", "per_good", "customs", "transaction")
_BASIS = ("cif", "fob")


class RegimesFileError(Exception):
    """The regimes file cannot be used; `problems` says every reason found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True, slots=True)
class Threshold:
    amount: Decimal
    currency: str
    measured_on: MeasuredOn
    inclusive: bool

    def holds(self, value: Decimal) -> bool:
        """Whether `value` (in `currency`) is within the threshold."""
        return value <= self.amount if self.inclusive else value < self.amount


@dataclass(frozen=True, slots=True)
class FlatCharge:
    amount: Decimal
    currency: str
    #: What one amount is due for: each distinct 6-digit HS subheading.
    per: Literal["subheading"]


@dataclass(frozen=True, slots=True)
class ChargeRule:
    kind: ChargeKind
    collect: Collect
    base: Base
    name: str = ""
    flat: FlatCharge | None = None
    tax_factor: Decimal = Decimal(1)
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        return _within(day, self.valid_from, self.valid_to)


@dataclass(frozen=True, slots=True)
class Regime:
    id: str
    destinations: frozenset[str]
    basis: Basis
    charges: tuple[ChargeRule, ...]
    sources: tuple[str, ...]
    threshold: Threshold | None = None
    #: `excise` (excise goods leave the regime) and `hs:<prefix>` (goods so classified do).
    exclude: tuple[str, ...] = ()
    valuation_factor: Decimal = Decimal(1)
    valid_from: date | None = None
    valid_to: date | None = None
    notes: tuple[str, ...] = ()

    def covers(self, country: str, day: date) -> bool:
        return (ANY in self.destinations or country in self.destinations) and _within(
            day, self.valid_from, self.valid_to
        )

    def excludes(self, hs_code: str, excise: bool) -> bool:
        """Whether goods with `hs_code` (and the excise flag) leave this regime."""
        for rule in self.exclude:
            if rule == "excise" and excise:
                return True
            if rule.startswith("hs:") and hs_code.startswith(rule[3:]):
                return True
        return False


@dataclass(frozen=True, slots=True)
class TaxRate:
    country: str
    name: str
    rate: Decimal
    source: str
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass(frozen=True, slots=True)
class Regimes:
    """Every regime in the order they are tried, and the import tax rates by country."""

    regimes: tuple[Regime, ...]
    taxes: dict[str, tuple[TaxRate, ...]] = field(default_factory=dict)

    def candidates(self, country: str, day: date) -> list[Regime]:
        """The regimes that may apply to a parcel to `country` on `day`, in trying order."""
        return [r for r in self.regimes if r.covers(country, day)]

    def tax_rate(self, country: str, day: date) -> TaxRate | None:
        """The standard import tax rate of `country` on `day` (None when not known)."""
        for rate in self.taxes.get(country, ()):
            if _within(day, rate.valid_from, rate.valid_to):
                return rate
        return None

    def get(self, regime_id: str) -> Regime | None:
        return next((r for r in self.regimes if r.id == regime_id), None)


def _within(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day < end)


# Reading and checking the file.


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def bad(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def text(self, where: str, value: Any, *, limit: int = 300, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.bad(where, "must be a non-empty string")
            return ""
        if len(value) > limit or "\x00" in value:
            self.bad(where, f"must be at most {limit} characters, without NUL")
        return value

    def decimal(self, where: str, value: Any, *, positive: bool = False, most: int = 0) -> Decimal:
        try:
            number = Decimal(value) if isinstance(value, str) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            self.bad(where, 'must be a non-negative decimal string such as "19" or "0.7"')
            return Decimal(0)
        if positive and number == 0:
            self.bad(where, "must be above zero")
        if most and number > most:
            self.bad(where, f"must be at most {most}")
        return number

    def day(self, where: str, value: Any) -> date | None:
        if value is None:
            return None
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        self.bad(where, "must be a TOML date such as 2026-07-01")
        return None

    def currency(self, where: str, value: Any) -> str:
        code = self.text(where, value, limit=3)
        try:
            Currency(code)
        except ValueError:
            self.bad(where, f"{code!r} is not an ISO 4217 currency")
        return code

    def choice(self, where: str, value: Any, options: Iterable[str]) -> Any:
        options = tuple(options)
        if value not in options:
            self.bad(where, f"must be one of {', '.join(options)}")
            return options[0]
        return value

    def country(self, where: str, value: Any) -> str:
        if not (isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()):
            self.bad(where, f"{value!r} is not an ISO 3166-1 alpha-2 code in capitals")
            return ""
        return value

    def dates(self, where: str, row: dict[str, Any]) -> tuple[date | None, date | None]:
        start = self.day(f"{where}.valid_from", row.get("valid_from"))
        end = self.day(f"{where}.valid_to", row.get("valid_to"))
        if start and end and start >= end:
            self.bad(where, "valid_from must come before valid_to")
        return start, end

    def unknown_keys(self, where: str, row: dict[str, Any], known: set[str]) -> None:
        for key in sorted(set(row) - known):
            self.bad(where, f"unknown key {key!r}")


_REGIME_KEYS = {
    "id", "destinations", "valid_from", "valid_to", "threshold", "exclude", "basis",
    "valuation_factor", "notes", "sources", "charge",
}  # fmt: skip
_CHARGE_KEYS = {"kind", "name", "collect", "base", "flat", "tax_factor", "valid_from", "valid_to"}
_TAX_KEYS = {"country", "name", "rate", "valid_from", "valid_to", "source", "notes"}


def _url(check: _Checker, where: str, value: Any) -> str:
    url = check.text(where, value, limit=500)
    if url and not url.startswith(("https://", "http://")):
        check.bad(where, "must be a URL (the rule's citation)")
    return url


def _charge(check: _Checker, where: str, row: Any) -> ChargeRule | None:
    if not isinstance(row, dict):
        check.bad(where, "must be a table")
        return None
    check.unknown_keys(where, row, _CHARGE_KEYS)
    kind = ChargeKind(check.choice(f"{where}.kind", row.get("kind"), [k.value for k in ChargeKind]))
    flat = None
    if "flat" in row:
        given = row["flat"] if isinstance(row["flat"], dict) else {}
        flat = FlatCharge(
            amount=check.decimal(f"{where}.flat.amount", given.get("amount"), positive=True),
            currency=check.currency(f"{where}.flat.currency", given.get("currency")),
            per=check.choice(f"{where}.flat.per", given.get("per"), ["subheading"]),
        )
        if "base" in row:
            check.bad(where, "a flat charge has no base")
    start, end = check.dates(where, row)
    return ChargeRule(
        kind=kind,
        collect=check.choice(f"{where}.collect", row.get("collect"), _COLLECT),
        base="price" if flat else check.choice(f"{where}.base", row.get("base"), _BASES),
        name=check.text(f"{where}.name", row.get("name"), limit=40, required=False),
        flat=flat,
        tax_factor=check.decimal(f"{where}.tax_factor", row.get("tax_factor", "1"), most=1),
        valid_from=start,
        valid_to=end,
    )


def _regime(check: _Checker, index: int, row: Any, groups: dict[str, list[str]]) -> Regime | None:
    where = f"regime[{index}]"
    if not isinstance(row, dict):
        check.bad(where, "must be a table")
        return None
    regime_id = check.text(f"{where}.id", row.get("id"), limit=40)
    where = f"regime {regime_id or index}"
    check.unknown_keys(where, row, _REGIME_KEYS)
    destinations: set[str] = set()
    given = row.get("destinations")
    if not isinstance(given, list) or not given:
        check.bad(f"{where}.destinations", 'must list countries, groups or "*"')
        given = []
    for entry in given:
        if entry == ANY:
            destinations.add(ANY)
        elif isinstance(entry, str) and entry in groups:
            destinations.update(groups[entry])
        else:
            destinations.add(check.country(f"{where}.destinations", entry))
    threshold = None
    if "threshold" in row:
        t = row["threshold"] if isinstance(row["threshold"], dict) else {}
        inclusive = t.get("inclusive")
        if not isinstance(inclusive, bool):
            check.bad(f"{where}.threshold.inclusive", "must be true or false")
        threshold = Threshold(
            amount=check.decimal(f"{where}.threshold.amount", t.get("amount"), positive=True),
            currency=check.currency(f"{where}.threshold.currency", t.get("currency")),
            measured_on=check.choice(
                f"{where}.threshold.measured_on", t.get("measured_on"), _MEASURES
            ),
            inclusive=bool(inclusive),
        )
    exclude = row.get("exclude", [])
    if not isinstance(exclude, list) or not all(
        isinstance(e, str) and (e == "excise" or (e.startswith("hs:") and e[3:].isdigit()))
        for e in exclude
    ):
        check.bad(f"{where}.exclude", 'must list "excise" or "hs:<digits>"')
        exclude = []
    sources = row.get("sources")
    if not isinstance(sources, list) or not sources:
        check.bad(f"{where}.sources", "must cite at least one URL")
        sources = []
    notes = row.get("notes", [])
    if not isinstance(notes, list):
        check.bad(f"{where}.notes", "must be a list of strings")
        notes = []
    charges_given = row.get("charge", [])
    if not isinstance(charges_given, list):
        check.bad(f"{where}.charge", "must be an array of tables ([[regime.charge]])")
        charges_given = []
    charges = [_charge(check, f"{where}.charge[{i}]", c) for i, c in enumerate(charges_given)]
    start, end = check.dates(where, row)
    return Regime(
        id=regime_id,
        destinations=frozenset(destinations),
        basis=check.choice(f"{where}.basis", row.get("basis"), _BASIS),
        charges=tuple(c for c in charges if c is not None),
        sources=tuple(_url(check, f"{where}.sources", s) for s in sources),
        threshold=threshold,
        exclude=tuple(exclude),
        valuation_factor=check.decimal(
            f"{where}.valuation_factor", row.get("valuation_factor", "1"), positive=True, most=1
        ),
        valid_from=start,
        valid_to=end,
        notes=tuple(check.text(f"{where}.notes", n, limit=500) for n in notes),
    )


def _tax(check: _Checker, index: int, row: Any) -> TaxRate | None:
    where = f"tax[{index}]"
    if not isinstance(row, dict):
        check.bad(where, "must be a table")
        return None
    check.unknown_keys(where, row, _TAX_KEYS)
    start, end = check.dates(where, row)
    return TaxRate(
        country=check.country(f"{where}.country", row.get("country")),
        name=check.text(f"{where}.name", row.get("name"), limit=40),
        rate=check.decimal(f"{where}.rate", row.get("rate"), most=100),
        source=_url(check, f"{where}.source", row.get("source")),
        valid_from=start,
        valid_to=end,
    )


def parse_regimes(text: str, source: str = "regimes file") -> Regimes:
    """The regimes of a file's text, checked whole; raises `RegimesFileError` otherwise."""
    check = _Checker()
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise RegimesFileError(source, [f"not valid TOML: {exc}"]) from None
    check.unknown_keys("file", data, {"version", "groups", "regime", "tax"})
    if data.get("version") != 1:
        check.bad("version", "must be 1")
    groups: dict[str, list[str]] = {}
    given_groups = data.get("groups") or {}
    if not isinstance(given_groups, dict):
        check.bad("groups", "must be a table of country lists")
        given_groups = {}
    for name, members in given_groups.items():
        if not isinstance(members, list) or not members:
            check.bad(f"groups.{name}", "must list countries")
            continue
        groups[name] = [check.country(f"groups.{name}", c) for c in members]
    rows = data.get("regime")
    if not isinstance(rows, list) or not rows:
        check.bad("regime", "the file defines no [[regime]]")
        rows = []
    regimes = [r for i, row in enumerate(rows) if (r := _regime(check, i, row, groups))]
    seen: set[str] = set()
    for regime in regimes:
        if regime.id in seen:
            check.bad(f"regime {regime.id}", "the id is used twice")
        seen.add(regime.id)
    if not regimes or ANY not in regimes[-1].destinations or regimes[-1].threshold is not None:
        check.bad("regime", f'the last regime must apply to "{ANY}" with no threshold')
    taxes: dict[str, list[TaxRate]] = {}
    tax_rows = data.get("tax") or []
    if not isinstance(tax_rows, list):
        check.bad("tax", "must be an array of tables ([[tax]])")
        tax_rows = []
    for i, row in enumerate(tax_rows):
        if (tax := _tax(check, i, row)) is not None:
            taxes.setdefault(tax.country, []).append(tax)
    for country, rates in taxes.items():
        ordered = sorted(rates, key=lambda r: r.valid_from or date.min)
        for before, after in itertools.pairwise(ordered):
            if (before.valid_to or date.max) > (after.valid_from or date.min):
                check.bad(f"tax {country}", "two rates overlap in time")
        taxes[country] = ordered
    if check.problems:
        raise RegimesFileError(source, check.problems)
    return Regimes(regimes=tuple(regimes), taxes={c: tuple(rates) for c, rates in taxes.items()})


def read_regimes(path: Path) -> Regimes:
    """The regimes of the file at `path`; raises `RegimesFileError` if it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegimesFileError(str(path), [f"cannot be read: {exc.strerror}"]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise RegimesFileError(str(path), ["is not UTF-8 text"]) from None
    return parse_regimes(text, str(path))


@lru_cache(maxsize=1)
def _load(path: Path) -> Regimes:
    return read_regimes(path)


def load_regimes(path: Path | None = None) -> Regimes:
    """The regimes of the file at `path`, else of the `customs_regimes_file` setting, else
    the shipped ones; read once per file and process."""
    return _load(path or get_settings().customs_regimes_file or SHIPPED_FILE)


def select_regime(
    regimes: Regimes,
    country: str,
    day: date,
    *,
    measure: Callable[[Regime, Threshold], Decimal],
    to_threshold: dict[str, Decimal | None],
    goods: Iterable[tuple[str, bool]],
) -> tuple[Regime | None, list[tuple[Regime, Decimal]]]:
    """The regime for a parcel to `country` on `day`, and each threshold tested on the way
    with the value measured for it (in the threshold's currency).

    `measure` gives the amount a regime's threshold is tested on, in shop-currency minor
    units; `to_threshold` converts such an amount into a threshold currency's major units
    (per currency: the multiplier; None when no rate is known). `goods` is each line's (HS
    code, excise flag). The regime is None when a threshold could not be tested for want of
    an exchange rate: it is then unknown, never guessed.
    """
    goods = list(goods)
    tested: list[tuple[Regime, Decimal]] = []
    for regime in regimes.candidates(country, day):
        if any(regime.excludes(hs, excise) for hs, excise in goods):
            continue
        if regime.threshold is None:
            return regime, tested
        factor = to_threshold.get(regime.threshold.currency)
        if factor is None:
            return None, tested
        value = measure(regime, regime.threshold) * factor
        tested.append((regime, value))
        if regime.threshold.holds(value):
            return regime, tested
    return None, tested
