"""A chat customer who has left the page hears of staff answers by email: once per batch of
unread answers, not when read in time, never for notes or the shop's own messages, never to
a deleted account; a guest's link opens the conversation (run on PostgreSQL too)."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from tortoise import timezone
from tortoise.expressions import F

from models.accounts import Role, User
from models.jobs import Job, JobStatus
from models.support import Conversation, ConversationPriority, Message, MessageAuthor
from services import messaging, rate_limit
from services.auth import ANONYMOUS, viewer_for_user
from services.support import chat, desk, notify
from tests.factories import make_user
from tests.support.mail import sent_emails, time_passes

DELAY = 300.0

READ_ONE = """
query One($conversationNumber: String!, $token: String) {
  conversation(conversationNumber: $conversationNumber, token: $token) {
    number messages(first: 50) { edges { node { body author } } }
  }
}
"""


@pytest.fixture
def outbox(db, settings, monkeypatch):
    messaging.configure(settings)
    rate_limit.configure(None)
    monkeypatch.setattr(settings, "support_chat_email_delay_seconds", DELAY)


async def _guest_chat(**kw) -> chat.Started:
    return await chat.start_conversation(
        viewer=ANONYMOUS, client="t", body="Is the teapot in stock?", client_id="start",
        name="Ada", email="ada@example.com", **kw,
    )  # fmt: skip


async def _staff(nickname: str = "Mei Lin") -> User:
    return await make_user(role=Role.STAFF, permissions=("support",), nickname=nickname)


async def _answer(conversation_id: int, staff: User, body: str, **kw) -> Message:
    posted = await desk.reply(conversation_id, actor_id=staff.id, body=body, **kw)
    return posted.message


async def _customer_reads(started: chat.Started, up_to: Message) -> None:
    await chat.mark_read(
        viewer=ANONYMOUS, conversation_number=started.conversation.number,
        token=started.token, up_to_message_id=up_to.id,
    )  # fmt: skip


def _answers_emails(sent: list[messaging.OutgoingMessage]) -> list[messaging.OutgoingMessage]:
    return [m for m in sent if "You have an answer" in m.subject or "回复" in m.subject]


async def test_an_unread_answer_is_emailed_once_after_the_delay(outbox):
    started = await _guest_chat()
    await _answer(started.conversation.id, await _staff(), "Yes, <two> left.\nShall I hold one?")
    assert await sent_emails() == []  # not before the delay
    [sent] = _answers_emails(await time_passes(DELAY))
    number = started.conversation.number
    assert sent.to == "ada@example.com"
    assert sent.subject == f"You have an answer from Tradewind ({number})"
    assert "Hello Ada," in sent.body
    assert "Mei\nYes, <two> left.\nShall I hold one?\n" in sent.body
    assert sent.html is not None and "Yes, &lt;two&gt; left.<br>" in sent.html
    conversation = await Conversation.get(id=started.conversation.id)
    last = await Message.filter(author=MessageAuthor.STAFF).order_by("-id").first()
    assert last is not None and conversation.chat_emailed_up_to == last.id
    # Later runs, and more time, send nothing more.
    assert _answers_emails(await time_passes(DELAY)) == [sent]


async def test_an_answer_read_before_the_delay_is_not_emailed(outbox):
    started = await _guest_chat()
    answer = await _answer(started.conversation.id, await _staff(), "Yes")
    await _customer_reads(started, answer)
    assert _answers_emails(await time_passes(DELAY)) == []
    job = await Job.get(task=notify.TASK)
    assert job.status == JobStatus.DONE


async def test_a_private_note_and_system_messages_email_nobody(outbox):
    started = await _guest_chat()
    staff = await _staff()
    await _answer(started.conversation.id, staff, "Customer asked twice", private=True)
    high = ConversationPriority.HIGH
    await desk.set_priority(started.conversation.id, actor_id=staff.id, priority=high)
    await desk.resolve(started.conversation.id, actor_id=staff.id)
    assert await Job.filter(task=notify.TASK).count() == 0
    assert _answers_emails(await time_passes(DELAY)) == []


async def test_two_quick_answers_make_one_email_with_both(outbox):
    started = await _guest_chat()
    staff = await _staff()
    await _answer(started.conversation.id, staff, "Let me check.")
    await _answer(started.conversation.id, staff, "Two left!")
    assert await Job.filter(task=notify.TASK).count() == 1
    [sent] = _answers_emails(await time_passes(DELAY))
    assert sent.body.index("Let me check.") < sent.body.index("Two left!")


async def test_an_answer_after_the_email_starts_a_new_batch(outbox):
    started = await _guest_chat()
    staff = await _staff()
    await _answer(started.conversation.id, staff, "First answer")
    assert len(_answers_emails(await time_passes(DELAY))) == 1
    await _answer(started.conversation.id, staff, "Second answer")
    sent = _answers_emails(await time_passes(DELAY))
    assert len(sent) == 2 and "Second answer" in sent[1].body
    assert "First answer" not in sent[1].body


async def test_an_answer_after_a_read_waits_its_own_delay(outbox):
    started = await _guest_chat()
    staff = await _staff()
    first = await _answer(started.conversation.id, staff, "First answer")
    await time_passes(DELAY / 2)
    await _customer_reads(started, first)
    await _answer(started.conversation.id, staff, "Second answer")
    # The first job comes due: the first answer was read, the second is not due yet.
    assert _answers_emails(await time_passes(DELAY / 2)) == []
    [sent] = _answers_emails(await time_passes(DELAY / 2))
    assert "Second answer" in sent.body and "First answer" not in sent.body


async def test_a_member_is_emailed_at_their_account_in_their_language(outbox):
    member = await make_user(email="li@example.com", nickname="Li", locale="zh-CN")
    started = await chat.start_conversation(
        viewer=viewer_for_user(member), client="t", body="你好", client_id="start"
    )
    await _answer(started.conversation.id, await _staff(), "您好，有货。")
    [sent] = _answers_emails(await time_passes(DELAY))
    number = started.conversation.number
    assert sent.to == "li@example.com"
    assert sent.subject == f"您收到了 Tradewind 的回复（{number}）"
    assert "Li，您好：" in sent.body and "您好，有货。" in sent.body
    # A member's link opens the chat without a token: their account does.
    link = re.search(r"https?://\S+#/chat/\S+", sent.body)
    assert link is not None and "token=" not in link.group(0)


async def test_a_deleted_account_is_not_emailed(outbox):
    member = await make_user(email="gone@example.com")
    started = await chat.start_conversation(
        viewer=viewer_for_user(member), client="t", body="Hi", client_id="start"
    )
    await _answer(started.conversation.id, await _staff(), "Hello")
    await User.filter(id=member.id).update(deleted_at=F("created_at"))
    assert _answers_emails(await time_passes(DELAY)) == []


async def test_the_guest_link_opens_the_conversation(outbox, client):
    started = await _guest_chat()
    await _answer(started.conversation.id, await _staff(), "Your answer is here")
    [sent] = _answers_emails(await time_passes(DELAY))
    link = re.search(r"https?://\S+#/chat/\S+", sent.body)
    assert link is not None
    fragment = urlsplit(link.group(0)).fragment
    path, _, query = fragment.partition("?")
    number = unquote(path.removeprefix("/chat/"))
    token = parse_qs(query)["token"][0]
    assert number == started.conversation.number and token.startswith("c1.")
    data = await client.query(READ_ONE, {"conversationNumber": number, "token": token})
    bodies = [e["node"]["body"] for e in data["conversation"]["messages"]["edges"]]
    assert "Your answer is here" in bodies


async def test_a_failed_send_is_retried_with_the_same_answers(outbox, monkeypatch):
    started = await _guest_chat()
    await _answer(started.conversation.id, await _staff(), "Here it is")
    await time_passes(DELAY)  # the job ran and sent
    # A fresh batch whose first send fails.
    await _answer(started.conversation.id, await _staff("Bo"), "And another")
    real = messaging.send_email
    calls = 0

    async def flaky(*args, **kw):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise messaging.MessagingError("relay down")
        return await real(*args, **kw)

    monkeypatch.setattr(messaging, "send_email", flaky)
    conversation = await Conversation.get(id=started.conversation.id)
    with pytest.raises(messaging.MessagingError):
        await notify.send_answers(conversation.id, now=_far_future())
    assert (await Conversation.get(id=conversation.id)).chat_emailed_up_to == (
        conversation.chat_emailed_up_to
    )
    assert await notify.send_answers(conversation.id, now=_far_future()) is True
    assert "And another" in messaging.outbox()[-1].body


def _far_future() -> datetime:
    return timezone.now() + timedelta(days=1)


async def test_two_staff_answering_at_once_queue_one_email(outbox):
    started = await _guest_chat()
    a, b = await _staff("Ana"), await _staff("Ben")
    await asyncio.gather(
        _answer(started.conversation.id, a, "From Ana"),
        _answer(started.conversation.id, b, "From Ben"),
    )
    assert await Message.filter(author=MessageAuthor.STAFF).count() == 2
    assert await Job.filter(task=notify.TASK).count() == 1
    [sent] = _answers_emails(await time_passes(DELAY))
    assert "From Ana" in sent.body and "From Ben" in sent.body
