"""A guest sees the duties and import taxes at checkout before paying: an estimate for the
carrier at the door for Japan (DAP), then the US duty charged with the order (DDP), which the
order page keeps; the same basket to Germany, the UK and Australia pays the VAT or GST those
countries collect at the point of sale; staff see the order's charges in the console."""

from __future__ import annotations

import re
import uuid
from datetime import date

from models.catalog import Product, ProductVariant
from models.currency import ExchangeRate, RateSource
from models.customs import CustomsMarket, DutyRate, Incoterm
from models.orders import Order
from models.shipping import Carrier, ServiceLevel, ShippingRate, ShippingService, ShippingZone
from tests.browser.conftest import STEP_TIMEOUT_MS, make_staff, page_errors, sign_in
from tests.factories import gid, make_product


async def _shop() -> Product:
    for code, rate in (("EUR", "0.8"), ("GBP", "0.75"), ("AUD", "1.6")):
        await ExchangeRate.create(
            base="USD", quote=code, rate=rate, source=RateSource.MANUAL, rate_date=date.today()
        )
    zone = await ShippingZone.create(name="World", countries=["US", "JP", "DE", "GB", "AU"])
    carrier = await Carrier.create(
        name="Test Post", code="testpost", tracking_url="https://t/{number}"
    )
    service = await ShippingService.create(
        carrier=carrier, name="Standard", level=ServiceLevel.STANDARD
    )
    await ShippingRate.create(
        service=service, zone=zone, max_weight_grams=30000, price=800, min_days=3, max_days=5
    )
    await DutyRate.create(country="US", hs_prefix="610910", rate_bps=1650, source="test")
    await DutyRate.create(country="JP", hs_prefix="6109", rate_bps=1090, source="test")
    await DutyRate.create(country="DE", hs_prefix="61", rate_bps=1200, source="test")
    await DutyRate.create(country="GB", hs_prefix="61", rate_bps=1200, source="test")
    await DutyRate.create(country="AU", hs_prefix="", rate_bps=500, source="test")
    await CustomsMarket.create(country="US", incoterm=Incoterm.DDP)
    await CustomsMarket.create(country="GB", incoterm=Incoterm.DDP)
    product = await make_product(prices=("40.00",), stock=(10,), name="Cotton T-shirt")
    await Product.filter(id=product.id).update(hs_code="610910", origin_country="CN")
    return product


async def test_the_checkout_shows_duties_before_payment(page, storefront):
    from playwright.async_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    product = await _shop()
    await page.goto(f"{storefront}#/product/{product.slug}")
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await page.get_by_role("link", name="Checkout").click()

    await page.get_by_label("Email").fill("guest@example.com")
    await page.get_by_label("Full name").fill("Alex Guest")
    await page.get_by_label("Street address").fill("1-2-3 Shibuya")
    await page.get_by_label("City").fill("Shibuya-ku")
    await page.get_by_label("Postal code").fill("150-0002")
    await page.get_by_label("Country").select_option("JP")
    await page.get_by_role("radio", name=re.compile("Test Post")).check()

    # Japan (DAP): knitted clothing pays duty and consumption tax to the carrier at the door.
    customs = page.locator(".customs-summary")
    await expect(customs.get_by_role("heading", name="Duties and import taxes")).to_be_visible()
    await expect(customs).to_contain_text("Import rules: JP-STANDARD")
    door = customs.locator(".customs-charge.is-door")
    await expect(door).to_have_count(2)
    await expect(door.first).to_contain_text("Duty 10.9 % · Cotton T-shirt")
    await expect(door.first).to_contain_text("Estimated, paid to the carrier on delivery")
    await expect(page.locator(".summary-totals .is-total")).to_contain_text("$48.00")

    # The US (DDP): the duty is charged now and is part of the total.
    await page.get_by_label("Street address").fill("350 Fifth Avenue")
    await page.get_by_label("City").fill("New York")
    await page.get_by_label("Postal code").fill("10118")
    await page.get_by_label("Country").select_option("US")
    await expect(customs).to_contain_text("Import rules: US-NO-DE-MINIMIS")
    now = customs.locator(".customs-charge.is-now")
    await expect(now).to_have_count(1)
    await expect(now).to_contain_text("Duty 16.5 % · Cotton T-shirt")
    await expect(now).to_contain_text("Charged now")
    await expect(now).to_contain_text("$6.60")
    await expect(page.locator(".summary-totals").get_by_text("Duties", exact=True)).to_be_visible()
    await expect(page.locator(".summary-totals .is-total")).to_contain_text("$54.60")

    radio = page.get_by_role("radio", name=re.compile("Test Post"))
    if not await radio.is_checked():
        await radio.check()
    await page.get_by_role("button", name="Place order").click()
    await expect(page.get_by_text("Thank you for your order!")).to_be_visible()
    order = await Order.get(email="guest@example.com")
    assert (order.duty_total, order.total, order.customs_regime) == (660, 5460, "US-NO-DE-MINIMIS")
    await expect(page.locator(".customs-summary")).to_contain_text("Duty 16.5 %")
    await expect(page.locator(".order .totals .is-total")).to_contain_text("$54.60")


#: Each market: the address, the regime, the point-of-sale tax charged now for a $40.00
#: T-shirt and $8.00 of shipping, the estimates left for the door, and the total.
MARKETS = (
    ("DE", "Berlin", "10115", "EU-IOSS", "$9.12", 1, "$57.12"),
    ("GB", "London", "SW1A 1AA", "GB-LVI", "$9.60", 0, "$57.60"),
    ("AU", "Sydney", "2000", "AU-LVG", "$4.80", 0, "$52.80"),
)


async def test_germany_the_uk_and_australia_charge_their_tax_at_checkout(page, storefront):
    from playwright.async_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    product = await _shop()
    await page.goto(f"{storefront}#/product/{product.slug}")
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await page.get_by_role("link", name="Checkout").click()
    await page.get_by_label("Email").fill("guest@example.com")
    await page.get_by_label("Full name").fill("Sam Guest")
    await page.get_by_label("Street address").fill("1 Main Street")

    customs = page.locator(".customs-summary")
    for country, city, postcode, regime, tax, at_door, total in MARKETS:
        await page.get_by_label("City").fill(city)
        await page.get_by_label("Postal code").fill(postcode)
        await page.get_by_label("Country").select_option(country)
        radio = page.get_by_role("radio", name=re.compile("Test Post"))
        if not await radio.is_checked():
            await radio.check()
        await expect(customs).to_contain_text(f"Import rules: {regime}")
        now = customs.locator(".customs-charge.is-now")
        await expect(now).to_have_count(1)
        await expect(now).to_contain_text(tax)
        await expect(customs.locator(".customs-charge.is-door")).to_have_count(at_door)
        await expect(page.locator(".summary-totals .is-total")).to_contain_text(total)

    await page.get_by_role("button", name="Place order").click()
    await expect(page.get_by_text("Thank you for your order!")).to_be_visible()
    order = await Order.get(email="guest@example.com")
    assert (order.import_tax_total, order.total, order.customs_regime) == (480, 5280, "AU-LVG")


ADD = """mutation($input: CartLineInput!) {
  addToCart(input: $input) { cartToken errors { code } } }"""
PLACE = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { errors { code } order { number } } }"""


async def test_the_console_order_page_shows_the_charges(client, desk, console, expect):
    product = await _shop()
    variant = await ProductVariant.get(product_id=product.id)
    added = await client.query(
        ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 2}}
    )
    service = await ShippingService.get(name="Standard")
    placed = await client.query(
        PLACE,
        {
            "input": {
                "idempotencyKey": uuid.uuid4().hex,
                "cartToken": added["addToCart"]["cartToken"],
                "email": "alex@example.com",
                "shippingAddress": {"fullName": "Alex", "line1": "350 Fifth Avenue",
                                    "city": "New York", "postalCode": "10118", "country": "US"},
                "shippingServiceId": gid("ShippingService", service.id),
            }
        },
    )  # fmt: skip
    assert placed["placeOrder"]["errors"] == []
    order = await Order.get(number=placed["placeOrder"]["order"]["number"])
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk, "orders")
    await desk.goto(f"{console}#/orders/{gid('Order', order.id)}")
    charges = desk.locator(".order-charges tbody tr")
    await expect(charges).to_have_count(1)
    await expect(charges.first).to_contain_text("Duty 16.5 % (FOB)")
    await expect(charges.first).to_contain_text(variant.sku)
    await expect(charges.first).to_contain_text("With the order")
    await expect(desk.locator(".order-totals")).to_contain_text("Duties")
    await expect(desk.get_by_text("US-NO-DE-MINIMIS · DDP", exact=True)).to_be_visible()
    assert errors == []
