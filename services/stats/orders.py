"""Order statistics for merchants: counts, revenue, days, destinations and best sellers.

Every figure is one aggregate query (`GROUP BY` in the database), never orders loaded into
Python, so a report costs the same few statements for ten orders or a million.

What is counted: orders placed within the range (local days of the report's time zone)
that are not cancelled, whatever their status otherwise (unpaid ones included);
cancelled ones are counted apart. Revenue is the orders' totals (merchandise after
discounts, plus shipping), refunds not deducted; a product's revenue is its lines' totals.
Duties and import taxes are those charged at checkout (part of the totals); per import
regime, what was refunded of them is given too (in the shop currency only: refunds are
recorded in it).

Currency: with no currency or the shop's, every order counts with its shop-currency
amounts. With another code, only orders the shopper paid in that currency count, with
the amounts they paid (`total_presentment`, `line_total_presentment`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from tortoise.expressions import F, Q, RawSQL, Subquery
from tortoise.functions import Count, Max, Sum
from tortoise.queryset import QuerySet

from models.customs import ChargeKind, OrderCharge
from models.orders import Order, OrderLine, OrderStatus
from services.money import InvalidCurrency, currency_exponent
from services.stats.errors import StatsErrorCode, fail
from services.stats.local_days import LocalDays, local_days, zone_named

#: Products a best-seller list shows unless asked, and the most it shows.
DEFAULT_TOP = 10
MAX_TOP = 50


@dataclass(frozen=True, slots=True)
class Totals:
    orders: int
    revenue: int
    cancelled: int
    #: Duties and import taxes charged at checkout.
    duty: int = 0
    import_tax: int = 0

    @property
    def average_order_value(self) -> int:
        """Revenue per order in minor units, rounded half up; 0 without orders."""
        if not self.orders:
            return 0
        average = Decimal(self.revenue) / self.orders
        return int(average.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class DayFigure:
    day: date
    orders: int
    revenue: int


@dataclass(frozen=True, slots=True)
class PlaceFigure:
    """Orders shipped to one country (and region, in the regional breakdown)."""

    country: str
    region: str
    orders: int
    revenue: int
    #: This place's part of the report's revenue, from 0 to 1.
    share: float


@dataclass(frozen=True, slots=True)
class ProductFigure:
    """A product's sales: `product_id` is None once the product was deleted."""

    product_id: int | None
    name: str
    units: int
    revenue: int


@dataclass(frozen=True, slots=True)
class RegimeFigure:
    """Duties or import taxes of one import regime charged at checkout."""

    regime: str
    kind: ChargeKind
    orders: int
    collected: int
    #: Given back so far; None in a presentment-currency report (refunds are in the shop's).
    refunded: int | None


class Ranking(Enum):
    UNITS = "units"
    REVENUE = "revenue"


class OrderStatistics:
    """The orders of one range and currency; each figure is computed when first asked for."""

    def __init__(self, days: LocalDays, currency: str, *, presentment: bool) -> None:
        self.days = days
        #: The currency every amount is in.
        self.currency = currency
        #: Whether amounts are the presentment ones (orders paid in `currency` only).
        self.presentment = presentment
        self._total_field = "total_presentment" if presentment else "total"
        self._suffix = "_presentment" if presentment else ""
        self._line_field = "line_total_presentment" if presentment else "line_total"
        self._totals: asyncio.Future[Totals] | None = None

    def totals(self) -> Awaitable[Totals]:
        """Orders, revenue and cancellations: one query, shared by every field that asks."""
        if self._totals is None:
            self._totals = asyncio.ensure_future(self._count_totals())
        return self._totals

    async def items_sold(self) -> int:
        """Units on the lines of the counted orders."""
        rows = await self._lines().annotate(units=Sum("quantity")).values("units")
        return _int(rows[0]["units"]) if rows else 0

    async def daily(self) -> list[DayFigure]:
        """One figure per day of the range, days without orders included as zeros."""
        expression = self.days.day_number_sql('"placed_at"', _dialect())
        rows = (
            await self._counted()
            .annotate(day=RawSQL(expression))
            .group_by("day")
            .annotate(orders=Count("id"), revenue=Sum(self._total_field))
            .values("day", "orders", "revenue")
        )
        found: dict[date, tuple[int, int]] = {}
        for row in rows:
            day = self.days.date_of(int(row["day"]))
            orders, revenue = found.get(day, (0, 0))
            found[day] = (orders + _int(row["orders"]), revenue + _int(row["revenue"]))
        return [DayFigure(day, *found.get(day, (0, 0))) for day in self.days.dates()]

    async def by_country(self) -> list[PlaceFigure]:
        """Destination countries, by revenue (then orders, then code)."""
        return await self._places("ship_country")

    async def by_region(self) -> list[PlaceFigure]:
        """Destination regions within countries, by revenue (then orders, country, region)."""
        return await self._places("ship_country", "ship_region")

    async def top_products(self, by: Ranking, limit: int = DEFAULT_TOP) -> list[ProductFigure]:
        """The best sellers by units or revenue; ties go to the lower product id.

        Lines of deleted products (their product id cleared) are grouped by the name they
        were sold under, after every product with the same figure. The name shown is the
        one on the product's most recent line in the range.
        """
        if not 1 <= limit <= MAX_TOP:
            raise fail(StatsErrorCode.INVALID_LIMIT, f"The limit is from 1 to {MAX_TOP}.", "limit")
        value = "units" if by is Ranking.UNITS else "revenue"
        rows = (
            await self._lines()
            .annotate(
                gone_name=RawSQL(
                    'CASE WHEN "orders_order_line"."product_id" IS NULL '
                    'THEN "orders_order_line"."product_name" ELSE \'\' END'
                ),
                # Deleted products rank after live ones with the same figure, on both
                # databases (they disagree on where NULL sorts).
                gone=RawSQL('CASE WHEN "orders_order_line"."product_id" IS NULL THEN 1 ELSE 0 END'),
            )
            .group_by("product_id", "gone_name")
            .annotate(units=Sum("quantity"), revenue=Sum(self._line_field), newest_line=Max("id"))
            .order_by(f"-{value}", "gone", "product_id", "gone_name")
            .limit(limit)
            .values("product_id", "gone_name", "units", "revenue", "newest_line")
        )
        names = dict(
            await OrderLine.filter(id__in=[row["newest_line"] for row in rows]).values_list(
                "id", "product_name"
            )
        )
        return [
            ProductFigure(
                product_id=row["product_id"],
                name=str(names.get(row["newest_line"]) or row["gone_name"]),
                units=_int(row["units"]),
                revenue=_int(row["revenue"]),
            )
            for row in rows
        ]

    async def customs_by_regime(self) -> list[RegimeFigure]:
        """Duties and import taxes charged at checkout on the counted orders, per import
        regime and kind, by regime then kind."""
        ids = self._counted().annotate(order_pk=F("id")).values("order_pk")
        rows = (
            await OrderCharge.filter(collected=True, order_id__in=Subquery(ids))
            .annotate(
                n=Count("order_id", distinct=True),
                collected_sum=Sum(f"amount{self._suffix}"),
                refunded_sum=Sum("refunded"),
            )
            .group_by("regime", "kind")
            .order_by("regime", "kind")
            .values("regime", "kind", "n", "collected_sum", "refunded_sum")
        )
        return [
            RegimeFigure(
                regime=row["regime"],
                kind=ChargeKind(row["kind"]),
                orders=_int(row["n"]),
                collected=_int(row["collected_sum"]),
                refunded=None if self.presentment else _int(row["refunded_sum"]),
            )
            for row in rows
        ]

    def _orders(self) -> QuerySet[Order]:
        """Every order placed in the range and, for a presentment report, in its currency."""
        query = Order.filter(placed_at__gte=self.days.start, placed_at__lt=self.days.end)
        return query.filter(currency=self.currency) if self.presentment else query

    def _counted(self) -> QuerySet[Order]:
        return self._orders().exclude(status=OrderStatus.CANCELLED)

    def _lines(self) -> QuerySet[OrderLine]:
        # The orders as a subquery, not a join: Tortoise groups an aggregate over a join by
        # every column of the line, which would sum nothing. Selecting the id as an
        # annotation keeps the model's default ordering (a needless sort) out of it.
        ids = self._counted().annotate(order_pk=F("id")).values("order_pk")
        return OrderLine.filter(order_id__in=Subquery(ids))

    async def _count_totals(self) -> Totals:
        counted = ~Q(status=OrderStatus.CANCELLED)
        rows = (
            await self._orders()
            .annotate(
                orders=Count("id", _filter=counted),
                revenue=Sum(self._total_field, _filter=counted),
                cancelled=Count("id", _filter=Q(status=OrderStatus.CANCELLED)),
                duty=Sum(f"duty_total{self._suffix}", _filter=counted),
                import_tax=Sum(f"import_tax_total{self._suffix}", _filter=counted),
            )
            .values("orders", "revenue", "cancelled", "duty", "import_tax")
        )
        row = rows[0] if rows else {}
        return Totals(
            orders=_int(row.get("orders")),
            revenue=_int(row.get("revenue")),
            cancelled=_int(row.get("cancelled")),
            duty=_int(row.get("duty")),
            import_tax=_int(row.get("import_tax")),
        )

    async def _places(self, *columns: str) -> list[PlaceFigure]:
        rows = (
            await self._counted()
            .group_by(*columns)
            .annotate(orders=Count("id"), revenue=Sum(self._total_field))
            .values(*columns, "orders", "revenue")
        )
        total = sum(_int(row["revenue"]) for row in rows)
        figures = [
            PlaceFigure(
                country=row["ship_country"],
                region=row.get("ship_region", ""),
                orders=_int(row["orders"]),
                revenue=_int(row["revenue"]),
                share=_int(row["revenue"]) / total if total else 0.0,
            )
            for row in rows
        ]
        # At most one row per country or region: sorting them here costs nothing.
        figures.sort(key=lambda f: (-f.revenue, -f.orders, f.country, f.region))
        return figures


def order_statistics(
    *,
    first: date,
    last: date,
    currency: str | None,
    timezone: str,
    shop_currency: str,
) -> OrderStatistics:
    """The statistics of the orders placed from `first` to `last` (local days of `timezone`).

    Refuses, with a `StatsError`, a range that ends before it starts or covers more than
    366 days, an unknown time zone and a code that is not an ISO 4217 currency.
    """
    code = (shop_currency if currency is None else currency).strip().upper()
    try:
        currency_exponent(code)
    except InvalidCurrency:
        raise fail(
            StatsErrorCode.INVALID_CURRENCY,
            f"{currency!r} is not an ISO 4217 currency code.",
            "currency",
        ) from None
    days = local_days(first, last, zone_named(timezone, "timezone"))
    return OrderStatistics(days, code, presentment=code != shop_currency)


def _dialect() -> str:
    return str(Order._meta.db.capabilities.dialect)


def _int(value: Any) -> int:
    # PostgreSQL sums bigints as numeric (a Decimal); an empty set sums to NULL.
    return int(value or 0)
