"""The returns setup as a merchant uses it: a product found by search made final sale and a
category given a 14-day window; the storefront's product pages then say so, and the screen
fits a phone."""

from __future__ import annotations

from models.returns import PolicyScope, ReturnPolicy
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_category, make_product


async def test_a_final_sale_product_and_a_14_day_category_show_on_the_product_pages(
    desk, page, phone, console, storefront, expect
):
    knitwear = await make_category(name="Knitwear")
    scarf = await make_product(name="Wool scarf", category=knitwear)
    perfume = await make_product(name="Sample perfume")
    staff = await make_staff("SETTINGS")
    errors = page_errors(desk)
    await sign_in(desk, console, staff, "return-policy")
    await expect(desk.locator("#main h1")).to_have_text("Return policy")
    # The default reasons are there from the first visit, damaged ones asking for photos.
    await expect(desk.locator('#returns-reasons tr[data-reason="damaged"]')).to_contain_text(
        "Required"
    )

    overrides = desk.locator("#returns-overrides")
    await overrides.get_by_role("button", name="Add for a product").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_role("searchbox", name="Product").fill("perfume")
    await dialog.get_by_role("option", name="Sample perfume").click()
    await dialog.get_by_label("Returnable").uncheck()
    await dialog.get_by_role("button", name="Save").click()
    await expect(overrides.locator('tr[data-override="Sample perfume"]')).to_contain_text(
        "Final sale"
    )

    await overrides.get_by_role("button", name="Add for a category").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Category").select_option(gid("Category", knitwear.id))
    await dialog.get_by_label("Return window (days)").fill("14")
    await dialog.get_by_role("button", name="Save").click()
    await expect(overrides.locator('tr[data-override="Knitwear"]')).to_contain_text("14 days")

    rows = {(r.scope, r.category_id or r.product_id): r async for r in _rows()}
    assert rows[(PolicyScope.PRODUCT, perfume.id)].returnable is False
    assert rows[(PolicyScope.CATEGORY, knitwear.id)].window_days == 14
    assert errors == []

    await page.goto(f"{storefront}#/product/{scarf.slug}")
    await expect(page.locator(".detail-returns")).to_contain_text(
        "Returns within 14 days of delivery"
    )
    await page.goto(f"{storefront}#/product/{perfume.slug}?lang=ja")
    await expect(page.locator(".detail-returns.is-final-sale")).to_contain_text("最終セール品")

    await sign_in(phone, console, staff, "return-policy")
    await expect(phone.locator('tr[data-override="Knitwear"]')).to_be_attached()
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


async def _rows():
    for row in await ReturnPolicy.all():
        yield row
