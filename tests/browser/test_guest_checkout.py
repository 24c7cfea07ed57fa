"""A guest buys a product in the storefront and follows the order live, as a person would."""

from __future__ import annotations

import asyncio
import re

from models.catalog import Product, ProductVariant
from models.orders import Order, OrderStatus
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from subscriptions import bus
from subscriptions.events import order_channel
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import gid, make_product

SHIP = """mutation($input: ShipOrderInput!) {
  shipOrder(input: $input) { order { status } errors { code message } } }"""


async def _shop() -> tuple[Product, Carrier]:
    """A product with stock, and a carrier that ships to the United States."""
    zone = await ShippingZone.create(name="Americas", countries=["US", "CA"])
    carrier = await Carrier.create(
        name="Test Post", code="testpost", tracking_url="https://track.test/{number}"
    )
    service = await ShippingService.create(
        carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
    )
    await ShippingRate.create(
        service=service, zone=zone, max_weight_grams=30000, price=800, min_days=3, max_days=5
    )
    product = await make_product(prices=("24.00",), stock=(10,), name="Linen shirt")
    return product, carrier


async def test_a_guest_buys_pays_and_watches_the_order_ship(page, storefront, client):
    from playwright.async_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    product, carrier = await _shop()
    await page.goto(f"{storefront}#/product/{product.slug}")

    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await page.get_by_role("link", name="Checkout").click()

    await page.get_by_label("Email").fill("guest@example.com")
    await page.get_by_label("Full name").fill("Alex Guest")
    await page.get_by_label("Street address").fill("350 Fifth Avenue")
    await page.get_by_label("City").fill("New York")
    await page.get_by_label("Postal code").fill("10118")
    await page.get_by_label("Country").select_option("US")
    await page.get_by_role("radio", name=re.compile("Test Post")).check()
    await page.get_by_role("button", name="Place order").click()

    # The order page, for the order just placed, awaiting payment.
    await expect(page.get_by_text("Thank you for your order!")).to_be_visible()
    order = await Order.get(email="guest@example.com")
    await expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    badge = page.locator(".status-badge")
    await expect(badge).to_have_text("Awaiting payment")

    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Card number").fill("4242 4242 4242 4242")
    await page.get_by_role("button", name=re.compile("^Pay")).click()
    await expect(badge).to_have_text("Preparing")

    # Staff ship it through the API; the page hears it over its subscription.
    await expect(page.locator(".live-note")).to_have_attribute("data-state", "live")
    # The page has sent its subscription; wait until the server listens on the order's channel,
    # so the change below is published to it rather than before it.
    channel = order_channel(order.number)
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while not bus.current().subscribers(channel):  # noqa: ASYNC110 - the bus offers no event
            await asyncio.sleep(0.02)
    shipped = await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "RB123456785GB",
            }
        },
    )
    assert shipped["shipOrder"]["errors"] == []
    await expect(badge).to_have_text("Shipped")
    await expect(page.get_by_role("link", name=re.compile("RB123456785GB"))).to_be_visible()

    # A reload still shows the whole order, read with the token the browser kept (the tab's
    # session storage, which held the email for a lookup, is gone as after a restart).
    await page.evaluate("sessionStorage.clear()")
    await page.reload()
    await expect(page.get_by_role("heading", name=f"Order {order.number}")).to_be_visible()
    await expect(badge).to_have_text("Shipped")
    await expect(page.locator(".line-name").filter(has_text="Linen shirt")).to_be_visible()
    await order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    variant = await ProductVariant.get(product_id=product.id)
    assert (variant.stock_on_hand, variant.stock_reserved) == (9, 0)
