"""A shopper in Japan returns one of two delivered items from the order page, with a photo,
on a phone; the shop approves it and the page shows how to send it back, live."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from models.accounts import Role
from models.returns import ReturnPhoto, ReturnReason, ReturnRequest, ReturnStatus
from services.orders.timeline import Actor
from services.returns import status
from services.transactions import atomic
from subscriptions import bus
from subscriptions.events import order_channel
from tests.browser.conftest import PHONE, STEP_TIMEOUT_MS
from tests.factories import gid, make_user, png_bytes
from tests.returns.setup import guest_order


async def _listening(number: str, streams: int) -> None:
    """Wait until the order page follows the order on `streams` subscriptions."""
    channel = order_channel(number)
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while bus.current().subscribers(channel) < streams:  # noqa: ASYNC110 - no event to wait on
            await asyncio.sleep(0.02)


async def test_a_shopper_in_japan_returns_one_item_with_a_photo_and_sees_it_approved_live(
    browser, storefront, expect
):
    order, lines, token = await guest_order(currency="JPY", rate="20", locale="ja")
    context = await browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tokens = json.dumps({order.number: token})
    await context.add_init_script(
        f"localStorage.setItem('tradewind.orderTokens', {json.dumps(tokens)})"
    )
    page: Any = await context.new_page()
    try:
        await page.goto(f"{storefront}#/order/{order.number}?lang=ja")
        await page.get_by_role("button", name="商品を返品する").click()
        form = page.locator(".return-form")
        first = gid("OrderLine", lines[0].id)
        await form.locator(f'select[name=quantity][data-line="{first}"]').select_option("1")
        await form.locator("input[name=photos]").set_input_files(
            {"name": "scuff.png", "mimeType": "image/png", "buffer": png_bytes(color="blue")}
        )
        # The shop's default reasons, named in Japanese; a damaged item needs its photo.
        damaged = await ReturnReason.get(code="damaged")
        await form.locator("select[name=reasonId]").select_option(gid("ReturnReason", damaged.id))
        await form.get_by_label("メモ").fill("袖に傷があります")
        await form.get_by_role("button", name="返品を申請する").click()

        card = page.locator(".return-card")
        await expect(card).to_have_count(1)
        await expect(card.locator(".return-status")).to_have_text("申請済み")
        await expect(card).to_contain_text(f"返品 {order.number}-R1")
        await expect(card.locator(".return-lines li")).to_have_count(1)
        ret = await ReturnRequest.get(order_id=order.id)
        assert (ret.note, ret.reason_id) == ("袖に傷があります", damaged.id)
        assert await ReturnPhoto.filter(return_request_id=ret.id).count() == 1
        # Nothing sticks out of a phone's screen.
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")

        # The shop approves it with instructions: the page shows them without a reload.
        await page.evaluate("window.notReloaded = true")
        staff = await make_user(role=Role.STAFF, permissions=("orders",))
        await _listening(order.number, streams=2)
        async with atomic():
            await status.move(
                ret, ReturnStatus.APPROVED, actor=Actor.staff(staff.id),
                instructions="〒100-0001 東京都千代田区 1-1 Tradewind 返品係",
                label_reference="JP-RET-0042",
            )  # fmt: skip
        await expect(card.locator(".return-status")).to_have_text("承認済み")
        await expect(card.locator(".return-instructions")).to_contain_text("Tradewind 返品係")
        await expect(card.locator(".return-label")).to_contain_text("JP-RET-0042")
        assert await page.evaluate("window.notReloaded") is True
    finally:
        await context.close()
