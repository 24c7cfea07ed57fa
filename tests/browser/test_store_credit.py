"""A member with store credit sees it on the account page and pays part of an order with it,
the card paying the rest, as a person would."""

from __future__ import annotations

import re

from models.accounts import User
from models.orders import Order, OrderStatus
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from models.store_credit import CreditEntryKind
from services.store_credit import ledger
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import gid, make_product, make_user

PASSWORD = "correct horse battery"


async def _shop_and_member() -> tuple[str, User]:
    zone = await ShippingZone.create(name="Americas", countries=["US"])
    carrier = await Carrier.create(name="Test Post", code="testpost")
    service = await ShippingService.create(
        carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
    )
    await ShippingRate.create(
        service=service, zone=zone, max_weight_grams=30000, price=800, min_days=3, max_days=5
    )
    product = await make_product(prices=("24.00",), stock=(10,), name="Linen shirt")
    member = await make_user(email="mei@example.com", password=PASSWORD, nickname="Mei")
    await ledger.post(
        member.id, "USD", 1200, CreditEntryKind.GRANT, "grant:browser", note="Welcome gift"
    )
    return product.slug, member


async def test_a_member_sees_the_credit_and_pays_part_of_an_order_with_it(page, storefront):
    from playwright.async_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    slug, member = await _shop_and_member()
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill("mei@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()

    credit = page.get_by_role("region", name="Store credit")
    await expect(credit.locator(".credit-balance")).to_have_text("$12.00")
    await expect(credit.locator(".credit-history")).to_contain_text("Given by the shop")
    await expect(credit.locator(".credit-history")).to_contain_text("+$12.00")

    await page.goto(f"{storefront}#/product/{slug}")
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await page.get_by_role("link", name="Checkout").click()
    await page.get_by_label("Full name").fill("Mei Lin")
    await page.get_by_label("Street address").fill("350 Fifth Avenue")
    await page.get_by_label("City").fill("New York")
    await page.get_by_label("Postal code").fill("10118")
    await page.get_by_label("Country").select_option("US")
    await page.get_by_role("radio", name=re.compile("Test Post")).check()

    use = page.get_by_label("Use store credit ($12.00 available)")
    await expect(use).to_be_checked()
    totals = page.locator(".credit-totals")
    await expect(totals).to_contain_text("−$12.00")
    await expect(totals).to_contain_text("$20.00")  # 24.00 + 8.00 shipping - 12.00
    await page.get_by_role("button", name="Place order").click()

    await expect(page.get_by_text("Thank you for your order!")).to_be_visible()
    order = await Order.get(user_id=member.id)
    badge = page.locator(".status-badge")
    await expect(badge).to_have_text("Awaiting payment")
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Card number").fill("4242 4242 4242 4242")
    await expect(page.get_by_role("button", name=re.compile("^Pay.*20\\.00"))).to_be_visible()
    await page.get_by_role("button", name=re.compile("^Pay")).click()
    await expect(badge).to_have_text("Preparing")

    await order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_SHIPMENT
    assert (order.store_credit_presentment, order.total_presentment) == (1200, 3200)
    assert await ledger.balance(member.id, "USD") == 0


async def test_a_clerk_gives_store_credit_from_the_customer_page_on_a_phone(phone, console, client):
    from playwright.async_api import expect

    from models.currency import PresentmentCurrency
    from tests.browser.conftest import make_staff, page_errors, sign_in

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    await PresentmentCurrency.create(code="JPY")
    clerk = await make_staff("CUSTOMERS")
    lin = await make_user(nickname="Lin Wei", email="lin.wei@example.com")
    errors = page_errors(phone)
    await sign_in(phone, console, clerk, "customers")
    await phone.goto(f"{console}#/customers/{gid('User', lin.id)}")
    await expect(phone.locator("#main h1")).to_have_text("Lin Wei")

    form = phone.get_by_role("form", name="Give store credit")
    await form.get_by_label("Amount").fill("1200")
    await form.get_by_label("Currency").select_option("JPY")
    await form.get_by_label("Note").fill("Sorry for the late parcel")
    await form.get_by_role("button", name="Give store credit").click()

    await expect(phone.locator("[data-credit-balance='JPY']")).to_contain_text("1,200")
    await expect(phone.locator("table.credit-ledger tbody tr")).to_have_count(1)
    await expect(phone.locator("table.credit-ledger")).to_contain_text("Given by staff")
    assert await ledger.balance(lin.id, "JPY") == 1200
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    await phone.screenshot(path="/tmp/credit-console-phone.png", full_page=True)
    assert errors == []
