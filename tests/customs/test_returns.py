"""Tax returns' rules: which orders count in a period, refunds netted or corrected, and the
ECB rates amounts are converted at."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.orders import OrderStatus
from services.customs import returns
from services.customs.returns import ReturnKind, TaxReturnError, TaxReturnErrorCode
from tests.conftest import QueryCounter
from tests.customs.charged_orders import charged_order, ecb_rates

pytestmark = pytest.mark.usefixtures("db")


def at(month: int, day: int, hour: int = 12, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


async def november() -> None:
    """IOSS orders around November 2026 (shop currency USD), and the ECB rates they need."""
    await ecb_rates(date(2026, 11, 30), USD="1.25", JPY="160")
    await ecb_rates(date(2026, 9, 30), USD="1.2")
    # 31 October 2026 is a Saturday: its month converts at Monday's rate, not Friday's.
    await ecb_rates(date(2026, 10, 30), USD="1.05")
    await ecb_rates(date(2026, 11, 2), USD="1.1")
    ioss = "EU-IOSS"
    # Germany, 19 %, in USD, the first second of the month: 100.00 + 19.00 USD.
    await charged_order(
        country="DE", regime=ioss, net=10000, tax=1900, rate_bps=1900, paid_at=at(11, 1, 0)
    )
    # Germany again, half of its VAT refunded within the month.
    await charged_order(
        country="DE",
        regime=ioss,
        net=10000,
        tax=1900,
        rate_bps=1900,
        paid_at=at(11, 5),
        refunded=950,
        refunded_at=at(11, 20),
    )
    # France, 20 %, paid in euros at 0.9 the last second of the month: 45.00 + 9.00 EUR.
    await charged_order(
        country="FR",
        regime=ioss,
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=at(11, 30, 23, 59, 59),
        currency="EUR",
        rate="0.9",
    )
    # The Netherlands, 21 %, paid in yen at 150: 3000 + 630 JPY.
    await charged_order(
        country="NL",
        regime=ioss,
        net=2000,
        tax=420,
        rate_bps=2100,
        paid_at=at(11, 7),
        currency="JPY",
        rate="150",
    )
    # Outside the month by a second on each side.
    await charged_order(
        country="DE", regime=ioss, net=7000, tax=1330, rate_bps=1900, paid_at=at(10, 31, 23, 59, 59)
    )
    await charged_order(
        country="DE", regime=ioss, net=7000, tax=1330, rate_bps=1900, paid_at=at(12, 1, 0)
    )
    # Placed in November, never paid; paid and cancelled within the month.
    await charged_order(
        country="FR",
        regime=ioss,
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=None,
        placed_at=at(11, 3),
        status=OrderStatus.PENDING_PAYMENT,
    )
    await charged_order(
        country="FR",
        regime=ioss,
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=at(11, 10),
        status=OrderStatus.CANCELLED,
        cancelled_at=at(11, 12),
    )
    # Other regimes, and a door estimate (not collected), are not the IOSS return's.
    await charged_order(
        country="GB", regime="GB-LVI", net=5000, tax=1000, rate_bps=2000, paid_at=at(11, 4)
    )
    await charged_order(
        country="DE",
        regime="EU-STANDARD",
        net=50000,
        tax=9500,
        rate_bps=1900,
        paid_at=at(11, 4),
        collected=False,
    )
    # September's order refunded in November: a correction of September.
    await charged_order(
        country="FR",
        regime=ioss,
        net=3000,
        tax=600,
        rate_bps=2000,
        paid_at=at(9, 14),
        refunded=600,
        refunded_at=at(11, 15),
    )
    # October's order cancelled in November: a correction of October, all of its VAT.
    await charged_order(
        country="DE",
        regime=ioss,
        net=1000,
        tax=190,
        rate_bps=1900,
        paid_at=at(10, 3),
        status=OrderStatus.CANCELLED,
        cancelled_at=at(11, 2),
    )
    # October's order refunded in December: not November's business.
    await charged_order(country="DE", regime=ioss, net=1000, tax=190, rate_bps=1900,
                        paid_at=at(10, 3), refunded=190, refunded_at=at(12, 2))  # fmt: skip


def figures(report: returns.TaxReturn) -> list[tuple[object, ...]]:
    return [(r.country, r.rate_bps, r.orders, r.taxable, r.tax) for r in report.rows]


async def test_ioss_month_has_vat_by_member_state_and_rate_in_euros() -> None:
    await november()
    report = await returns.ioss_return(2026, 11)
    assert (report.start, report.end, report.currency, report.regime) == (
        date(2026, 11, 1), date(2026, 11, 30), "EUR", "EU-IOSS",
    )  # fmt: skip
    # DE: 2 x (80.00 + 15.20 EUR at 1.25) less the refunded half of one (40.00 + 7.60).
    # FR: as paid in euros. NL: 3000 / 160 and 630 / 160 yen per euro.
    assert figures(report) == [
        ("DE", 1900, 2, 12000, 2280),
        ("FR", 2000, 1, 4500, 900),
        ("NL", 2100, 1, 1875, 394),
    ]
    assert (report.taxable, report.tax) == (18375, 3574)


async def test_earlier_months_refunds_and_cancellations_are_corrections_of_their_month() -> None:
    await november()
    report = await returns.ioss_return(2026, 11)
    # September at September's rate (1.20); October at the first rate after 31 October.
    assert [(c.country, c.period, c.orders, c.taxable, c.tax) for c in report.corrections] == [
        ("FR", "2026-09", 1, -2500, -500),
        ("DE", "2026-10", 1, -909, -173),
    ]
    assert report.correction_tax == -673
    assert report.tax_due == 3574 - 673


async def test_the_rates_used_are_the_ecb_ones_of_the_months_last_day_or_the_next() -> None:
    await november()
    report = await returns.ioss_return(2026, 11)
    assert [(r.currency, r.rate, r.rate_date, r.wanted) for r in report.rates] == [
        ("USD", Decimal("1.2"), date(2026, 9, 30), date(2026, 9, 30)),
        ("USD", Decimal("1.1"), date(2026, 11, 2), date(2026, 10, 31)),
        ("JPY", Decimal("160"), date(2026, 11, 30), date(2026, 11, 30)),
        ("USD", Decimal("1.25"), date(2026, 11, 30), date(2026, 11, 30)),
    ]


async def test_a_months_figures_do_not_change_with_later_refunds() -> None:
    await november()
    october = await returns.ioss_return(2026, 10)
    # Both October orders count in full (one cancelled and one refunded since), plus the one
    # paid on the last second of October, at 1.10 USD per euro: 10.00 -> 9.09 EUR twice,
    # 70.00 -> 63.64; 1.90 -> 1.73 twice, 13.30 -> 12.09.
    assert figures(october) == [("DE", 1900, 3, 909 + 909 + 6364, 173 + 173 + 1209)]
    assert october.corrections == []


async def test_a_missing_ecb_rate_refuses_the_return() -> None:
    await charged_order(country="DE", regime="EU-IOSS", net=1000, tax=190, rate_bps=1900,
                        paid_at=at(8, 3))  # fmt: skip
    with pytest.raises(TaxReturnError) as caught:
        await returns.ioss_return(2026, 8)
    assert caught.value.problems[0].code is TaxReturnErrorCode.RATE_UNAVAILABLE


async def test_an_empty_month_needs_no_rate() -> None:
    report = await returns.ioss_return(2026, 2)
    assert (report.rows, report.corrections, report.rates, report.tax_due) == ([], [], [], 0)


async def test_uk_vat_in_pounds_at_the_rate_of_the_payment_day() -> None:
    # GBP per USD on 2 and 5 October: 0.86 / 1.16 and 0.85 / 1.15 (EUR-based).
    await ecb_rates(date(2026, 10, 2), USD="1.16", GBP="0.86")
    await ecb_rates(date(2026, 10, 5), USD="1.15", GBP="0.85")
    # Paid in pounds at 0.8: counted as paid.
    await charged_order(
        country="GB",
        regime="GB-LVI",
        net=10000,
        tax=2000,
        rate_bps=2000,
        paid_at=at(10, 1),
        currency="GBP",
        rate="0.8",
    )
    # Paid in dollars on Sunday 4 October: Friday's rate.
    await charged_order(
        country="GB", regime="GB-LVI", net=11600, tax=2320, rate_bps=2000, paid_at=at(10, 4)
    )
    # Paid on the 5th: that day's rate.
    await charged_order(
        country="GB", regime="GB-LVI", net=1150, tax=230, rate_bps=2000, paid_at=at(10, 5)
    )
    await charged_order(country="GB", regime="GB-LVI", net=1000, tax=200, rate_bps=2000,
                        paid_at=at(12, 31, 23, 59, 59))  # fmt: skip
    report = await returns.tax_return(ReturnKind.UK, date(2026, 10, 1), date(2026, 12, 30))
    assert report.currency == "GBP"
    assert figures(report) == [("GB", 2000, 3, 8000 + 8600 + 850, 1600 + 1720 + 170)]
    assert [(r.rate_date, r.wanted) for r in report.rates if r.currency == "USD"] == [
        (date(2026, 10, 2), date(2026, 10, 4)),
        (date(2026, 10, 5), date(2026, 10, 5)),
    ]


async def test_australian_gst_in_dollars() -> None:
    await charged_order(
        country="AU",
        regime="AU-LVG",
        net=10000,
        tax=1000,
        rate_bps=1000,
        paid_at=at(7, 9),
        currency="AUD",
        rate="1.5",
    )
    await charged_order(country="NZ", regime="DEFAULT", net=10000, tax=1500, rate_bps=1500,
                        paid_at=at(7, 9))  # fmt: skip
    report = await returns.tax_return(ReturnKind.AU, date(2026, 7, 1), date(2026, 9, 30))
    assert (report.currency, figures(report)) == ("AUD", [("AU", 1000, 1, 15000, 1500)])


@pytest.mark.parametrize(
    ("year", "month", "code"),
    [
        (2026, 0, TaxReturnErrorCode.INVALID_MONTH),
        (2026, 13, TaxReturnErrorCode.INVALID_MONTH),
        (2020, 5, TaxReturnErrorCode.INVALID_YEAR),
        (10**12, 5, TaxReturnErrorCode.INVALID_YEAR),
    ],
)
async def test_a_month_out_of_range_is_refused(year: int, month: int, code: object) -> None:
    with pytest.raises(TaxReturnError) as caught:
        await returns.ioss_return(year, month)
    assert caught.value.problems[0].code is code


async def test_a_period_ending_before_it_starts_or_too_long_is_refused() -> None:
    with pytest.raises(TaxReturnError) as backwards:
        await returns.tax_return(ReturnKind.UK, date(2026, 3, 1), date(2026, 2, 28))
    assert backwards.value.problems[0].code is TaxReturnErrorCode.INVALID_RANGE
    with pytest.raises(TaxReturnError) as long:
        await returns.tax_return(ReturnKind.AU, date(2025, 1, 1), date(2026, 1, 2))
    assert long.value.problems[0].code is TaxReturnErrorCode.RANGE_TOO_LONG


def test_the_last_quarter_is_the_last_one_that_ended() -> None:
    assert returns.last_quarter(date(2026, 12, 6)) == (date(2026, 7, 1), date(2026, 9, 30))
    assert returns.last_quarter(date(2026, 1, 1)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert returns.last_quarter(date(2026, 4, 1)) == (date(2026, 1, 1), date(2026, 3, 31))


async def test_the_csv_has_supplies_corrections_total_and_rates() -> None:
    await november()
    text = returns.return_csv(await returns.ioss_return(2026, 11))
    lines = text.split("\r\n")
    assert lines[0] == (
        "section,country,rate_percent,period,orders,taxable_amount,tax_amount,currency,"
        "exchange_rate"
    )
    assert lines[1] == "supply,DE,19,2026-11-01/2026-11-30,2,120.00,22.80,EUR,"
    assert lines[4] == "correction,FR,,2026-09,1,-25.00,-5.00,EUR,"
    assert lines[6] == "total,,,2026-11-01/2026-11-30,,149.66,29.01,EUR,"
    assert lines[7] == "exchange_rate,,,2026-09-30,,,,USD,1.2"
    assert lines[-1] == ""


async def test_a_return_costs_the_same_statements_for_one_order_or_ten(
    count_queries: QueryCounter,
) -> None:
    await ecb_rates(date(2026, 6, 1), USD="1.2")

    async def orders(n: int) -> None:
        for _ in range(n):
            await charged_order(country="DE", regime="EU-IOSS", net=1000, tax=190,
                                rate_bps=1900, paid_at=at(5, 3), refunded=95,
                                refunded_at=at(5, 9))  # fmt: skip

    await orders(1)
    before = count_queries.count
    await returns.ioss_return(2026, 5)
    few = count_queries.count - before
    await orders(9)
    before = count_queries.count
    report = await returns.ioss_return(2026, 5)
    assert report.rows[0].orders == 10
    assert count_queries.count - before == few
