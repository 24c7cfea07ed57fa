"""Outgoing email and SMS, sent through interchangeable senders.

The embedded default writes every message to the `tradewind.messaging` log, where a
developer reads sign-in codes; production sends email over SMTP. SMS has only the log
sender for now: a provider plugs in by implementing `SmsSender` and being chosen in
`configure`.

Services call `send_email` (plain text, or text and HTML as multipart/alternative) /
`send_sms`; tests read what the log senders kept with `outbox()`.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import Literal, Protocol

import aiosmtplib

from settings import Settings

log = logging.getLogger("tradewind.messaging")

Channel = Literal["email", "sms"]
SmtpSecurity = Literal["starttls", "tls", "none"]

#: Messages a log sender keeps in memory, newest last.
OUTBOX_SIZE = 200


class MessagingError(Exception):
    """A message could not be handed to its provider; the cause is chained."""


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one recipient; `subject` is empty for SMS.

    `body` is plain text; an email may carry `html` as well, the same content for mail
    clients that show HTML. `message_id` is the Message-ID header it goes out with;
    `sender` replaces the shop's From address, and `headers` adds others (Reply-To,
    In-Reply-To, References) as (name, value) pairs.
    """

    channel: Channel
    to: str
    subject: str
    body: str
    html: str | None = None
    message_id: str = field(default="", compare=False)
    sender: str = ""
    headers: tuple[tuple[str, str], ...] = ()


class EmailSender(Protocol):
    async def send(self, message: OutgoingMessage) -> None:
        """Hand the message over for delivery, or raise `MessagingError`."""
        ...


class SmsSender(Protocol):
    """Sends text messages.

    A provider (Twilio, Vonage, ...) plugs in by implementing `send`, raising
    `MessagingError` when the provider refuses the message.
    """

    async def send(self, message: OutgoingMessage) -> None:
        """Hand the message over for delivery, or raise `MessagingError`."""
        ...


class LogSender:
    """Writes each message to the log at INFO and keeps the last `OUTBOX_SIZE` in `sent`.

    Serves as both `EmailSender` and `SmsSender`; nothing leaves the process.
    """

    def __init__(self, maxlen: int = OUTBOX_SIZE) -> None:
        self.sent: deque[OutgoingMessage] = deque(maxlen=maxlen)

    async def send(self, message: OutgoingMessage) -> None:
        """Log the whole message, body included, and remember it."""
        self.sent.append(message)
        log.info(
            "messaging.logged %s to %s: %s\n%s",
            message.channel,
            message.to,
            message.subject,
            message.body,
            extra={"channel": message.channel, "to": message.to},
        )


class SmtpEmailSender:
    """Sends email (plain text, or text and HTML) through an SMTP server, one connection
    per message."""

    def __init__(
        self,
        host: str,
        port: int,
        username: str | None,
        password: str | None,
        security: SmtpSecurity,
        sender_address: str,
        timeout: float,
    ) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.sender_address = sender_address
        self.timeout = timeout
        self._msgid_domain = _msgid_domain(sender_address)

    def build(self, message: OutgoingMessage) -> EmailMessage:
        """The MIME message for `message`, with From, To, Subject, Date and Message-ID."""
        if message.channel != "email":
            raise ValueError(f"SmtpEmailSender cannot send {message.channel} messages.")
        email = EmailMessage()
        email["From"] = message.sender or self.sender_address
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = formatdate(usegmt=True)
        email["Message-ID"] = message.message_id or make_msgid(domain=self._msgid_domain)
        for name, value in message.headers:
            email[name] = value
        email.set_content(message.body)
        if message.html is not None:
            # The text part first: mail clients show the last alternative they can.
            email.add_alternative(message.html, subtype="html")
        return email

    async def send(self, message: OutgoingMessage) -> None:
        """Deliver to the SMTP server; raise `MessagingError` if it cannot be reached or refuses."""
        email = self.build(message)
        try:
            await aiosmtplib.send(
                email,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password,
                use_tls=self.security == "tls",
                # False rather than None: aiosmtplib would otherwise upgrade whenever the
                # server offers STARTTLS, and "none" must mean what it says.
                start_tls=self.security == "starttls",
                timeout=self.timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            # SMTPException covers refusals, timeouts and connection failures; OSError
            # the rest of what a socket can raise (DNS, TLS).
            raise MessagingError(
                f"Could not send email to {message.to} through {self.host}:{self.port}."
            ) from error
        log.info("messaging.email_sent", extra={"to": message.to, "host": self.host})


def _msgid_domain(sender_address: str) -> str:
    # make_msgid() would otherwise ask for this machine's FQDN, a blocking DNS lookup
    # that also leaks an internal host name into every message.
    return parseaddr(sender_address)[1].rpartition("@")[2] or "localhost"


_log_sender = LogSender()
_email: EmailSender = _log_sender
_sms: SmsSender = _log_sender
_from_address = Settings.model_fields["email_from"].default


def configure(settings: Settings) -> None:
    """Choose the process's senders from settings; starts a fresh, empty outbox."""
    global _email, _sms, _from_address
    _from_address = settings.email_from
    # One log sender serves both channels so `outbox()` keeps their messages in order.
    log_sender = LogSender()
    if settings.email_backend == "smtp":
        _email = SmtpEmailSender(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=(
                settings.smtp_password.get_secret_value()
                if settings.smtp_password is not None
                else None
            ),
            security=settings.smtp_security,
            sender_address=settings.email_from,
            timeout=settings.smtp_timeout,
        )
    else:
        _email = log_sender
    _sms = log_sender


def email_sender() -> EmailSender:
    """The process's email sender."""
    return _email


def sms_sender() -> SmsSender:
    """The process's SMS sender."""
    return _sms


def outbox() -> list[OutgoingMessage]:
    """Messages the current log senders kept, oldest first; empty when none is a log sender."""
    kept: list[OutgoingMessage] = []
    seen: set[int] = set()
    for sender in (_email, _sms):
        if isinstance(sender, LogSender) and id(sender) not in seen:
            seen.add(id(sender))
            kept.extend(sender.sent)
    return kept


async def send_email(
    to: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    message_id: str | None = None,
    sender: str = "",
    headers: tuple[tuple[str, str], ...] = (),
) -> str:
    """Send an email through the process's email sender: plain text, or with `html` the
    text and HTML alternatives of one message; `message_id`, `sender` and `headers` as
    `OutgoingMessage` says. Returns the Message-ID it went out with."""
    message_id = message_id or make_msgid(domain=_msgid_domain(_from_address))
    await _email.send(
        OutgoingMessage(
            channel="email",
            to=to,
            subject=subject,
            body=body,
            html=html,
            message_id=message_id,
            sender=sender,
            headers=headers,
        )
    )
    return message_id


async def send_sms(to: str, body: str) -> None:
    """Send a text message through the process's SMS sender."""
    await _sms.send(OutgoingMessage(channel="sms", to=to, subject="", body=body))
