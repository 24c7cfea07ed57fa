"""The console's "Tax returns" tab: an accountant opens it from the Money screen, picks a month
and downloads the IOSS return as CSV; the UK return follows a change of period; in Chinese."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.customs.test_returns import november


async def test_an_accountant_downloads_the_ioss_return_of_a_month(
    desk: Any, console: str, expect: Any
) -> None:
    errors = page_errors(desk)
    await november()
    accountant = await make_staff("REPORTS")
    await sign_in(desk, console, accountant, "money")

    await desk.get_by_role("link", name="Tax returns").click()
    await expect(desk.get_by_role("link", name="Tax returns")).to_have_attribute(
        "aria-current", "page"
    )
    await desk.get_by_label("Month").fill("2026-11")
    await desk.get_by_role("button", name="Show", exact=True).click()

    rows = desk.locator('[data-table="return-rows"] tbody tr')
    await expect(rows).to_have_count(3)
    germany = desk.locator('[data-table="return-rows"] tr[data-country="DE"]')
    await expect(germany).to_contain_text("19%")
    await expect(germany).to_contain_text("€22.80")
    await expect(desk.locator('[data-table="return-corrections"] tbody tr')).to_have_count(2)
    await expect(desk.locator('[data-kpi="tax-due"] .kpi-value')).to_have_text("€29.01")
    await expect(desk.locator('[data-block="rates"] li[data-date="2026-11-02"]')).to_contain_text(
        "1 EUR = 1.1 USD"
    )
    assert "kind=ioss" in desk.url and "month=2026-11" in desk.url

    async with desk.expect_download() as info:
        await desk.get_by_role("button", name="Download CSV").click()
    download = await info.value
    assert download.suggested_filename == "ioss-2026-11.csv"
    text = Path(await download.path()).read_text(encoding="utf-8")  # noqa: ASYNC240
    found = list(csv.reader(io.StringIO(text)))
    assert found[0][:7] == [
        "section", "country", "rate_percent", "period", "orders", "taxable_amount", "tax_amount",
    ]  # fmt: skip
    assert [row[1] for row in found if row[0] == "supply"] == ["DE", "FR", "NL"]
    assert next(row for row in found if row[0] == "total")[6] == "29.01"
    assert errors == []


async def test_the_uk_return_follows_the_period_chosen_in_chinese(
    desk: Any, console: str, expect: Any
) -> None:
    from tests.customs.charged_orders import charged_order

    errors = page_errors(desk)
    august = datetime(2026, 8, 14, tzinfo=UTC)
    await charged_order(country="GB", regime="GB-LVI", net=5000, tax=1000, rate_bps=2000,
                        paid_at=august, currency="GBP", rate="0.8")  # fmt: skip
    accountant = await make_staff("REPORTS")
    await sign_in(desk, console, accountant, "money/returns?kind=uk&from=2026-01-01&to=2026-03-31")
    await desk.locator("#locale-select").select_option("zh")
    block = desk.locator('[data-block="tax-return"]')
    await expect(block).to_contain_text("本期内该制度下没有已收税款")

    await desk.get_by_label("开始日期").fill(date(2026, 7, 1).isoformat())
    await desk.get_by_label("结束日期").fill(date(2026, 9, 30).isoformat())
    await desk.get_by_role("button", name="查询", exact=True).click()
    await expect(desk.locator('[data-table="return-rows"] tr[data-country="GB"]')).to_contain_text(
        "£8.00"
    )
    assert "from=2026-07-01" in desk.url
    assert errors == []
