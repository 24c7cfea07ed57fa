"""The settlement report: exact figures on a small dataset, and refunds reducing them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from models.accounts import Role
from models.payments import Payment, PaymentStatus
from services.payments import refunds, settlement
from services.payments.gateway import Settlement
from tests.conftest import GraphQLClient
from tests.factories import make_user
from tests.payments.test_refunds import FakeGateway, gateway, paid_order

pytestmark = pytest.mark.usefixtures("db")

__all__ = ["gateway"]  # the fixture, shared with the refunds tests

REPORT = """
query($from: Date!, $to: Date!) {
  settlementReport(from: $from, to: $to) {
    from to shopCurrency
    rows {
      currency method settlementCurrency payments refundCount
      gross { amount currency } refunds { amount currency }
      fees { amount currency } net { amount currency } priced { amount currency }
      exchangeGain { amount currency }
    }
    totals {
      settlementCurrency payments refundCount
      fees { amount } net { amount } exchangeGain { amount }
    }
  }
}
"""


def today() -> date:
    """The UTC day the report covers, read when a test starts: a run that crosses midnight
    must not ask for the day before its own data."""
    return datetime.now(UTC).date()


async def dataset() -> dict[str, Any]:
    """Three orders in the shop currency USD, priced and settled at known rates, and one
    payment from before the range."""
    # 100.00 USD at 0.92: 92.00 EUR; 98.00 arrived after a 3.20 fee: 101.20 for 100.00
    # priced, a gain of 1.20.
    eur = await paid_order("100.00", "EUR", "0.92", settled=9800, fee=320, provider_rate="1.1")
    # 10.00 USD at 157.3: 1573 yen; 9.30 arrived after a 0.60 fee: 9.90, a loss of 0.10.
    jpy = await paid_order("10.00", "JPY", "157.3", settled=930, fee=60, provider_rate="0.00629")
    # 50.00 USD paid in USD by PayPal: 48.25 after a 1.75 fee, no exchange.
    usd = await paid_order("50.00", "USD", "1", method="paypal", settled=4825, fee=175)
    # Not settled yet: in the gross, not in the gain.
    await paid_order("20.00", "USD", "1", method="paypal")
    # Before the range.
    await paid_order(
        "70.00",
        "EUR",
        "0.92",
        settled=1,
        fee=1,
        succeeded_at=datetime.now(UTC) - timedelta(days=3),
    )
    return {"eur": eur, "jpy": jpy, "usd": usd}


def by_key(rows: list[Any]) -> dict[tuple[str, str, str], Any]:
    return {(row.currency, row.method, row.settlement_currency): row for row in rows}


async def test_figures_per_currency_and_method() -> None:
    report_day = today()
    await dataset()
    report = await settlement.settlement_report(report_day, report_day)
    rows = by_key(report.rows)
    eur = rows[("EUR", "card", "USD")]
    assert (eur.payments, eur.gross, eur.refunds, eur.fees, eur.net, eur.priced) == (
        1,
        9200,
        0,
        320,
        9800,
        10000,
    )
    assert eur.exchange_gain == 120
    jpy = rows[("JPY", "card", "USD")]
    assert (jpy.gross, jpy.fees, jpy.net, jpy.priced, jpy.exchange_gain) == (
        1573,
        60,
        930,
        1000,
        -10,
    )
    usd = rows[("USD", "paypal", "USD")]
    assert (usd.gross, usd.fees, usd.net, usd.priced, usd.exchange_gain) == (
        5000,
        175,
        4825,
        5000,
        0,
    )
    pending = [r for r in report.rows if r.settlement_currency == ""]
    assert [(r.currency, r.method, r.payments, r.gross, r.exchange_gain) for r in pending] == [
        ("USD", "paypal", 1, 2000, None)
    ]
    [total] = report.totals
    assert (total.settlement_currency, total.payments, total.fees, total.net) == (
        "USD",
        3,
        555,
        15555,
    )
    assert total.exchange_gain == 110


async def test_refunds_reduce_the_figures(client: GraphQLClient, gateway: FakeGateway) -> None:
    report_day = today()
    data = await dataset()
    _, payment = data["eur"]
    # 46.00 EUR back: 50.00 USD at the order's rate; the refund's own balance transaction
    # took 51.52 USD (the day's rate, 1.12), not 50.60 at the rate the payment settled.
    gateway.refund_settlements[f"re_{payment.id}_1"] = Settlement("USD", -5152, 0, "1.12", "txn_re")
    await refunds.refund_payment(payment.id, 4600, "Damaged", None)
    reporter = await make_user(role=Role.STAFF, permissions=("reports",))
    day = report_day.isoformat()
    result = await client.query(REPORT, {"from": day, "to": day}, user=reporter)
    report = result["settlementReport"]
    assert (report["from"], report["to"], report["shopCurrency"]) == (day, day, "USD")
    rows = {(r["currency"], r["method"], r["settlementCurrency"]): r for r in report["rows"]}
    eur = rows[("EUR", "card", "USD")]
    assert eur["refundCount"] == 1
    assert eur["gross"] == {"amount": "92.00", "currency": "EUR"}
    assert eur["refunds"] == {"amount": "46.00", "currency": "EUR"}
    assert eur["fees"] == {"amount": "3.20", "currency": "USD"}
    assert eur["net"] == {"amount": "46.48", "currency": "USD"}  # 98.00 - 51.52
    assert eur["priced"] == {"amount": "50.00", "currency": "USD"}  # 100.00 - 50.00
    assert eur["exchangeGain"] == {"amount": "-0.32", "currency": "USD"}  # 46.48 + 3.20 - 50
    assert rows[("JPY", "card", "USD")]["exchangeGain"]["amount"] == "-0.10"
    assert rows[("USD", "paypal", None)]["net"] is None
    [total] = report["totals"]
    assert total == {
        "settlementCurrency": "USD",
        "payments": 3,
        "refundCount": 1,
        "fees": {"amount": "5.55"},
        "net": {"amount": "104.03"},
        "exchangeGain": {"amount": "-0.42"},
    }


async def test_range_and_permissions(client: GraphQLClient) -> None:
    report_day = today()
    await dataset()
    yesterday = (report_day - timedelta(days=1)).isoformat()
    empty = await client.staff(REPORT, {"from": yesterday, "to": yesterday})
    assert empty["settlementReport"]["rows"] == []
    assert empty["settlementReport"]["totals"] == []
    three_days = await settlement.settlement_report(report_day - timedelta(days=3), report_day)
    assert sum(r.payments for r in three_days.rows) == 5
    backwards = await client.request(
        REPORT, {"from": report_day.isoformat(), "to": yesterday}, staff=True
    )
    assert backwards["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    with pytest.raises(settlement.ReportError):
        await settlement.settlement_report(date(2024, 1, 1), date(2025, 6, 1))
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    body = await client.request(REPORT, {"from": yesterday, "to": yesterday}, user=clerk)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_disputed_payment_still_counts_as_settled() -> None:
    report_day = today()
    made = await dataset()
    _, payment = made["eur"]
    await Payment.filter(id=payment.id).update(status=PaymentStatus.FLAGGED)
    report = await settlement.settlement_report(report_day, report_day)
    eur = by_key(report.rows)[("EUR", "card", "USD")]
    assert (eur.payments, eur.gross, eur.net, eur.exchange_gain) == (1, 9200, 9800, 120)
