"""The merchant's duty rates: one rate per destination and HS code prefix, kept by hand or
imported from a CSV file, and exported the same way.

A rate arrives as a decimal percentage ("12.8") and is stored exactly as basis points (1280):
more than two decimals cannot be stored exactly and are refused, not rounded. The empty
prefix is the destination's default rate; the longest prefix matching a code wins (the
checkout's lookup reads them).

A CSV import is all or nothing: every row is checked first and the whole file is refused
with every problem found (by line and column), or applied in one transaction as upserts on
the (country, prefix) key, so two imports at once never make duplicates or half-files.
A dry run answers what an import would change without writing.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any, TypedDict

import orjson
from tortoise import timezone
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.customs import DutyRate
from services.customs.setup_errors import (
    CustomsSetupError,
    CustomsSetupErrorCode,
    country_code,
    has_control_characters,
    not_found,
)
from services.errors import Problem, Problems
from services.pagination import (
    DEFAULT_PAGE_SIZE,
    Page,
    PageRequest,
    PaginationError,
    PaginationErrorCode,
    check_page_size,
)
from services.transactions import atomic

Code = CustomsSetupErrorCode

#: Digits of the longest prefix: a 10-digit national tariff line.
MAX_PREFIX_DIGITS = 10
#: The highest rate, 1000 %, in basis points (the table's check constraint).
MAX_RATE_BPS = 100_000
#: Characters of a rate's source (a tariff's URL or name).
SOURCE_MAX = 300
#: Bytes of a CSV file (UTF-8), and rates in it.
MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 5000
#: Problems of a refused file listed one by one; the rest are counted in a last one.
MAX_LISTED_PROBLEMS = 100
#: Created or updated rates an import's answer lists (the counts cover them all).
MAX_LISTED_CHANGES = 500

#: The CSV columns, in the order an export writes them; `source` may be left out.
COLUMNS = ("country", "hs_prefix", "rate_percent", "source")
REQUIRED_COLUMNS = frozenset(COLUMNS[:3])

_RATE = re.compile(r"([0-9]+)(?:\.([0-9]*))?")
#: Characters that make a spreadsheet read a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@")


class RateFields(TypedDict, total=False):
    #: ISO 3166-1 alpha-2, any case.
    country: str
    #: 0 to 10 digits; dots and spaces are ignored ("6109.10").
    hs_prefix: str
    #: A decimal percentage with at most two decimals, e.g. "12.8" or "0".
    rate_percent: str
    source: str


@dataclass(frozen=True, slots=True)
class RateRow:
    """One checked rate, as stored."""

    country: str
    hs_prefix: str
    rate_bps: int
    source: str


class Change(Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class RateChange:
    """What an import does to one rate: the new values, and the stored ones it replaces."""

    change: Change
    row: RateRow
    previous_rate_bps: int | None = None
    previous_source: str | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import changed (or, in a dry run, would change)."""

    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    #: The created and updated rates, by country and prefix, at most `MAX_LISTED_CHANGES`.
    changes: list[RateChange]


@dataclass(frozen=True, slots=True)
class RateFilter:
    country: str | None = None
    #: Rates whose prefix starts with these digits.
    prefix: str | None = None


# Checking one rate.


def rate_bps_of(value: object, problems: Problems[Code], *field: str) -> int | None:
    """Basis points of a decimal percentage, exactly; None with a problem noted otherwise."""
    text = str(value if value is not None else "").strip().removesuffix("%").strip()
    if not text:
        problems.add(Code.REQUIRED, "Give the rate as a percentage, like 12.8.", *field)
        return None
    negative = text.startswith("-")
    match = _RATE.fullmatch(text.removeprefix("-"))
    if match is None or len(text) > 20:
        problems.add(
            Code.INVALID_RATE,
            "A rate is a percentage written with digits and a dot, like 12.8.",
            *field,
        )
        return None
    decimals = match.group(2) or ""
    if len(decimals) > 2:
        problems.add(
            Code.INVALID_RATE,
            "A rate has at most two decimals (12.85 %): it is kept exactly, never rounded.",
            *field,
        )
        return None
    bps = int(Decimal(match.group(0)) * 100)
    if negative and bps:
        bps = -bps
    if not 0 <= bps <= MAX_RATE_BPS:
        problems.add(Code.RATE_OUT_OF_RANGE, "A rate is from 0 to 1000 %.", *field)
        return None
    return bps


def percent_of(bps: int) -> str:
    """A rate in basis points as the shortest decimal percentage: 1280 -> "12.8"."""
    whole, cents = divmod(bps, 100)
    if not cents:
        return str(whole)
    return f"{whole}.{cents:02d}".rstrip("0")


def hs_prefix_of(value: object, problems: Problems[Code], *field: str) -> str | None:
    """The digits of an HS code prefix (dots and spaces dropped); None with a problem noted."""
    text = str(value if value is not None else "").replace(".", "").replace(" ", "").strip()
    if len(text) > MAX_PREFIX_DIGITS or not (text.isascii() and (text.isdigit() or not text)):
        problems.add(
            Code.INVALID_HS_PREFIX,
            f"An HS code prefix is up to {MAX_PREFIX_DIGITS} digits (empty: the "
            "destination's default rate).",
            *field,
        )
        return None
    return text


def source_of(value: object, problems: Problems[Code], *field: str) -> str | None:
    """A rate's source: one line of text, trimmed; None with a problem noted."""
    text = str(value if value is not None else "").strip()
    if len(text) > SOURCE_MAX:
        problems.add(Code.TOO_LONG, f"A source has at most {SOURCE_MAX} characters.", *field)
        return None
    if has_control_characters(text):
        problems.add(
            Code.INVALID_SOURCE,
            "A source is one line of text, without control characters.",
            *field,
        )
        return None
    # A cell starting so would run as a formula in the spreadsheet an export is opened in.
    if text.startswith(_FORMULA_START):
        problems.add(Code.INVALID_SOURCE, "A source cannot start with =, +, - or @.", *field)
        return None
    return text


def _country(value: object, problems: Problems[Code], *field: str) -> str | None:
    if not str(value or "").strip():
        problems.add(Code.REQUIRED, "Give the destination country.", *field)
        return None
    code = country_code(value)
    if code is None:
        shown = str(value)[:20]
        problems.add(
            Code.INVALID_COUNTRY, f"{shown!r} is not an ISO 3166-1 alpha-2 country code.", *field
        )
    return code


def check_rate(fields: Mapping[str, Any], problems: Problems[Code], *path: str) -> RateRow | None:
    """One rate's fields checked, each problem noted at `path` + its field name."""
    country = _country(fields.get("country"), problems, *path, "country")
    prefix = hs_prefix_of(fields.get("hs_prefix"), problems, *path, "hs_prefix")
    bps = rate_bps_of(fields.get("rate_percent"), problems, *path, "rate_percent")
    source = source_of(fields.get("source"), problems, *path, "source")
    if country is None or prefix is None or bps is None or source is None:
        return None
    return RateRow(country=country, hs_prefix=prefix, rate_bps=bps, source=source)


# One rate at a time.


async def set_rate(fields: RateFields) -> tuple[DutyRate, bool]:
    """Create the rate of (country, prefix) or change it; True when it was created."""
    problems = Problems(CustomsSetupError)
    row = check_rate(fields, problems)
    problems.raise_if_any()
    assert row is not None
    async with atomic():
        existed = await DutyRate.exists(country=row.country, hs_prefix=row.hs_prefix)
        await _upsert([row])
    return await DutyRate.get(country=row.country, hs_prefix=row.hs_prefix), not existed


async def delete_rate(rate_id: int) -> DutyRate:
    """Delete one rate; the goods it covered fall back to a shorter prefix or unknown."""
    rate = await get_rate(rate_id)
    if not await DutyRate.filter(id=rate_id).delete():
        raise not_found("The duty rate", "id")
    return rate


async def get_rate(rate_id: int) -> DutyRate:
    rate = await DutyRate.get_or_none(id=rate_id)
    if rate is None:
        raise not_found("The duty rate", "id")
    return rate


# Lists.


def check_filter(filter: RateFilter | None) -> RateFilter:
    """The filter with its country and prefix normalised; typed errors at `filter.*`."""
    if filter is None:
        return RateFilter()
    problems = Problems(CustomsSetupError)
    country = None
    if filter.country:
        country = _country(filter.country, problems, "filter", "country")
    prefix = None
    if filter.prefix:
        prefix = hs_prefix_of(filter.prefix, problems, "filter", "prefix")
    problems.raise_if_any()
    return RateFilter(country=country, prefix=prefix or None)


def rate_queryset(filter: RateFilter | None = None) -> QuerySet[DutyRate]:
    """The rates a checked filter selects."""
    qs = DutyRate.all()
    if filter is not None and filter.country:
        qs = qs.filter(country=filter.country)
    if filter is not None and filter.prefix:
        qs = qs.filter(hs_prefix__startswith=filter.prefix)
    return qs


def _cursor(rate: DutyRate) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([rate.country, rate.hs_prefix])).decode()


def _key_of(cursor: str) -> tuple[str, str]:
    try:
        country, prefix = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        if not (isinstance(country, str) and isinstance(prefix, str)):
            raise ValueError
        if len(country) != 2 or len(prefix) > MAX_PREFIX_DIGITS:
            raise ValueError
    except Exception:
        raise PaginationError(
            Problem(PaginationErrorCode.INVALID_CURSOR, "The cursor is not valid.")
        ) from None
    return country, prefix


async def list_rates(
    filter: RateFilter | None, page: PageRequest, *, max_size: int = 100
) -> Page[DutyRate]:
    """One page of rates by country, then prefix (the default first): a keyset on the
    table's unique (country, prefix) key, in one query."""
    check_page_size(page, max_size)
    qs = rate_queryset(check_filter(filter))
    if page.after:
        country, prefix = _key_of(page.after)
        qs = qs.filter(Q(country__gt=country) | Q(country=country, hs_prefix__gt=prefix))
    if page.before:
        country, prefix = _key_of(page.before)
        qs = qs.filter(Q(country__lt=country) | Q(country=country, hs_prefix__lt=prefix))
    backwards = page.last is not None
    size = page.last if backwards else page.first
    if size is None:
        size = DEFAULT_PAGE_SIZE
    order = ("-country", "-hs_prefix") if backwards else ("country", "hs_prefix")
    rows = list(await qs.order_by(*order).limit(size + 1))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    return Page(
        items=rows,
        cursors=[_cursor(r) for r in rows],
        has_next_page=more if not backwards else page.before is not None,
        has_previous_page=more if backwards else page.after is not None,
    )


# CSV.


def _text_of(data: str | bytes) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, within the size limit."""
    raw: bytes
    if isinstance(data, bytes):
        raw = data
    else:
        try:
            raw = data.encode("utf-8")
        except UnicodeEncodeError:
            raise CustomsSetupError.fail(
                Code.INVALID_ENCODING, "The file is not valid UTF-8 text.", "csv"
            ) from None
    if len(raw) > MAX_CSV_BYTES:
        raise CustomsSetupError.fail(
            Code.FILE_TOO_LARGE,
            f"A rates file is at most {MAX_CSV_BYTES // 1024} KiB; split it in several.",
            "csv",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CustomsSetupError.fail(
            Code.INVALID_ENCODING,
            "The file is not UTF-8 text: save it from the spreadsheet as CSV UTF-8.",
            "csv",
        ) from None
    if not text.strip():
        raise CustomsSetupError.fail(Code.EMPTY_FILE, "The file is empty.", "csv")
    return text


def _columns(record: Sequence[str]) -> list[str]:
    names = [name.strip().lower() for name in record]
    known = set(COLUMNS)
    if (
        len(set(names)) != len(names)
        or not set(names) >= REQUIRED_COLUMNS
        or not set(names) <= known
    ):
        raise CustomsSetupError.fail(
            Code.INVALID_HEADER,
            "The first line must name the columns: country,hs_prefix,rate_percent,source "
            "(source may be left out).",
            "csv",
            "1",
        )
    return names


def parse_rates_csv(data: str | bytes) -> list[RateRow]:
    """Every rate of a CSV file, checked; the whole file refused with every problem found.

    Problems are at `csv.<line>.<column>` (line 1 is the header); blank lines are skipped.
    """
    text = _text_of(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems = Problems(CustomsSetupError)
    rows: list[RateRow] = []
    seen: dict[tuple[str, str], int] = {}
    columns: list[str] | None = None
    count = 0
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = _columns(record)
                continue
            count += 1
            if count > MAX_CSV_ROWS:
                raise CustomsSetupError.fail(
                    Code.TOO_MANY_ROWS,
                    f"A rates file has at most {MAX_CSV_ROWS} rates; split it in several.",
                    "csv",
                )
            if len(record) != len(columns):
                problems.add(
                    Code.INVALID_ROW,
                    f"Line {line} has {len(record)} fields where the header has {len(columns)}.",
                    "csv",
                    str(line),
                )
                continue
            row = check_rate(dict(zip(columns, record, strict=True)), problems, "csv", str(line))
            if row is None:
                continue
            key = (row.country, row.hs_prefix)
            if key in seen:
                problems.add(
                    Code.DUPLICATE_ROW,
                    f"Line {line} repeats the rate of {row.country} "
                    f"{row.hs_prefix or '(default)'} given on line {seen[key]}.",
                    "csv",
                    str(line),
                )
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        problems.add(
            Code.INVALID_ROW,
            f"Line {reader.line_num} is not valid CSV: {exc}.",
            "csv",
            str(reader.line_num),
        )
    if columns is None:
        raise CustomsSetupError.fail(Code.EMPTY_FILE, "The file is empty.", "csv")
    if problems.items:
        listed = problems.items[:MAX_LISTED_PROBLEMS]
        rest = len(problems.items) - len(listed)
        if rest:
            listed.append(
                Problem(
                    Code.TOO_MANY_ERRORS,
                    f"{rest} more problems are not listed: fix these first.",
                    ("csv",),
                )
            )
        raise CustomsSetupError(listed)
    if not rows:
        raise CustomsSetupError.fail(
            Code.EMPTY_FILE, "The file names its columns but holds no rates.", "csv"
        )
    return rows


async def _stored(rows: Sequence[RateRow]) -> dict[tuple[str, str], DutyRate]:
    countries = sorted({r.country for r in rows})
    stored = await DutyRate.filter(country__in=countries)
    return {(r.country, r.hs_prefix): r for r in stored}


def _plan(rows: Sequence[RateRow], stored: Mapping[tuple[str, str], DutyRate]) -> list[RateChange]:
    changes = []
    for row in rows:
        current = stored.get((row.country, row.hs_prefix))
        if current is None:
            changes.append(RateChange(Change.CREATED, row))
        elif (current.rate_bps, current.source) == (row.rate_bps, row.source):
            changes.append(RateChange(Change.UNCHANGED, row, current.rate_bps, current.source))
        else:
            changes.append(RateChange(Change.UPDATED, row, current.rate_bps, current.source))
    return changes


async def _upsert(rows: Sequence[RateRow]) -> None:
    """Insert the rows, or update the rate and source of those whose key exists.

    One statement per batch, on the unique key: an import racing another (or a rate set by
    hand) never fails on a duplicate; the last to commit wins. Rows are written in key order
    so that two imports lock the same keys in the same order and cannot deadlock.
    """
    now = timezone.now()
    objects = [
        DutyRate(
            country=r.country,
            hs_prefix=r.hs_prefix,
            rate_bps=r.rate_bps,
            source=r.source,
            created_at=now,
            updated_at=now,
        )
        for r in sorted(rows, key=lambda r: (r.country, r.hs_prefix))
    ]
    await DutyRate.bulk_create(
        objects,
        batch_size=500,
        on_conflict=["country", "hs_prefix"],
        update_fields=["rate_bps", "source", "updated_at"],
    )


async def import_rates(data: str | bytes, *, dry_run: bool = False) -> ImportResult:
    """Apply a CSV file of rates (all of it, or nothing); a dry run only tells what would
    change."""
    rows = sorted(parse_rates_csv(data), key=lambda r: (r.country, r.hs_prefix))
    if dry_run:
        changes = _plan(rows, await _stored(rows))
    else:
        async with atomic():
            changes = _plan(rows, await _stored(rows))
            await _upsert([c.row for c in changes if c.change is not Change.UNCHANGED])
    counts = {kind: sum(1 for c in changes if c.change is kind) for kind in Change}
    return ImportResult(
        dry_run=dry_run,
        rows=len(rows),
        created=counts[Change.CREATED],
        updated=counts[Change.UPDATED],
        unchanged=counts[Change.UNCHANGED],
        changes=[c for c in changes if c.change is not Change.UNCHANGED][:MAX_LISTED_CHANGES],
    )


async def export_rates(filter: RateFilter | None = None) -> tuple[str, int]:
    """The rates a filter selects as a CSV file an import takes back unchanged, and how many.

    UTF-8 text with the header line and CRLF line ends, by country and prefix.
    """
    rates = await rate_queryset(check_filter(filter)).order_by("country", "hs_prefix")
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for rate in rates:
        writer.writerow([rate.country, rate.hs_prefix, percent_of(rate.rate_bps), rate.source])
    return out.getvalue(), len(rates)
