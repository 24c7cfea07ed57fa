"""A shopper follows a parcel on the order page, as a person would: its status in words, the
estimated delivery and the carrier's events newest first at the carrier's local time, with
a new event appearing live; and a guest with the order's token, in Japanese."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from typing import Any

from models.accounts import User
from models.orders import Order, OrderLine, OrderStatus, Shipment
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.orders import access, fulfilment
from services.orders.fulfilment import ShipLine
from services.orders.timeline import SYSTEM
from services.tracking import events
from subscriptions import bus
from subscriptions.events import tracking_channel
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import make_product, make_user
from tests.orders.handling_setup import make_carrier, placed_order
from tests.tracking.helpers import report, s10_number

PASSWORD = "correct horse battery"


async def _shipped(user: User | None) -> tuple[Order, Shipment]:
    """A paid order of one shirt, shipped in one parcel that has reached customs."""
    product = await make_product(prices=("24.00",), stock=(5,), name="Linen shirt")
    [variant] = await product.variants.all()
    order = await placed_order(user, [(variant, 1)], status=OrderStatus.PENDING_SHIPMENT)
    carrier = await make_carrier(name="Test Post")
    [line] = await OrderLine.filter(order_id=order.id)
    shipped = await fulfilment.ship_order(
        order.id,
        actor=SYSTEM,
        carrier_id=carrier.id,
        tracking_number=s10_number(f"12{order.id:06d}"),
        lines=[ShipLine(line.id, 1)],
    )
    await events.record(
        shipped.shipment.id,
        [
            report(S.INFO_RECEIVED, 0, message="Label created", city="Shanghai", country="CN"),
            report(
                S.IN_CUSTOMS,
                30,
                sub=Sub.CUSTOMS_DUTIES_DUE,
                message="Duties assessed",
                city="New York",
                country="US",
                estimated_delivery=date(2026, 11, 9),
            ),
        ],
        source=TrackingSource.WEBHOOK,
        source_name="aftership",
    )
    return await Order.get(id=order.id), shipped.shipment


async def _listening(number: str) -> None:
    """Wait until the server streams the order's parcels to the page."""
    channel = tracking_channel(number)
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while not bus.current().subscribers(channel):  # noqa: ASYNC110 - the bus offers no event
            await asyncio.sleep(0.02)


async def test_a_member_sees_the_parcels_timeline_and_its_news_live(page, storefront, expect):
    member = await make_user(email="mei@example.com", password=PASSWORD)
    order, parcel = await _shipped(member)
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill("mei@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()

    await page.goto(f"{storefront}#/order/{order.number}")
    tracking = page.locator(".parcel-tracking")
    await expect(page.get_by_role("link", name=parcel.tracking_number)).to_have_attribute(
        "href", f"https://track.test/{parcel.tracking_number}"
    )
    status = tracking.locator(".parcel-status")
    await expect(status).to_have_class("parcel-status tone-alert")
    await expect(status).to_contain_text("In customs")
    await expect(status).to_contain_text("Held by customs: import duties to pay")
    estimate = tracking.locator(".parcel-estimate")
    await expect(estimate).to_have_text("Estimated delivery: Nov 9, 2026")
    entries = tracking.locator(".parcel-event")
    await expect(entries).to_have_count(2)
    # Newest first, each at the local time the carrier gave (the page itself is in UTC).
    await expect(entries.nth(0)).to_contain_text("Held by customs: import duties to pay")
    await expect(entries.nth(0)).to_contain_text("Duties assessed")
    await expect(entries.nth(0)).to_contain_text("New York, United States")
    await expect(entries.nth(0).locator("time")).to_have_text("Nov 3, 2026, 3:00 PM (UTC+08:00)")
    await expect(entries.nth(1)).to_contain_text("Label created")
    await expect(entries.nth(1)).to_contain_text("Shanghai, China")
    await expect(entries.nth(1).locator("time")).to_have_text("Nov 2, 2026, 9:00 AM (UTC+08:00)")

    # The carrier reports the parcel out for delivery, a day later than it said: the page
    # shows it without being reloaded.
    await page.evaluate("window.notReloaded = true")
    await _listening(order.number)
    await events.record(
        parcel.id,
        [
            report(
                S.OUT_FOR_DELIVERY,
                60,
                message="With the courier",
                city="Brooklyn",
                country="US",
                estimated_delivery=date(2026, 11, 10),
            )
        ],
        source=TrackingSource.WEBHOOK,
        source_name="aftership",
    )
    await expect(entries).to_have_count(3)
    await expect(entries.nth(0)).to_contain_text("Out for delivery")
    await expect(entries.nth(0)).to_contain_text("With the courier")
    await expect(status).to_have_class("parcel-status tone-moving")
    await expect(status).to_have_text("Out for delivery")
    await expect(estimate).to_contain_text("Estimated delivery: Nov 10, 2026")
    await expect(estimate.locator(".parcel-revised")).to_have_text("revised")
    assert await page.evaluate("window.notReloaded") is True


async def test_a_parcel_with_no_news_says_so(page, storefront, expect):
    member = await make_user(email="ana@example.com", password=PASSWORD)
    order, parcel = await _shipped(member)
    await Shipment.filter(id=parcel.id).update(tracking_status=S.PENDING, tracking_sub_status="")
    from models.tracking import DeliveryEstimate, TrackingEvent

    await TrackingEvent.filter(shipment_id=parcel.id).delete()
    await DeliveryEstimate.filter(shipment_id=parcel.id).delete()
    await Shipment.filter(id=parcel.id).update(estimated_delivery=None)
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill("ana@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await page.goto(f"{storefront}#/order/{order.number}")
    tracking = page.locator(".parcel-tracking")
    await expect(tracking.locator(".parcel-empty")).to_have_text("No news from the carrier yet.")
    await expect(tracking.locator(".parcel-event")).to_have_count(0)
    await expect(tracking.locator(".parcel-status")).to_have_text(
        "Shipped, waiting for the carrier"
    )


async def test_a_guest_follows_the_parcel_in_japanese(browser, storefront, expect):
    order, parcel = await _shipped(None)
    token = await access.grant_access(order)
    context = await browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tokens = json.dumps({order.number: token})
    await context.add_init_script(
        f"localStorage.setItem('tradewind.orderTokens', {json.dumps(tokens)})"
    )
    page: Any = await context.new_page()
    try:
        await page.goto(f"{storefront}#/order/{order.number}?lang=ja")
        tracking = page.locator(".parcel-tracking")
        status = tracking.locator(".parcel-status")
        await expect(status).to_contain_text("通関中")
        await expect(status).to_contain_text("税関で保留中：輸入関税のお支払いが必要です")
        entries = tracking.locator(".parcel-event")
        await expect(entries).to_have_count(2)
        # The carrier's local time, not the browser's (Tokyo is an hour ahead of Shanghai).
        await expect(entries.nth(1).locator("time")).to_contain_text("9:00")
        await expect(entries.nth(1).locator("time")).to_contain_text("UTC+08:00")

        await _listening(order.number)
        await events.record(
            parcel.id,
            [report(S.DELIVERED, 70, sub=Sub.DELIVERED_LEFT_SAFE, message="Left at the door")],
            source=TrackingSource.WEBHOOK,
            source_name="aftership",
        )
        await expect(entries).to_have_count(3)
        await expect(entries.nth(0)).to_contain_text("配達済み：指定の場所に置き配")
        await expect(status).to_have_class("parcel-status tone-done")
        await expect(tracking.locator(".parcel-estimate")).to_have_count(0)
    finally:
        await context.close()
