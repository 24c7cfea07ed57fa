"""The console's order page prints a parcel's customs papers: the customs declaration and the
commercial invoice open as PDFs in a new tab, and papers that cannot be made yet say why."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.customs.documents_setup import (
    Goods,
    ecb_rates,
    parcel_order,
    registrations,
    shop_address,
)
from tests.factories import gid


async def _opened_pdf(desk: Any, parcel: Any, name: str) -> tuple[Any, bytes]:
    """Clicks the button `name` of the parcel: the response its new tab received (shown in
    the browser's PDF viewer), and the file at its link, fetched again while it is valid."""
    async with (
        desk.context.expect_page() as opened,
        desk.context.expect_event("response", lambda r: "/documents/customs/" in r.url) as answered,
    ):
        await parcel.get_by_role("button", name=name).click()
    response = await answered.value
    tab = await opened.value
    await tab.wait_for_url(response.url)
    again = await desk.context.request.get(response.url)
    assert again.status == 200
    body = await again.body()
    await tab.close()
    return response, body


async def test_staff_print_the_declaration_and_the_invoice_of_a_parcel(
    desk: Any, console: str, expect: Any, settings: Any, monkeypatch: Any
) -> None:
    shop_address(settings, monkeypatch)
    await ecb_rates()
    await registrations()
    order, shipment = await parcel_order([Goods(name="丝绸围巾")])
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk, f"orders/{gid('Order', order.id)}")
    parcel = desk.locator(f'.order-parcel[data-shipment="{gid("Shipment", shipment.id)}"]')
    await expect(parcel.get_by_role("button", name="Customs declaration")).to_be_visible()

    response, body = await _opened_pdf(desk, parcel, "Customs declaration")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    assert f"cn22-{order.number}-" in response.headers["content-disposition"]
    await expect(parcel.locator(".parcel-papers-problems")).to_contain_text("CN22 opened")

    response, body = await _opened_pdf(desk, parcel, "Commercial invoice")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    assert f"invoice-{order.number}-" in response.headers["content-disposition"]
    assert errors == []


async def test_papers_missing_a_fact_say_what_to_fix_and_open_no_tab_in_chinese_too(
    desk: Any, console: str, expect: Any, settings: Any, monkeypatch: Any
) -> None:
    shop_address(settings, monkeypatch)
    await ecb_rates()
    await registrations()
    order, shipment = await parcel_order([Goods(name="Mystery box", sku="BOX", hs_code="")])
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk, f"orders/{gid('Order', order.id)}")
    parcel = desk.locator(f'.order-parcel[data-shipment="{gid("Shipment", shipment.id)}"]')
    await parcel.get_by_role("button", name="Commercial invoice").click()
    problem = parcel.locator('.parcel-papers-problems li[data-code="HS_CODE_MISSING"]')
    await expect(problem).to_contain_text("Mystery box (BOX) has no 6-digit HS code")
    for _ in range(50):  # the tab opened at the click closes again
        if len(desk.context.pages) == 1:
            break
        await asyncio.sleep(0.1)
    assert len(desk.context.pages) == 1

    await desk.locator("#locale-select").select_option("zh")
    parcel = desk.locator(f'.order-parcel[data-shipment="{gid("Shipment", shipment.id)}"]')
    await parcel.get_by_role("button", name="商业发票").click()
    await expect(problem.locator("strong")).to_have_text("缺少 HS 编码")
    await expect(parcel.get_by_role("button", name="报关单")).to_be_visible()
