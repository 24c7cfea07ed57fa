"""Duties and import taxes collected at checkout in the settlement report and the order
statistics, per import regime, through GraphQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from models.accounts import Role
from models.orders import OrderStatus
from tests.customs.charged_orders import charged_order
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("db")

SETTLEMENT = """
query($from: Date!, $to: Date!) {
  settlementReport(from: $from, to: $to) {
    dutyCollected { amount currency } dutyRefunded { amount }
    importTaxCollected { amount currency } importTaxRefunded { amount }
    customs { regime kind orders collected { amount } refunded { amount } net { amount } }
  }
}
"""
STATISTICS = """
query($from: Date!, $to: Date!, $currency: CurrencyCode) {
  orderStatistics(from: $from, to: $to, currency: $currency) {
    errors { code }
    statistics {
      orderCount dutyTotal { amount currency } importTaxTotal { amount currency }
      customsByRegime { regime kind orders collected { amount currency } refunded { amount } }
    }
  }
}
"""
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def on(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


async def march() -> None:
    # Germany under IOSS, half of the VAT refunded.
    await charged_order(
        country="DE",
        regime="EU-IOSS",
        net=10000,
        tax=1900,
        rate_bps=1900,
        paid_at=on(2),
        refunded=950,
        refunded_at=on(10),
    )
    # The UK, paid in pounds.
    await charged_order(
        country="GB",
        regime="GB-LVI",
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=on(3),
        currency="GBP",
        rate="0.8",
    )
    # Above IOSS, delivered duty paid: duty and VAT charged at checkout.
    await charged_order(
        country="DE",
        regime="EU-STANDARD",
        net=20000,
        tax=3895,
        rate_bps=1900,
        duty=500,
        paid_at=on(4),
    )
    # Delivered at place: the carrier's estimate is no money of the shop's.
    await charged_order(
        country="DE",
        regime="EU-STANDARD",
        net=50000,
        tax=9500,
        rate_bps=1900,
        duty=1200,
        paid_at=on(4),
        collected=False,
    )
    # Placed in March and not paid: in the statistics, not the settlement.
    await charged_order(
        country="FR",
        regime="EU-IOSS",
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=None,
        placed_at=on(5),
        status=OrderStatus.PENDING_PAYMENT,
    )
    # Cancelled: in neither.
    await charged_order(
        country="FR",
        regime="EU-IOSS",
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=None,
        placed_at=on(6),
        status=OrderStatus.CANCELLED,
    )
    # April's.
    await charged_order(country="DE", regime="EU-IOSS", net=4000, tax=777, rate_bps=1900,
                        paid_at=on(1, 4))  # fmt: skip


async def reporter() -> Any:
    return await make_user(role=Role.STAFF, permissions=("reports",))


async def test_settlement_counts_what_the_paid_orders_collected_per_regime(client: Any) -> None:
    await march()
    report = (await client.query(SETTLEMENT, MARCH, user=await reporter()))["settlementReport"]
    assert report["dutyCollected"] == {"amount": "5.00", "currency": "USD"}
    assert report["dutyRefunded"] == {"amount": "0.00"}
    assert report["importTaxCollected"] == {"amount": "67.95", "currency": "USD"}
    assert report["importTaxRefunded"] == {"amount": "9.50"}
    assert [
        (r["regime"], r["kind"], r["orders"], r["collected"]["amount"], r["refunded"]["amount"],
         r["net"]["amount"])
        for r in report["customs"]
    ] == [
        ("EU-IOSS", "IMPORT_TAX", 1, "19.00", "9.50", "9.50"),
        ("EU-STANDARD", "DUTY", 1, "5.00", "0.00", "5.00"),
        ("EU-STANDARD", "IMPORT_TAX", 1, "38.95", "0.00", "38.95"),
        ("GB-LVI", "IMPORT_TAX", 1, "10.00", "0.00", "10.00"),
    ]  # fmt: skip


async def test_statistics_count_the_duties_and_taxes_of_the_counted_orders(client: Any) -> None:
    await march()
    data = await client.query(STATISTICS, MARCH, user=await reporter())
    stats = data["orderStatistics"]["statistics"]
    assert stats["orderCount"] == 5
    assert stats["dutyTotal"] == {"amount": "5.00", "currency": "USD"}
    assert stats["importTaxTotal"] == {"amount": "77.95", "currency": "USD"}
    assert [
        (r["regime"], r["kind"], r["orders"], r["collected"]["amount"], r["refunded"]["amount"])
        for r in stats["customsByRegime"]
    ] == [
        ("EU-IOSS", "IMPORT_TAX", 2, "29.00", "9.50"),
        ("EU-STANDARD", "DUTY", 1, "5.00", "0.00"),
        ("EU-STANDARD", "IMPORT_TAX", 1, "38.95", "0.00"),
        ("GB-LVI", "IMPORT_TAX", 1, "10.00", "0.00"),
    ]


async def test_statistics_in_another_currency_count_what_was_paid_in_it(client: Any) -> None:
    await march()
    data = await client.query(STATISTICS, {**MARCH, "currency": "GBP"}, user=await reporter())
    stats = data["orderStatistics"]["statistics"]
    assert stats["importTaxTotal"] == {"amount": "8.00", "currency": "GBP"}
    assert stats["dutyTotal"] == {"amount": "0.00", "currency": "GBP"}
    assert stats["customsByRegime"] == [
        {"regime": "GB-LVI", "kind": "IMPORT_TAX", "orders": 1,
         "collected": {"amount": "8.00", "currency": "GBP"}, "refunded": None},
    ]  # fmt: skip


async def test_an_empty_range_has_nothing_collected(client: Any) -> None:
    user = await reporter()
    report = (await client.query(SETTLEMENT, MARCH, user=user))["settlementReport"]
    assert (report["dutyCollected"]["amount"], report["importTaxCollected"]["amount"]) == (
        "0.00", "0.00",
    )  # fmt: skip
    assert report["customs"] == []
    stats = (await client.query(STATISTICS, MARCH, user=user))["orderStatistics"]["statistics"]
    assert stats["customsByRegime"] == [] and stats["importTaxTotal"]["amount"] == "0.00"
