"""The console's parcels needing attention as a merchant uses them: the menu counts them, the
list filters them and takes in new trouble live, a parcel held at customs is marked handled
with a note and leaves the list, and the shopper of a parcel whose delivery failed is written
to and the parcel sent again, the order page showing the replacement."""

from __future__ import annotations

import asyncio

from models.orders import Order, OrderEvent, Shipment
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services.tracking import events
from subscriptions import bus
from subscriptions.events import MERCHANT_TRACKING_CHANNEL
from tests.browser.conftest import STEP_TIMEOUT_MS, make_staff, page_errors, sign_in
from tests.factories import gid
from tests.tracking.helpers import report, s10_number, shipped_order


async def _parcel(
    country: str, name: str, status: S, sub: Sub, message: str
) -> tuple[Order, Shipment]:
    """A shipped order to `country` whose parcel the carrier reports in trouble."""
    order, [parcel] = await shipped_order()
    address = {"full_name": name, "line1": "1 Main St", "city": "Town", "country": country}
    await Order.filter(id=order.id).update(ship_country=country, shipping_address=address)
    reports = [report(S.IN_TRANSIT, 2), report(status, 30, sub=sub, message=message)]
    await events.record(parcel.id, reports, source=TrackingSource.WEBHOOK)
    return await Order.get(id=order.id), parcel


async def _alerts_followed() -> None:
    """Wait until the console's open list follows the staff alerts."""
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while not bus.current().subscribers(MERCHANT_TRACKING_CHANNEL):  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_staff_handle_one_parcel_and_send_the_other_again(desk, console, expect):
    held_order, held = await _parcel(
        "DE", "Lena Vogel", S.IN_CUSTOMS, Sub.CUSTOMS_HELD, "Held by customs: invoice missing."
    )
    failed_order, failed = await _parcel(
        "FR", "Marie Curie", S.ATTEMPT_FAILED, Sub.ATTEMPT_RECIPIENT_ABSENT, "Nobody home."
    )
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk)
    link = desk.locator('#nav a[data-screen="parcels"]')
    await expect(link.locator(".nav-count")).to_have_text("2")
    await link.click()
    await expect(desk.locator("#main h1")).to_have_text("Parcels needing attention")
    rows = desk.locator("#main table.data tbody tr")
    await expect(rows).to_have_count(2)
    await expect(desk.locator(".parcel-chips .chip")).to_have_count(3)

    # Filtered to the parcels going to Germany: the one held at customs.
    await desk.get_by_label("Destination").fill("de")
    await desk.get_by_role("button", name="Apply").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(held_order.number)
    await expect(rows.first).to_contain_text("Held by customs: invoice missing.")
    assert "country=de" in desk.url

    await rows.first.get_by_role("button", name="Mark handled").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("What was done").fill("Sent the invoice to customs.")
    await dialog.get_by_role("button", name="Mark handled").click()
    await expect(dialog).to_have_count(0)
    await expect(desk.locator("#main .empty")).to_be_visible()
    await expect(link.locator(".nav-count")).to_have_text("1")
    assert (await Shipment.get(id=held.id)).handled_at is not None
    note = await OrderEvent.get(order_id=held_order.id, kind="note")
    assert note.internal and note.message.endswith("handled: Sent the invoice to customs.")

    # By status: the failed delivery, sent again.
    await desk.goto(f"{console}#/parcels")
    await expect(rows).to_have_count(1)
    await desk.get_by_label("Status", exact=True).select_option("ATTEMPT_FAILED")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(failed_order.number)

    # The shopper is told, in a message of staff's own words.
    await rows.first.get_by_role("button", name="Contact shopper").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Message").fill("We will send a new parcel tomorrow.")
    await dialog.get_by_role("button", name="Send", exact=True).click()
    await expect(dialog).to_have_count(0)
    await expect(desk.get_by_text("Message sent to")).to_be_visible()
    contacted = await OrderEvent.get(order_id=failed_order.id, kind="note")
    assert contacted.internal and "We will send a new parcel tomorrow." in contacted.message

    await rows.first.get_by_role("button", name="Send again").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Carrier").select_option(gid("Carrier", failed.carrier_id or 0))
    number = s10_number("55500001")
    await dialog.get_by_label("Tracking number").fill(number)
    await expect(dialog.locator(".field-hint[data-validity]")).to_have_attribute(
        "data-validity", "VALID"
    )
    await dialog.get_by_label("Why").fill("Nobody home twice; the shopper asked for a new parcel.")
    await dialog.get_by_role("button", name="Send the new parcel").click()
    await expect(dialog).to_have_count(0)
    await expect(desk.locator("#main .empty")).to_be_visible()
    await expect(link.locator(".nav-count")).to_have_count(0)

    replacement = await Shipment.get(replacement_for_id=failed.id)
    assert replacement.tracking_number == number
    assert (await Shipment.get(id=failed.id)).handled_at is not None

    # The order page shows the new parcel, marked as the replacement of the first.
    await desk.goto(f"{console}#/parcels?handled=show")
    await expect(rows).to_have_count(2)
    await rows.filter(has_text=failed_order.number).locator("td").first.click()
    await expect(desk.locator("#main h1")).to_have_text(f"Order {failed_order.number}")
    parcels = desk.locator(".order-parcel")
    await expect(parcels).to_have_count(2)
    new = desk.locator(f'.order-parcel[data-tracking="{number}"]')
    await expect(new.locator(".parcel-replacement")).to_have_text(
        f"Replacement for {failed.tracking_number}"
    )
    old = desk.locator(f'.order-parcel[data-tracking="{failed.tracking_number}"]')
    await expect(old.locator(".parcel-replaced")).to_have_text(f"Replaced by {number}")
    await expect(old.get_by_role("button", name="Send again")).to_have_count(0)

    # A parcel getting into trouble while the list is open appears in it, and in the count.
    await desk.goto(f"{console}#/parcels")
    await expect(desk.locator("#main .empty")).to_be_visible()
    await _alerts_followed()
    lost_order, _ = await _parcel(
        "IT", "Dante", S.EXCEPTION, Sub.EXCEPTION_LOST, "Lost in transit."
    )
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(lost_order.number)
    await expect(link.locator(".nav-count")).to_have_text("1")
    assert errors == []


async def test_a_parcel_in_trouble_is_sent_again_from_the_order_page_in_chinese(
    desk, console, expect
):
    order, parcel = await _parcel("JP", "Aoi", S.EXCEPTION, Sub.EXCEPTION_DAMAGED, "Box crushed.")
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk)
    await desk.locator("#locale-select").select_option("zh")
    await expect(desk.locator('#nav a[data-screen="parcels"]')).to_contain_text("待处理包裹")
    await desk.goto(f"{console}#/orders/{gid('Order', order.id)}")
    await desk.get_by_role("button", name="补发").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_role("textbox", name="运单号").fill(s10_number("55500002"))
    await dialog.get_by_role("button", name="发出新包裹").click()
    await expect(desk.locator(".order-parcel")).to_have_count(2)
    await expect(desk.locator(".parcel-replacement")).to_have_text(
        f"补发自 {parcel.tracking_number}"
    )
    assert await Shipment.filter(replacement_for_id=parcel.id).count() == 1
    assert errors == []
