"""Outgoing messages: the log sender, and real SMTP delivery to a local aiosmtpd server."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from pydantic import SecretStr

from services import messaging
from services.messaging import (
    LogSender,
    MessagingError,
    OutgoingMessage,
    SmtpEmailSender,
)
from settings import Settings


class CollectingHandler:
    """An aiosmtpd handler that keeps every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


class RefusingHandler(CollectingHandler):
    """Refuses every recipient, as a server does for an unknown mailbox."""

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        return "550 No such user here"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_smtp_server(handler: CollectingHandler) -> Iterator[Controller]:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp_handler() -> CollectingHandler:
    return CollectingHandler()


@pytest.fixture
def smtp_server(smtp_handler: CollectingHandler) -> Iterator[Controller]:
    yield from start_smtp_server(smtp_handler)


@pytest.fixture(autouse=True)
def restore_senders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test may `configure`; the process's senders come back afterwards."""
    monkeypatch.setattr(messaging, "_email", messaging.email_sender())
    monkeypatch.setattr(messaging, "_sms", messaging.sms_sender())


def smtp_sender(port: int, **overrides: Any) -> SmtpEmailSender:
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "username": None,
        "password": None,
        "security": "none",
        "sender_address": "Tradewind <no-reply@shop.example>",
        "timeout": 5.0,
    }
    return SmtpEmailSender(**(options | overrides))


def parse(envelope: Envelope) -> EmailMessage:
    assert isinstance(envelope.content, bytes)
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


async def test_log_sender_logs_the_whole_message_and_keeps_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sender = LogSender()
    message = OutgoingMessage(
        channel="email", to="ada@example.com", subject="Your code", body="Code: 493817"
    )

    with caplog.at_level(logging.INFO, logger="tradewind.messaging"):
        await sender.send(message)

    assert list(sender.sent) == [message]
    [record] = [r for r in caplog.records if r.name == "tradewind.messaging"]
    assert record.levelno == logging.INFO
    assert "ada@example.com" in record.getMessage()
    assert "Code: 493817" in record.getMessage()


async def test_log_sender_keeps_only_the_latest_200_messages() -> None:
    sender = LogSender()
    for n in range(250):
        await sender.send(OutgoingMessage(channel="sms", to="+15550100", subject="", body=f"{n}"))

    assert len(sender.sent) == 200
    assert sender.sent[0].body == "50"
    assert sender.sent[-1].body == "249"


async def test_log_backend_keeps_email_and_sms_in_the_outbox_in_order() -> None:
    messaging.configure(Settings(email_backend="log"))

    await messaging.send_email("ada@example.com", "Welcome", "Hello Ada")
    await messaging.send_sms("+4915112345678", "Code: 112233")

    assert messaging.outbox() == [
        OutgoingMessage(channel="email", to="ada@example.com", subject="Welcome", body="Hello Ada"),
        OutgoingMessage(channel="sms", to="+4915112345678", subject="", body="Code: 112233"),
    ]


async def test_smtp_sender_delivers_a_plain_text_email_with_its_headers(
    smtp_server: Controller, smtp_handler: CollectingHandler
) -> None:
    sender = smtp_sender(smtp_server.port)
    before = datetime.now(UTC).replace(microsecond=0)

    await sender.send(
        OutgoingMessage(
            channel="email",
            to="grete@example.com",
            subject="Ihr Anmeldecode",
            body="Grüße! Ihr Code lautet 493817.",
        )
    )

    [envelope] = smtp_handler.envelopes
    assert envelope.mail_from == "no-reply@shop.example"
    assert envelope.rcpt_tos == ["grete@example.com"]
    received = parse(envelope)
    assert received["From"] == "Tradewind <no-reply@shop.example>"
    assert received["To"] == "grete@example.com"
    assert received["Subject"] == "Ihr Anmeldecode"
    assert received.get_content_type() == "text/plain"
    assert received.get_content().strip() == "Grüße! Ihr Code lautet 493817."
    sent_at = parsedate_to_datetime(received["Date"])
    assert before <= sent_at <= datetime.now(UTC) + timedelta(seconds=1)
    message_id = received["Message-ID"]
    assert message_id.startswith("<") and message_id.endswith("@shop.example>")


async def test_smtp_sender_gives_each_email_its_own_message_id(
    smtp_server: Controller, smtp_handler: CollectingHandler
) -> None:
    sender = smtp_sender(smtp_server.port)
    for _ in range(2):
        await sender.send(
            OutgoingMessage(channel="email", to="ada@example.com", subject="Hi", body="Hi")
        )

    ids = {parse(envelope)["Message-ID"] for envelope in smtp_handler.envelopes}
    assert len(ids) == 2


async def test_smtp_sender_raises_messaging_error_when_the_server_is_unreachable() -> None:
    sender = smtp_sender(free_port())

    with pytest.raises(MessagingError) as caught:
        await sender.send(
            OutgoingMessage(channel="email", to="ada@example.com", subject="Hi", body="Hi")
        )

    assert isinstance(caught.value.__cause__, aiosmtplib.SMTPConnectError)


async def test_smtp_sender_raises_messaging_error_when_the_recipient_is_refused() -> None:
    handler = RefusingHandler()
    for server in start_smtp_server(handler):
        sender = smtp_sender(server.port)

        with pytest.raises(MessagingError) as caught:
            await sender.send(
                OutgoingMessage(channel="email", to="nobody@example.com", subject="Hi", body="Hi")
            )

        assert isinstance(caught.value.__cause__, aiosmtplib.SMTPRecipientsRefused)
        assert handler.envelopes == []


async def test_configure_picks_the_smtp_sender_for_the_smtp_backend() -> None:
    messaging.configure(
        Settings(
            email_backend="smtp",
            smtp_host="mail.example.com",
            smtp_port=465,
            smtp_username="shop",
            smtp_password=SecretStr("s3cret"),
            smtp_security="tls",
            smtp_timeout=3.0,
            email_from="Shop <shop@example.com>",
        )
    )

    sender = messaging.email_sender()
    assert isinstance(sender, SmtpEmailSender)
    assert (sender.host, sender.port, sender.security) == ("mail.example.com", 465, "tls")
    assert (sender.username, sender.password) == ("shop", "s3cret")
    assert sender.sender_address == "Shop <shop@example.com>"
    assert sender.timeout == 3.0
    assert isinstance(messaging.sms_sender(), LogSender)


async def test_send_email_goes_over_smtp_once_configured(
    smtp_server: Controller, smtp_handler: CollectingHandler
) -> None:
    messaging.configure(
        Settings(
            email_backend="smtp",
            smtp_host="127.0.0.1",
            smtp_port=smtp_server.port,
            smtp_security="none",
            email_from="no-reply@shop.example",
        )
    )

    await messaging.send_email("ada@example.com", "Your code", "Code: 493817")
    await messaging.send_sms("+15550100", "Code: 112233")

    [envelope] = smtp_handler.envelopes
    assert envelope.rcpt_tos == ["ada@example.com"]
    assert parse(envelope)["Subject"] == "Your code"
    # Only the SMS went to a log sender.
    assert [m.channel for m in messaging.outbox()] == ["sms"]
