"""Mail floods: new conversations opened by email are limited per sender and in all; mail
over a limit is kept, marked, opens nothing and sends nothing; replies are never limited.
And a provider's retry of an email still being processed is one message."""

from __future__ import annotations

import asyncio
import logging
import os

import pytest

from models.jobs import Job
from models.support import Conversation, InboundEmail, InboundStatus, Message, MessageAuthor
from services import messaging, rate_limit
from services.support import addresses, inbound
from tests.support.mail import deliver, email, run_jobs, sent_emails

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)


@pytest.fixture(autouse=True)
def limits(settings, monkeypatch):
    monkeypatch.setattr(settings, "support_email_open_limit_per_sender", 2)
    monkeypatch.setattr(settings, "support_email_open_limit", 4)
    messaging.configure(settings)
    rate_limit.configure(None)


async def test_a_sender_over_the_limit_is_kept_but_opens_nothing(db, caplog):
    for n in range(2):
        got = await deliver(email(subject=f"Question {n}"))
        assert got.opened
    raw = email(subject="Question 3", message_id="<flood3@example.jp>")
    with caplog.at_level(logging.WARNING, logger="tradewind.support"):
        got = await deliver(raw)
    assert got.status is InboundStatus.LIMITED and not got.opened
    assert got.conversation_number is None
    record = await InboundEmail.get(message_id="<flood3@example.jp>")
    assert record.status == InboundStatus.LIMITED and record.raw_bytes == raw
    assert "limit" in record.reason and record.conversation_id is None
    assert await Conversation.all().count() == 2
    assert not await Message.exists(email_message_id="<flood3@example.jp>")
    assert await sent_emails() == []
    assert any("support.inbound_limited" in r.getMessage() for r in caplog.records)
    # Someone else still gets through.
    assert (await deliver(email(sender="other@example.org"))).opened


async def test_replies_in_existing_threads_are_not_limited(db):
    first = await deliver(email(message_id="<t1@example.jp>"))
    await deliver(email(subject="Another"))
    conversation = await Conversation.get(number=first.conversation_number)
    reply_to = addresses.reply_address(conversation.reply_token)
    for n in range(5):
        got = await deliver(email(to=reply_to, text=f"More {n}"))
        assert got.status is InboundStatus.ACCEPTED
        assert got.conversation_number == conversation.number
    count = await Message.filter(
        conversation_id=conversation.id, author=MessageAuthor.CUSTOMER
    ).count()
    assert count == 6


async def test_the_shop_wide_limit_holds_across_senders(db):
    opened = [(await deliver(email(sender=f"s{n}@example.org"))).opened for n in range(6)]
    assert opened == [True, True, True, True, False, False]
    assert await Conversation.all().count() == 4
    assert await InboundEmail.filter(status=InboundStatus.LIMITED).count() == 2


async def test_a_sender_refused_by_the_shop_wide_limit_keeps_their_own_allowance(db, settings):
    for n in range(4):
        await deliver(email(sender=f"s{n}@example.org"))
    assert not (await deliver(email(sender="late@example.org"))).opened
    settings.support_email_open_limit = 10  # monkeypatched: restored after the test
    # The refused attempt was not counted against the sender: two are still theirs.
    assert (await deliver(email(sender="late@example.org"))).opened
    assert (await deliver(email(sender="late@example.org", subject="again"))).opened


async def test_a_retry_while_the_first_delivery_is_processing_is_one_message(db, monkeypatch):
    raw = email(message_id="<retry@example.jp>")
    first = await inbound.receive(raw, route=inbound.HTTP)
    started, go = asyncio.Event(), asyncio.Event()
    attach = inbound._attachments

    async def slow(parsed):
        started.set()
        await go.wait()
        return await attach(parsed)

    monkeypatch.setattr(inbound, "_attachments", slow)
    running = asyncio.create_task(run_jobs())
    await started.wait()
    # The provider delivers again while the job is under way, and a second run of the job
    # (a worker thought lost) starts too.
    again = await inbound.receive(raw, route=inbound.HTTP)
    assert again.duplicate and again.status is InboundStatus.PENDING
    second_run = asyncio.create_task(inbound.process(first.inbound_id or 0))
    await asyncio.sleep(0.05)
    go.set()
    results = await asyncio.gather(running, second_run)
    assert results[1].status is InboundStatus.ACCEPTED
    assert await Message.filter(email_message_id="<retry@example.jp>").count() == 1
    assert await Conversation.all().count() == 1
    assert await InboundEmail.all().count() == 1
    assert await Job.filter(task=inbound.TASK).count() == 1


@on_postgres
async def test_deliveries_and_runs_at_once_make_one_message(db):
    raw = email(message_id="<storm@example.jp>")
    first = await inbound.receive(raw, route=inbound.HTTP)
    assert first.inbound_id is not None
    await asyncio.gather(
        run_jobs(),
        run_jobs(),
        *(inbound.receive(raw, route=inbound.HTTP) for _ in range(4)),
        *(inbound.process(first.inbound_id) for _ in range(3)),
    )
    await run_jobs()
    assert await Message.filter(email_message_id="<storm@example.jp>").count() == 1
    assert await Conversation.all().count() == 1
    record = await InboundEmail.get()
    assert record.status == InboundStatus.ACCEPTED
    assert await Job.filter(task=inbound.TASK).count() == 1


@on_postgres
async def test_senders_at_once_never_open_more_than_the_limit(db):
    raws = [email(sender=f"p{n}@example.org") for n in range(10)]
    await asyncio.gather(*(inbound.receive(raw, route=inbound.HTTP) for raw in raws))
    await asyncio.gather(*(inbound.process(r.id) for r in await InboundEmail.all()))
    assert await Conversation.all().count() == 4
    assert await InboundEmail.filter(status=InboundStatus.LIMITED).count() == 6
