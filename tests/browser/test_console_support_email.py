"""An email conversation in the console: a message whose sender could not be verified is
marked so, the authenticated one is not."""

from __future__ import annotations

from models.support import Conversation
from services import rate_limit
from tests.browser.conftest import make_staff, sign_in
from tests.factories import gid
from tests.support.mail import AUTHSERV_ID, authenticated, deliver, email


async def test_staff_see_which_emails_come_from_an_unverified_sender(
    desk, console, expect, settings, monkeypatch
):
    monkeypatch.setattr(settings, "support_email_verify_sender", True)
    monkeypatch.setattr(settings, "support_email_authserv_id", AUTHSERV_ID)
    rate_limit.configure(None)
    first = await deliver(email(text="Signed question", headers=authenticated()))
    conversation = await Conversation.get(number=first.conversation_number)
    # Written to the secret reply address, so it threads, but nobody vouches for the sender.
    await deliver(
        email(
            to=f"support+{conversation.reply_token}@localhost",
            text="Unsigned follow-up",
        )
    )
    agent = await make_staff("SUPPORT")
    await sign_in(desk, console, agent, f"support/{gid('Conversation', conversation.id)}")
    thread = desk.locator(".support-thread")
    signed = thread.locator(".support-message", has_text="Signed question")
    unsigned = thread.locator(".support-message", has_text="Unsigned follow-up")
    await expect(unsigned).to_contain_text("Sender not verified")
    await expect(signed).to_be_visible()
    await expect(signed).not_to_contain_text("Sender not verified")
