"""Customer service statistics, for staff who read reports or answer customers."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from schema.kit import field_with_errors
from schema.permissions import CanReadSupportStatistics
from schema.support.stats import (
    SupportStatisticsGroupByEnum,
    SupportStatisticsResultType,
    SupportStatisticsType,
)
from services.support import stats as support_stats


@strawberry.type
class SupportStatsQuery:
    @field_with_errors(
        permission_classes=[CanReadSupportStatistics],
        description="Customer service figures for the days `from` to `to` (inclusive, at most "
        "366) in `timezone`: totals and one row per staff member or channel.",
    )
    async def support_statistics(
        self,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        group_by: SupportStatisticsGroupByEnum = support_stats.GroupBy.STAFF,  # type: ignore[valid-type]
        timezone: Annotated[
            str | None,
            strawberry.argument(description="An IANA name; the service hours' zone if null."),
        ] = None,
    ) -> SupportStatisticsResultType:
        report = await support_stats.support_statistics(from_, to, group_by, timezone)
        return SupportStatisticsResultType(statistics=SupportStatisticsType.build(report))
