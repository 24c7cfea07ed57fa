"""The storefront's pages in a browser, as a shopper uses them: its ES modules load, the list
filters and comes back from a product, the language switches, a member signs in and keeps an
account, a guest changes the cart."""

from __future__ import annotations

import re
from typing import Any

from tests.factories import make_brand, make_product, make_user

#: Modules of each part of the storefront that the home page must have loaded.
SOME_MODULES = ("app.js", "lib/graphql.js", "lib/i18n.js", "shop/api.js", "screens/catalog.js")


def _watch_errors(page: Any) -> list[str]:
    """Uncaught errors and console errors of the page, as they happen."""
    errors: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text}")

    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", console)
    return errors


async def test_every_module_loads_as_javascript_and_the_list_shows(page, storefront, expect):
    await make_product(name="Linen shirt")
    scripts: dict[str, tuple[int, str]] = {}
    page.on(
        "response",
        lambda r: (
            scripts.__setitem__(
                r.url.removeprefix(storefront), (r.status, r.headers.get("content-type", ""))
            )
            if r.request.resource_type == "script"
            else None
        ),
    )
    errors = _watch_errors(page)

    await page.goto(storefront)

    await expect(page.locator(".card-title").filter(has_text="Linen shirt")).to_be_visible()
    await expect(page.locator("#results-count")).to_have_text("1 product")
    assert set(SOME_MODULES) <= set(scripts), sorted(scripts)
    for url, (status, content_type) in scripts.items():
        assert status in (200, 304), (url, status)
        assert content_type.startswith("text/javascript"), (url, content_type)
    assert errors == []


async def test_a_shopper_filters_opens_a_product_and_comes_back(page, storefront, expect):
    nordic = await make_brand(name="Nordic")
    await make_brand(name="Other")
    await make_product(name="Wool hat", brand=nordic)
    await make_product(name="Cotton socks", brand=await make_brand(name="Sockery"))
    errors = _watch_errors(page)
    await page.goto(storefront)
    await expect(page.locator("#results-count")).to_have_text("2 products")

    await page.get_by_role("checkbox", name=re.compile("Nordic")).check()
    await expect(page.locator("#results-count")).to_have_text("1 product")
    await expect(page.get_by_role("link", name="Remove filter: Nordic")).to_be_visible()
    assert "brand=" in page.url

    await page.locator(".card-link").filter(has_text="Wool hat").click()
    await expect(page.get_by_role("heading", name="Wool hat", level=1)).to_be_visible()
    await page.get_by_role("link", name="Back to results").click()
    await expect(page.locator("#results-count")).to_have_text("1 product")
    await expect(page.get_by_role("checkbox", name=re.compile("Nordic"))).to_be_checked()

    # Search within the filter, then in German.
    await page.get_by_role("searchbox", name="Search").fill("socks")
    await page.get_by_role("searchbox", name="Search").press("Enter")
    await expect(page.locator("#results-count")).to_have_text("0 products")
    await page.locator("#chips").get_by_role("link", name="Clear all").click()
    await expect(page.locator("#results-count")).to_have_text("2 products")
    await page.get_by_label("Language").select_option("de")
    await expect(page.locator("#results-title")).to_have_text("Alle Produkte")
    await expect(page.locator("#results-count")).to_have_text("2 Produkte")
    assert "lang=de" in page.url
    assert errors == []


async def test_a_member_signs_in_adds_an_address_and_signs_out(page, storefront, expect):
    await make_user(email="ines@example.com", password="correct horse battery", nickname="Ines")
    errors = _watch_errors(page)
    await page.goto(f"{storefront}#/sign-in")

    await page.get_by_label("Email or phone number").fill("ines@example.com")
    await page.get_by_label("Password").fill("correct horse battery")
    await page.get_by_role("button", name="Sign in", exact=True).click()

    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await expect(page.locator(".account-nav .account-name")).to_have_text("Ines")
    await page.get_by_role("button", name="Add address").click()
    form = page.get_by_role("form", name="Add address")
    await form.get_by_label("Full name").fill("Ines Ortega")
    await form.get_by_label("Street address").fill("Calle Mayor 1")
    await form.get_by_label("City").fill("Madrid")
    await form.get_by_label("Postal code").fill("28013")
    await form.get_by_label("Country").select_option("ES")
    await form.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Address saved.")).to_be_visible()
    await expect(page.locator("address").filter(has_text="Calle Mayor 1")).to_contain_text("Madrid")

    # A reload keeps the sign-in (the refresh token), then signing out ends it.
    await page.reload()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await page.locator(".account-head").get_by_role("button", name="Sign out").click()
    await expect(page.locator(".account-nav")).to_contain_text("Sign in")
    assert await page.evaluate("localStorage.getItem('tradewind.refreshToken')") is None
    assert errors == []


async def test_a_guest_changes_quantities_and_empties_the_cart(page, storefront, expect):
    product = await make_product(prices=("12.50",), stock=(4,), name="Tea towel")
    errors = _watch_errors(page)
    await page.goto(f"{storefront}#/product/{product.slug}")
    await page.get_by_role("button", name="Add to cart").click()
    await expect(page.get_by_text("Added 1 to your cart.")).to_be_visible()
    await expect(page.locator("#cart-count")).to_have_text("1")

    await page.get_by_role("link", name="View cart").click()
    line = page.locator(".cart-line").filter(has_text="Tea towel")
    await expect(line.locator(".cart-line-total")).to_have_text("$12.50")
    await line.get_by_role("button", name=re.compile("^One more")).click()
    await expect(line.locator(".cart-line-total")).to_have_text("$25.00")
    await expect(page.locator("#cart-count")).to_have_text("2")
    await expect(line.get_by_role("spinbutton")).to_be_focused()

    await line.get_by_role("button", name=re.compile("^Remove")).click()
    await expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    await expect(page.locator("#cart-count")).to_be_hidden()
    assert errors == []
