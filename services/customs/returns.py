"""Tax returns of the taxes collected at checkout: the EU's IOSS monthly return, UK VAT on
low-value imports and Australian GST on low-value goods.

Each return lists, for its period, the import tax collected under one regime by country of
consumption and rate: the taxable amount (the price the rate was applied to) and the tax, in
the return's currency. Only charges collected at checkout count (`OrderCharge.collected`),
of kind `import_tax`; the EU's flat duty is a customs debt paid at import, not through IOSS.

Which orders count in a period: those whose payment was accepted in it (`paid_at`, UTC).
Under IOSS the VAT becomes chargeable when the payment is accepted (VAT Directive art. 66a),
and the other regimes tax the sale when it is paid for as well. An order never paid, or
cancelled before the period ended, does not count.

Refunds and cancellations reduce the tax in the period they happen in:
- a refund or cancellation of an order paid in the same period nets into that period's rows;
- one of an order paid in an earlier period is a correction: listed apart, with the month
  the order was paid in, as the IOSS return's "corrections of previous periods" section asks.
A charge's refunds are recorded as one running amount (`OrderCharge.refunded`): it is dated
by the order's latest succeeded refund. A cancelled order gives back its whole charge, dated
when it was cancelled (its refunds are not counted again).

Currencies: amounts paid in the return's currency count as they were paid. Others are
converted with the ECB reference rates the shop stores:
- IOSS: the rate of the last day of the month the amount belongs to (the return's month,
  or for a correction the month corrected), or if the ECB published none that day, of the
  next day it did (VAT Directive art. 369v);
- UK and Australia: the rate of the day the order was paid, or the latest before it.
The rates used are returned with their dates. A missing rate refuses the return rather than
guessing (RATE_UNAVAILABLE): import the ECB's rates first.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import Enum

from tortoise.expressions import Q
from tortoise.functions import Max

from models.currency import ExchangeRate, RateSource
from models.customs import ChargeKind, OrderCharge
from models.orders import OrderStatus
from models.payments import Refund, RefundStatus
from services.currency.convert import share
from services.errors import ServiceError
from services.money import currency_exponent

#: The ECB quotes every rate against the euro.
ECB_BASE = "EUR"
#: The longest UK or Australian period a return covers, in days.
MAX_DAYS = 366
#: Years an IOSS return can be asked for: the scheme began in July 2021.
FIRST_YEAR = 2021
LAST_YEAR = 2999
#: How far from the day wanted a stored ECB rate may be (weekends, holidays, a late import).
RATE_SEARCH_DAYS = 10


class TaxReturnErrorCode(Enum):
    INVALID_MONTH = "invalid_month"
    INVALID_YEAR = "invalid_year"
    INVALID_RANGE = "invalid_range"
    RANGE_TOO_LONG = "range_too_long"
    RATE_UNAVAILABLE = "rate_unavailable"


class TaxReturnError(ServiceError[TaxReturnErrorCode]):
    """A return that cannot be made for the period asked; nothing was computed."""


fail = TaxReturnError.fail


class ReturnKind(Enum):
    IOSS = "ioss"
    UK = "uk"
    AU = "au"


@dataclass(frozen=True, slots=True)
class Scheme:
    kind: ReturnKind
    #: The regime id in `OrderCharge.regime`.
    regime: str
    #: The currency the return is made out in.
    currency: str
    #: True: convert at the ECB rate of the period's last day (or the next published);
    #: false: at the rate of the payment day (or the latest before it).
    period_end_rate: bool


SCHEMES = {
    ReturnKind.IOSS: Scheme(ReturnKind.IOSS, "EU-IOSS", "EUR", period_end_rate=True),
    ReturnKind.UK: Scheme(ReturnKind.UK, "GB-LVI", "GBP", period_end_rate=False),
    ReturnKind.AU: Scheme(ReturnKind.AU, "AU-LVG", "AUD", period_end_rate=False),
}


@dataclass(slots=True)
class ReturnRow:
    """The tax of one country of consumption and rate, net of this period's refunds."""

    country: str
    rate_bps: int | None
    orders: int = 0
    taxable: int = 0
    tax: int = 0


@dataclass(slots=True)
class ReturnCorrection:
    """Tax given back in this period on orders paid in an earlier month (negative)."""

    country: str
    #: The month the orders were paid in, `YYYY-MM`: the period the correction is for.
    period: str
    orders: int = 0
    taxable: int = 0
    tax: int = 0


@dataclass(frozen=True, slots=True)
class RateUsed:
    """An ECB reference rate a conversion used: units of `currency` per euro."""

    currency: str
    rate: Decimal
    rate_date: date
    #: The day the rule asked for (the rate's own date may be the next or previous one).
    wanted: date


@dataclass(slots=True)
class TaxReturn:
    kind: ReturnKind
    regime: str
    currency: str
    start: date
    #: Last day, included.
    end: date
    rows: list[ReturnRow] = field(default_factory=list)
    corrections: list[ReturnCorrection] = field(default_factory=list)
    rates: list[RateUsed] = field(default_factory=list)

    @property
    def taxable(self) -> int:
        return sum(row.taxable for row in self.rows)

    @property
    def tax(self) -> int:
        return sum(row.tax for row in self.rows)

    @property
    def correction_tax(self) -> int:
        return sum(c.tax for c in self.corrections)

    @property
    def taxable_net(self) -> int:
        """The rows' taxable amounts plus the corrections' (negative)."""
        return self.taxable + sum(c.taxable for c in self.corrections)

    @property
    def tax_due(self) -> int:
        """The period's tax plus its corrections: what the return pays."""
        return self.tax + self.correction_tax


# Periods.


def month_period(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a calendar month; INVALID_YEAR or INVALID_MONTH."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise fail(
            TaxReturnErrorCode.INVALID_YEAR,
            f"The year is from {FIRST_YEAR} (IOSS began in July 2021) to {LAST_YEAR}.",
            "year",
        )
    if not 1 <= month <= 12:
        raise fail(TaxReturnErrorCode.INVALID_MONTH, "The month is from 1 to 12.", "month")
    first = date(year, month, 1)
    return first, _month_end(first)


def last_quarter(today: date) -> tuple[date, date]:
    """The last calendar quarter that ended before `today`."""
    start_month = (today.month - 1) // 3 * 3 + 1
    this_quarter = date(today.year, start_month, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def check_period(start: date, end: date) -> None:
    """Refuses a period that ends before it starts (INVALID_RANGE) or is too long."""
    if end < start:
        raise fail(TaxReturnErrorCode.INVALID_RANGE, "The period ends before it starts.", "to")
    if (end - start).days >= MAX_DAYS:
        raise fail(
            TaxReturnErrorCode.RANGE_TOO_LONG, f"A period covers at most {MAX_DAYS} days.", "to"
        )


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _as_datetime(value: object) -> datetime:
    # SQLite hands an aggregate of a datetime column back as text.
    found = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return found if found.tzinfo else found.replace(tzinfo=UTC)


# Rates.


class _Rates:
    """The ECB rates a return needs, read in one query, and the ones it used."""

    def __init__(self, rows: Iterable[tuple[str, str, date]]) -> None:
        self._by_code: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
        for code, rate, day in rows:
            self._by_code[code].append((day, Decimal(rate)))
        for days in self._by_code.values():
            days.sort()
        self.used: dict[tuple[str, date], RateUsed] = {}

    @classmethod
    async def load(cls, codes: set[str], first: date, last: date) -> _Rates:
        codes = codes - {ECB_BASE}
        if not codes:
            return cls([])
        rows = await ExchangeRate.filter(
            source=RateSource.ECB,
            base=ECB_BASE,
            quote__in=sorted(codes),
            rate_date__gte=first - timedelta(days=RATE_SEARCH_DAYS),
            rate_date__lte=last + timedelta(days=RATE_SEARCH_DAYS),
        ).values_list("quote", "rate", "rate_date")
        return cls((str(q), str(r), d if isinstance(d, date) else date.fromisoformat(str(d)))
                   for q, r, d in rows)  # fmt: skip

    def per_euro(self, code: str, wanted: date, *, onwards: bool) -> Decimal:
        """Units of `code` per euro on `wanted`, else the next (`onwards`) or previous day."""
        if code == ECB_BASE:
            return Decimal(1)
        days = self._by_code.get(code, [])
        found = None
        if onwards:
            found = next(((d, r) for d, r in days if d >= wanted), None)
        else:
            found = next(((d, r) for d, r in reversed(days) if d <= wanted), None)
        if found is None or abs((found[0] - wanted).days) > RATE_SEARCH_DAYS:
            direction = "or a later day" if onwards else "or an earlier day"
            raise fail(
                TaxReturnErrorCode.RATE_UNAVAILABLE,
                f"The shop has no ECB rate of {code} for {wanted.isoformat()} ({direction}): "
                "import the ECB's rates first.",
            )
        self.used[(code, wanted)] = RateUsed(code, found[1], found[0], wanted)
        return found[1]

    def convert(self, minor: int, source: str, target: str, wanted: date, *, onwards: bool) -> int:
        """`minor` of `source` in minor units of `target`, rounded half up."""
        if source == target or minor == 0:
            return minor
        to_target = self.per_euro(target, wanted, onwards=onwards)
        to_source = self.per_euro(source, wanted, onwards=onwards)
        with localcontext() as ctx:
            ctx.prec = 50
            value = (
                Decimal(minor).scaleb(currency_exponent(target) - currency_exponent(source))
                * to_target
                / to_source
            )
            return int(value.to_integral_value(rounding=ROUND_HALF_UP))


# The return.


@dataclass(slots=True)
class _Charge:
    """One collected charge as the return needs it, amounts in the order's currency."""

    country: str
    rate_bps: int | None
    order_id: int
    currency: str
    paid_at: datetime
    taxable: int
    tax: int
    #: Refunded so far, in the order's currency.
    refunded_tax: int
    refunded_taxable: int


def _in_currency(minor_shop: int, shop: str, currency: str, rate: str) -> int:
    """A shop-currency amount in the order's currency, at the order's own rate."""
    if shop == currency:
        return minor_shop
    with localcontext() as ctx:
        ctx.prec = 50
        value = Decimal(minor_shop).scaleb(
            currency_exponent(currency) - currency_exponent(shop)
        ) * Decimal(rate)
        return int(value.to_integral_value(rounding=ROUND_HALF_UP))


async def _charges(regime: str, condition: Q) -> list[_Charge]:
    rows = await (
        OrderCharge.filter(condition, regime=regime, kind=ChargeKind.IMPORT_TAX, collected=True)
        .order_by("id")
        .values(
            "destination",
            "rate_bps",
            "order_id",
            "base_amount",
            "amount",
            "amount_presentment",
            "refunded",
            "order__currency",
            "order__shop_currency",
            "order__exchange_rate",
            "order__paid_at",
        )
    )
    found = []
    for row in rows:
        currency = str(row["order__currency"])
        taxable = _in_currency(
            int(row["base_amount"]),
            str(row["order__shop_currency"]),
            currency,
            str(row["order__exchange_rate"]),
        )
        amount, refunded = int(row["amount"]), int(row["refunded"])
        tax = int(row["amount_presentment"])
        found.append(
            _Charge(
                country=str(row["destination"]),
                rate_bps=row["rate_bps"],
                order_id=int(row["order_id"]),
                currency=currency,
                paid_at=_as_datetime(row["order__paid_at"]),
                taxable=taxable,
                tax=tax,
                refunded_tax=share(refunded, amount, tax) if amount else 0,
                refunded_taxable=share(refunded, amount, taxable) if amount else 0,
            )
        )
    return found


async def _refunded_orders(since: datetime, until: datetime) -> list[int]:
    """Orders whose latest succeeded refund was made within [since, until)."""
    touched = await Refund.filter(
        status=RefundStatus.SUCCEEDED, created_at__gte=since, created_at__lt=until
    ).values_list("payment__order_id", flat=True)
    if not touched:
        return []
    latest = (
        await Refund.filter(status=RefundStatus.SUCCEEDED, payment__order_id__in=set(touched))
        .annotate(last=Max("created_at"))
        .group_by("payment__order_id")
        .values("payment__order_id", "last")
    )
    return sorted(
        int(row["payment__order_id"]) for row in latest if _as_datetime(row["last"]) < until
    )


def _cancelled_before(until: datetime) -> Q:
    return Q(order__status=OrderStatus.CANCELLED) & (
        Q(order__cancelled_at__isnull=True) | Q(order__cancelled_at__lt=until)
    )


async def tax_return(kind: ReturnKind, start: date, end: date) -> TaxReturn:
    """The return of `kind` for the days `start` to `end` (UTC, inclusive).

    Refuses a period that ends before it starts or is too long, and any amount in a currency
    the shop has no ECB rate for near the day the rule asks (RATE_UNAVAILABLE).
    """
    check_period(start, end)
    scheme = SCHEMES[kind]
    since, until = _instant(start), _instant(end + timedelta(days=1))

    supplies = await _charges(
        scheme.regime,
        Q(order__paid_at__gte=since, order__paid_at__lt=until) & ~_cancelled_before(until),
    )
    refunded_ids = await _refunded_orders(since, until)
    refunded = (
        await _charges(
            scheme.regime,
            Q(order_id__in=refunded_ids, refunded__gt=0)
            & Q(order__paid_at__isnull=False)
            & ~Q(order__status=OrderStatus.CANCELLED),
        )
        if refunded_ids
        else []
    )
    cancelled = await _charges(
        scheme.regime,
        Q(
            order__status=OrderStatus.CANCELLED,
            order__cancelled_at__gte=since,
            order__cancelled_at__lt=until,
            order__paid_at__lt=since,
        ),
    )
    codes = {c.currency for c in (*supplies, *refunded, *cancelled)}
    rates = await _Rates.load(
        codes | {scheme.currency},
        min([start, *(c.paid_at.date() for c in (*refunded, *cancelled))]),
        end,
    )

    def convert(minor: int, charge: _Charge) -> int:
        if scheme.period_end_rate:
            wanted = end if charge.paid_at >= since else _month_end(charge.paid_at.date())
            return rates.convert(minor, charge.currency, scheme.currency, wanted, onwards=True)
        return rates.convert(
            minor, charge.currency, scheme.currency, charge.paid_at.date(), onwards=False
        )

    rows: dict[tuple[str, int | None], ReturnRow] = {}
    counted: dict[tuple[str, int | None], set[int]] = defaultdict(set)

    def row(charge: _Charge) -> ReturnRow:
        key = (charge.country, charge.rate_bps)
        if key not in rows:
            rows[key] = ReturnRow(charge.country, charge.rate_bps)
        counted[key].add(charge.order_id)
        return rows[key]

    corrections: dict[tuple[str, str], ReturnCorrection] = {}
    corrected: dict[tuple[str, str], set[int]] = defaultdict(set)

    def correction(charge: _Charge, taxable: int, tax: int) -> None:
        key = (charge.country, charge.paid_at.strftime("%Y-%m"))
        if key not in corrections:
            corrections[key] = ReturnCorrection(*key)
        corrected[key].add(charge.order_id)
        corrections[key].taxable -= convert(taxable, charge)
        corrections[key].tax -= convert(tax, charge)

    for charge in supplies:
        target = row(charge)
        target.taxable += convert(charge.taxable, charge)
        target.tax += convert(charge.tax, charge)
    for charge in refunded:
        if charge.paid_at >= until:
            continue  # refunded before the payment was recorded: not this period's to give back
        if charge.paid_at >= since:
            target = row(charge)
            target.taxable -= convert(charge.refunded_taxable, charge)
            target.tax -= convert(charge.refunded_tax, charge)
        else:
            correction(charge, charge.refunded_taxable, charge.refunded_tax)
    for charge in cancelled:
        correction(charge, charge.taxable, charge.tax)

    for place, found in rows.items():
        found.orders = len(counted[place])
    for month, fix in corrections.items():
        fix.orders = len(corrected[month])
    report = TaxReturn(kind, scheme.regime, scheme.currency, start, end)
    report.rows = sorted(rows.values(), key=lambda r: (r.country, -(r.rate_bps or 0)))
    report.corrections = sorted(corrections.values(), key=lambda c: (c.period, c.country))
    report.rates = sorted(rates.used.values(), key=lambda r: (r.wanted, r.currency))
    return report


async def ioss_return(year: int, month: int) -> TaxReturn:
    """The IOSS return of a calendar month: VAT by member state of consumption and rate."""
    start, end = month_period(year, month)
    return await tax_return(ReturnKind.IOSS, start, end)


# CSV.

CSV_COLUMNS = (
    "section",
    "country",
    "rate_percent",
    "period",
    "orders",
    "taxable_amount",
    "tax_amount",
    "currency",
    "exchange_rate",
)


def _amount(minor: int, currency: str) -> str:
    exponent = currency_exponent(currency)
    return format(Decimal(minor).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent)), "f")


def _percent(rate_bps: int | None) -> str:
    return "" if rate_bps is None else format(Decimal(rate_bps).scaleb(-2).normalize(), "f")


def return_csv(report: TaxReturn) -> str:
    """The return as CSV: a `supply` line per country and rate, a `correction` line per
    country and month corrected, a `total` line, then each ECB `exchange_rate` used."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    code = report.currency
    period = f"{report.start.isoformat()}/{report.end.isoformat()}"
    for row in report.rows:
        writer.writerow(
            (
                "supply",
                row.country,
                _percent(row.rate_bps),
                period,
                row.orders,
                _amount(row.taxable, code),
                _amount(row.tax, code),
                code,
                "",
            )
        )
    for fix in report.corrections:
        writer.writerow(
            (
                "correction",
                fix.country,
                "",
                fix.period,
                fix.orders,
                _amount(fix.taxable, code),
                _amount(fix.tax, code),
                code,
                "",
            )
        )
    net, due = _amount(report.taxable_net, code), _amount(report.tax_due, code)
    writer.writerow(("total", "", "", period, "", net, due, code, ""))
    for rate in report.rates:
        day, per_euro = rate.rate_date.isoformat(), format(rate.rate.normalize(), "f")
        writer.writerow(("exchange_rate", "", "", day, "", "", "", rate.currency, per_euro))
    return out.getvalue()
