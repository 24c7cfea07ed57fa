"""The console's frame in a browser: staff sign in, the navigation follows their permissions,
screens they may not open say so, the language switches to Chinese and stays, the menu works
on a phone, and signing out comes back to the sign-in page."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import STAFF_PASSWORD, make_staff, page_errors, sign_in
from tests.factories import make_user

ALL_SCREENS = [
    "home", "orders", "returns", "parcels", "support", "customers", "marketing", "catalog",
    "inventory", "money", "statistics", "shipping", "customs", "return-policy", "support-setup",
    "payment-methods", "currencies", "jobs", "staff",
]  # fmt: skip


async def _nav(tab: Any) -> list[str]:
    return await tab.locator("#nav a").evaluate_all("links => links.map(a => a.dataset.screen)")


async def test_an_admin_signs_in_and_sees_every_screen(desk, console, expect):
    admin = await make_staff(admin=True, nickname="Mei")
    errors = page_errors(desk)

    await sign_in(desk, console, admin)

    assert await _nav(desk) == ALL_SCREENS
    await expect(desk.locator("#who-name")).to_have_text("Mei")
    await expect(desk.locator('#nav a[aria-current="page"]')).to_have_text("Home")
    for screen in ALL_SCREENS:
        await desk.goto(f"{console}#/{screen}")
        await expect(desk.locator("#main h1")).to_be_visible()
        await expect(desk.locator(f'#nav a[data-screen="{screen}"]')).to_have_attribute(
            "aria-current", "page"
        )
    assert errors == []


async def test_a_member_with_orders_only_sees_orders_and_is_told_about_the_rest(
    desk, console, expect
):
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk)

    assert await _nav(desk) == ["home", "orders", "returns", "parcels"]
    await desk.goto(f"{console}#/catalog")
    await expect(desk.locator("#main .state-error")).to_contain_text("Catalog permission")
    await desk.goto(f"{console}#/staff")
    await expect(desk.locator("#main .state-error")).to_contain_text("Admin permission")
    await desk.goto(f"{console}#/nowhere")
    await expect(desk.locator("#main .state-error")).to_have_text(
        "There is no such page in the console."
    )


async def test_a_customer_account_and_a_wrong_password_are_refused(desk, console, expect):
    shopper = await make_user(password=STAFF_PASSWORD)
    staff = await make_staff("ORDERS")

    await desk.goto(console)
    await desk.get_by_label("Email or phone").fill(staff.email)
    await desk.get_by_label("Password").fill("not-the-password")
    await desk.get_by_role("button", name="Sign in").click()
    await expect(desk.locator(".signin .form-alert, .signin .field-error").first).to_be_visible()
    assert await desk.evaluate("localStorage.getItem('tradewind.console.refreshToken')") is None

    await desk.get_by_label("Email or phone").fill(shopper.email)
    await desk.get_by_label("Password").fill(STAFF_PASSWORD)
    await desk.get_by_role("button", name="Sign in").click()
    await expect(desk.locator(".signin .form-alert")).to_contain_text("not a staff account")
    await expect(desk.locator("#nav")).to_be_hidden()
    assert await desk.evaluate("localStorage.getItem('tradewind.console.refreshToken')") is None


async def test_chinese_is_chosen_kept_after_a_reload_and_formats_for_its_locale(
    desk, console, expect
):
    admin = await make_staff(admin=True)
    await sign_in(desk, console, admin)

    await desk.locator("#locale-select").select_option("zh")

    await expect(desk.locator('#nav a[data-screen="orders"]')).to_have_text("订单")
    await desk.reload()
    await expect(desk.locator('#nav a[data-screen="inventory"]')).to_have_text("库存")
    assert await desk.evaluate("document.documentElement.lang") == "zh-Hans"
    assert await desk.locator("#sign-out").text_content() == "退出登录"


async def test_on_a_phone_the_menu_opens_the_navigation(phone, console, expect):
    admin = await make_staff(admin=True)
    await sign_in(phone, console, admin)

    orders = phone.locator('#nav a[data-screen="orders"]')
    await expect(orders).not_to_be_in_viewport()
    await phone.locator("#menu-button").click()
    await expect(orders).to_be_in_viewport()
    await orders.click()
    await expect(phone).to_have_url(f"{console}#/orders")
    await expect(orders).not_to_be_in_viewport()


async def test_signing_out_returns_to_the_sign_in_page_and_forgets_the_session(
    desk, console, expect
):
    admin = await make_staff(admin=True)
    await sign_in(desk, console, admin, "orders")

    await desk.locator("#sign-out").click()

    await expect(desk.get_by_role("button", name="Sign in")).to_be_visible()
    await expect(desk.locator("#nav")).to_be_hidden()
    assert await desk.evaluate("localStorage.getItem('tradewind.console.refreshToken')") is None
    await desk.reload()
    await expect(desk.get_by_role("button", name="Sign in")).to_be_visible()
