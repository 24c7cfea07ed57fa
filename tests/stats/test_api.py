"""`orderStatistics` through GraphQL, as the merchant console asks for it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderStatus
from services.catalog import products
from tests.factories import gid, make_order, make_product, make_user

STATISTICS = """
query Stats($from: Date!, $to: Date!, $currency: CurrencyCode, $timezone: String, $top: Int) {
  orderStatistics(from: $from, to: $to, currency: $currency, timezone: $timezone) {
    errors { code field message }
    statistics {
      from to timezone currency
      orderCount cancelledCount itemsSold
      revenue { amount currency }
      averageOrderValue { amount currency }
      daily { date orders revenue { amount } }
      byCountry { country orders revenue { amount } share }
      byRegion { country region orders revenue { amount } share }
      topProductsByUnits(limit: $top) { productId name units revenue { amount currency } }
      topProductsByRevenue(limit: $top) { productId name units revenue { amount } }
    }
  }
}
"""

TOTALS = """
query Totals($from: Date!, $to: Date!, $currency: CurrencyCode, $timezone: String) {
  orderStatistics(from: $from, to: $to, currency: $currency, timezone: $timezone) {
    errors { code field }
    statistics { orderCount cancelledCount itemsSold revenue { amount currency } }
  }
}
"""

DAILY = """
query Daily($from: Date!, $to: Date!, $timezone: String) {
  orderStatistics(from: $from, to: $to, timezone: $timezone) {
    statistics { daily { date orders revenue { amount } } }
  }
}
"""

AVERAGE = """
query Average($from: Date!, $to: Date!) {
  orderStatistics(from: $from, to: $to) { statistics { averageOrderValue { amount } } }
}
"""

TOP_WITH_PRODUCTS = """
query Top($from: Date!, $to: Date!, $top: Int) {
  orderStatistics(from: $from, to: $to) {
    statistics {
      topProductsByUnits(limit: $top) { productId name units product { id name } }
    }
  }
}
"""

MARCH = {"from": "2026-03-01", "to": "2026-03-07"}


def at(day: int, hour: int = 12, minute: int = 0, month: int = 3, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


async def first_variant(product: Any) -> ProductVariant:
    return await ProductVariant.filter(product_id=product.id).order_by("id").first()  # type: ignore[return-value]


async def reporter() -> Any:
    return await make_user(role=Role.STAFF, permissions=("reports",))


async def stats_of(client: Any, variables: dict[str, Any], query: str = STATISTICS) -> Any:
    data = await client.query(query, variables, user=await reporter())
    result = data["orderStatistics"]
    assert not result.get("errors")
    return result["statistics"]


async def march_shop() -> dict[str, Any]:
    """Three counted orders in the first week of March, one cancelled, two outside it."""
    a = await first_variant(await make_product(prices=("10.00",), stock=(100,)))
    b = await first_variant(await make_product(prices=("25.00",), stock=(100,)))
    c = await first_variant(await make_product(prices=("5.00",), stock=(100,)))
    await make_order(None, [(a, 2)], placed_at=at(1, 10), ship_country="US", ship_region="CA")
    await make_order(None, [(b, 1)], placed_at=at(1, 23, 30), ship_country="US", ship_region="NY")
    await make_order(
        None, [(c, 4), (a, 1)], placed_at=at(3), ship_country="JP", ship_region="Tokyo"
    )
    await make_order(
        None, [(a, 10)], placed_at=at(4), status=OrderStatus.CANCELLED, ship_country="US"
    )
    await make_order(None, [(b, 1)], placed_at=at(8, 0), ship_country="US")
    await make_order(None, [(b, 1)], placed_at=at(28, 23, 59, month=2, second=59))
    return {"a": a, "b": b, "c": c}


async def test_a_week_of_orders_adds_up_exactly(client):
    shop = await march_shop()
    stats = await stats_of(client, MARCH)
    assert (stats["from"], stats["to"], stats["timezone"], stats["currency"]) == (
        "2026-03-01",
        "2026-03-07",
        "UTC",
        "USD",
    )
    assert stats["orderCount"] == 3
    assert stats["cancelledCount"] == 1
    assert stats["itemsSold"] == 8
    assert stats["revenue"] == {"amount": "75.00", "currency": "USD"}
    assert stats["averageOrderValue"] == {"amount": "25.00", "currency": "USD"}
    a, b, c = (gid("Product", shop[k].product_id) for k in "abc")
    assert stats["topProductsByUnits"] == [
        {"productId": c, "name": stats["topProductsByUnits"][0]["name"], "units": 4,
         "revenue": {"amount": "20.00", "currency": "USD"}},
        {"productId": a, "name": stats["topProductsByUnits"][1]["name"], "units": 3,
         "revenue": {"amount": "30.00", "currency": "USD"}},
        {"productId": b, "name": stats["topProductsByUnits"][2]["name"], "units": 1,
         "revenue": {"amount": "25.00", "currency": "USD"}},
    ]  # fmt: skip
    assert [(p["productId"], p["units"], p["revenue"]["amount"]) for p in
            stats["topProductsByRevenue"]] == [
        (a, 3, "30.00"), (b, 1, "25.00"), (c, 4, "20.00"),
    ]  # fmt: skip


async def test_every_day_of_the_range_has_a_point_zeros_included(client):
    await march_shop()
    stats = await stats_of(client, MARCH)
    assert stats["daily"] == [
        {"date": "2026-03-01", "orders": 2, "revenue": {"amount": "45.00"}},
        {"date": "2026-03-02", "orders": 0, "revenue": {"amount": "0.00"}},
        {"date": "2026-03-03", "orders": 1, "revenue": {"amount": "30.00"}},
        {"date": "2026-03-04", "orders": 0, "revenue": {"amount": "0.00"}},
        {"date": "2026-03-05", "orders": 0, "revenue": {"amount": "0.00"}},
        {"date": "2026-03-06", "orders": 0, "revenue": {"amount": "0.00"}},
        {"date": "2026-03-07", "orders": 0, "revenue": {"amount": "0.00"}},
    ]


async def test_countries_and_regions_carry_their_share_of_revenue(client):
    await march_shop()
    stats = await stats_of(client, MARCH)
    assert stats["byCountry"] == [
        {"country": "US", "orders": 2, "revenue": {"amount": "45.00"}, "share": 0.6},
        {"country": "JP", "orders": 1, "revenue": {"amount": "30.00"}, "share": 0.4},
    ]
    regions = [(r["country"], r["region"], r["orders"], r["revenue"]["amount"], r["share"])
               for r in stats["byRegion"]]  # fmt: skip
    assert regions == [
        ("JP", "Tokyo", 1, "30.00", 0.4),
        ("US", "NY", 1, "25.00", pytest.approx(1 / 3)),
        ("US", "CA", 1, "20.00", pytest.approx(4 / 15)),
    ]


async def test_an_empty_range_is_all_zeros(client):
    stats = await stats_of(client, {"from": "2026-02-27", "to": "2026-02-28"})
    assert stats["orderCount"] == 0
    assert stats["itemsSold"] == 0
    assert stats["revenue"]["amount"] == "0.00"
    assert stats["averageOrderValue"]["amount"] == "0.00"
    assert [d["orders"] for d in stats["daily"]] == [0, 0]
    assert stats["byCountry"] == stats["byRegion"] == stats["topProductsByUnits"] == []


async def test_average_order_value_rounds_half_up_to_the_minor_unit(client):
    cent = await first_variant(await make_product(prices=("0.01",)))
    await make_order(None, [(cent, 2)], placed_at=at(2))
    await make_order(None, [(cent, 3)], placed_at=at(2))
    stats = await stats_of(client, MARCH, AVERAGE)
    assert stats["averageOrderValue"]["amount"] == "0.03"  # 2.5 cents
    await make_order(None, [(cent, 1)], placed_at=at(2))
    stats = await stats_of(client, MARCH, AVERAGE)
    assert stats["averageOrderValue"]["amount"] == "0.02"  # 2.0 cents


async def test_ties_rank_by_product_id_and_deleted_products_come_last(client):
    first = await first_variant(await make_product(prices=("4.00",)))
    second = await first_variant(await make_product(prices=("2.00",)))
    gone_product = await make_product(prices=("8.00",), name="Retired mug")
    gone = await first_variant(gone_product)
    # Each sells 2 units, for 8.00, 4.00 and 16.00.
    await make_order(None, [(second, 2)], placed_at=at(2))
    await make_order(None, [(gone, 1)], placed_at=at(2))
    await make_order(None, [(first, 2)], placed_at=at(3))
    await make_order(None, [(gone, 1)], placed_at=at(3))
    await products.delete_product(gone_product.id, actor="test")
    stats = await stats_of(client, MARCH)
    by_units = [(p["productId"], p["name"], p["units"]) for p in stats["topProductsByUnits"]]
    assert by_units == [
        (gid("Product", first.product_id), by_units[0][1], 2),
        (gid("Product", second.product_id), by_units[1][1], 2),
        (None, "Retired mug", 2),
    ]
    by_revenue = [(p["productId"], p["revenue"]["amount"]) for p in stats["topProductsByRevenue"]]
    assert by_revenue == [
        (None, "16.00"),
        (gid("Product", first.product_id), "8.00"),
        (gid("Product", second.product_id), "4.00"),
    ]


async def test_the_limit_cuts_the_ranking_and_is_bounded(client):
    shop = await march_shop()
    stats = await stats_of(client, {**MARCH, "top": 1})
    assert [p["productId"] for p in stats["topProductsByUnits"]] == [
        gid("Product", shop["c"].product_id)
    ]
    for top in (0, 51):
        body = await client.request(STATISTICS, {**MARCH, "top": top}, user=await reporter())
        codes = {e["extensions"]["code"] for e in body["errors"]}
        assert codes == {"BAD_USER_INPUT"}
        problems = body["errors"][0]["extensions"]["problems"]
        assert problems[0]["code"] == "INVALID_LIMIT"


async def test_top_products_show_the_product_while_it_exists(client):
    kept = await make_product(prices=("3.00",), name="Teapot")
    dropped = await make_product(prices=("3.00",), name="Kettle")
    await make_order(None, [(await first_variant(kept), 3)], placed_at=at(2))
    await make_order(None, [(await first_variant(dropped), 1)], placed_at=at(2))
    await products.delete_product(dropped.id, actor="test")
    stats = await stats_of(client, MARCH, TOP_WITH_PRODUCTS)
    assert stats["topProductsByUnits"] == [
        {
            "productId": gid("Product", kept.id),
            "name": "Teapot",
            "units": 3,
            "product": {"id": gid("Product", kept.id), "name": "Teapot"},
        },
        {"productId": None, "name": "Kettle", "units": 1, "product": None},
    ]


async def test_days_are_the_time_zones_days_across_a_clock_change(client):
    item = await first_variant(await make_product(prices=("1.00",)))
    # New York moves from UTC-5 to UTC-4 at 07:00 UTC on 8 March 2026.
    await make_order(None, [(item, 1)], placed_at=at(7, 4, 59))  # 6 Mar 23:59 EST
    await make_order(None, [(item, 2)], placed_at=at(8, 4, 30))  # 7 Mar 23:30 EST
    await make_order(None, [(item, 3)], placed_at=at(9, 3, 30))  # 8 Mar 23:30 EDT
    await make_order(None, [(item, 4)], placed_at=at(9, 4, 30))  # 9 Mar 00:30 EDT
    await make_order(None, [(item, 5)], placed_at=at(10, 4, 0))  # 10 Mar 00:00 EDT
    variables = {"from": "2026-03-07", "to": "2026-03-09", "timezone": "America/New_York"}
    stats = await stats_of(client, variables, DAILY)
    assert [(d["date"], d["orders"], d["revenue"]["amount"]) for d in stats["daily"]] == [
        ("2026-03-07", 1, "2.00"),
        ("2026-03-08", 1, "3.00"),
        ("2026-03-09", 1, "4.00"),
    ]
    utc = await stats_of(client, {"from": "2026-03-07", "to": "2026-03-09"}, DAILY)
    assert [d["orders"] for d in utc["daily"]] == [1, 1, 2]


async def test_tokyo_days_start_at_fifteen_hundred_utc(client):
    item = await first_variant(await make_product(prices=("1.00",)))
    await make_order(None, [(item, 1)], placed_at=at(28, 14, 59, month=2))  # 28 Feb 23:59 JST
    await make_order(None, [(item, 2)], placed_at=at(28, 15, 0, month=2))  # 1 Mar 00:00 JST
    await make_order(None, [(item, 3)], placed_at=at(1, 14, 59))  # 1 Mar 23:59 JST
    await make_order(None, [(item, 4)], placed_at=at(1, 15, 0))  # 2 Mar 00:00 JST
    variables = {"from": "2026-03-01", "to": "2026-03-01", "timezone": "Asia/Tokyo"}
    stats = await stats_of(client, variables, TOTALS)
    assert (stats["orderCount"], stats["itemsSold"]) == (2, 5)


async def test_shop_currency_counts_every_order_at_its_shop_amounts(client):
    item = await first_variant(await make_product(prices=("10.00",)))
    await make_order(None, [(item, 1)], placed_at=at(2))
    await make_order(None, [(item, 2)], placed_at=at(2), currency="JPY", rate="150")
    await make_order(None, [(item, 1)], placed_at=at(2), currency="EUR", rate="0.9")
    for currency in (None, "USD"):
        stats = await stats_of(client, {**MARCH, "currency": currency}, TOTALS)
        assert stats["orderCount"] == 3
        assert stats["revenue"] == {"amount": "40.00", "currency": "USD"}
        assert stats["itemsSold"] == 4


async def test_another_currency_counts_only_its_orders_at_the_amounts_paid(client):
    item = await first_variant(await make_product(prices=("10.00",)))
    await make_order(None, [(item, 1)], placed_at=at(2), ship_country="US")
    await make_order(
        None, [(item, 2)], placed_at=at(2), currency="JPY", rate="150", ship_country="JP"
    )
    await make_order(
        None, [(item, 1)], placed_at=at(5), currency="JPY", rate="151", ship_country="JP"
    )
    await make_order(None, [(item, 1)], placed_at=at(2), currency="EUR", rate="0.9")
    stats = await stats_of(client, {**MARCH, "currency": "JPY"})
    assert stats["currency"] == "JPY"
    assert stats["orderCount"] == 2
    assert stats["itemsSold"] == 3
    assert stats["revenue"] == {"amount": "4510", "currency": "JPY"}
    assert stats["averageOrderValue"] == {"amount": "2255", "currency": "JPY"}
    assert [d["revenue"]["amount"] for d in stats["daily"]][1:5] == ["3000", "0", "0", "1510"]
    assert stats["byCountry"] == [
        {"country": "JP", "orders": 2, "revenue": {"amount": "4510"}, "share": 1.0}
    ]
    assert stats["topProductsByRevenue"][0]["revenue"] == {"amount": "4510"}
    assert stats["topProductsByUnits"][0]["revenue"] == {"amount": "4510", "currency": "JPY"}


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        ({"from": "2026-03-02", "to": "2026-03-01"}, "INVALID_RANGE", ["to"]),
        ({"from": "2024-01-01", "to": "2025-01-01"}, "RANGE_TOO_LONG", ["to"]),
        ({**MARCH, "timezone": "Mars/Olympus_Mons"}, "INVALID_TIMEZONE", ["timezone"]),
        ({**MARCH, "timezone": "../../etc/passwd"}, "INVALID_TIMEZONE", ["timezone"]),
    ],
)
async def test_refused_arguments_get_a_typed_error_and_no_figures(client, variables, code, field):
    data = await client.query(TOTALS, variables, user=await reporter())
    assert data["orderStatistics"]["statistics"] is None
    assert [(e["code"], e["field"]) for e in data["orderStatistics"]["errors"]] == [(code, field)]


async def test_a_currency_is_a_currency_code_not_any_string(client):
    body = await client.request(TOTALS, {**MARCH, "currency": "XYZ"}, user=await reporter())
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]


async def test_a_leap_year_of_366_days_is_accepted(client):
    stats = await stats_of(client, {"from": "2024-01-01", "to": "2024-12-31"}, DAILY)
    assert len(stats["daily"]) == 366


async def test_only_staff_who_read_reports_get_statistics(client):
    refusals = [
        (None, "UNAUTHENTICATED"),
        (await make_user(), "FORBIDDEN"),
        (await make_user(role=Role.STAFF, permissions=("catalog", "orders")), "FORBIDDEN"),
    ]
    for user, code in refusals:
        body = await client.request(TOTALS, MARCH, user=user)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
    assert (await client.staff(TOTALS, MARCH))["orderStatistics"]["errors"] == []


async def test_a_report_costs_the_same_statements_for_more_days_orders_and_products(
    client, count_queries
):
    user = await reporter()
    items = [await first_variant(await make_product(prices=("2.00",))) for _ in range(12)]
    variables = {**MARCH, "top": 50}
    await make_order(None, [(items[0], 1)], placed_at=at(1), ship_country="US")
    query = STATISTICS.replace("units revenue { amount currency } }", "units product { name } }")
    await client.query(query, variables, user=user)
    count_queries.statements.clear()
    await client.query(query, variables, user=user)
    few = count_queries.count
    for day in range(1, 8):
        for n, item in enumerate(items):
            country, region = ("JP", "Osaka") if n % 2 else ("DE", f"Region {n}")
            await make_order(
                None, [(item, n + 1), (items[0], 1)], placed_at=at(day, n),
                ship_country=country, ship_region=region,
            )  # fmt: skip
    count_queries.statements.clear()
    data = await client.query(query, variables, user=user)
    assert count_queries.count == few, count_queries.statements
    stats = data["orderStatistics"]["statistics"]
    assert stats["orderCount"] == 1 + 7 * 12
    assert len(stats["topProductsByUnits"]) == 12
    assert all(p["product"] for p in stats["topProductsByUnits"])


async def test_orders_outside_the_range_or_cancelled_never_count(client):
    await march_shop()
    assert await Order.filter().count() == 6
    stats = await stats_of(client, MARCH, TOTALS)
    assert (stats["orderCount"], stats["cancelledCount"]) == (3, 1)
