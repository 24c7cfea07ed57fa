"""A guest who left the page reads the shop's answer from the email about it: the link in the
email opens the storefront with the chat on that conversation, the answer in it."""

from __future__ import annotations

import re

from models.accounts import Role
from services import messaging, rate_limit
from services.auth import ANONYMOUS, viewer_for_user
from services.support import chat, desk
from tests.factories import make_user
from tests.support import mail

PASSWORD = "kettle-boils-220"


async def test_a_guest_opens_the_chat_from_the_answer_email(
    page, storefront, expect, settings, monkeypatch
):
    monkeypatch.setattr(settings, "storefront_url", storefront)
    messaging.configure(settings)
    rate_limit.configure(None)
    started = await chat.start_conversation(
        viewer=ANONYMOUS, client="t", body="Do you ship to Chile?", client_id="start",
        name="Ana Ruiz", email="ana@example.com",
    )  # fmt: skip
    staff = await make_user(role=Role.STAFF, permissions=("support",), nickname="Lin")
    await desk.reply(started.conversation.id, actor_id=staff.id, body="Yes, in 5 to 8 days.")

    [email] = await mail.time_passes(settings.support_chat_email_delay_seconds)
    assert email.to == "ana@example.com"
    found = re.search(r"https?://\S+#/chat/\S+", email.body)
    assert found is not None

    await page.goto(found.group(0))
    panel = page.get_by_role("dialog", name="Customer service")
    answer = panel.locator(".chat-message.is-staff")
    await expect(answer).to_contain_text("Yes, in 5 to 8 days.")
    await expect(panel.locator(".chat-message.is-customer")).to_contain_text("ship to Chile")
    # The token is kept with the chat, not left in the address bar.
    assert "token=" not in page.url


async def test_a_signed_out_member_signs_in_to_read_the_conversation_from_the_email(
    page, storefront, expect, settings, monkeypatch
):
    monkeypatch.setattr(settings, "storefront_url", storefront)
    messaging.configure(settings)
    rate_limit.configure(None)
    member = await make_user(email="mei@example.com", password=PASSWORD)
    started = await chat.start_conversation(
        viewer=viewer_for_user(member), client="t", body="Is the kettle 220 V?",
        client_id="start",
    )  # fmt: skip
    staff = await make_user(role=Role.STAFF, permissions=("support",), nickname="Lin")
    await desk.reply(started.conversation.id, actor_id=staff.id, body="Yes, 220 to 240 V.")

    [email] = await mail.time_passes(settings.support_chat_email_delay_seconds)
    found = re.search(r"https?://\S+#/chat/\S+", email.body)
    assert email.to == "mei@example.com" and found is not None
    assert "token=" not in found.group(0)  # a member's link opens nothing by itself

    await page.goto(found.group(0))
    panel = page.get_by_role("dialog", name="Customer service")
    await expect(panel).to_contain_text(
        f"Sign in to read conversation {started.conversation.number}."
    )
    await expect(panel.locator(".chat-message")).to_have_count(0)
    await panel.get_by_role("link", name="Sign in").click()
    await page.get_by_label("Email or phone").fill("mei@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.locator("form").get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    await page.get_by_role("button", name="Chat with us").click()
    await expect(panel.locator(".chat-message.is-staff")).to_contain_text("Yes, 220 to 240 V.")
