"""The console's inventory screen in a browser: a low SKU restocked clears its alert live, a
stocktake from opening to applying its differences, a SKU's ledger after receiving goods, and
the count entry on a phone."""

from __future__ import annotations

from typing import Any

from models.inventory import (
    LowStockAlert,
    MovementKind,
    StockMovement,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
)
from services.inventory import stock, stocktakes
from tests.browser.conftest import make_staff, sign_in
from tests.factories import gid
from tests.inventory.helpers import figures, stocked_variant


async def _low(stock_units: int, reserved: int, **fields: Any) -> Any:
    variant = await stocked_variant(stock_units, **fields)
    await stock.reserve([(variant.id, reserved)], reference=f"TW-{variant.id}")
    return variant


async def test_receiving_stock_for_a_low_sku_clears_its_alert_live(desk, console, expect):
    keeper = await make_staff("INVENTORY")
    teapot = await _low(10, 7, name="Teapot")  # 3 available: at or below 5
    apron = await _low(10, 8, name="Apron")
    await sign_in(desk, console, keeper, "inventory")

    alerts = desk.locator("#inventory-alerts")
    await expect(alerts.locator(f'li[data-sku="{teapot.sku}"]')).to_contain_text("3 available")
    await expect(alerts.locator(f'li[data-sku="{apron.sku}"]')).to_be_visible()
    await expect(desk.locator("table.data tbody tr")).to_have_count(2)
    await desk.evaluate("window.stillHere = true")

    await (
        alerts.locator(f'li[data-sku="{teapot.sku}"]').get_by_role("button", name="Receive").click()
    )
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Quantity").fill("20")
    await dialog.get_by_label("Delivery reference").fill("PO-1")
    await dialog.get_by_role("button", name="Receive").click()

    await expect(alerts.locator(f'li[data-sku="{teapot.sku}"]')).to_have_count(0)
    await expect(alerts.locator(f'li[data-sku="{apron.sku}"]')).to_be_visible()
    # Another member receives the apron's goods: this screen hears of it too.
    await stock.receive(apron.id, 30)
    await expect(alerts).to_contain_text("No open alerts")
    assert await desk.evaluate("window.stillHere") is True

    assert await figures(teapot) == (30, 7)
    assert await LowStockAlert.filter(resolved_at=None).count() == 0
    receipt = await StockMovement.get(variant_id=teapot.id, reference="PO-1")
    assert (receipt.kind, receipt.on_hand_change, receipt.actor_id) == (
        MovementKind.RECEIPT,
        20,
        keeper.id,
    )
    # The stock list filters by level: nothing is low any more.
    await desk.get_by_label("Stock level").select_option("LOW_STOCK")
    await expect(desk.locator(".list .empty")).to_be_visible()


async def test_a_stocktake_from_opening_to_applying_its_differences(desk, console, expect):
    keeper = await make_staff("INVENTORY")
    green = await stocked_variant(10, name="Teapot green")
    white = await stocked_variant(5, name="Teapot white")
    apron = await stocked_variant(7, name="Linen apron")
    await sign_in(desk, console, keeper, "inventory/stocktakes")

    await desk.get_by_label("Note").fill("Shelf A")
    await desk.get_by_label("Search").fill("teapot")
    await desk.get_by_role("button", name="Open stocktake").click()
    await expect(desk.locator("#main h1")).to_have_text("Shelf A")

    sheet = desk.locator("#stocktake-sheet")
    await expect(sheet.locator("tbody tr")).to_have_count(2)
    await sheet.get_by_label(f"Counted {green.sku}").fill("8")
    await sheet.get_by_role("button", name="Save counts").click()
    diffs = desk.locator("#stocktake-differences")
    await expect(diffs.locator(f'tr[data-sku="{green.sku}"]')).to_have_attribute(
        "data-difference", "-2"
    )

    entry = desk.locator("#stocktake-entry")
    await entry.get_by_label("SKU").fill(white.sku)
    await entry.get_by_label("Counted").fill("6")
    await entry.get_by_role("button", name="Record count").click()
    await expect(diffs.locator(f'tr[data-sku="{white.sku}"]')).to_have_attribute(
        "data-difference", "1"
    )
    await expect(diffs).to_contain_text("2 SKUs counted, 2 with a difference")

    await desk.locator("#stocktake-apply").click()
    await expect(desk.locator("dialog")).to_contain_text("2 SKUs (1 units found, 2 missing)")
    await desk.locator("dialog").get_by_role("button", name="Apply differences").click()
    await expect(desk.locator("#main .page-head .badge")).to_have_text("Applied")

    assert await figures(green) == (8, 0)
    assert await figures(white) == (6, 0)
    assert await figures(apron) == (7, 0)
    take = await Stocktake.get()
    assert (take.status, take.note, take.scope_search) == (
        StocktakeStatus.APPLIED,
        "Shelf A",
        "teapot",
    )
    moved = await StockMovement.filter(kind=MovementKind.STOCKTAKE).order_by("variant_id")
    assert [(m.variant_id, m.on_hand_change) for m in moved] == [(green.id, -2), (white.id, 1)]


async def test_the_ledger_shows_a_skus_movements(desk, console, expect):
    keeper = await make_staff("INVENTORY")
    variant = await stocked_variant(10, name="Teapot")
    await stock.reserve([(variant.id, 2)], reference="TW-LEDGER")
    await stock.adjust(variant.id, -1, reason="Chipped lid")
    await sign_in(desk, console, keeper, f"inventory/sku/{variant.sku}")

    ledger = desk.locator("#inventory-ledger")
    await expect(ledger.locator("tbody tr")).to_have_count(3)
    await expect(ledger.locator("tbody tr").nth(0)).to_contain_text("Chipped lid")
    await expect(ledger.locator("tbody tr").nth(1)).to_contain_text("TW-LEDGER")
    await expect(ledger.locator("tbody tr").nth(1)).to_contain_text("Reserved for order")

    receive = desk.locator("form").filter(has=desk.get_by_label("Delivery reference"))
    await receive.get_by_label("Quantity").fill("5")
    await receive.get_by_label("Delivery reference").fill("PO-77")
    await receive.get_by_role("button", name="Receive").click()
    await expect(ledger.locator("tbody tr")).to_have_count(4)
    first = ledger.locator("tbody tr").nth(0)
    await expect(first).to_contain_text("Received")
    await expect(first).to_contain_text("PO-77")
    await expect(first).to_contain_text("+5")
    await expect(desk.locator('[data-figure="available"] .kpi-value')).to_have_text("12")
    assert await figures(variant) == (14, 2)
    assert await StockMovement.filter(variant_id=variant.id).count() == 4


async def test_the_count_entry_on_a_phone(phone, console, expect):
    keeper = await make_staff("INVENTORY")
    variant = await stocked_variant(9, name="Teapot")
    take = await stocktakes.open_stocktake(note="Back room", actor_id=keeper.id)
    await sign_in(phone, console, keeper, f"inventory/stocktakes/{gid('Stocktake', take.id)}")

    entry = phone.locator("#stocktake-entry")
    await entry.get_by_label("SKU").fill("NO-SUCH-SKU")
    await entry.get_by_label("Counted").fill("1")
    await entry.get_by_role("button", name="Record count").click()
    await expect(entry.locator(".field-error")).to_have_text("There is no SKU NO-SUCH-SKU.")

    await entry.get_by_label("SKU").fill(variant.sku.lower())
    await entry.get_by_label("Counted").fill("7")
    await entry.get_by_role("button", name="Record count").click()
    await expect(
        phone.locator(f'#stocktake-differences tr[data-sku="{variant.sku}"]')
    ).to_have_attribute("data-difference", "-2")
    await expect(entry.get_by_label("SKU")).to_be_focused()

    # One column on a phone: nothing wider than the screen, the button full width.
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    button = await entry.get_by_role("button", name="Record count").bounding_box()
    field = await entry.get_by_label("SKU").bounding_box()
    assert button is not None and field is not None
    assert button["width"] > 300 and field["width"] > 300
    line = await StocktakeLine.get(stocktake_id=take.id)
    assert (line.variant_id, line.counted, line.expected) == (variant.id, 7, 9)
