"""Email to the shop becoming conversations: threading by each rule, deduplication, the
loop guards, quoted text stripped, HTML sanitised, limits and unreadable mail."""

from __future__ import annotations

import asyncio
import io
import os

import pytest
from PIL import Image

from models.support import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    InboundEmail,
    InboundStatus,
    Message,
    MessageAttachment,
    MessageAuthor,
)
from services import rate_limit
from services.support import addresses, inbound, messages
from services.support import status as machine
from services.support.errors import SupportError, SupportErrorCode
from services.transactions import atomic
from settings import get_settings
from tests.factories import make_user
from tests.support.mail import deliver, email

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)


@pytest.fixture(autouse=True)
def trusted_senders(settings, monkeypatch):
    """The threading rules as such, with every From trusted (as with the sender check off);
    test_email_senders.py covers what changes for a sender who is not authenticated."""
    monkeypatch.setattr(settings, "support_email_verify_sender", False)
    rate_limit.configure(None)


async def _receive(raw: bytes, **kw) -> inbound.Received:
    """The email received and its job run: what became of it."""
    return await deliver(raw, **kw)


async def _customer_messages(number: str | None) -> list[Message]:
    assert number is not None
    conversation = await Conversation.get(number=number)
    return await Message.filter(
        conversation_id=conversation.id, author=MessageAuthor.CUSTOMER
    ).order_by("id")


async def test_an_email_from_a_stranger_opens_an_email_conversation_with_a_contact(db):
    raw = email(subject="Re: Where is my parcel?", message_id="<a1@example.jp>")
    got = await _receive(raw)
    assert got.status is InboundStatus.ACCEPTED and got.opened
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.channel == ConversationChannel.EMAIL
    assert conversation.customer_id is None
    assert conversation.contact_email == "hana@example.jp"
    assert conversation.contact_name == "Hana Sato"
    assert conversation.subject == "Where is my parcel?"  # the "Re:" goes
    [message] = await _customer_messages(conversation.number)
    assert message.body == "Hello, my parcel has not arrived."
    assert message.email_message_id == "<a1@example.jp>"
    record = await InboundEmail.get(message_id="<a1@example.jp>")
    assert record.status == InboundStatus.ACCEPTED and record.conversation_id == conversation.id
    assert record.raw_bytes == raw


async def test_an_email_from_an_account_address_belongs_to_that_customer(db):
    member = await make_user(email="member@example.com")
    got = await _receive(email(sender="Member <MEMBER@example.com>"))
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.customer_id == member.id


async def test_a_reply_to_the_conversations_reply_address_threads_into_it(db):
    first = await _receive(email())
    conversation = await Conversation.get(number=first.conversation_number)
    # Another sender and no references: the secret address alone decides.
    got = await _receive(
        email(
            sender="Hana at work <hana@work.example>",
            to=addresses.reply_address(conversation.reply_token),
            subject="A new subject",
            text="It came, thanks.",
        )
    )
    assert got.conversation_number == conversation.number and not got.opened
    assert [m.body for m in await _customer_messages(conversation.number)] == [
        "Hello, my parcel has not arrived.",
        "It came, thanks.",
    ]


async def test_a_forged_reply_token_opens_a_new_conversation(db):
    first = await _receive(email())
    forged = addresses.reply_address("a" * 26)
    got = await _receive(email(to=forged, subject="Hi", text="Let me in"))
    assert got.opened and got.conversation_number != first.conversation_number
    # A token of the wrong shape is no token at all.
    got = await _receive(email(to="support+DROP-TABLE@localhost", text="Me too"))
    assert got.opened


async def test_in_reply_to_or_references_thread_into_the_conversation_of_that_email(db):
    first = await _receive(email(message_id="<first@example.jp>"))
    got = await _receive(email(sender="other@example.org", in_reply_to="<first@example.jp>"))
    assert got.conversation_number == first.conversation_number
    got = await _receive(
        email(
            sender="third@example.org",
            references="<unknown@elsewhere> <first@example.jp> <also-unknown@elsewhere>",
        )
    )
    assert got.conversation_number == first.conversation_number


async def test_a_number_in_the_subject_threads_only_from_the_same_sender(db):
    first = await _receive(email())
    number = first.conversation_number
    got = await _receive(email(subject=f"About [{number}]", text="Any news?"))
    assert got.conversation_number == number and not got.opened
    # The number alone from someone else opens a conversation of their own.
    other = await _receive(email(sender="mallory@example.org", subject=f"Re: {number}"))
    assert other.opened and other.conversation_number != number
    assert len(await _customer_messages(number)) == 2


async def test_an_answer_to_a_closed_conversation_opens_a_new_one(db):
    first = await _receive(email(message_id="<closed@example.jp>"))
    conversation = await Conversation.get(number=first.conversation_number)
    async with atomic():
        await machine.move(await machine.locked(conversation.id), ConversationStatus.CLOSED)
    got = await _receive(email(in_reply_to="<closed@example.jp>", text="One more thing"))
    assert got.opened and got.conversation_number != conversation.number


async def test_an_answer_reopens_a_resolved_conversation(db):
    first = await _receive(email(message_id="<res@example.jp>"))
    conversation = await Conversation.get(number=first.conversation_number)
    async with atomic():
        await machine.move(await machine.locked(conversation.id), ConversationStatus.RESOLVED)
    await _receive(email(in_reply_to="<res@example.jp>", text="Not solved after all"))
    assert (await Conversation.get(id=conversation.id)).status == ConversationStatus.OPEN


async def test_the_same_email_twice_is_one_message(db):
    raw = email(message_id="<twice@example.jp>")
    first = await _receive(raw)
    again = await _receive(raw)
    assert again.duplicate and again.conversation_number == first.conversation_number
    assert await Message.filter(email_message_id="<twice@example.jp>").count() == 1
    assert await InboundEmail.all().count() == 1
    assert await Conversation.all().count() == 1


async def test_an_email_without_a_message_id_is_deduplicated_by_its_bytes(db):
    raw = email().replace(b"Message-ID:", b"X-Old-ID:")
    await _receive(raw)
    assert (await _receive(raw)).duplicate
    assert await Message.filter(author=MessageAuthor.CUSTOMER).count() == 1


@pytest.mark.parametrize(
    ("headers", "sender"),
    [
        ({"Auto-Submitted": "auto-replied"}, "hana@example.jp"),
        ({"Auto-Submitted": "auto-generated; owner-email=x@example.jp"}, "hana@example.jp"),
        ({"Precedence": "bulk"}, "hana@example.jp"),
        ({"Precedence": "list"}, "hana@example.jp"),
        ({"List-Id": "<news.example.jp>"}, "hana@example.jp"),
        ({"List-Unsubscribe": "<mailto:leave@example.jp>"}, "hana@example.jp"),
        ({"X-Autoreply": "yes"}, "hana@example.jp"),
        ({}, "MAILER-DAEMON@mx.example.jp"),
        ({"Return-Path": "<>"}, "bounces@example.jp"),
        ({}, "support@localhost"),
        ({}, "support+abc@localhost"),
        ({}, "no-reply@localhost"),
    ],
)
async def test_automatic_list_bounced_and_own_mail_is_stored_but_opens_nothing(db, headers, sender):
    got = await _receive(email(sender=sender, headers=headers))
    assert got.status is InboundStatus.IGNORED and got.reason
    assert await Conversation.all().count() == 0
    record = await InboundEmail.get()
    assert record.status == InboundStatus.IGNORED and record.sender == sender.lower()


async def test_auto_submitted_no_is_a_person_writing(db):
    got = await _receive(email(headers={"Auto-Submitted": "no"}))
    assert got.status is InboundStatus.ACCEPTED


async def test_an_out_of_office_answer_to_a_thread_posts_nothing_there(db):
    first = await _receive(email(message_id="<ooo@example.jp>"))
    got = await _receive(
        email(in_reply_to="<ooo@example.jp>", headers={"Auto-Submitted": "auto-replied"})
    )
    assert got.status is InboundStatus.IGNORED
    assert got.conversation_number == first.conversation_number
    assert len(await _customer_messages(first.conversation_number)) == 1


async def test_quoted_text_is_stripped_from_a_reply(db):
    text = (
        "Thanks, it arrived today.\n\n"
        "On Mon, 7 Dec 2026 at 10:00, Tradewind <support@localhost> wrote:\n"
        "> We sent it on Friday.\n> Tracking: RB123456785GB\n"
    )
    got = await _receive(email(text=text))
    [message] = await _customer_messages(got.conversation_number)
    assert message.body == "Thanks, it arrived today."


async def test_html_is_sanitised_and_its_text_kept(db):
    html = (
        "<html><head><style>p{color:red}</style></head><body>"
        "<p onclick='steal()'>Hi <b>there</b></p><script>alert(1)</script>"
        "<img src='https://tracker.example/pixel.gif'>"
        "<a href='javascript:alert(1)'>click</a>"
        "<blockquote>an earlier message</blockquote></body></html>"
    )
    got = await _receive(email(text=None, html=html))
    [message] = await _customer_messages(got.conversation_number)
    assert "script" not in message.body_html and "alert" not in message.body_html
    assert "onclick" not in message.body_html and "javascript" not in message.body_html
    assert "tracker.example" not in message.body_html
    assert "earlier message" not in message.body_html
    assert "<b>there</b>" in message.body_html
    assert "Hi there" in message.body and "<" not in message.body
    assert "alert" not in message.body and "color" not in message.body


async def test_a_long_email_is_cut_with_a_mark(db):
    got = await _receive(email(text="word " * 5000))
    [message] = await _customer_messages(got.conversation_number)
    assert len(message.body) <= messages.MAX_BODY
    assert message.body.endswith(inbound.CUT_MARK.strip())


async def test_a_huge_html_part_is_dropped_and_its_text_kept(db):
    got = await _receive(email(text="See below", html="<p>" + "x" * 300_000 + "</p>"))
    [message] = await _customer_messages(got.conversation_number)
    assert message.body == "See below" and message.body_html == ""


async def test_nul_characters_are_taken_out(db):
    got = await _receive(email(text="before\x00after", subject="bad\x00subject"))
    conversation = await Conversation.get(number=got.conversation_number)
    [message] = await _customer_messages(conversation.number)
    assert message.body == "beforeafter" and conversation.subject == "badsubject"


async def test_an_image_is_attached_and_other_files_are_noted_as_skipped(db):
    picture = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(picture, "PNG")
    got = await _receive(
        email(
            attachments=[
                ("photo.png", "image/png", picture.getvalue()),
                ("invoice.pdf", "application/pdf", b"%PDF-1.4 not really"),
                ("fake.png", "image/png", b"not an image"),
            ]
        )
    )
    [message] = await _customer_messages(got.conversation_number)
    [attached] = await MessageAttachment.filter(message_id=message.id)
    assert attached.filename == "photo.png" and attached.content_type == "image/png"
    assert (attached.width, attached.height) == (4, 3)
    assert message.data["skipped_attachments"] == ["invoice.pdf", "fake.png"]


async def test_an_oversize_image_and_images_beyond_the_maximum_are_skipped(db, monkeypatch):
    def png(width: int) -> bytes:
        picture = io.BytesIO()
        Image.new("RGB", (width, 2), "blue").save(picture, "PNG")
        return picture.getvalue()

    monkeypatch.setattr(get_settings(), "max_image_pixels", 100)
    files = [("huge.png", "image/png", png(60))]
    files += [(f"p{n}.png", "image/png", png(n + 1)) for n in range(messages.MAX_ATTACHMENTS + 1)]
    got = await _receive(email(attachments=files))
    [message] = await _customer_messages(got.conversation_number)
    kept = await MessageAttachment.filter(message_id=message.id).order_by("id")
    assert [a.filename for a in kept] == [f"p{n}.png" for n in range(messages.MAX_ATTACHMENTS)]
    assert message.data["skipped_attachments"] == ["huge.png", f"p{messages.MAX_ATTACHMENTS}.png"]


async def test_an_email_with_only_a_file_says_so(db):
    picture = io.BytesIO()
    Image.new("RGB", (2, 2)).save(picture, "PNG")
    got = await _receive(email(text=None, attachments=[("a.png", "image/png", picture.getvalue())]))
    [message] = await _customer_messages(got.conversation_number)
    assert message.body == inbound.NO_TEXT


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"", SupportErrorCode.REQUIRED),
        (b"   \r\n", SupportErrorCode.REQUIRED),
        (b"this is not an email at all", SupportErrorCode.INVALID),
        (b"Subject: no sender\r\n\r\nHello", SupportErrorCode.INVALID),
        (b"From: not an address\r\nSubject: x\r\n\r\nHello", SupportErrorCode.INVALID),
        (b"From: " + b"a" * 300 + b"@example.jp\r\n\r\nHello", SupportErrorCode.INVALID),
        (b"\xff\xfe\x00garbage\x00\r\n\r\n\xff", SupportErrorCode.INVALID),
    ],
)
async def test_what_is_not_an_email_is_refused_and_nothing_is_stored(db, raw, code):
    with pytest.raises(SupportError) as refused:
        await _receive(raw)
    assert refused.value.problems[0].code is code
    assert await InboundEmail.all().count() == 0


async def test_an_email_over_the_size_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "support_inbound_max_bytes", 2048)
    with pytest.raises(SupportError) as refused:
        await _receive(email(text="x" * 4000))
    assert refused.value.problems[0].code is SupportErrorCode.TOO_LONG
    assert await InboundEmail.all().count() == 0


async def test_unknown_charsets_and_odd_headers_do_not_break_reading(db):
    raw = (
        b"From: =?unknown-8bit?q?Hana?= <hana@example.jp>\r\n"
        b"To: support@localhost\r\nSubject: =?bogus?b?!!!?=\r\n"
        b"Message-ID: <odd@example.jp>\r\n"
        b"Content-Type: text/plain; charset=no-such-charset\r\n\r\nHello \xe9\r\n"
    )
    got = await _receive(raw)
    [message] = await _customer_messages(got.conversation_number)
    assert message.body.startswith("Hello")


@on_postgres
async def test_the_same_email_delivered_twice_at_once_is_one_message(db):
    raw = email(message_id="<race@example.jp>")
    results = await asyncio.gather(*(_receive(raw) for _ in range(5)))
    assert sum(not r.duplicate for r in results) == 1
    # A redelivery answered while the first is still being processed names no conversation.
    assert len({r.conversation_number for r in results} - {None}) == 1
    assert await Message.filter(email_message_id="<race@example.jp>").count() == 1
    assert await Conversation.all().count() == 1
    assert await InboundEmail.all().count() == 1
