"""From the console to the shopper's door: staff ship an order, the demo's simulated carrier
posts its signed deliveries to the shop's webhook, and the shopper's open order page follows
the parcel through customs and a failed attempt to delivered, without being reloaded."""

from __future__ import annotations

import asyncio

from jobs import tracking as tracking_tasks  # noqa: F401  (registers the tracking tasks)
from models.orders import Order, OrderStatus, Shipment
from models.tracking import TrackingEvent, TrackingSource
from subscriptions import bus
from subscriptions.events import tracking_channel
from tests.browser.conftest import STEP_TIMEOUT_MS, make_staff, page_errors, sign_in
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order
from tests.shipping.helpers import make_carrier
from tests.tracking.webhooks import run_jobs

PASSWORD = "correct horse battery"


async def _listening(number: str) -> None:
    """Wait until the server streams the order's parcels to the shopper's page."""
    channel = tracking_channel(number)
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while not bus.current().subscribers(channel):  # noqa: ASYNC110 - the bus offers no event
            await asyncio.sleep(0.02)


async def test_a_parcel_shipped_in_the_console_is_followed_to_the_door(
    desk, page, console, expect, simulating
):
    shopper = await make_user(email="lena@example.com", password=PASSWORD)
    product = await make_product(name="Silk scarf", prices=("40.00",), stock=(5,))
    [variant] = await product.variants.all()
    address = {"full_name": "Lena Vogel", "line1": "Hauptstr. 1", "city": "Berlin",
               "postal_code": "10115", "country": "DE"}  # fmt: skip
    order = await placed_order(
        shopper,
        [(variant, 1)],
        status=OrderStatus.PENDING_SHIPMENT,
        ship_country="DE",
        shipping_address=address,
    )
    await make_carrier(name="China Post", tracking_url="https://track.test/{number}")
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    # Staff ship the order in the console.
    await sign_in(desk, console, clerk)
    await desk.goto(f"{console}#/orders/{gid('Order', order.id)}")
    form = desk.locator(".order-ship-form")
    await form.get_by_label("Carrier").select_option(label="China Post")
    await form.get_by_label("Tracking number").fill("EE100000003CN")
    await form.get_by_role("button", name="Ship this parcel").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Shipped")

    # The shopper opens the order page: nothing heard from the carrier yet.
    storefront = console.removesuffix("console/")
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill(shopper.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await page.goto(f"{storefront}#/order/{order.number}")
    tracking = page.locator(".parcel-tracking")
    await expect(tracking).to_have_count(1)
    await page.evaluate("window.notReloaded = true")
    await _listening(order.number)

    # The carrier's deliveries arrive, signed, one job after the other.
    await run_jobs(limit=200)

    parcel = await Shipment.get(order_id=order.id)
    stored = await TrackingEvent.filter(shipment_id=parcel.id).count()
    assert stored == 12
    assert (
        await TrackingEvent.filter(shipment_id=parcel.id, source=TrackingSource.SIMULATED).count()
        == stored
    )
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED

    status = tracking.locator(".parcel-status")
    await expect(status).to_contain_text("Delivered")
    entries = tracking.locator(".parcel-event")
    await expect(entries).to_have_count(stored)
    await expect(entries.nth(0)).to_contain_text("Delivered")
    await expect(tracking).to_contain_text("Held by customs: import duties to pay")
    await expect(tracking).to_contain_text("Released by customs")
    await expect(tracking).to_contain_text("Delivery attempt failed")
    assert await page.evaluate("window.notReloaded") is True
    assert errors == []
