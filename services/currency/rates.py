"""Exchange rates: the ECB import, rates set by hand, and the current quote for a currency.

Two kinds of rows are kept (`models.currency.ExchangeRate`): the ECB's EUR-based reference
rates, one row per currency and day, and manual rates staff set from the shop currency
to another. The quote for a currency is the newer of its manual rate and the ECB cross
rate (EUR->currency / EUR->shop currency); on the same day the manual one wins, because
a merchant who sets a rate by hand means it.

A rate counts as current through the end of its day (UTC) and turns stale
`exchange_rate_max_age_hours` later (72 by default, so Friday's ECB rates last the
weekend). Stale quotes are still returned, flagged, so that a storefront can show a
notice and checkout can refuse them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from pathlib import Path

import httpx2
from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Max

from models.currency import ExchangeRate, RateSource, RoundingRule
from services.currency import currencies, ecb
from services.currency.errors import CurrencyErrorCode, fail
from services.transactions import atomic
from settings import get_settings
from subscriptions import events

log = logging.getLogger("tradewind.currency")

#: The quote source of the shop currency itself (rate 1).
SHOP = "shop"
#: Significant digits a derived (cross) rate keeps: the ECB's own have five or six.
RATE_DIGITS = 12
#: Bounds of a rate set by hand: significant digits, decimal places, and size.
MANUAL_RATE_DIGITS = 12
MANUAL_RATE_PLACES = 10
MANUAL_RATE_MAX = Decimal("1e9")
#: Seconds to wait for the ECB's answer.
FETCH_TIMEOUT = 15.0


@dataclass(frozen=True, slots=True)
class RateQuote:
    """How a price in the shop currency is shown in `currency`."""

    currency: str
    #: Units of `currency` per unit of the shop currency.
    rate: Decimal
    #: "shop" (rate 1), "ecb" or "manual".
    source: str
    #: The day the rate is for; None for the shop currency.
    rate_date: date | None
    stale: bool
    shop_currency: str = field(default_factory=lambda: get_settings().shop_currency)
    #: The currency's price-ending rule (`services.currency.convert`).
    rounding: RoundingRule = RoundingRule.NONE

    @property
    def is_identity(self) -> bool:
        """Whether this is the shop currency itself: amounts are shown unchanged."""
        return self.currency == self.shop_currency


def shop_quote() -> RateQuote:
    """The quote of the shop currency: rate 1, never stale."""
    shop = get_settings().shop_currency
    return RateQuote(
        currency=shop, rate=Decimal(1), source=SHOP, rate_date=None, stale=False, shop_currency=shop
    )


def is_stale(rate_date: date, now: datetime) -> bool:
    """Whether a rate for `rate_date` is older than `exchange_rate_max_age_hours` at `now`."""
    day_ended = datetime.combine(rate_date + timedelta(days=1), time.min, tzinfo=UTC)
    return now - day_ended > timedelta(hours=get_settings().exchange_rate_max_age_hours)


def rate_text(rate: Decimal) -> str:
    """A rate as plain decimal text without trailing zeros (never exponent notation)."""
    return format(rate.normalize(), "f")


def round_rate(value: Decimal) -> Decimal:
    """`value` to `RATE_DIGITS` significant digits, in plain form."""
    with localcontext() as ctx:
        ctx.prec = RATE_DIGITS
        ctx.rounding = ROUND_HALF_EVEN
        rounded = +value
    return Decimal(rate_text(rounded))


def cross_rate(eur_to_currency: Decimal, eur_to_shop: Decimal) -> Decimal:
    """Units of a currency per shop unit, from two EUR-based rates, at high precision."""
    with localcontext() as ctx:
        ctx.prec = 50
        value = eur_to_currency / eur_to_shop
    return round_rate(value)


# Looking rates up.


@dataclass(frozen=True, slots=True)
class _Wanted:
    source: RateSource
    base: str
    quote: str
    rate_date: date


def _as_date(value: object) -> date:
    # SQLite hands an aggregate of a date column back as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value))


async def current_rates(
    codes: Iterable[str], *, now: datetime | None = None
) -> dict[str, RateQuote]:
    """The current quote of each of `codes` that has a rate, in two queries for them all.

    Whether the currency is offered is not checked here (see `quote`); the quotes carry
    no price-ending rule.
    """
    shop = get_settings().shop_currency
    now = now or timezone.now()
    asked = set(codes)
    wanted = sorted(asked - {shop})
    found: dict[str, RateQuote] = {shop: shop_quote()} if shop in asked else {}
    if not wanted:
        return found
    ecb_codes = sorted({*wanted, shop} - {ecb.ECB_BASE})
    latest = await (
        ExchangeRate.filter(
            Q(source=RateSource.MANUAL, base=shop, quote__in=wanted)
            | Q(source=RateSource.ECB, base=ecb.ECB_BASE, quote__in=ecb_codes)
        )
        .annotate(latest=Max("rate_date"))
        .group_by("source", "quote")
        .order_by("source", "quote")
        .values("source", "quote", "latest")
    )
    newest = {(RateSource(r["source"]), r["quote"]): _as_date(r["latest"]) for r in latest}

    # For each currency: its newest manual rate, and the ECB day its cross rate comes from.
    plans: dict[str, tuple[date | None, date | None]] = {}
    rows_wanted: set[_Wanted] = set()
    for code in wanted:
        manual_day = newest.get((RateSource.MANUAL, code))
        if manual_day:
            rows_wanted.add(_Wanted(RateSource.MANUAL, shop, code, manual_day))
        anchor = code if code != ecb.ECB_BASE else shop
        ecb_day = newest.get((RateSource.ECB, anchor))
        if ecb_day:
            for leg in {code, shop} - {ecb.ECB_BASE}:
                rows_wanted.add(_Wanted(RateSource.ECB, ecb.ECB_BASE, leg, ecb_day))
        plans[code] = (manual_day, ecb_day)
    if not rows_wanted:
        return found
    condition = Q()
    for w in rows_wanted:
        condition |= Q(source=w.source, base=w.base, quote=w.quote, rate_date=w.rate_date)
    rows = {
        (RateSource(r.source), r.quote, r.rate_date): r
        for r in await ExchangeRate.filter(condition).order_by("id")
    }

    def ecb_leg(code: str, day: date) -> Decimal | None:
        if code == ecb.ECB_BASE:
            return Decimal(1)
        row = rows.get((RateSource.ECB, code, day))
        return Decimal(row.rate) if row else None

    for code, (manual_day, ecb_day) in plans.items():
        manual = rows.get((RateSource.MANUAL, code, manual_day)) if manual_day else None
        ecb_rate = None
        if ecb_day is not None:
            to_code, to_shop = ecb_leg(code, ecb_day), ecb_leg(shop, ecb_day)
            if to_code is not None and to_shop is not None:
                ecb_rate = cross_rate(to_code, to_shop)
        if manual is not None and (ecb_rate is None or manual.rate_date >= (ecb_day or date.min)):
            found[code] = RateQuote(
                currency=code,
                rate=Decimal(manual.rate),
                source=RateSource.MANUAL.value,
                rate_date=manual.rate_date,
                stale=is_stale(manual.rate_date, now),
                shop_currency=shop,
            )
        elif ecb_rate is not None and ecb_day is not None:
            found[code] = RateQuote(
                currency=code,
                rate=ecb_rate,
                source=RateSource.ECB.value,
                rate_date=ecb_day,
                stale=is_stale(ecb_day, now),
                shop_currency=shop,
            )
    return found


async def quote(currency: str, *, now: datetime | None = None) -> RateQuote:
    """The current rate to show shop prices in `currency`, with its rounding rule.

    Raises `CurrencyError`: INVALID_CURRENCY for a code that is not ISO 4217,
    CURRENCY_NOT_ENABLED for one the merchant does not offer, RATE_UNAVAILABLE when no
    rate exists. A stale rate is returned with `stale` set.
    """
    code = currencies.normalize_code(currency)
    if code == get_settings().shop_currency:
        return shop_quote()
    offered = await currencies.enabled_currency(code)
    found = (await current_rates([code], now=now)).get(code)
    if found is None:
        raise fail(
            CurrencyErrorCode.RATE_UNAVAILABLE,
            f"There is no exchange rate for {code} yet.",
            "currency",
        )
    return replace(found, rounding=RoundingRule(offered.rounding))


@dataclass(frozen=True, slots=True)
class StoredRate:
    row: ExchangeRate
    stale: bool


async def latest_rates(*, now: datetime | None = None) -> list[StoredRate]:
    """The newest stored rate of each currency and source (ECB EUR-based, manual), by code."""
    now = now or timezone.now()
    shop = get_settings().shop_currency
    newest = await (
        ExchangeRate.filter(
            Q(source=RateSource.ECB, base=ecb.ECB_BASE) | Q(source=RateSource.MANUAL, base=shop)
        )
        .annotate(latest=Max("rate_date"))
        .group_by("source", "base", "quote")
        .order_by("source", "base", "quote")
        .values("source", "base", "quote", "latest")
    )
    if not newest:
        return []
    condition = Q()
    for r in newest:
        condition |= Q(
            source=r["source"], base=r["base"], quote=r["quote"], rate_date=_as_date(r["latest"])
        )
    rows = await ExchangeRate.filter(condition).order_by("quote", "source")
    return [StoredRate(row=row, stale=is_stale(row.rate_date, now)) for row in rows]


# Changing rates.


def check_manual_rate(rate: Decimal | str) -> Decimal:
    """A rate staff typed, as a positive decimal of sensible size; INVALID_RATE otherwise."""
    try:
        value = Decimal(str(rate).strip())
    except InvalidOperation:
        raise fail(CurrencyErrorCode.INVALID_RATE, f"{rate!r} is not a number.", "rate") from None
    if not value.is_finite() or value <= 0:
        raise fail(CurrencyErrorCode.INVALID_RATE, "A rate must be a positive number.", "rate")
    if value >= MANUAL_RATE_MAX:
        raise fail(CurrencyErrorCode.INVALID_RATE, "A rate this large is not plausible.", "rate")
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > MANUAL_RATE_PLACES or len(normal.as_tuple().digits) > MANUAL_RATE_DIGITS:
        raise fail(
            CurrencyErrorCode.INVALID_RATE,
            f"A rate has at most {MANUAL_RATE_DIGITS} significant digits and "
            f"{MANUAL_RATE_PLACES} decimal places.",
            "rate",
        )
    return Decimal(rate_text(normal))


async def set_manual_rate(
    currency: str,
    rate: Decimal | str,
    *,
    actor_id: int | None,
    today: date | None = None,
) -> ExchangeRate:
    """Set today's rate from the shop currency to `currency` by hand (replacing today's).

    The currency need not be offered yet, so a merchant can set its rate before enabling
    it; the shop currency itself always has rate 1 and is refused.
    """
    code = currencies.normalize_code(currency)
    shop = get_settings().shop_currency
    if code == shop:
        raise fail(
            CurrencyErrorCode.SHOP_CURRENCY,
            f"{code} is the shop currency; its rate is always 1.",
            "currency",
        )
    value = rate_text(check_manual_rate(rate))
    day = today or timezone.now().date()
    async with atomic():
        row = await ExchangeRate.select_for_update().get_or_none(
            base=shop, quote=code, source=RateSource.MANUAL, rate_date=day
        )
        if row is None:
            row = await ExchangeRate.create(
                base=shop,
                quote=code,
                rate=value,
                source=RateSource.MANUAL,
                rate_date=day,
                created_by_id=actor_id,
            )
        else:
            row.rate = value
            row.created_by_id = actor_id
            await row.save(update_fields=["rate", "created_by_id"])
        await events.publish(events.RatesChanged(dates=(day,)))
    return row


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an ECB import found and wrote."""

    dates: list[date]
    #: Rows written; 0 when every day was imported before.
    written: int
    #: Codes in the file that were not imported (not ISO 4217 currencies with a minor unit).
    skipped: list[str]


async def import_ecb(data: bytes) -> ImportResult:
    """Store the days of an ECB reference-rates document that are not stored yet.

    Idempotent: a day already imported is left as it is, so importing the same file
    again writes nothing. Raises `CurrencyError` INVALID_RATES_FILE and writes nothing
    when any part of the file is bad.
    """
    days = ecb.parse_rates(data)
    first, last = days[-1].rate_date, days[0].rate_date
    stored = {
        (code, _as_date(day))
        for code, day in await ExchangeRate.filter(
            source=RateSource.ECB, base=ecb.ECB_BASE, rate_date__gte=first, rate_date__lte=last
        ).values_list("quote", "rate_date")
    }
    new = [
        ExchangeRate(
            base=ecb.ECB_BASE,
            quote=code,
            rate=str(value),
            source=RateSource.ECB,
            rate_date=day.rate_date,
        )
        for day in days
        for code, value in day.rates.items()
        if (code, day.rate_date) not in stored
    ]
    if new:
        async with atomic():
            # Another process importing the same day at once: the unique key keeps one row.
            await ExchangeRate.bulk_create(new, batch_size=500, ignore_conflicts=True)
            written_days = sorted({row.rate_date for row in new})
            await events.publish(events.RatesChanged(dates=tuple(written_days)))
    skipped = sorted({code for day in days for code in day.skipped})
    log.info("currency.ecb_imported days=%d written=%d skipped=%s", len(days), len(new), skipped)
    return ImportResult(dates=[d.rate_date for d in days], written=len(new), skipped=skipped)


async def fetch_ecb(url: str) -> bytes:
    """The body at `url`, refused beyond the size of any rates file; RATES_FETCH_FAILED."""
    try:
        async with (
            httpx2.AsyncClient(timeout=FETCH_TIMEOUT, follow_redirects=True) as http,
            http.stream("GET", url, headers={"Accept": "application/xml, text/xml"}) as response,
        ):
            response.raise_for_status()
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > ecb.MAX_FILE_BYTES:
                    raise fail(
                        CurrencyErrorCode.INVALID_RATES_FILE,
                        f"{url} sent more than {ecb.MAX_FILE_BYTES} bytes.",
                    )
            return bytes(body)
    except httpx2.HTTPError as exc:
        raise fail(CurrencyErrorCode.RATES_FETCH_FAILED, f"Could not fetch {url}: {exc}.") from None


async def import_ecb_url(url: str | None = None) -> ImportResult:
    """Fetch and import the ECB rates at `url` (the `ecb_rates_url` setting by default)."""
    return await import_ecb(await fetch_ecb(url or get_settings().ecb_rates_url))


async def import_ecb_file(path: Path) -> ImportResult:
    """Import an ECB rates file from disk."""
    return await import_ecb(await asyncio.to_thread(_read_capped, path))


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as file:
        data = file.read(ecb.MAX_FILE_BYTES + 1)
    if len(data) > ecb.MAX_FILE_BYTES:
        raise fail(CurrencyErrorCode.INVALID_RATES_FILE, f"{path.name} is too large.")
    return data
