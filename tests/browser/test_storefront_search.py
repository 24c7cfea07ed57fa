"""Search in a browser: the storefront's search box finds a Chinese word inside a name and a
misspelt word, best matches first (the "Relevance" sort a search starts with); the console's
product list finds the same products with the same search."""

from __future__ import annotations

from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import make_product

CARDS = ".card-title"


async def _search(page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search")
    await box.fill(text)
    await box.press("Enter")


async def test_the_search_box_finds_chinese_inside_names_and_forgives_a_typo(
    page, storefront, expect
):
    # Listed oldest first, so "Newest" would put them the other way round.
    await make_product(name="Jacket Hanger")
    await make_product(name="Rain Jacket")
    await make_product(name="Lint Brush", description="Keeps a wool jacket clean.")
    await make_product(name="防晒霜 SPF50")
    await make_product(name="Linen Shirt")
    errors = page_errors(page)
    await page.goto(storefront)
    await expect(page.locator("#results-count")).to_have_text("5 products")
    # Without a search there is nothing to be relevant to.
    await expect(page.locator("#sort-select option[value=relevance]")).to_have_count(0)

    await _search(page, "jacket")
    # A name starting with the word, then a name holding it, then a description.
    await expect(page.locator(CARDS)).to_have_text(["Jacket Hanger", "Rain Jacket", "Lint Brush"])
    await expect(page.locator("#sort-select")).to_have_value("relevance")
    await expect(page.locator("#sort-select option[value=relevance]")).to_have_text("Relevance")
    assert "sort=" not in page.url  # relevance is a search's default

    await _search(page, "jaket")
    # Corrected words in names (the newer first), then in a description.
    await expect(page.locator(CARDS)).to_have_text(["Rain Jacket", "Jacket Hanger", "Lint Brush"])

    await _search(page, "防晒")
    await expect(page.locator(CARDS)).to_have_text(["防晒霜 SPF50"])

    # A sort the shopper picks holds for the next search; clearing the search drops relevance.
    await page.locator("#sort-select").select_option("name")
    await _search(page, "jacket")
    await expect(page.locator(CARDS)).to_have_text(["Jacket Hanger", "Lint Brush", "Rain Jacket"])
    await page.locator("#sort-select").select_option("relevance")
    await expect(page.locator(CARDS)).to_have_text(["Jacket Hanger", "Rain Jacket", "Lint Brush"])
    await page.locator("#chips a.chip").first.click()  # the search's chip: remove it
    await expect(page.locator("#results-count")).to_have_text("5 products")
    await expect(page.locator("#sort-select")).to_have_value("newest")
    assert errors == []


async def test_the_console_product_list_finds_a_draft_by_a_typo(desk, console, expect):
    await make_product(name="Rain Jacket", publish=False)
    await make_product(name="Linen Shirt", publish=False)
    merchant = await make_staff("CATALOG")
    errors = page_errors(desk)
    await sign_in(desk, console, merchant, "catalog?q=jaket")
    await expect(desk.locator("#main table.data tbody tr")).to_have_count(1)
    await expect(desk.locator("#main table.data tbody")).to_contain_text("Rain Jacket")
    assert errors == []
