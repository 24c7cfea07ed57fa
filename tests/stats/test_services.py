"""The statistics rules: local days and their SQL, the refusals, and figures from the service."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from models.catalog import ProductVariant
from services.stats import orders
from services.stats.errors import StatsError, StatsErrorCode
from services.stats.local_days import MAX_DAYS, OffsetSpan, local_days, zone_named
from tests.factories import make_order, make_product

SHOP = "USD"


def code_of(exc: pytest.ExceptionInfo[StatsError]) -> StatsErrorCode:
    return exc.value.problems[0].code  # type: ignore[return-value]


def test_utc_days_are_one_span_at_offset_zero():
    days = local_days(date(2026, 3, 1), date(2026, 3, 31), zone_named("UTC"))
    assert days.start == datetime(2026, 3, 1, tzinfo=UTC)
    assert days.end == datetime(2026, 4, 1, tzinfo=UTC)
    assert days.spans == (OffsetSpan(offset=0, until=None),)
    assert days.count == 31
    assert days.dates()[0] == date(2026, 3, 1)
    assert days.dates()[-1] == date(2026, 3, 31)


def test_a_clock_change_splits_the_offsets_at_its_exact_second():
    days = local_days(date(2026, 3, 1), date(2026, 11, 30), zone_named("America/New_York"))
    spring = int(datetime(2026, 3, 8, 7, tzinfo=UTC).timestamp())
    autumn = int(datetime(2026, 11, 1, 6, tzinfo=UTC).timestamp())
    assert days.spans == (
        OffsetSpan(offset=-5 * 3600, until=spring),
        OffsetSpan(offset=-4 * 3600, until=autumn),
        OffsetSpan(offset=-5 * 3600, until=None),
    )
    assert days.start == datetime(2026, 3, 1, 5, tzinfo=UTC)
    assert days.end == datetime(2026, 12, 1, 5, tzinfo=UTC)


def test_a_day_whose_midnight_is_skipped_starts_at_the_change():
    # Santiago sets its clocks from 00:00 to 01:00 on 6 September 2026.
    days = local_days(date(2026, 9, 6), date(2026, 9, 6), zone_named("America/Santiago"))
    assert days.start == datetime(2026, 9, 6, 4, tzinfo=UTC)
    assert days.end == datetime(2026, 9, 7, 3, tzinfo=UTC)
    assert days.spans == (OffsetSpan(offset=-3 * 3600, until=None),)


def test_the_day_sql_uses_only_computed_integers():
    days = local_days(date(2026, 3, 1), date(2026, 3, 31), zone_named("Europe/Paris"))
    sql = days.day_number_sql('"placed_at"', "sqlite")
    change = int(datetime(2026, 3, 29, 1, tzinfo=UTC).timestamp())
    assert sql == (
        f'((unixepoch("placed_at") + CASE WHEN unixepoch("placed_at") < {change} THEN 3600 '
        "ELSE 7200 END) / 86400)"
    )
    assert "EXTRACT(EPOCH" in days.day_number_sql('"placed_at"', "postgres")
    with pytest.raises(NotImplementedError):
        days.day_number_sql('"placed_at"', "mysql")


def test_day_numbers_outside_the_range_are_kept_on_its_edges():
    days = local_days(date(2026, 3, 1), date(2026, 3, 2), zone_named("UTC"))
    epoch_day = (date(2026, 3, 1) - date(1970, 1, 1)).days
    assert days.date_of(epoch_day) == date(2026, 3, 1)
    assert days.date_of(epoch_day - 1) == date(2026, 3, 1)
    assert days.date_of(epoch_day + 5) == date(2026, 3, 2)


@pytest.mark.parametrize(
    ("first", "last", "code"),
    [
        (date(2026, 3, 2), date(2026, 3, 1), StatsErrorCode.INVALID_RANGE),
        (date(2025, 1, 1), date(2026, 1, 2), StatsErrorCode.RANGE_TOO_LONG),
    ],
)
def test_backwards_or_over_long_ranges_are_refused(first, last, code):
    with pytest.raises(StatsError) as exc:
        local_days(first, last, zone_named("UTC"))
    assert code_of(exc) is code


def test_a_range_of_exactly_the_longest_length_is_accepted():
    days = local_days(date(2024, 1, 1), date(2024, 12, 31), zone_named("UTC"))
    assert days.count == MAX_DAYS


@pytest.mark.parametrize("name", ["", "utc", "Mars/Base", "/etc/passwd", "../../etc/passwd"])
def test_only_iana_zone_names_are_accepted(name):
    with pytest.raises(StatsError) as exc:
        zone_named(name, "timezone")
    assert code_of(exc) is StatsErrorCode.INVALID_TIMEZONE
    assert exc.value.problems[0].field == ("timezone",)


@pytest.mark.parametrize(
    ("revenue", "count", "average"), [(0, 0, 0), (5, 2, 3), (3, 2, 2), (10, 3, 3), (-5, 2, -3)]
)
def test_the_average_order_value_rounds_half_up(revenue, count, average):
    assert orders.Totals(orders=count, revenue=revenue, cancelled=0).average_order_value == average


def test_the_currency_decides_which_amounts_count():
    def stats(currency: str | None) -> orders.OrderStatistics:
        return orders.order_statistics(
            first=date(2026, 3, 1),
            last=date(2026, 3, 1),
            currency=currency,
            timezone="UTC",
            shop_currency=SHOP,
        )

    assert (stats(None).currency, stats(None).presentment) == ("USD", False)
    assert (stats("USD").currency, stats("USD").presentment) == ("USD", False)
    assert (stats(" jpy ").currency, stats(" jpy ").presentment) == ("JPY", True)
    for bad in ("XYZ", "", "XAU"):
        with pytest.raises(StatsError) as exc:
            stats(bad)
        assert code_of(exc) is StatsErrorCode.INVALID_CURRENCY


async def test_figures_come_from_the_database(db):
    product = await make_product(prices=("3.00", "4.00"))
    small, large = await ProductVariant.filter(product_id=product.id).order_by("id")
    placed = datetime(2026, 3, 1, 9, tzinfo=UTC)
    await make_order(None, [(small, 1), (large, 2)], placed_at=placed, ship_country="FR")
    stats = orders.order_statistics(
        first=date(2026, 3, 1), last=date(2026, 3, 2), currency=None, timezone="UTC",
        shop_currency=SHOP,
    )  # fmt: skip
    totals = await stats.totals()
    assert totals == orders.Totals(orders=1, revenue=1100, cancelled=0)
    assert await stats.totals() is totals  # shared, not asked again
    assert await stats.items_sold() == 3
    assert await stats.daily() == [
        orders.DayFigure(date(2026, 3, 1), 1, 1100),
        orders.DayFigure(date(2026, 3, 2), 0, 0),
    ]
    assert await stats.by_country() == [orders.PlaceFigure("FR", "", 1, 1100, 1.0)]
    top = await stats.top_products(orders.Ranking.UNITS, 1)
    assert top == [orders.ProductFigure(product.id, product.name, 3, 1100)]
    with pytest.raises(StatsError) as exc:
        await stats.top_products(orders.Ranking.REVENUE, orders.MAX_TOP + 1)
    assert code_of(exc) is StatsErrorCode.INVALID_LIMIT
