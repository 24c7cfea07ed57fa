"""The settlement report: what the shop was paid, refunded and charged over a date range.

Figures come from database aggregates (GROUP BY), per presentment currency, payment method
and settlement currency, over payments that SUCCEEDED in the range (by `succeeded_at`) and
refunds that SUCCEEDED, by the day they were made (`created_at`). The range is whole UTC
days, `to` included.

Per group:
- `gross`: captured, in the presentment currency; `refunds`: refunded, same currency.
- `fees`: the provider's fees (payments' and refunds'), in the settlement currency.
- `net`: what arrived after fees, payments' settled amounts plus refunds' (negative).
- `priced`: what the same money was worth at the rate each order was priced at, in the shop
  currency: each payment's order `total` less the store credit that paid part of it (a
  succeeded payment captured the order's amount due, `total_presentment` less
  `store_credit_presentment`; anything else is flagged), less each refund converted at its
  order's rate (`amount * total / total_presentment`, rounded half-up per order).
- `exchange_gain`: `net + fees - priced`, when the settlement currency is the shop
  currency. Positive is a gain: the provider's exchange paid more than the order was priced
  at; negative, a loss. Fees are added back so that they do not count as exchange loss.
  Payments and refunds with no settlement yet count in `gross`/`refunds` but not in
  `priced` or the gain.

Duties and import taxes collected at checkout (part of the orders' totals, in the shop
currency), of the orders paid in the range (`paid_at`): their totals (`Order.duty_total`,
`Order.import_tax_total`) and, per import regime and kind, the collected charges
(`OrderCharge`), what was refunded of them so far and what the shop keeps to pay over.
Estimates of what a carrier collects at the door are not the shop's money and never count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from tortoise.functions import Count, Sum

from models.customs import ChargeKind, OrderCharge
from models.orders import Order
from models.payments import Payment, PaymentStatus, Refund, RefundStatus
from services.errors import Problem, ServiceError
from services.payments.errors import PaymentErrorCode
from settings import get_settings

MAX_DAYS = 366

Key = tuple[str, str, str]


@dataclass(slots=True)
class SettlementRow:
    currency: str
    method: str
    #: "" while nothing in the group has settled.
    settlement_currency: str
    payments: int = 0
    refund_count: int = 0
    gross: int = 0
    refunds: int = 0
    fees: int = 0
    net: int = 0
    priced: int = 0
    exchange_gain: int | None = None


@dataclass(slots=True)
class SettlementTotals:
    settlement_currency: str
    payments: int = 0
    refund_count: int = 0
    fees: int = 0
    net: int = 0
    exchange_gain: int | None = None


@dataclass(slots=True)
class CustomsCollected:
    """Duties or import taxes of one regime collected at checkout, in the shop currency."""

    regime: str
    kind: ChargeKind
    orders: int = 0
    collected: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.collected - self.refunded


@dataclass(slots=True)
class SettlementReport:
    start: date
    end: date
    shop_currency: str
    rows: list[SettlementRow] = field(default_factory=list)
    totals: list[SettlementTotals] = field(default_factory=list)
    #: The paid orders' `duty_total` and `import_tax_total`, summed.
    duty_total: int = 0
    import_tax_total: int = 0
    customs: list[CustomsCollected] = field(default_factory=list)

    def refunded(self, kind: ChargeKind) -> int:
        """Refunded so far of the charges of `kind` counted."""
        return sum(row.refunded for row in self.customs if row.kind is kind)


class ReportError(ServiceError):
    """A report that cannot be made for the range asked."""


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    if end < start:
        raise ReportError(
            Problem(PaymentErrorCode.INVALID, "The range ends before it starts.", ("to",))
        )
    if (end - start).days >= MAX_DAYS:
        raise ReportError(
            Problem(PaymentErrorCode.INVALID, f"A report covers at most {MAX_DAYS} days.", ("to",))
        )
    return (
        datetime.combine(start, time.min, tzinfo=UTC),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC),
    )


def _int(value: object) -> int:
    return int(value or 0)  # type: ignore[call-overload]


async def settlement_report(start: date, end: date) -> SettlementReport:
    since, until = _bounds(start, end)
    shop = get_settings().shop_currency
    rows: dict[Key, SettlementRow] = {}

    def row(currency: str, method: str, settlement: str) -> SettlementRow:
        key = (currency, method, settlement)
        if key not in rows:
            rows[key] = SettlementRow(currency, method, settlement)
        return rows[key]

    # A payment flagged after it succeeded (a dispute) settled all the same: it counts.
    payments = Payment.filter(
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED),
        succeeded_at__gte=since,
        succeeded_at__lt=until,
    )
    for found in await (
        payments.annotate(
            n=Count("id"), gross=Sum("amount_received"), net=Sum("settled_amount"), fee=Sum("fee")
        )
        .group_by("currency", "method", "settlement_currency")
        .values("currency", "method", "settlement_currency", "n", "gross", "net", "fee")
    ):
        target = row(found["currency"], found["method"], found["settlement_currency"])
        target.payments += _int(found["n"])
        target.gross += _int(found["gross"])
        target.net += _int(found["net"])
        target.fees += _int(found["fee"])
    for found in await (
        payments.filter(settled_amount__isnull=False)
        .annotate(priced=Sum("order__total"), credit=Sum("order__store_credit"))
        .group_by("currency", "method", "settlement_currency")
        .values("currency", "method", "settlement_currency", "priced", "credit")
    ):
        # Store credit paid part of some orders: no gateway received that part.
        row(found["currency"], found["method"], found["settlement_currency"]).priced += _int(
            found["priced"]
        ) - _int(found["credit"])

    refunds = Refund.filter(
        status=RefundStatus.SUCCEEDED, created_at__gte=since, created_at__lt=until
    )
    for found in await (
        refunds.annotate(
            n=Count("id"), amount_sum=Sum("amount"), net=Sum("settled_amount"), fee=Sum("fee")
        )
        .group_by("payment__currency", "payment__method", "payment__settlement_currency")
        .values(
            "payment__currency",
            "payment__method",
            "payment__settlement_currency",
            "n",
            "amount_sum",
            "net",
            "fee",
        )
    ):
        target = row(
            found["payment__currency"],
            found["payment__method"],
            found["payment__settlement_currency"],
        )
        target.refund_count += _int(found["n"])
        target.refunds += _int(found["amount_sum"])
        target.net += _int(found["net"])
        target.fees += _int(found["fee"])
    # Refunds at their orders' own rates: one aggregate per order, converted here.
    for found in await (
        refunds.filter(settled_amount__isnull=False)
        .annotate(amount_sum=Sum("amount"))
        .group_by(
            "payment__currency",
            "payment__method",
            "payment__settlement_currency",
            "payment__order__id",
            "payment__order__total",
            "payment__order__total_presentment",
        )
        .values(
            "payment__currency",
            "payment__method",
            "payment__settlement_currency",
            "payment__order__total",
            "payment__order__total_presentment",
            "amount_sum",
        )
    ):
        presentment = _int(found["payment__order__total_presentment"])
        if presentment <= 0:
            continue
        share = Decimal(_int(found["amount_sum"])) * _int(found["payment__order__total"])
        share = (share / presentment).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        row(
            found["payment__currency"],
            found["payment__method"],
            found["payment__settlement_currency"],
        ).priced -= int(share)

    report = SettlementReport(start, end, shop)
    totals: dict[str, SettlementTotals] = defaultdict(lambda: SettlementTotals(""))
    for key in sorted(rows):
        line = rows[key]
        if line.settlement_currency == shop:
            line.exchange_gain = line.net + line.fees - line.priced
        report.rows.append(line)
        total = totals[line.settlement_currency]
        total.settlement_currency = line.settlement_currency
        total.payments += line.payments
        total.refund_count += line.refund_count
        total.fees += line.fees
        total.net += line.net
        if line.exchange_gain is not None:
            total.exchange_gain = (total.exchange_gain or 0) + line.exchange_gain
    report.totals = [totals[code] for code in sorted(totals) if code]
    await _customs(report, since, until)
    return report


async def _customs(report: SettlementReport, since: datetime, until: datetime) -> None:
    """The duties and import taxes collected on the orders paid within [since, until)."""
    paid = Order.filter(paid_at__gte=since, paid_at__lt=until)
    found = await paid.annotate(duty=Sum("duty_total"), import_tax=Sum("import_tax_total")).values(
        "duty", "import_tax"
    )
    if found:
        report.duty_total = _int(found[0]["duty"])
        report.import_tax_total = _int(found[0]["import_tax"])
    for row in await (
        OrderCharge.filter(collected=True, order__paid_at__gte=since, order__paid_at__lt=until)
        .annotate(
            n=Count("order_id", distinct=True), amount_sum=Sum("amount"), back=Sum("refunded")
        )
        .group_by("regime", "kind")
        .order_by("regime", "kind")
        .values("regime", "kind", "n", "amount_sum", "back")
    ):
        report.customs.append(
            CustomsCollected(
                regime=row["regime"],
                kind=ChargeKind(row["kind"]),
                orders=_int(row["n"]),
                collected=_int(row["amount_sum"]),
                refunded=_int(row["back"]),
            )
        )
