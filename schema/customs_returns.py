"""Tax return types: the IOSS monthly return, UK VAT and Australian GST collected at checkout,
each with its rows, corrections of earlier months, the ECB rates used and a CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.errors import UserError
from schema.money import MoneyType
from services.customs import returns
from services.customs.returns import TaxReturnErrorCode

TaxReturnErrorCodeEnum = strawberry.enum(TaxReturnErrorCode, name="TaxReturnErrorCode")
TaxReturnKindEnum = strawberry.enum(
    returns.ReturnKind,
    name="TaxReturnKind",
    description="IOSS: the EU's Import One-Stop Shop; UK: VAT on consignments up to GBP 135; "
    "AU: GST on low-value goods.",
)

COUNTED = (
    "Counts the import tax collected at checkout on orders whose payment was accepted in the "
    "period (UTC days), less refunds and cancellations made in it; those of orders paid "
    "earlier are corrections."
)


@strawberry.type(name="TaxReturnError")
class TaxReturnErrorType(UserError):
    code: TaxReturnErrorCodeEnum  # type: ignore[valid-type]


def _percent(rate_bps: int | None) -> Decimal | None:
    # Plain and without trailing zeros: 19, 5.5, 25.5.
    return (
        None if rate_bps is None else Decimal(format(Decimal(rate_bps).scaleb(-2).normalize(), "f"))
    )


@strawberry.type(name="TaxReturnRow", description="One country of consumption and tax rate.")
class TaxReturnRowType:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    rate_percent: Decimal | None = strawberry.field(description="The tax rate, e.g. 19.")
    orders: int
    taxable: MoneyType = strawberry.field(description="The amount taxed, tax excluded.")
    tax: MoneyType


@strawberry.type(
    name="TaxReturnCorrection",
    description="Tax given back in the period on orders paid in an earlier month (negative).",
)
class TaxReturnCorrectionType:
    country: str
    period: str = strawberry.field(description="The month corrected, YYYY-MM.")
    orders: int
    taxable: MoneyType
    tax: MoneyType


@strawberry.type(name="TaxReturnRate", description="An ECB reference rate the return used.")
class TaxReturnRateType:
    currency: str
    rate: Decimal = strawberry.field(description="Units of `currency` per euro.")
    rate_date: date = strawberry.field(description="The day the ECB published it for.")
    wanted_date: date = strawberry.field(
        description="The day the rule asked for: the rate is of that day, or of the next "
        "publication (IOSS) or the latest before it (UK, Australia)."
    )


@strawberry.type(name="TaxReturn", description=f"A tax return's figures. {COUNTED}")
class TaxReturnType:
    kind: TaxReturnKindEnum  # type: ignore[valid-type]
    regime: str = strawberry.field(description="The import regime counted, e.g. EU-IOSS.")
    currency: str = strawberry.field(description="The currency the return is made out in.")
    from_: date = strawberry.field(name="from")
    to: date
    rows: list[TaxReturnRowType]
    corrections: list[TaxReturnCorrectionType]
    rates: list[TaxReturnRateType]
    taxable: MoneyType = strawberry.field(description="The rows' taxable amounts.")
    tax: MoneyType = strawberry.field(description="The rows' tax.")
    correction_tax: MoneyType = strawberry.field(description="The corrections' tax (negative).")
    tax_due: MoneyType = strawberry.field(description="tax + correctionTax.")
    csv: str = strawberry.field(
        description="The return as CSV: supply, correction and total lines, then the "
        "exchange rates used."
    )

    @classmethod
    def build(cls, report: returns.TaxReturn) -> TaxReturnType:
        code = report.currency

        def money(minor: int) -> MoneyType:
            return MoneyType.minor(minor, code)

        return cls(
            kind=report.kind,
            regime=report.regime,
            currency=code,
            from_=report.start,
            to=report.end,
            rows=[
                TaxReturnRowType(
                    country=row.country,
                    rate_percent=_percent(row.rate_bps),
                    orders=row.orders,
                    taxable=money(row.taxable),
                    tax=money(row.tax),
                )
                for row in report.rows
            ],
            corrections=[
                TaxReturnCorrectionType(
                    country=fix.country,
                    period=fix.period,
                    orders=fix.orders,
                    taxable=money(fix.taxable),
                    tax=money(fix.tax),
                )
                for fix in report.corrections
            ],
            rates=[
                TaxReturnRateType(
                    currency=rate.currency,
                    rate=rate.rate,
                    rate_date=rate.rate_date,
                    wanted_date=rate.wanted,
                )
                for rate in report.rates
            ],
            taxable=money(report.taxable),
            tax=money(report.tax),
            correction_tax=money(report.correction_tax),
            tax_due=money(report.tax_due),
            csv=returns.return_csv(report),
        )


@strawberry.type(
    name="TaxReturnResult",
    description="The return asked for, or the errors saying why the period is refused.",
)
class TaxReturnResultType:
    tax_return: TaxReturnType | None = None
    errors: list[TaxReturnErrorType] = strawberry.field(default_factory=list)
