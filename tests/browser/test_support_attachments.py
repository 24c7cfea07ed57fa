"""Pictures in a conversation, both ways: a guest attaches pictures in the storefront chat
(previewed, one removed before sending), the staff member sees the picture in the console and
answers with one, after a private note with another; the guest sees the answer's picture live,
opening full size in a new tab, and never the note's."""

from __future__ import annotations

import io

from PIL import Image

from models.support import Conversation, MessageAttachment
from tests.browser.conftest import STEP_TIMEOUT_MS, make_staff, sign_in
from tests.factories import gid


def _png(color: str) -> dict[str, object]:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), color).save(buffer, format="PNG")
    return {"name": f"{color}.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


async def _loaded(image) -> bool:
    """Whether the picture loads (a broken link loads nothing)."""
    return await image.evaluate(
        """(img, ms) => img.complete ? img.naturalWidth > 0 : new Promise((done) => {
          img.addEventListener("load", () => done(img.naturalWidth > 0));
          img.addEventListener("error", () => done(false));
          setTimeout(() => done(false), ms);
        })""",
        STEP_TIMEOUT_MS,
    )


async def test_a_guest_and_staff_send_each_other_pictures(page, desk, storefront, console, expect):
    agent = await make_staff("SUPPORT", nickname="Lin")

    # The guest picks two pictures, sees them previewed, removes one and starts the chat.
    await page.goto(storefront)
    await page.get_by_role("button", name="Chat with us").click()
    chat = page.get_by_role("dialog", name="Customer service")
    await chat.get_by_label("Your name").fill("Ana Ruiz")
    await chat.get_by_label("Your email").fill("ana@example.com")
    await chat.get_by_role("textbox", name="Message").fill("The lid arrived cracked.")
    await chat.locator("input[type=file]").set_input_files([_png("red"), _png("blue")])
    previews = chat.locator(".chat-previews img")
    await expect(previews).to_have_count(2)
    await chat.get_by_role("button", name="Remove blue.png").click()
    await expect(previews).to_have_count(1)
    await chat.get_by_role("button", name="Start chat").click()

    mine = chat.locator(".chat-message.is-customer")
    await expect(mine).to_have_count(1)
    await expect(mine.locator(".chat-picture img")).to_have_count(1)
    conversation = await Conversation.get(contact_email="ana@example.com")
    [sent] = await MessageAttachment.filter(message__conversation_id=conversation.id)
    assert (sent.filename, sent.content_type, sent.width, sent.height) == (
        "red.png", "image/png", 24, 16,
    )  # fmt: skip

    # Staff see her picture in the thread, leave a note with one and answer with another.
    await sign_in(desk, console, agent, f"support/{gid('Conversation', conversation.id)}")
    thread = desk.locator(".support-thread")
    await expect(thread).to_contain_text("The lid arrived cracked.")
    theirs = thread.locator(".support-message.is-customer .support-attachments img")
    await expect(theirs).to_have_count(1)
    assert await _loaded(theirs)
    reply = desk.locator("form.support-reply")
    await reply.get_by_label("Reply").fill("Warehouse photo of the batch.")
    await reply.locator("input[type=file]").set_input_files([_png("gray")])
    await expect(reply.locator(".support-previews img")).to_have_count(1)
    await reply.get_by_label("Private note (staff only)").check()
    await reply.get_by_role("button", name="Send").click()
    note = thread.locator(".support-message.is-note")
    await expect(note.locator(".support-attachments img")).to_have_count(1)
    await expect(reply.locator(".support-previews img")).to_have_count(0)
    await reply.get_by_label("Reply").fill("Sorry! This is the new one we send.")
    await reply.locator("input[type=file]").set_input_files([_png("green")])
    await reply.get_by_role("button", name="Send").click()
    await expect(
        thread.locator(".support-message.is-staff .support-attachments img")
    ).to_have_count(1)

    # The guest sees the answer's picture live, opening full size in a new tab; not the note.
    answer = chat.locator(".chat-message.is-staff")
    await expect(answer).to_contain_text("This is the new one")
    link = answer.locator("a.chat-picture")
    await expect(link).to_have_count(1)
    await expect(link).to_have_attribute("target", "_blank")
    assert await _loaded(link.locator("img"))
    [note_file] = await MessageAttachment.filter(message__private=True)
    [answer_file] = await MessageAttachment.filter(message__private=False, filename="green.png")
    assert (await link.get_attribute("href")).endswith(answer_file.path)
    await expect(chat).not_to_contain_text("Warehouse photo")
    assert note_file.path not in await chat.inner_html()
    async with page.context.expect_page() as opened:
        await link.click()
    full = await opened.value
    await full.wait_for_load_state()
    assert full.url.endswith(answer_file.path)
