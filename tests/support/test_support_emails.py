"""Staff replies by email as written: text and HTML in the conversation's language, the
message escaped in HTML with its line breaks, files as absolute links, the staff member's
first name, the footer; the threading headers as before. And every catalog translates the
customer service texts, the tracking link's message among them."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from models.accounts import Role
from models.support import ConversationChannel, Message, MessageAuthor
from services import messaging
from services.emails import rendering
from services.support import addresses, conversations, emails, messages
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from tests.factories import make_user
from tests.support.mail import SUPPORT, sent_emails

LOCALES = Path(rendering.__file__).parent / "locales"
BODY = "Dear Hana,\nthe <b>teapot</b> & cups left today.\n\nKind regards"

#: The footer and the signature line in each language tested.
WORDS = {
    "en": ("Reply to this email to continue the conversation", "Customer service, Tradewind"),
    "zh": ("回复此邮件即可继续会话", "Tradewind 客户服务"),
}


@pytest.fixture
def outbox(db, settings):
    messaging.configure(settings)


async def _reply_sent(
    locale: str, *, nickname: str = "Mei Lin"
) -> tuple[messaging.OutgoingMessage, Message]:
    conversation = await conversations.open_conversation(
        ConversationChannel.EMAIL,
        Contact(name="Hana", email="hana@example.jp"),
        subject="Teapot",
        locale=locale,
    )
    staff = await make_user(role=Role.STAFF, permissions=("support",), nickname=nickname)
    async with atomic():
        locked = await machine.locked(conversation.id)
        posted = await messages.post(
            locked,
            author=MessageAuthor.STAFF,
            author_user_id=staff.id,
            channel=ConversationChannel.EMAIL,
            body=BODY,
            attachments=[
                messages.Attachment(
                    path="support/2026/ab12.png", content_type="image/png", size_bytes=10,
                    filename="teapot <1>.png",
                ),
            ],
        )  # fmt: skip
    [sent] = await sent_emails()
    return sent, posted.message


@pytest.mark.parametrize("language", sorted(WORDS))
async def test_a_reply_is_written_in_the_conversations_language(outbox, language):
    locale = {"en": "en-GB", "zh": "zh-CN"}[language]
    sent, message = await _reply_sent(locale)
    footer, signature = WORDS[language]
    conversation = await message.conversation
    # The text: the message as typed, the file as a link, first name, shop, footer.
    assert sent.body.startswith(BODY + "\n")
    assert "teapot <1>.png: http://127.0.0.1:8000/media/support/2026/ab12.png" in (
        sent.body.replace("：", ": ")
    )
    assert "\nMei\n" in sent.body and signature in sent.body and footer in sent.body
    # The HTML: escaped, line breaks kept, the file a link.
    assert sent.html is not None
    assert "the &lt;b&gt;teapot&lt;/b&gt; &amp; cups left today.<br>" in sent.html
    assert "<b>teapot</b>" not in sent.html
    assert 'href="http://127.0.0.1:8000/media/support/2026/ab12.png"' in sent.html
    assert "teapot &lt;1&gt;.png</a>" in sent.html
    assert f'lang="{language}"' in sent.html and footer in sent.html
    # Threading as before.
    assert sent.subject == f"Re: Teapot [{conversation.number}]"
    assert sent.sender == f"Tradewind <{SUPPORT}>"
    assert dict(sent.headers) == {
        "Reply-To": addresses.reply_address(conversation.reply_token),
        "Auto-Submitted": "no",
    }
    assert sent.message_id == (await Message.get(id=message.id)).email_message_id


async def test_a_staff_member_without_a_name_signs_with_the_shops(outbox):
    sent, _ = await _reply_sent("", nickname="")
    assert sent.body.endswith(
        "Customer service, Tradewind\n\n--\n"
        "Reply to this email to continue the conversation "
        + sent.subject.rsplit("[", 1)[1].rstrip("]")
        + ".\n"
    )
    assert "\nTradewind\nCustomer service" not in sent.body


async def test_a_members_conversation_without_a_language_takes_the_accounts(outbox):
    member = await make_user(email="jp@example.com", locale="ja")
    conversation = await conversations.open_conversation(
        ConversationChannel.EMAIL, Contact(customer_id=member.id), subject="Hi"
    )
    assert await emails.language_of(conversation) == "ja"


@pytest.mark.parametrize("language", ["de", "fr", "ja", "zh"])
def test_each_catalog_translates_the_support_texts(language):
    with (LOCALES / f"{language}.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {m.id: m.string for m in catalog if m.id and m.string}
    for message in emails.subject_messages():
        assert message in translated, message
        for name in ("shop", "number", "name", "address"):
            placeholder = f"%({name})s"
            assert (placeholder in message) == (placeholder in translated[message]), message


def test_the_tracking_link_message_is_written_in_the_language():
    text = emails.tracking_link_text("zh", "JP123", "Test Post", "https://t.example/JP123")
    assert text == "您的包裹 JP123（Test Post）可在此查询：https://t.example/JP123"
