"""Tax return root fields, for staff with the `reports` permission."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from tortoise import timezone

from schema.context import Info
from schema.customs_returns import COUNTED, TaxReturnResultType, TaxReturnType
from schema.kit import field_with_errors
from schema.permissions import CanReadReports
from services.customs import returns

From = Annotated[
    date | None,
    strawberry.argument(
        name="from",
        description="First day; with `from` and `to` both null, the last calendar quarter.",
    ),
]


async def _period_return(
    kind: returns.ReturnKind, start: date | None, end: date | None
) -> TaxReturnResultType:
    if start is None or end is None:
        if start is not None or end is not None:
            raise returns.fail(
                returns.TaxReturnErrorCode.INVALID_RANGE,
                "Give both ends of the period, or neither for the last quarter.",
                "to" if end is None else "from",
            )
        start, end = returns.last_quarter(timezone.now().date())
    report = await returns.tax_return(kind, start, end)
    return TaxReturnResultType(tax_return=TaxReturnType.build(report))


@strawberry.type
class CustomsReturnsQuery:
    @field_with_errors(
        permission_classes=[CanReadReports],
        description="The IOSS return of a calendar month: VAT collected under EU-IOSS by "
        f"member state of consumption and rate, in EUR. {COUNTED}",
    )
    async def ioss_return(self, info: Info, year: int, month: int) -> TaxReturnResultType:
        report = await returns.ioss_return(year, month)
        return TaxReturnResultType(tax_return=TaxReturnType.build(report))

    @field_with_errors(
        permission_classes=[CanReadReports],
        description="UK VAT collected under GB-LVI (consignments up to GBP 135), in GBP, for "
        f"the days `from` to `to` (at most 366); the last quarter by default. {COUNTED}",
    )
    async def uk_vat_return(
        self,
        info: Info,
        from_: From = None,
        to: date | None = None,
    ) -> TaxReturnResultType:
        return await _period_return(returns.ReturnKind.UK, from_, to)

    @field_with_errors(
        permission_classes=[CanReadReports],
        description="Australian GST collected under AU-LVG (goods up to AUD 1,000), in AUD, "
        f"for the days `from` to `to` (at most 366); the last quarter by default. {COUNTED}",
    )
    async def au_gst_return(
        self,
        info: Info,
        from_: From = None,
        to: date | None = None,
    ) -> TaxReturnResultType:
        return await _period_return(returns.ReturnKind.AU, from_, to)
