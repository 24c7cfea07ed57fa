"""An exchange walked in the browser: a shopper asks on the storefront's order page to swap a
T-shirt in size M for L; the merchant approves, receives, restocks, finishes and sends the
exchange from the console's Returns screen; the shopper's page then shows the return
completed and the replacement order's number. The paid, delivered order is seeded through
the API."""

from __future__ import annotations

from typing import Any

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderLine, OrderStatus
from models.returns import ReturnRequest, ReturnStatus
from tests.browser.conftest import PHONE, STEP_TIMEOUT_MS, make_staff, page_errors, sign_in
from tests.factories import make_user
from tests.orders.checkout_setup import ready_shop
from tests.shopping import buy, ship_and_deliver, tshirt

PASSWORD = "correct horse battery"


async def test_a_shopper_exchanges_a_size_and_sees_the_replacement(
    browser, desk, storefront, console, expect, client
):
    shop = await ready_shop(jpy_rate="150")
    medium, large = await tshirt()
    shopper = await make_user(email="ren@example.com", password=PASSWORD, currency="JPY")
    clerk = await make_staff("ORDERS")
    sender = await make_user(role=Role.STAFF, permissions=("orders",))
    placed = await buy(client, shop, shopper, [medium])
    await ship_and_deliver(client, shop, sender, placed["id"])
    number = placed["number"]

    # The shopper, on a phone, signs in and opens the order.
    context = await browser.new_context(locale="en-US", timezone_id="Asia/Tokyo", viewport=PHONE)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    shop_tab: Any = await context.new_page()
    shopper_errors = page_errors(shop_tab)
    clerk_errors = page_errors(desk)
    try:
        await shop_tab.goto(f"{storefront}#/sign-in")
        await shop_tab.get_by_label("Email or phone number").fill(shopper.email)
        await shop_tab.get_by_label("Password").fill(PASSWORD)
        await shop_tab.get_by_role("button", name="Sign in", exact=True).click()
        await expect(shop_tab.get_by_role("heading", name="My account")).to_be_visible()
        await shop_tab.goto(f"{storefront}#/order/{number}")

        await shop_tab.get_by_role("button", name="Return items").click()
        form = shop_tab.locator(".return-form")
        await form.locator("select[name=quantity]").select_option("1")
        await form.get_by_label("Exchange for another variant").check()
        await form.locator("select[name=exchangeVariantId]").select_option(label="L")
        await form.get_by_label("Reason").select_option(label="Wrong size or fit")
        await form.get_by_role("button", name="Request return").click()
        card = shop_tab.locator(".return-card")
        await expect(card.locator(".return-status")).to_have_text("Requested")
        await expect(card).to_contain_text("Exchange for another variant")
        assert await shop_tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        ret = await ReturnRequest.get(order__number=number)
        assert ret.resolution.value == "exchange"
        await shop_tab.evaluate("window.notReloaded = true")

        # The merchant works it from the Returns screen.
        await sign_in(desk, console, clerk, "returns")
        await desk.locator("#main table.data tbody tr", has_text=ret.number).click()
        await expect(desk.locator("#main h1")).to_have_text(f"Return {ret.number}")
        approve = desk.locator(".return-approve-form")
        await approve.get_by_label("Return instructions").fill("Post it back in its bag.")
        await approve.get_by_role("button", name="Approve return").click()
        await expect(desk.locator(".page-head .badge")).to_have_text("Approved")
        await desk.get_by_role("button", name="Mark received").click()
        await desk.locator("dialog").get_by_role("button", name="Mark received").click()
        await expect(desk.locator(".page-head .badge")).to_have_text("Received")
        inspect = desk.locator(".return-inspect-form")
        await inspect.get_by_label(f"Decision for {medium.sku}").select_option("RESTOCK")
        await inspect.get_by_role("button", name="Save inspection").click()
        await expect(desk.locator(f'.return-lines tr[data-sku="{medium.sku}"]')).to_contain_text(
            "Back to stock"
        )
        await desk.get_by_role("button", name="Finish inspection").click()
        await desk.locator("dialog").get_by_role("button", name="Finish inspection").click()
        await expect(desk.locator(".page-head .badge")).to_have_text("Inspected")

        # The outcome panel: the exchange asked for, nothing to pay or refund.
        outcome = desk.locator(".return-outcome")
        await expect(outcome.get_by_label("Send the exchange")).to_be_checked()
        await expect(outcome.get_by_label("Refund to the payment (JPY)")).to_have_value("0")
        await outcome.get_by_role("button", name="Carry out").click()
        result = desk.locator(".return-outcome-result")
        await expect(result).to_contain_text("Exchange order")
        await expect(desk.locator(".page-head .badge")).to_have_text("Closed")
        replacement = await Order.get(number__not=number)
        await expect(result).to_contain_text(replacement.number)

        # The shopper's page, left open, shows it completed and names the replacement, live.
        card = shop_tab.locator(".return-card")
        await expect(card.locator(".return-status")).to_have_text("Completed")
        await expect(card.locator(".return-exchange")).to_contain_text(replacement.number)
        assert await shop_tab.evaluate("window.notReloaded") is True
        assert await shop_tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
        # The replacement's number opens its page: paid by the returned shirt, awaiting shipment.
        await card.locator(".return-exchange a").click()
        await expect(shop_tab.locator("h1.page-title")).to_contain_text(replacement.number)
        await expect(shop_tab.locator(".status-badge")).to_have_text("Preparing")
        assert shopper_errors == [] and clerk_errors == []
    finally:
        await context.close()

    assert (await ReturnRequest.get(id=ret.id)).status == ReturnStatus.CLOSED
    assert replacement.status == OrderStatus.PENDING_SHIPMENT
    [line] = await OrderLine.filter(order_id=replacement.id)
    assert line.variant_id == large.id
    held = await ProductVariant.get(id=large.id)
    assert (held.stock_on_hand, held.stock_reserved) == (3, 1)
    assert (await ProductVariant.get(id=medium.id)).stock_on_hand == 4
