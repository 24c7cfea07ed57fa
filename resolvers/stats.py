"""Statistics root fields, for staff with the `reports` permission."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.context import Info
from schema.currency import code_of
from schema.kit import field_with_errors
from schema.money import CurrencyCode
from schema.permissions import CanReadReports
from schema.stats import (
    COUNTED,
    CURRENCY_RULE,
    OrderStatisticsResultType,
    OrderStatisticsType,
)
from services.stats import orders as order_stats


@strawberry.type
class StatsQuery:
    @field_with_errors(
        permission_classes=[CanReadReports],
        description="Order statistics for the days `from` to `to` (inclusive, at most 366) in "
        f"`timezone`, an IANA name. {COUNTED} {CURRENCY_RULE}",
    )
    def order_statistics(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        currency: Annotated[
            CurrencyCode | None, strawberry.argument(description="The shop's if null.")
        ] = None,
        timezone: str = "UTC",
    ) -> OrderStatisticsResultType:
        stats = order_stats.order_statistics(
            first=from_,
            last=to,
            currency=code_of(currency) if currency is not None else None,
            timezone=timezone,
            shop_currency=info.context.settings.shop_currency,
        )
        return OrderStatisticsResultType(statistics=OrderStatisticsType.build(stats))
