"""Emails as customers' mail clients write them, for the customer service email tests."""

from __future__ import annotations

import base64
import itertools
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from jobs import relay
from jobs import support as support_tasks  # noqa: F401  (registers the support tasks)
from models.jobs import Job, JobStatus
from models.support import InboundEmail, Message
from services import messaging
from services.support import inbound

SUPPORT = "support@localhost"
INBOUND_SECRET = "whsec_" + base64.b64encode(b"support-inbound-test-secret-32by").decode()
#: The authserv-id the test mail provider stamps its Authentication-Results with.
AUTHSERV_ID = "mx.provider.test"
DKIM_SELECTOR = "sel1"

_seq = itertools.count(1)


def email(
    *,
    sender: str = "Hana Sato <hana@example.jp>",
    to: str = SUPPORT,
    subject: str = "Where is my parcel?",
    text: str | None = "Hello, my parcel has not arrived.",
    html: str | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    """The raw bytes of one email."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = message_id or f"<m{next(_seq)}.customer@example.jp>"
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    if text is not None:
        msg.set_content(text)
    if html is not None:
        if text is None:
            msg.set_content(html, subtype="html")
        else:
            msg.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, _, subtype = content_type.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(msg)


async def sent_emails() -> list[messaging.OutgoingMessage]:
    """Run the due jobs, then the emails the log sender kept."""
    while await relay.run_due():
        pass
    return [m for m in messaging.outbox() if m.channel == "email"]


async def time_passes(seconds: float) -> list[messaging.OutgoingMessage]:
    """As if `seconds` went by: pending jobs and the conversations' messages moved that far
    into the past; then the due jobs run, and the emails sent so far are returned."""
    shift = timedelta(seconds=seconds)
    for job in await Job.filter(status=JobStatus.PENDING):
        await Job.filter(id=job.id).update(run_after=job.run_after - shift)
    for message in await Message.all():
        await Message.filter(id=message.id).update(created_at=message.created_at - shift)
    return await sent_emails()


async def run_jobs() -> None:
    """Run every due job here and now (the inbound email jobs among them)."""
    while await relay.run_due():
        pass


async def deliver(
    raw: bytes, *, route: str = inbound.HTTP, envelope: list[str] | None = None
) -> inbound.Received:
    """Receive an email as the webhook or the SMTP receiver does, run its job, and tell what
    became of it."""
    got = await inbound.receive(raw, route=route, envelope=envelope)
    await run_jobs()
    if got.inbound_id is None:
        return got
    record = await InboundEmail.get(id=got.inbound_id)
    return await inbound.outcome(record, duplicate=got.duplicate)


def authenticated(
    result: str = "dmarc=pass header.from=example.jp", *, authserv_id: str = AUTHSERV_ID
) -> dict[str, str]:
    """The Authentication-Results header a provider stamps (as `email(headers=...)`)."""
    return {"Authentication-Results": f"{authserv_id}; {result}"}


@cache
def _dkim_key() -> tuple[bytes, bytes]:
    """(private key PEM, public key record) of a test DKIM key, made once per run."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def dkim_signed(raw: bytes, domain: str = "example.jp") -> bytes:
    """`raw` with a DKIM signature of `domain` by the test key."""
    import dkim

    private, _ = _dkim_key()
    headers = [b"from", b"to", b"subject", b"date", b"message-id"]
    signature = dkim.sign(
        raw,
        DKIM_SELECTOR.encode(),
        domain.encode(),
        private,
        include_headers=headers,
        linesep=b"\r\n" if b"\r\n" in raw else b"\n",
    )
    return signature + raw


def dkim_dns(*domains: str):
    """A DNS TXT lookup that serves the test key's record for `domains`, nothing else."""
    _, record = _dkim_key()
    names = {f"{DKIM_SELECTOR}._domainkey.{d}".encode() for d in domains}

    def lookup(name: bytes, timeout: int = 5) -> bytes | None:
        return record if name.rstrip(b".").lower() in names else None

    return lookup
