"""Tax returns through GraphQL, as the console's "Tax returns" tab asks for them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from tortoise import timezone

from models.accounts import Role
from services.customs import returns
from tests.customs.charged_orders import charged_order
from tests.customs.test_returns import november

pytestmark = pytest.mark.usefixtures("db")

RETURN = """
fragment Return on TaxReturnResult {
  errors { code field message }
  taxReturn {
    kind regime currency from to
    rows { country ratePercent orders taxable { amount currency } tax { amount currency } }
    corrections { country period orders taxable { amount } tax { amount } }
    rates { currency rate rateDate wantedDate }
    taxable { amount } tax { amount } correctionTax { amount } taxDue { amount currency }
    csv
  }
}
"""
IOSS = (
    RETURN
    + """
query($year: Int!, $month: Int!) { iossReturn(year: $year, month: $month) { ...Return } }
"""
)
UK = (
    RETURN
    + """
query($from: Date, $to: Date) { ukVatReturn(from: $from, to: $to) { ...Return } }
"""
)
AU = (
    RETURN
    + """
query($from: Date, $to: Date) { auGstReturn(from: $from, to: $to) { ...Return } }
"""
)


async def accountant() -> Any:
    from tests.factories import make_user

    return await make_user(role=Role.STAFF, permissions=("reports",))


async def test_the_ioss_return_of_a_month(client: Any) -> None:
    await november()
    data = await client.query(IOSS, {"year": 2026, "month": 11}, user=await accountant())
    result = data["iossReturn"]
    assert result["errors"] == []
    found = result["taxReturn"]
    assert (found["kind"], found["regime"], found["currency"], found["from"], found["to"]) == (
        "IOSS", "EU-IOSS", "EUR", "2026-11-01", "2026-11-30",
    )  # fmt: skip
    assert found["rows"] == [
        {"country": "DE", "ratePercent": "19", "orders": 2,
         "taxable": {"amount": "120.00", "currency": "EUR"},
         "tax": {"amount": "22.80", "currency": "EUR"}},
        {"country": "FR", "ratePercent": "20", "orders": 1,
         "taxable": {"amount": "45.00", "currency": "EUR"},
         "tax": {"amount": "9.00", "currency": "EUR"}},
        {"country": "NL", "ratePercent": "21", "orders": 1,
         "taxable": {"amount": "18.75", "currency": "EUR"},
         "tax": {"amount": "3.94", "currency": "EUR"}},
    ]  # fmt: skip
    assert found["corrections"] == [
        {"country": "FR", "period": "2026-09", "orders": 1, "taxable": {"amount": "-25.00"},
         "tax": {"amount": "-5.00"}},
        {"country": "DE", "period": "2026-10", "orders": 1, "taxable": {"amount": "-9.09"},
         "tax": {"amount": "-1.73"}},
    ]  # fmt: skip
    assert found["rates"][1] == {
        "currency": "USD", "rate": "1.1", "rateDate": "2026-11-02", "wantedDate": "2026-10-31",
    }  # fmt: skip
    assert (found["tax"], found["correctionTax"], found["taxDue"]) == (
        {"amount": "35.74"}, {"amount": "-6.73"}, {"amount": "29.01", "currency": "EUR"},
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(found["csv"])))
    assert [row[0] for row in rows] == [
        "section", "supply", "supply", "supply", "correction", "correction", "total",
        "exchange_rate", "exchange_rate", "exchange_rate", "exchange_rate",
    ]  # fmt: skip


async def test_uk_and_australian_returns_default_to_the_last_quarter(client: Any) -> None:
    start, end = returns.last_quarter(timezone.now().date())
    paid = datetime.combine(end, datetime.min.time(), UTC)
    await charged_order(
        country="GB",
        regime="GB-LVI",
        net=5000,
        tax=1000,
        rate_bps=2000,
        paid_at=paid,
        currency="GBP",
        rate="0.8",
    )
    await charged_order(country="AU", regime="AU-LVG", net=5000, tax=500, rate_bps=1000,
                        paid_at=paid, currency="AUD", rate="1.5")  # fmt: skip
    user = await accountant()
    uk = (await client.query(UK, {}, user=user))["ukVatReturn"]["taxReturn"]
    assert (uk["from"], uk["to"], uk["currency"]) == (start.isoformat(), end.isoformat(), "GBP")
    assert [(r["country"], r["tax"]["amount"]) for r in uk["rows"]] == [("GB", "8.00")]
    au = (await client.query(AU, {}, user=user))["auGstReturn"]["taxReturn"]
    assert [(r["country"], r["taxable"]["amount"], r["tax"]["amount"]) for r in au["rows"]] == [
        ("AU", "75.00", "7.50")
    ]
    one = {"from": "2026-10-01", "to": "2026-12-31"}
    other = (await client.query(UK, one, user=user))["ukVatReturn"]["taxReturn"]
    assert other["from"] == "2026-10-01" and other["rows"] == []


@pytest.mark.parametrize(
    ("query", "variables", "code", "field"),
    [
        (IOSS, {"year": 2026, "month": 13}, "INVALID_MONTH", ["month"]),
        (IOSS, {"year": 2026, "month": -1}, "INVALID_MONTH", ["month"]),
        (IOSS, {"year": 1999, "month": 1}, "INVALID_YEAR", ["year"]),
        (UK, {"from": "2026-06-01", "to": "2026-05-31"}, "INVALID_RANGE", ["to"]),
        (AU, {"from": "2025-01-01", "to": "2026-06-30"}, "RANGE_TOO_LONG", ["to"]),
        (AU, {"from": "2025-01-01"}, "INVALID_RANGE", ["to"]),
    ],
)
async def test_a_bad_period_is_a_typed_error(
    client: Any, query: str, variables: dict[str, Any], code: str, field: list[str]
) -> None:
    data = await client.query(query, variables, user=await accountant())
    result = next(iter(data.values()))
    assert result["taxReturn"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, field)]


async def test_a_missing_rate_is_a_typed_error(client: Any) -> None:
    await charged_order(country="DE", regime="EU-IOSS", net=1000, tax=190, rate_bps=1900,
                        paid_at=datetime(2026, 8, 3, tzinfo=UTC))  # fmt: skip
    data = await client.query(IOSS, {"year": 2026, "month": 8}, user=await accountant())
    assert [e["code"] for e in data["iossReturn"]["errors"]] == ["RATE_UNAVAILABLE"]


@pytest.mark.parametrize("who", ["anonymous", "customer", "clerk"])
async def test_returns_need_the_reports_permission(client: Any, who: str) -> None:
    from tests.factories import make_user

    user = {
        "anonymous": None,
        "customer": await make_user(),
        "clerk": await make_user(role=Role.STAFF, permissions=("orders", "settings")),
    }[who]
    for query, variables in ((IOSS, {"year": 2026, "month": 11}), (UK, {}), (AU, {})):
        body = await client.request(query, variables, user=user)
        assert body["data"] is None
        expected = "UNAUTHENTICATED" if user is None else "FORBIDDEN"
        assert [e["extensions"]["code"] for e in body["errors"]] == [expected]
