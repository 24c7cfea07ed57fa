"""Order statistics types: a report's figures, each computed when a client asks for it.

`OrderStatistics` wraps `services.stats.orders.OrderStatistics`; every field runs one
aggregate query (the totals fields share one), so a report costs the same few statements
however many days, countries or products it covers.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

import strawberry

from schema.catalog.types import ProductType
from schema.context import Info
from schema.errors import BadUserInput, UserError
from schema.geo import CountryCode
from schema.money import MoneyType
from schema.orders.customs import ChargeKindEnum
from schema.relay import encode_id
from services.stats import orders as order_stats
from services.stats.errors import StatsError, StatsErrorCode

StatsErrorCodeEnum = strawberry.enum(StatsErrorCode, name="StatsErrorCode")

COUNTED = "Counts the orders placed within the range that are not cancelled (unpaid ones included)."
CURRENCY_RULE = (
    "With no currency or the shop currency, every order counts with its shop-currency "
    "amounts; with another code, only orders paid in that currency count, with the amounts "
    "paid."
)


@strawberry.type(name="StatsError")
class StatsErrorType(UserError):
    code: StatsErrorCodeEnum  # type: ignore[valid-type]


def _country(code: str) -> Enum | None:
    """The enum member of a stored country code; None for none (or one the enum lacks)."""
    try:
        return CountryCode(code) if code else None
    except ValueError:
        return None


@strawberry.type(name="OrderStatisticsDay", description="One day of the daily series.")
class DayFigureType:
    date: date = strawberry.field(description="The day, in the report's time zone.")
    orders: int
    revenue: MoneyType


@strawberry.type(name="OrderStatisticsCountry", description="Orders shipped to one country.")
class CountryFigureType:
    country: CountryCode | None = strawberry.field(
        description="Destination; null for orders without a shipping country."
    )
    orders: int
    revenue: MoneyType
    share: float = strawberry.field(description="Part of the report's revenue, from 0 to 1.")


@strawberry.type(
    name="OrderStatisticsRegion", description="Orders shipped to one region of a country."
)
class RegionFigureType:
    country: CountryCode | None
    region: str = strawberry.field(
        description="State, province or prefecture as the shopper wrote it; empty if none."
    )
    orders: int
    revenue: MoneyType
    share: float = strawberry.field(description="Part of the report's revenue, from 0 to 1.")

    @classmethod
    def build(cls, figure: order_stats.PlaceFigure, currency: str) -> RegionFigureType:
        return cls(
            country=_country(figure.country),
            region=figure.region,
            orders=figure.orders,
            revenue=MoneyType.minor(figure.revenue, currency),
            share=figure.share,
        )


@strawberry.type(name="ProductSales", description="A product's sales within a report.")
class ProductSalesType:
    product_id: strawberry.ID | None = strawberry.field(
        description="The product's ID; null once the product was deleted."
    )
    name: str = strawberry.field(
        description="The name it was sold under, from its most recent order line."
    )
    units: int
    revenue: MoneyType = strawberry.field(description="Its order lines' totals.")
    _product_pk: strawberry.Private[int | None]

    @classmethod
    def build(cls, figure: order_stats.ProductFigure, currency: str) -> ProductSalesType:
        return cls(
            product_id=encode_id("Product", figure.product_id) if figure.product_id else None,
            name=figure.name,
            units=figure.units,
            revenue=MoneyType.minor(figure.revenue, currency),
            _product_pk=figure.product_id,
        )

    @strawberry.field(description="The product, while it exists and the viewer may see it.")
    async def product(self, info: Info) -> ProductType | None:
        if self._product_pk is None:
            return None
        # Through the product loader, which batches the list and hides what the viewer
        # may not see (a draft, to staff without the catalog permission).
        # Imported here: the node table imports every domain's types.
        from schema.nodes import lookup

        [found] = await lookup(info, "Product", [str(self._product_pk)])
        return found


@strawberry.type(
    name="OrderStatisticsCustoms",
    description="Duties or import taxes of one import regime charged at checkout.",
)
class RegimeFigureType:
    regime: str = strawberry.field(description="The import regime, e.g. EU-IOSS, GB-LVI.")
    kind: ChargeKindEnum  # type: ignore[valid-type]
    orders: int
    collected: MoneyType
    refunded: MoneyType | None = strawberry.field(
        description="Given back so far; null in another currency than the shop's (refunds "
        "are recorded in the shop currency)."
    )


@strawberry.type(
    name="OrderStatistics",
    description=f"Figures of the orders of a date range. {COUNTED} {CURRENCY_RULE}",
)
class OrderStatisticsType:
    from_: date = strawberry.field(name="from", description="First day, inclusive.")
    to: date = strawberry.field(description="Last day, inclusive.")
    timezone: str = strawberry.field(description="The IANA time zone the days are in.")
    currency: str = strawberry.field(description="The ISO 4217 code every amount is in.")
    _stats: strawberry.Private[order_stats.OrderStatistics]

    @classmethod
    def build(cls, stats: order_stats.OrderStatistics) -> OrderStatisticsType:
        return cls(
            from_=stats.days.first,
            to=stats.days.last,
            timezone=stats.days.zone.key,
            currency=stats.currency,
            _stats=stats,
        )

    def _money(self, minor: int) -> MoneyType:
        return MoneyType.minor(minor, self._stats.currency)

    @strawberry.field(description=f"Orders counted. {COUNTED}")
    async def order_count(self) -> int:
        return (await self._stats.totals()).orders

    @strawberry.field(description="Orders placed within the range and cancelled since.")
    async def cancelled_count(self) -> int:
        return (await self._stats.totals()).cancelled

    @strawberry.field(
        description="The counted orders' totals (merchandise after discounts, plus shipping); "
        "refunds are not deducted."
    )
    async def revenue(self) -> MoneyType:
        return self._money((await self._stats.totals()).revenue)

    @strawberry.field(
        description="Revenue per counted order, rounded half up to the minor unit; zero "
        "without orders."
    )
    async def average_order_value(self) -> MoneyType:
        return self._money((await self._stats.totals()).average_order_value)

    @strawberry.field(
        description="Duties charged at checkout on the counted orders (part of revenue); "
        "door estimates excluded."
    )
    async def duty_total(self) -> MoneyType:
        return self._money((await self._stats.totals()).duty)

    @strawberry.field(
        description="Import taxes (VAT, GST...) charged at checkout on the counted orders "
        "(part of revenue)."
    )
    async def import_tax_total(self) -> MoneyType:
        return self._money((await self._stats.totals()).import_tax)

    @strawberry.field(description="Duties and import taxes per import regime and kind.")
    async def customs_by_regime(self) -> list[RegimeFigureType]:
        return [
            RegimeFigureType(
                regime=f.regime,
                kind=f.kind,
                orders=f.orders,
                collected=self._money(f.collected),
                refunded=None if f.refunded is None else self._money(f.refunded),
            )
            for f in await self._stats.customs_by_regime()
        ]

    @strawberry.field(description="Units on the counted orders' lines.")
    async def items_sold(self) -> int:
        return await self._stats.items_sold()

    @strawberry.field(description="One point per day of the range, zero on days without orders.")
    async def daily(self) -> list[DayFigureType]:
        return [
            DayFigureType(date=d.day, orders=d.orders, revenue=self._money(d.revenue))
            for d in await self._stats.daily()
        ]

    @strawberry.field(description="Destination countries, by revenue, then orders, then code.")
    async def by_country(self) -> list[CountryFigureType]:
        return [
            CountryFigureType(
                country=_country(f.country),
                orders=f.orders,
                revenue=self._money(f.revenue),
                share=f.share,
            )
            for f in await self._stats.by_country()
        ]

    @strawberry.field(
        description="Destination regions, by revenue, then orders, then country and region."
    )
    async def by_region(self) -> list[RegionFigureType]:
        currency = self._stats.currency
        return [RegionFigureType.build(f, currency) for f in await self._stats.by_region()]

    @strawberry.field(
        description="Best sellers by units sold; ties go to the lower product ID, deleted "
        "products last. `limit`: 1 to 50."
    )
    async def top_products_by_units(
        self, limit: int = order_stats.DEFAULT_TOP
    ) -> list[ProductSalesType]:
        return await self._top(order_stats.Ranking.UNITS, limit)

    @strawberry.field(
        description="Best sellers by their lines' revenue; ties go to the lower product ID, "
        "deleted products last. `limit`: 1 to 50."
    )
    async def top_products_by_revenue(
        self, limit: int = order_stats.DEFAULT_TOP
    ) -> list[ProductSalesType]:
        return await self._top(order_stats.Ranking.REVENUE, limit)

    async def _top(self, by: order_stats.Ranking, limit: int) -> list[ProductSalesType]:
        try:
            figures = await self._stats.top_products(by, limit)
        except StatsError as exc:
            raise BadUserInput.from_service_error(exc) from None
        return [ProductSalesType.build(f, self._stats.currency) for f in figures]


@strawberry.type(
    name="OrderStatisticsResult",
    description="The statistics asked for, or the errors saying why the arguments are refused.",
)
class OrderStatisticsResultType:
    statistics: OrderStatisticsType | None = None
    errors: list[StatsErrorType] = strawberry.field(default_factory=list)
