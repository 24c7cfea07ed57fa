"""The console's orders screen as a merchant uses it: filter the list, ship an order in two
parcels and see them on the shopper's order page, confirm a bank transfer, cancel with a
refund, and ship from a phone."""

from __future__ import annotations

from typing import Any

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus, Shipment
from models.payments import Payment, Refund, RefundStatus
from services.orders import bank_transfer, timeline
from services.orders import status as order_status
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order
from tests.shipping.helpers import make_carrier, make_service

SHOPPER_PASSWORD = "correct horse battery"

#: The elements that reach past the right edge of the screen (outside a scrolling table).
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter((el) => !el.closest(".table-wrap") && el.getBoundingClientRect().right > innerWidth + 1)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


async def _order(status: OrderStatus, *, country: str = "DE", quantities=(3, 1), user=None, **kw):
    product = await make_product(name="Silk scarf", prices=("40.00", "12.00"), stock=(20, 20))
    variants = await product.variants.all().order_by("id")
    address = {"full_name": "Lena Vogel", "line1": "Hauptstr. 1", "city": "Berlin",
               "postal_code": "10115", "country": country}  # fmt: skip
    return await placed_order(
        user or await make_user(),
        list(zip(variants, quantities, strict=False)),
        status=status,
        ship_country=country,
        shipping_address=address,
        currency="EUR",
        rate="0.9",
        **kw,
    )


async def _open(tab: Any, console: str, order: Order) -> None:
    await tab.goto(f"{console}#/orders/{gid('Order', order.id)}")
    await tab.locator(".order-page").wait_for()


async def test_the_list_filters_by_status_and_country_and_opens_an_order(desk, console, expect):
    to_ship = await _order(OrderStatus.PENDING_SHIPMENT, country="DE")
    await _order(OrderStatus.SHIPPED, country="CN")
    unpaid = await _order(OrderStatus.PENDING_PAYMENT, country="DE", quantities=(1,))
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk, "orders")
    rows = desk.locator("#main table.data tbody tr")
    await expect(rows).to_have_count(3)
    await desk.get_by_label("Country").fill("de")
    await desk.get_by_role("button", name="Apply").click()
    await expect(rows).to_have_count(2)
    await desk.get_by_label("Status").select_option("PENDING_SHIPMENT")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(to_ship.number)
    await expect(rows.first.locator(".badge")).to_have_text("To ship")
    assert "status=PENDING_SHIPMENT" in desk.url and "country=de" in desk.url

    # The amount filter runs on the server in the shop currency: the unpaid order is 40.00.
    await desk.goto(f"{console}#/orders?max=50")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(unpaid.number)

    await rows.first.click()
    await expect(desk.locator("#main h1")).to_have_text(f"Order {unpaid.number}")
    await expect(desk.locator(".order-lines tbody tr")).to_have_count(1)
    assert errors == []


async def test_ship_in_two_parcels_and_the_shopper_sees_both(desk, page, console, expect):
    shopper = await make_user(password=SHOPPER_PASSWORD)
    order = await _order(OrderStatus.PENDING_SHIPMENT, user=shopper)
    post = await make_carrier(name="China Post", tracking_url="https://track.test/{number}")
    await make_service(post, name="EMS")
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk)
    await _open(desk, console, order)
    form = desk.locator(".order-ship-form")
    await form.get_by_label("Carrier").select_option(label="China Post")
    await form.get_by_label("Service").select_option(label="EMS")
    await form.get_by_label("Tracking number").fill("EE100000003CN")
    lines = form.locator("input[data-line]")
    await expect(lines).to_have_count(2)
    # The first parcel: two of the three scarves, not the second line.
    await lines.nth(0).fill("2")
    await lines.nth(1).fill("0")
    await form.get_by_role("button", name="Ship this parcel").click()
    await expect(desk.locator(".order-parcel")).to_have_count(1)
    await expect(desk.locator(".page-head .badge")).to_have_text("To ship")

    # What is left is offered for the second parcel.
    form = desk.locator(".order-ship-form")
    await expect(form.locator("input[data-line]").nth(0)).to_have_value("1")
    await form.get_by_label("Tracking number").fill("EE100000017CN")
    await form.get_by_role("button", name="Ship this parcel").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Shipped")
    await expect(desk.locator(".order-parcel")).to_have_count(2)
    await expect(desk.get_by_role("button", name="Mark delivered")).to_be_visible()

    parcels = await Shipment.filter(order_id=order.id).order_by("id")
    assert [(p.tracking_number, p.service_name) for p in parcels] == [
        ("EE100000003CN", "EMS"),
        ("EE100000017CN", "EMS"),
    ]
    assert (await Order.get(id=order.id)).status == OrderStatus.SHIPPED

    storefront = console.removesuffix("console/")
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill(shopper.email)
    await page.get_by_label("Password").fill(SHOPPER_PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()
    await page.goto(f"{storefront}#/order/{order.number}")
    shipments = page.locator(".shipment")
    await expect(shipments).to_have_count(2)
    await expect(shipments.nth(0)).to_contain_text("EE100000003CN")
    await expect(shipments.nth(1)).to_contain_text("EE100000017CN")
    assert errors == []


async def test_confirm_a_bank_transfer_with_the_error_next_to_the_field(desk, console, expect):
    order = await _order(OrderStatus.PENDING_PAYMENT)
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk)
    await _open(desk, console, order)
    form = desk.locator(".order-transfer-form")
    await form.get_by_label("Bank reference").fill("ICBC-2026-778")
    await form.get_by_label("Received (USD)").fill("0")
    await form.get_by_role("button", name="Confirm payment").click()
    error = form.locator(".field", has=desk.get_by_label("Received (USD)")).locator(".field-error")
    await expect(error).to_be_visible()
    assert await Payment.filter(order_id=order.id).count() == 0

    await form.get_by_label("Received (USD)").fill("")
    await form.get_by_role("button", name="Confirm payment").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("To ship")
    await expect(desk.locator(".order-payment")).to_contain_text("Bank transfer")
    [payment] = await Payment.filter(order_id=order.id)
    assert (payment.method, payment.status) == ("bank_transfer", "succeeded")
    assert (await Order.get(id=order.id)).payment_reference == "ICBC-2026-778"


async def test_refund_part_then_cancel_with_refund(desk, console, expect):
    order = await _order(OrderStatus.PENDING_PAYMENT, quantities=(1,))
    await bank_transfer.record_bank_transfer_payment(
        order.id, actor=timeline.SYSTEM, reference="TR-1"
    )
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk)
    await _open(desk, console, order)
    # 40.00 USD at 0.9 is 36.00 EUR paid: refund 6.00 of it first.
    await desk.locator(".order-payment").get_by_role("button", name="Refund").click()
    dialog = desk.locator("dialog")
    await expect(dialog.get_by_label("Amount (EUR)")).to_have_value("36")
    await dialog.get_by_label("Amount (EUR)").fill("6")
    await dialog.get_by_label("Reason").fill("Scratched box")
    await dialog.get_by_role("button", name="Refund").click()
    await expect(desk.locator(".order-refunds li")).to_have_count(1)

    await desk.get_by_role("button", name="Cancel order").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Reason").fill("Out of season")
    await expect(dialog.get_by_label("Also refund what was paid")).to_be_checked()
    await dialog.get_by_role("button", name="Cancel order").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Cancelled")
    await expect(desk.locator(".order-refunds li")).to_have_count(2)

    refunds = await Refund.filter(payment__order_id=order.id).order_by("sequence")
    assert [(r.amount, r.status) for r in refunds] == [
        (600, RefundStatus.SUCCEEDED),
        (3000, RefundStatus.SUCCEEDED),
    ]
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED


async def test_ship_from_a_phone_and_see_the_delivery_arrive_live(phone, console, expect):
    order = await _order(OrderStatus.PENDING_SHIPMENT)
    await make_carrier(name="SF Express")
    clerk = await make_staff("ORDERS")

    await sign_in(phone, console, clerk)
    await _open(phone, console, order)
    form = phone.locator(".order-ship-form")
    await form.get_by_label("Tracking number").fill("SF1234567890")
    await form.get_by_role("button", name="Ship this parcel").click()
    await expect(phone.locator(".page-head .badge")).to_have_text("Shipped")

    assert await phone.evaluate(WIDER_THAN_SCREEN) == []
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert (await Order.get(id=order.id)).status == OrderStatus.SHIPPED

    # Someone else marks it delivered: the open page follows without a reload.
    await expect(phone.locator("#live-state")).to_have_attribute("data-state", "live")
    await order_status.mark_delivered(order.id, actor=timeline.SYSTEM)
    await expect(phone.locator(".page-head .badge")).to_have_text("Delivered")
    await expect(phone.get_by_role("button", name="Complete order")).to_be_visible()


async def test_a_mistyped_postal_number_is_flagged_then_shipped_anyway(desk, console, expect):
    order = await _order(OrderStatus.PENDING_SHIPMENT)
    await make_carrier(name="China Post", code="china-post")
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk)
    await _open(desk, console, order)
    form = desk.locator(".order-ship-form")
    await form.get_by_label("Carrier").select_option(label="China Post")
    number = form.get_by_label("Tracking number")
    tracking_field = form.locator(".field", has=desk.get_by_label("Tracking number"))
    hint = tracking_field.locator(".field-hint")
    # As typed, the number is checked: the right one is named, then a mistyped one.
    await number.fill("ee 473124829 cn")
    await expect(hint).to_have_attribute("data-validity", "VALID")
    await expect(hint).to_contain_text("EMS")
    await number.fill("EE473124828CN")
    await expect(hint).to_have_attribute("data-validity", "INVALID_CHECK_DIGIT")
    await expect(hint).to_contain_text("the check digit should be 9")

    anyway = form.get_by_label("Ship with this number anyway")
    await expect(anyway).to_be_hidden()
    await form.get_by_role("button", name="Ship this parcel").click()
    error = tracking_field.locator(".field-error")
    await expect(error).to_contain_text("the check digit should be 9, not 8")
    assert await Shipment.filter(order_id=order.id).count() == 0

    await anyway.check()
    await form.get_by_role("button", name="Ship this parcel").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Shipped")
    await expect(desk.locator(".order-parcel")).to_contain_text("EE473124828CN")
    [parcel] = await Shipment.filter(order_id=order.id)
    assert parcel.tracking_number == "EE473124828CN"
    note = await OrderEvent.get(order_id=order.id, kind=OrderEventKind.NOTE)
    assert note.internal and "the check digit should be 9, not 8" in note.message
    assert errors == []
