"""Customer service in the console, walked with a shopper on the other side: a guest asks about
an order from the storefront, the conversation appears live in the inbox, and a staff member
answers with a canned reply filled for this customer and leaves a private note; the guest reads
the answer live and never the note; the staff member resolves it and the guest rates the help.
Canned replies are kept on their own page."""

from __future__ import annotations

import re

from models.orders import Order
from models.support import CannedReply, Conversation, ConversationStatus, Message
from tests.browser.conftest import make_staff, sign_in
from tests.factories import make_order, make_product


async def test_staff_answer_a_guests_chat_live_from_the_inbox(
    page, desk, storefront, console, expect
):
    product = await make_product(prices=("45.00",), stock=(5,), name="Silk scarf")
    [variant] = await product.variants.all()
    order = await make_order(None, [(variant, 1)])
    await Order.filter(id=order.id).update(email="ana@example.com")
    await CannedReply.create(
        shortcut="thanks",
        title="Thanks",
        body="Thank you {{customer_name}}, about {{order_number}}.",
    )
    agent = await make_staff("SUPPORT", nickname="Lin")
    await sign_in(desk, console, agent, "support")
    await expect(desk.get_by_role("heading", name="Customer service")).to_be_visible()
    await expect(desk.locator(".list .empty")).to_be_visible()

    # The guest looks her order up and asks about it; the inbox shows it without a reload.
    await page.goto(f"{storefront}#/order/{order.number}")
    await page.get_by_label("Email").fill("ana@example.com")
    await page.get_by_role("button", name="Track order").click()
    await page.get_by_role("button", name="Ask about this order").click()
    chat = page.get_by_role("dialog", name="Customer service")
    await chat.get_by_label("Your name").fill("Ana Ruiz")
    await chat.get_by_label("Your email").fill("ana@example.com")
    await chat.get_by_role("textbox", name="Message").fill(f"Where is order {order.number}?")
    await chat.get_by_role("button", name="Start chat").click()
    await expect(chat.locator(".chat-message.is-customer")).to_have_count(1)
    conversation = await Conversation.get(contact_email="ana@example.com")
    await expect(chat.locator(".chat-meta")).to_contain_text(f"About order {order.number}")

    row = desk.locator("table.data tbody tr", has_text=conversation.number)
    await expect(row).to_contain_text("Ana Ruiz")
    await expect(row).to_contain_text("Open")
    await row.get_by_role("link").first.click()
    await expect(desk.get_by_role("heading", name=conversation.number)).to_be_visible()
    thread = desk.locator(".support-thread")
    await expect(thread).to_contain_text(f"Where is order {order.number}?")

    # A private note first: staff see it marked, the shopper never does.
    reply = desk.locator("form.support-reply")
    await reply.get_by_label("Reply").fill("Checked the warehouse.")
    await reply.get_by_label("Private note (staff only)").check()
    await reply.get_by_role("button", name="Send").click()
    await expect(thread.locator(".support-message.is-note")).to_contain_text(
        "Checked the warehouse."
    )

    # The canned reply, filled for this guest and this order, answers her.
    await reply.get_by_label("Canned replies").select_option(label="/thanks · Thanks")
    await expect(reply.get_by_label("Reply")).to_have_value(
        f"Thank you Ana Ruiz, about {order.number}."
    )
    await reply.get_by_role("button", name="Send").click()
    await expect(thread.locator(".support-message.is-staff")).to_contain_text("Thank you Ana Ruiz")
    await expect(desk.locator(".support-badges")).to_contain_text("Waiting on customer")

    answer = chat.locator(".chat-message.is-staff")
    await expect(answer).to_contain_text(f"Thank you Ana Ruiz, about {order.number}.")
    await expect(answer).to_contain_text("Lin")
    await expect(chat).not_to_contain_text("Checked the warehouse")

    # Her answer reaches the open conversation live; staff resolve it.
    box = chat.get_by_role("textbox", name="Message")
    await box.fill("Perfect, thanks!")
    await box.press("Enter")
    await expect(thread).to_contain_text("Perfect, thanks!")
    await expect(desk.locator(".support-badges")).to_contain_text("Open")
    await desk.get_by_role("button", name="Resolve").click()
    await expect(desk.locator(".support-badges")).to_contain_text("Resolved")
    await expect(chat.locator(".chat-status")).to_contain_text("Resolved")
    # The shop's notes are written in each reader's words, from their typed details.
    await expect(thread.locator(".support-message.is-system").last).to_contain_text(
        "Status: Resolved"
    )

    # The guest rates the help; the console shows it.
    await chat.get_by_label("5 of 5").check()
    await chat.get_by_label("Comment").fill("Quick and kind")
    await chat.get_by_role("button", name="Send rating").click()
    await expect(chat).to_contain_text("Thank you for your rating: ★★★★★")
    await expect(desk.locator(".support-actions")).to_contain_text("★★★★★ Quick and kind")
    # Read again, the chat tells of the resolution in the shopper's words, not the stored text.
    await page.reload()
    await page.get_by_role("button", name="Chat with us").click()
    await expect(chat.locator(".chat-message.is-system").last).to_have_text(
        re.compile("Marked resolved")
    )
    fresh = await Conversation.get(id=conversation.id)
    assert fresh.status == ConversationStatus.RESOLVED
    assert fresh.first_response_at is not None
    assert (
        await Message.filter(conversation_id=conversation.id, private=True, author="staff").count()
        == 1
    )


async def test_staff_keep_canned_replies_and_an_unknown_placeholder_is_refused(
    desk, console, expect
):
    agent = await make_staff("SUPPORT")
    await sign_in(desk, console, agent, "support/canned")
    form = desk.locator("form.canned-form")
    await form.get_by_label("Shortcut").fill("where")
    await form.get_by_label("Title").fill("Where is my parcel")
    await form.get_by_label("Text").fill("Hello {{customer_name}}, your parcel: {{tracking_url}}")
    await form.get_by_role("button", name="Add reply").click()
    await expect(form.locator(".field-error, .form-alert")).to_contain_text("tracking_url")
    assert not await CannedReply.exists()

    await form.get_by_label("Text").fill("Hello {{customer_name}}, your parcel: {{tracking_link}}")
    await form.get_by_label("Translations").fill(
        "de: Hallo {{customer_name}}, Ihr Paket: {{tracking_link}}"
    )
    await form.get_by_role("button", name="Add reply").click()
    await expect(desk.locator(".canned-list")).to_contain_text("/where · Where is my parcel")
    saved = await CannedReply.get(shortcut="where")
    assert "{{tracking_link}}" in saved.body
