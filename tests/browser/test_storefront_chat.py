"""The chat with the shop in the storefront, as shoppers use it: a guest starts a chat from any
page and reads the shop's answer live, never a private note, their own message shown once; the
chat is still there after a reload; a member asks about an order from its page."""

from __future__ import annotations

import asyncio

from models.accounts import Role
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationLink,
    Message,
    MessageAuthor,
)
from services.support import messages, status
from services.transactions import atomic
from subscriptions import bus
from subscriptions.events import conversation_channel
from tests.browser.conftest import STEP_TIMEOUT_MS
from tests.factories import make_order, make_product, make_user

PASSWORD = "correct horse battery"


async def _listening(number: str) -> None:
    """Wait until the server streams the conversation to the page."""
    channel = conversation_channel(number)
    async with asyncio.timeout(STEP_TIMEOUT_MS / 1000):
        while not bus.current().subscribers(channel):  # noqa: ASYNC110 - the bus offers no event
            await asyncio.sleep(0.02)


async def _staff_writes(conversation: Conversation, body: str, *, private: bool = False) -> None:
    staff = await make_user(role=Role.STAFF, permissions=("support",), nickname="Lin")
    async with atomic():
        row = await status.locked(conversation.id)
        await messages.post(
            row,
            author=MessageAuthor.STAFF,
            channel=ConversationChannel.CHAT,
            body=body,
            author_user_id=staff.id,
            private=private,
        )


async def test_a_guest_chats_with_the_shop_live_and_never_reads_a_private_note(
    page, storefront, expect
):
    await page.goto(storefront)
    await page.get_by_role("button", name="Chat with us").click()
    panel = page.get_by_role("dialog", name="Customer service")
    await panel.get_by_label("Your name").fill("Ana Ruiz")
    await panel.get_by_label("Your email").fill("ana@example.com")
    await panel.get_by_role("textbox", name="Message").fill("Do you ship to Chile?")
    await panel.get_by_role("button", name="Start chat").click()

    mine = panel.locator(".chat-message.is-customer")
    await expect(mine).to_have_count(1)
    await expect(mine).to_contain_text("Do you ship to Chile?")
    conversation = await Conversation.get(contact_email="ana@example.com")
    await expect(panel.locator(".chat-meta")).to_contain_text(conversation.number)
    await _listening(conversation.number)

    await _staff_writes(conversation, "Customer asked twice before.", private=True)
    await _staff_writes(conversation, "Yes, we ship to Chile in 5 to 8 days.")
    answer = panel.locator(".chat-message.is-staff")
    await expect(answer).to_have_count(1)
    await expect(answer).to_contain_text("Yes, we ship to Chile")
    await expect(answer).to_contain_text("Lin")
    await expect(panel.locator(".chat-status")).to_contain_text("We answered")
    await expect(panel).not_to_contain_text("asked twice")

    box = panel.get_by_role("textbox", name="Message")
    await box.fill("Great, thank you!")
    await box.press("Enter")
    await expect(mine).to_have_count(2)
    await expect(mine.nth(1)).to_contain_text("Great, thank you!")
    await expect(mine.nth(1)).not_to_contain_text("sending")
    # The reply reopened the conversation; it was stored once, echo and answer alike.
    await expect(panel.locator(".chat-status")).to_contain_text("We have your message")
    assert await Message.filter(conversation_id=conversation.id, author="customer").count() == 2

    # The browser keeps the guest's token: after a reload the chat is there as it was.
    await page.reload()
    await page.get_by_role("button", name="Chat with us").click()
    await expect(mine).to_have_count(2)
    await expect(answer).to_have_count(1)
    await expect(panel).not_to_contain_text("asked twice")


async def test_a_member_asks_about_an_order_from_its_page(page, storefront, expect):
    member = await make_user(email="kai@example.com", password=PASSWORD, nickname="Kai")
    product = await make_product(prices=("30.00",), stock=(5,), name="Wool scarf")
    [variant] = await product.variants.all()
    order = await make_order(member, [(variant, 1)])
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill("kai@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()

    await page.goto(f"{storefront}#/order/{order.number}")
    await page.get_by_role("button", name="Ask about this order").click()
    panel = page.get_by_role("dialog", name="Customer service")
    await expect(panel).to_contain_text(f"About order {order.number}")
    await expect(panel.get_by_label("Your email")).to_have_count(0)
    await panel.get_by_role("textbox", name="Message").fill("Can I change the colour?")
    await panel.get_by_role("button", name="Start chat").click()
    await expect(panel.locator(".chat-message.is-customer")).to_contain_text("change the colour")
    await expect(panel.locator(".chat-meta")).to_contain_text(f"About order {order.number}")

    conversation = await Conversation.get(customer_id=member.id)
    assert await ConversationLink.filter(
        conversation_id=conversation.id, order_id=order.id
    ).exists()
