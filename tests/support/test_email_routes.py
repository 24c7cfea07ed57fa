"""Inbound email over its two routes: the signed webhook, and the SMTP receiver."""

from __future__ import annotations

import asyncio
import smtplib
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from models.jobs import Job
from models.support import Conversation, InboundEmail, InboundStatus, Message, MessageAuthor
from services import rate_limit
from services.support import inbound
from services.tracking import signing
from tests.support.mail import INBOUND_SECRET, SUPPORT, email, run_jobs
from webhooks import support_email, support_smtp

URL = "/webhooks/support/email"


@pytest.fixture(autouse=True)
def fresh_limits() -> None:
    rate_limit.configure(None)


@pytest.fixture
async def http(app: Any, db: None, settings: Any, monkeypatch) -> Any:
    monkeypatch.setattr(settings, "support_inbound_secret", SecretStr(INBOUND_SECRET))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as client:
        yield client


def _signed(body: bytes, *, delivery: str = "msg_1", at: datetime | None = None) -> dict[str, str]:
    """Signed as a provider would: by the `standardwebhooks` library for a UTF-8 body,
    over the raw bytes for any other (the library cannot sign those)."""
    at = at or datetime.now(UTC)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return support_email.sign(INBOUND_SECRET, delivery, int(at.timestamp()), body)
    return signing.sign_standard(INBOUND_SECRET, delivery, at, body)


async def test_the_webhook_answers_before_processing_and_the_job_posts(http):
    raw = email(message_id="<hook1@example.jp>")
    response = await http.post(
        URL, content=raw, headers={"content-type": "message/rfc822", **_signed(raw)}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"received": True, "status": "pending", "duplicate": False}
    # Stored and queued, not yet posted.
    record = await InboundEmail.get()
    assert record.status == InboundStatus.PENDING and record.raw_bytes == raw
    assert record.route == "http"
    assert not await Message.exists(email_message_id="<hook1@example.jp>")
    [job] = await Job.filter(task=inbound.TASK)
    assert job.kwargs == {"inbound_id": record.id, "envelope": []}

    await run_jobs()
    message = await Message.get(email_message_id="<hook1@example.jp>")
    assert message.author == MessageAuthor.CUSTOMER
    record = await InboundEmail.get()
    assert record.status == InboundStatus.ACCEPTED
    assert record.conversation_id == message.conversation_id


async def test_a_failure_while_processing_is_retried_and_loses_no_mail(http, monkeypatch):
    raw = email(message_id="<flaky@example.jp>")
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 200

    async def broken(*args, **kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(inbound, "_post", broken)
    await run_jobs()
    [job] = await Job.filter(task=inbound.TASK)
    assert job.status.value == "pending" and job.attempts == 1
    assert "database went away" in job.last_error
    record = await InboundEmail.get()
    assert record.status == InboundStatus.PENDING and record.raw_bytes == raw
    assert await Message.all().count() == 0

    monkeypatch.undo()
    await Job.filter(id=job.id).update(run_after=datetime.now(UTC))  # its backoff is over
    await run_jobs()
    assert await Message.filter(email_message_id="<flaky@example.jp>").count() == 1
    assert (await InboundEmail.get()).status == InboundStatus.ACCEPTED


async def test_an_eight_bit_email_not_in_utf8_is_verified_and_read(http):
    raw = (
        b"From: hana@example.jp\r\nTo: support@localhost\r\nSubject: parcel\r\n"
        b"Message-ID: <sjis@example.jp>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=shift_jis\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "荷物が届きません".encode("shift_jis")
    )
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 200, response.text
    await run_jobs()
    message = await Message.get(email_message_id="<sjis@example.jp>")
    assert message.body == "荷物が届きません"


async def test_a_form_with_the_email_in_a_field_is_taken(http):
    raw = email(message_id="<form@example.jp>")
    body = httpx.Request("POST", URL, data={"email": raw.decode()}).read()
    headers = {"content-type": "application/x-www-form-urlencoded", **_signed(body)}
    response = await http.post(URL, content=body, headers=headers)
    assert response.status_code == 200, response.text
    await run_jobs()
    assert await Message.exists(email_message_id="<form@example.jp>")

    raw = email(message_id="<multi@example.jp>")
    request = httpx.Request("POST", URL, files={"raw": ("m.eml", raw, "message/rfc822")})
    body = request.read()
    headers = {"content-type": request.headers["content-type"], **_signed(body)}
    response = await http.post(URL, content=body, headers=headers)
    assert response.status_code == 200, response.text
    await run_jobs()
    assert await Message.exists(email_message_id="<multi@example.jp>")


async def test_a_form_without_the_field_is_400(http):
    body = b"other=1"
    headers = {"content-type": "application/x-www-form-urlencoded", **_signed(body)}
    response = await http.post(URL, content=body, headers=headers)
    assert response.status_code == 400 and response.json()["error"] == "invalid form"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": "v1,AAAA"},
        "wrong-secret",
        "stale",
    ],
)
async def test_an_unverified_delivery_is_401_and_stores_nothing(http, headers):
    raw = email()
    if headers == "wrong-secret":
        other = "whsec_" + "b" * 40
        headers = signing.sign_standard(other, "msg_1", datetime.now(UTC), raw)
    elif headers == "stale":
        headers = _signed(raw, at=datetime.now(UTC) - timedelta(hours=1))
    response = await http.post(URL, content=raw, headers=headers)
    assert response.status_code == 401
    assert await InboundEmail.all().count() == 0


async def test_a_body_changed_after_signing_is_401(http):
    raw = email()
    headers = _signed(raw)
    response = await http.post(URL, content=raw.replace(b"Hello", b"Hallo"), headers=headers)
    assert response.status_code == 401
    assert await InboundEmail.all().count() == 0


async def test_a_replayed_delivery_changes_nothing(http):
    raw = email(message_id="<replay@example.jp>")
    headers = _signed(raw)
    first = await http.post(URL, content=raw, headers=headers)
    again = await http.post(URL, content=raw, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["duplicate"] is True
    await run_jobs()
    again = await http.post(URL, content=raw, headers=headers)
    assert again.json() == {"received": True, "status": "accepted", "duplicate": True}
    assert await Message.filter(email_message_id="<replay@example.jp>").count() == 1
    assert await Conversation.all().count() == 1


async def test_the_endpoint_is_off_without_its_secret(http, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_inbound_secret", None)
    raw = email()
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 404
    assert await InboundEmail.all().count() == 0


@pytest.mark.parametrize("raw", [b"not an email", b"", b"\x00\xff\xfe"])
async def test_malformed_mail_is_400_with_its_code(http, raw):
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid email"
    assert response.json()["code"] in ("invalid", "required")


async def test_mail_over_the_limit_is_413(http, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_inbound_max_bytes", 2048)
    raw = email(text="x" * 3000)
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 413
    raw = email(text="x" * 5000)
    response = await http.post(URL, content=raw, headers=_signed(raw))
    assert response.status_code == 413
    assert await InboundEmail.all().count() == 0


def _send(port: int, sender: str, recipients: list[str], raw: bytes) -> dict[str, Any]:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail(sender, recipients, raw)


async def test_an_email_sent_over_smtp_becomes_a_conversation(db):
    server = await support_smtp.start("127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        raw = email(message_id="<smtp1@example.jp>")
        refused = await asyncio.to_thread(_send, port, "hana@example.jp", [SUPPORT], raw)
        assert refused == {}
        await run_jobs()
        message = await Message.get(email_message_id="<smtp1@example.jp>")
        assert message.body == "Hello, my parcel has not arrived."
        record = await InboundEmail.get()
        assert record.route == "smtp" and record.recipient == SUPPORT

        # Another domain is refused at RCPT; nothing is received.
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            await asyncio.to_thread(
                _send, port, "hana@example.jp", ["someone@elsewhere.example"], email()
            )
        # One good recipient among refused ones: the email is taken for the good one.
        refused = await asyncio.to_thread(
            _send, port, "x@example.jp", ["a@elsewhere.example", SUPPORT], email(text="Hi")
        )
        assert list(refused) == ["a@elsewhere.example"]
        assert await InboundEmail.all().count() == 2

        # What is not an email is refused after DATA.
        with pytest.raises(smtplib.SMTPDataError) as failed:
            await asyncio.to_thread(_send, port, "x@example.jp", [SUPPORT], b"no headers")
        assert failed.value.smtp_code == 550
    finally:
        server.close()
        await server.wait_closed()


async def test_an_smtp_reply_threads_by_the_envelope_reply_address(db):
    server = await support_smtp.start("127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        await asyncio.to_thread(_send, port, "h@example.jp", [SUPPORT], email())
        await run_jobs()
        conversation = await Conversation.get()
        token_address = f"support+{conversation.reply_token}@localhost"
        # Bcc'd to the reply address: only the envelope names it.
        raw = email(sender="h2@example.jp", to="someone@example.jp", text="Follow-up")
        await asyncio.to_thread(_send, port, "h2@example.jp", [token_address], raw)
        await run_jobs()
        assert await Conversation.all().count() == 1
        assert await Message.filter(author=MessageAuthor.CUSTOMER).count() == 2
    finally:
        server.close()
        await server.wait_closed()


async def test_an_oversized_smtp_message_is_refused(db, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_inbound_max_bytes", 2048)
    server = await support_smtp.start("127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    started = time.monotonic()
    try:
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as failed:
            await asyncio.to_thread(_send, port, "x@example.jp", [SUPPORT], email(text="x" * 4000))
        assert failed.value.smtp_code == 552
        assert await InboundEmail.all().count() == 0
    finally:
        server.close()
        await server.wait_closed()
    assert time.monotonic() - started < 30
