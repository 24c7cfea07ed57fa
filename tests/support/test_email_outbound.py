"""Staff replies by email: threaded, through the job queue, sent once, never a private note;
and the whole loop of an emailed question, its answer and the customer's reply."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from models.accounts import Role
from models.jobs import Job
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    Message,
    MessageAuthor,
)
from services import messaging, rate_limit
from services.support import addresses, conversations, inbound, messages, outbound
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from settings import get_settings
from tests.factories import make_user
from tests.support.mail import SUPPORT, deliver, email, sent_emails


@pytest.fixture
def outbox(db):
    messaging.configure(get_settings())
    rate_limit.configure(None)


async def _reply(conversation: Conversation, body: str, **kw) -> Message:
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    async with atomic():
        locked = await machine.locked(conversation.id)
        posted = await messages.post(
            locked,
            author=MessageAuthor.STAFF,
            author_user_id=staff.id,
            channel=ConversationChannel(conversation.channel),
            body=body,
            **kw,
        )
    return posted.message


async def test_the_full_loop_question_reply_and_answer_in_one_conversation(outbox):
    # 1. A customer emails the shop.
    got = await deliver(
        email(subject="Where is my parcel?", message_id="<q1@example.jp>"), route=inbound.SMTP
    )
    conversation = await Conversation.get(number=got.conversation_number)

    # 2. Staff answer; the reply goes out through the job queue.
    reply = await _reply(conversation, "It left our warehouse on Friday.")
    assert await Job.filter(task=outbound.TASK).count() == 1
    [sent] = await sent_emails()
    assert sent.to == "hana@example.jp"
    assert sent.subject == f"Re: Where is my parcel? [{conversation.number}]"
    assert sent.body.startswith("It left our warehouse on Friday.\n")
    assert "Reply to this email to continue the conversation" in sent.body
    assert sent.html is not None and "It left our warehouse on Friday." in sent.html
    assert sent.sender == f"Tradewind <{SUPPORT}>"
    headers = dict(sent.headers)
    assert headers["Reply-To"] == addresses.reply_address(conversation.reply_token)
    assert headers["In-Reply-To"] == "<q1@example.jp>"
    assert headers["References"] == "<q1@example.jp>"
    assert headers["Auto-Submitted"] == "no"
    reply = await Message.get(id=reply.id)
    assert reply.email_message_id == sent.message_id
    assert reply.delivered_at is not None and reply.data[outbound.SENT]

    # 3. The customer answers from their mail client: to the plain support address (as
    # some clients do, ignoring Reply-To), quoting the reply, In-Reply-To it.
    answer = email(
        subject=f"Re: Where is my parcel? [{conversation.number}]",
        in_reply_to=sent.message_id,
        references=f"<q1@example.jp> {sent.message_id}",
        text=f"Thank you!\n\nOn Mon, Tradewind <{SUPPORT}> wrote:\n> It left our warehouse\n",
    )
    got = await deliver(answer, route=inbound.HTTP)
    assert got.conversation_number == conversation.number and not got.opened
    bodies = [
        (m.author, m.body)
        for m in await Message.filter(conversation_id=conversation.id)
        .exclude(author=MessageAuthor.SYSTEM)
        .order_by("id")
    ]
    assert bodies == [
        (MessageAuthor.CUSTOMER, "Hello, my parcel has not arrived."),
        (MessageAuthor.STAFF, "It left our warehouse on Friday."),
        (MessageAuthor.CUSTOMER, "Thank you!"),
    ]
    assert (await Conversation.get(id=conversation.id)).status == ConversationStatus.OPEN

    # 4. A second reply threads after the customer's last email.
    await _reply(conversation, "Glad to help.")
    second = (await sent_emails())[-1]
    headers = dict(second.headers)
    last = (
        await Message.filter(conversation_id=conversation.id, author=MessageAuthor.CUSTOMER)
        .order_by("-id")
        .first()
    )
    assert last is not None and headers["In-Reply-To"] == last.email_message_id
    assert headers["References"].split() == [
        "<q1@example.jp>",
        sent.message_id,
        headers["In-Reply-To"],
    ]


async def test_a_reply_built_for_smtp_carries_the_threading_headers(outbox):
    got = await deliver(email(message_id="<smtp-q@example.jp>"), route=inbound.SMTP)
    conversation = await Conversation.get(number=got.conversation_number)
    await _reply(conversation, "On its way")
    [sent] = await sent_emails()
    settings = get_settings()
    sender = messaging.SmtpEmailSender(
        "localhost", 25, None, None, "none", settings.email_from, 1.0
    )
    built = message_from_bytes(bytes(sender.build(sent)), policy=policy.default)
    assert built["From"] == f"Tradewind <{SUPPORT}>"
    assert built["Message-ID"] == sent.message_id
    assert built["In-Reply-To"] == "<smtp-q@example.jp>"
    assert built["Reply-To"].startswith("support+")


async def test_a_private_note_is_never_emailed(outbox):
    got = await deliver(email(), route=inbound.HTTP)
    conversation = await Conversation.get(number=got.conversation_number)
    note = await _reply(conversation, "Customer sounds upset; be kind", private=True)
    assert await Job.filter(task=outbound.TASK).count() == 0
    assert await sent_emails() == []
    # Even a job forced for it sends nothing.
    assert await outbound.send_reply(note.id) is False
    assert await sent_emails() == []


async def test_a_chat_conversation_gets_no_email(outbox):
    member = await make_user()
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id)
    )
    await _reply(conversation, "Hello from chat")
    assert await Job.filter(task=outbound.TASK).count() == 0


async def test_a_retried_job_sends_once(outbox):
    got = await deliver(email(), route=inbound.HTTP)
    conversation = await Conversation.get(number=got.conversation_number)
    reply = await _reply(conversation, "On its way")
    assert await outbound.send_reply(reply.id) is True
    assert await outbound.send_reply(reply.id) is False
    assert len(await sent_emails()) == 1  # the queued job finds it sent


async def test_a_failed_send_is_retried_with_the_same_message_id(outbox, monkeypatch):
    got = await deliver(email(), route=inbound.HTTP)
    conversation = await Conversation.get(number=got.conversation_number)
    reply = await _reply(conversation, "On its way")
    calls: list[str] = []
    real = messaging.send_email

    async def flaky(*args, **kw):
        calls.append(kw["message_id"])
        if len(calls) == 1:
            raise messaging.MessagingError("relay down")
        return await real(*args, **kw)

    monkeypatch.setattr(messaging, "send_email", flaky)
    with pytest.raises(messaging.MessagingError):
        await outbound.send_reply(reply.id)
    assert not (await Message.get(id=reply.id)).data.get(outbound.SENT)
    assert await outbound.send_reply(reply.id) is True
    assert calls[0] == calls[1] == (await Message.get(id=reply.id)).email_message_id


async def test_a_member_without_a_contact_address_gets_it_at_their_account_email(outbox):
    member = await make_user(email="member@example.com")
    conversation = await conversations.open_conversation(
        ConversationChannel.EMAIL, Contact(customer_id=member.id), subject="Invoice"
    )
    await _reply(conversation, "Attached")
    [sent] = await sent_emails()
    assert sent.to == "member@example.com"
    assert sent.subject == f"Re: Invoice [{conversation.number}]"
    assert "In-Reply-To" not in dict(sent.headers)


async def test_our_own_reply_coming_back_is_not_posted_again(outbox):
    got = await deliver(email(), route=inbound.HTTP)
    conversation = await Conversation.get(number=got.conversation_number)
    await _reply(conversation, "On its way")
    [sent] = await sent_emails()
    # A copy of the shop's reply (Bcc to support, or a forwarding loop).
    echo = email(sender=SUPPORT, message_id=sent.message_id, text=sent.body)
    result = await deliver(echo, route=inbound.SMTP)
    assert result.status.value == "ignored"
    assert await Message.filter(author=MessageAuthor.STAFF).count() == 1
    assert await Message.filter(author=MessageAuthor.CUSTOMER).count() == 1
