"""The console's numbers on the demo shop: the home screen shows today's figures and an order
placed through the API arrives live; the statistics follow a change of range, show their
figures and download them as CSV; the money screen shows the settlement report and the
payments to look at."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from tortoise.expressions import Q

from models.catalog import ListingStatus, ProductVariant
from models.orders import Order, OrderStatus
from models.support import Conversation, ConversationChannel, ConversationRating
from services.support import conversations
from services.support.conversations import Contact
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid


async def _counted(start: datetime, end: datetime) -> int:
    """Orders the statistics count: placed in [start, end), not cancelled."""
    return (
        await Order.filter(placed_at__gte=start, placed_at__lt=end)
        .exclude(status=OrderStatus.CANCELLED)
        .count()
    )


def _midnight(days_ago: int = 0) -> datetime:
    return datetime.combine(datetime.now(UTC).date() - timedelta(days=days_ago), time.min, UTC)


ADD = """mutation($input: CartLineInput!) { addToCart(input: $input) {
  cartToken errors { code message } } }"""
QUOTE = """query($input: CheckoutQuoteInput!) { checkoutQuote(input: $input) {
  errors { code message } quote { shippingOptions { serviceId } } } }"""
PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  errors { field code message } order { number status } } }"""
TOKYO = {
    "fullName": "Hanako Yamada",
    "line1": "1-2-3 Shibuya",
    "city": "Shibuya-ku",
    "region": "Tokyo",
    "postalCode": "1500002",
    "country": "JP",
    "phone": "+81 90 1234 5678",
}


async def _place_order_as_a_guest(console: str) -> str:
    """A shopper's checkout through the public API, as the storefront makes it."""
    variant = (
        await ProductVariant.filter(
            Q(product__publish_at__isnull=True) | Q(product__publish_at__lte=datetime.now(UTC)),
            product__status=ListingStatus.ACTIVE,
            stock_on_hand__gte=5,
            stock_reserved=0,
        )
        .order_by("id")
        .first()
    )
    assert variant is not None
    endpoint = console.removesuffix("console/") + "graphql"
    async with httpx.AsyncClient() as http:

        async def call(query: str, variables: dict[str, Any]) -> dict[str, Any]:
            answer = await http.post(endpoint, json={"query": query, "variables": variables})
            body = answer.json()
            assert "errors" not in body, body
            return dict(body["data"])

        added = await call(
            ADD, {"input": {"variantId": gid("ProductVariant", variant.id), "quantity": 1}}
        )
        token = added["addToCart"]["cartToken"]
        quote = await call(
            QUOTE,
            {"input": {"cartToken": token, "currency": "JPY", "destination": {"country": "JP"}}},
        )
        service = quote["checkoutQuote"]["quote"]["shippingOptions"][0]["serviceId"]
        placed = await call(
            PLACE,
            {
                "input": {
                    "idempotencyKey": uuid.uuid4().hex,
                    "cartToken": token,
                    "email": "hanako@example.jp",
                    "shippingAddress": TOKYO,
                    "shippingServiceId": service,
                    "currency": "JPY",
                }
            },
        )
    assert placed["placeOrder"]["errors"] == []
    return str(placed["placeOrder"]["order"]["number"])


async def test_home_shows_todays_figures_and_a_new_order_arrives_live(
    demo_shop, desk, console, expect
):
    errors = page_errors(desk)
    admin = await make_staff(admin=True)
    today = await _counted(_midnight(), _midnight(-1))
    waiting = await Order.filter(status=OrderStatus.PENDING_SHIPMENT).count()
    assert today >= 1 and waiting >= 1

    await sign_in(desk, console, admin, "home")

    figure = desk.locator('[data-kpi="today-orders"] .kpi-value')
    await expect(figure).to_have_text(str(today))
    await expect(desk.locator('[data-block="to-ship"] .home-count')).to_have_attribute(
        "data-count", str(waiting)
    )
    await expect(desk.locator('[data-block="to-ship"] .home-order a').first).to_have_attribute(
        "href", f"#/orders/{quote(gid('Order', (await _oldest_to_ship()).id), safe='')}"
    )
    await expect(desk.locator('[data-block="low-stock"] li').first).to_be_visible()
    await expect(desk.locator('[data-chart="home-revenue"] canvas')).to_be_visible()
    await expect(desk.locator("#live-state")).to_have_attribute("data-state", "live")

    number = await _place_order_as_a_guest(console)

    await expect(
        desk.locator(f'[data-block="new-orders"] [data-number="{number}"]')
    ).to_contain_text("Awaiting payment")
    await expect(figure).to_have_text(str(today + 1))
    assert errors == []


async def _oldest_to_ship() -> Order:
    order = await Order.filter(status=OrderStatus.PENDING_SHIPMENT).order_by("placed_at").first()
    assert order is not None
    return order


async def test_statistics_follow_the_range_and_download_their_figures(
    demo_shop, desk, phone, console, expect
):
    errors = page_errors(desk)
    admin = await make_staff(admin=True)
    # A chat the admin answered and the customer rated 4, today.
    chat = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest", email="guest@example.com")
    )
    await Conversation.filter(id=chat.id).update(
        assignee_id=admin.id, first_response_at=datetime.now(UTC)
    )
    await ConversationRating.create(conversation_id=chat.id, score=4, assignee_id=admin.id)
    opened = await Conversation.filter(
        created_at__gte=_midnight(29), created_at__lt=_midnight(-1)
    ).count()
    await sign_in(desk, console, admin, "statistics")
    # The last 30 days by default, today included.
    orders = desk.locator('[data-kpi="orders"] .kpi-value')
    await expect(orders).to_have_text(str(await _counted(_midnight(29), _midnight(-1))))
    await expect(desk.locator('[data-chart="daily"] canvas')).to_be_visible()
    support = desk.locator('[data-block="support-statistics"]')
    await expect(support.locator('[data-kpi="support-opened"] .kpi-value')).to_have_text(
        str(opened)
    )
    staff_row = support.locator('[data-table="support-staff"] tr', has_text=admin.email or "")
    await expect(staff_row.locator("td").last).to_have_text("4")  # the average rating
    await expect(support.locator('[data-table="support-channel"] tbody')).to_contain_text("Chat")

    # Ten days ending a week ago.
    first = datetime.now(UTC).date() - timedelta(days=16)
    last = first + timedelta(days=9)
    await desk.get_by_label("From").fill(first.isoformat())
    await desk.get_by_label("To").fill(last.isoformat())
    await desk.get_by_role("button", name="Show", exact=True).click()

    expected = await _counted(_midnight(16), _midnight(6))
    await expect(orders).to_have_text(str(expected))
    assert f"from={first.isoformat()}" in desk.url

    daily = desk.locator('[data-chart="daily"]')
    await daily.get_by_role("button", name="Show figures").click()
    await expect(daily.locator(".chart-table tbody tr")).to_have_count(10)

    countries = desk.locator('[data-chart="countries"]')
    async with desk.expect_download() as info:
        await countries.get_by_role("button", name="Download CSV").click()
    download = await info.value
    assert download.suggested_filename == f"countries-{first}-{last}.csv"
    text = Path(await download.path()).read_text(encoding="utf-8")  # noqa: ASYNC240
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["country", "orders", "revenue_USD", "share"]
    by_country: dict[str, int] = {}
    for order in await Order.filter(
        placed_at__gte=_midnight(16), placed_at__lt=_midnight(6)
    ).exclude(status=OrderStatus.CANCELLED):
        by_country[order.ship_country] = by_country.get(order.ship_country, 0) + 1
    assert {row[0]: int(row[1]) for row in rows[1:]} == by_country
    assert sum(int(row[1]) for row in rows[1:]) == expected
    assert errors == []

    # On a phone the screen fits its width (tables and charts scroll or shrink inside it).
    await sign_in(phone, console, admin, "statistics")
    await expect(phone.locator('[data-chart="daily"] canvas')).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390


async def test_money_shows_the_settlement_report_and_the_payments_to_look_at(
    demo_shop, desk, console, expect
):
    from models.payments import Payment, PaymentStatus

    errors = page_errors(desk)
    accountant = await make_staff("REPORTS")
    disputed = await Payment.get(status=PaymentStatus.FLAGGED).prefetch_related("order")
    first = datetime.now(UTC).date() - timedelta(days=100)
    today = datetime.now(UTC).date()

    await sign_in(desk, console, accountant, f"money?from={first}&to={today}")

    report = desk.locator('[data-table="settlement"]')
    currencies = set(
        await Order.exclude(status=OrderStatus.PENDING_PAYMENT)
        .exclude(status=OrderStatus.CANCELLED, refunded_total=0)
        .values_list("currency", flat=True)
    )
    await expect(report.locator("tbody tr")).to_have_count(len(currencies))
    await expect(report.locator('tbody tr[data-currency="JPY"] td').nth(1)).to_have_text("Card")
    await expect(report.locator('tfoot tr[data-total="USD"]')).to_contain_text("Total (USD)")
    await expect(desk.locator('[data-chart="settlement"] canvas')).to_be_visible()

    flagged = desk.locator('[data-table="attention"]')
    row = flagged.locator(f'tr[data-order="{disputed.order.number}"]')
    await expect(row).to_have_attribute("data-kind", "DISPUTED")
    await expect(row).to_contain_text("the shopper disputed the charge")
    await expect(flagged.locator('tr[data-kind="REFUND_FAILED"]')).to_have_count(1)
    # Without the orders permission the order number is not a link to a screen it cannot open.
    await expect(row.locator("a")).to_have_count(0)
    assert errors == []


async def test_home_shows_only_the_blocks_the_member_may_read(desk, console, expect):
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk, "home")

    await expect(desk.locator('[data-block="to-ship"] .home-count')).to_have_attribute(
        "data-count", "0"
    )
    await expect(desk.locator('[data-block="new-orders"]')).to_have_count(1)
    await expect(desk.locator('[data-block="figures"]')).to_have_count(0)
    await expect(desk.locator('[data-block="low-stock"]')).to_have_count(0)
