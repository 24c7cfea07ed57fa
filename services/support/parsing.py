"""Reading one raw inbound email (RFC 5322) into the parts the customer service rules use:
sender, recipients, Message-ID and references, whether it is automatic or list mail, its
new text (quotes stripped, cut at `messages.MAX_BODY`), its HTML made safe, its files.

What cannot be read as an email is INVALID (REQUIRED when empty); text keeps no NUL or lone
surrogates, which PostgreSQL refuses.
"""

from __future__ import annotations

import hashlib
import html as html_module
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import MessageError
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

import nh3
from mailparser_reply import EmailReplyParser

from services.support import addresses, conversations, messages
from services.support.errors import SupportErrorCode, fail

log = logging.getLogger("tradewind.support")

#: The mark put where a long email's text was cut.
CUT_MARK = "\n\n[… the rest of this email was cut]"
#: The text of an email that says nothing but carries files.
NO_TEXT = "(This email has no text.)"
#: The longest sanitised HTML kept; a longer one is dropped and its text alone kept.
MAX_HTML = 200_000
MAX_MESSAGE_ID = 250
MAX_ADDRESS = 254
#: Message-IDs of In-Reply-To and References looked up, the most recent first.
MAX_REFERENCES = 20
#: Languages whose "On ... wrote:" lines the quote stripper knows, English always included.
QUOTE_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "ja", "zh", "ko", "sv", "da", "pl", "cs"]
#: Precedence values of mail sent to many (RFC 2076, RFC 3834 section 2).
BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
#: Local parts of the senders of bounces and other mail-system reports.
MAIL_SYSTEM_SENDERS = frozenset({"mailer-daemon", "postmaster"})

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,245})>")
#: Tags whose content goes with them: never shown, or the quoted earlier messages.
_DROPPED_CONTENT = {"script", "style", "blockquote", "head", "title"}
#: Remote images would tell the sender when staff read the email; quotes are dropped.
_HTML_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "blockquote"}
_HTML_ATTRIBUTES = {
    tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items() if tag in _HTML_TAGS
}


@dataclass(slots=True)
class Parsed:
    """The parts of an email the rules read, cleaned of what text cannot hold."""

    message_id: str
    sender: str
    sender_name: str
    subject: str
    recipients: list[str]
    references: list[str]
    automatic: str
    text: str
    html: str
    size_bytes: int
    language: str = ""
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    #: The parsed email, for the checks that read its headers (sender authentication).
    message: EmailMessage | None = None


def _clean(text: str) -> str:
    """Text without NUL or lone surrogates (PostgreSQL refuses both)."""
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _header(msg: EmailMessage, name: str) -> str:
    return " ".join(_clean(str(value)) for value in msg.get_all(name, []))


def _addresses(msg: EmailMessage, *names: str) -> list[tuple[str, str]]:
    values = [_clean(str(value)) for name in names for value in msg.get_all(name, [])]
    return [(n, a.strip().lower()) for n, a in getaddresses(values) if "@" in a]


def _message_ids(value: str) -> list[str]:
    return [f"<{found}>" for found in _MESSAGE_ID.findall(value)]


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return _clean(content) if isinstance(content, str) else ""


def _automatic(msg: EmailMessage, sender: str) -> str:
    """Why the email is automatic or list mail (a reason), or "" for a person's email."""
    auto = _header(msg, "Auto-Submitted").strip().lower()
    if auto and auto.split(";")[0].strip() != "no":
        return f"automatic mail (Auto-Submitted: {auto[:40]})"
    if _header(msg, "Precedence").strip().lower() in BULK_PRECEDENCE:
        return "bulk or list mail (Precedence)"
    if msg.get("List-Id") is not None or msg.get("List-Unsubscribe") is not None:
        return "list mail (List-Id)"
    if msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return "automatic reply (X-Autoreply)"
    local = sender.partition("@")[0]
    if local in MAIL_SYSTEM_SENDERS or _header(msg, "Return-Path").strip() == "<>":
        return "a bounce from a mail system"
    if msg.get_content_type() == "multipart/report":
        return "a delivery report"
    if addresses.is_ours(sender):
        return "mail from the shop's own address"
    return ""


def _body_text(msg: EmailMessage) -> tuple[str, str]:
    """(plain text, sanitised HTML) of the email's body."""
    plain = msg.get_body(preferencelist=("plain",))
    rich = msg.get_body(preferencelist=("html",))
    html_source = _part_text(rich) if isinstance(rich, EmailMessage) else ""
    html = (
        nh3.clean(
            html_source,
            tags=_HTML_TAGS,
            attributes=_HTML_ATTRIBUTES,
            clean_content_tags=_DROPPED_CONTENT,
        )
        if html_source
        else ""
    )
    if len(html) > MAX_HTML:
        html = ""
    if isinstance(plain, EmailMessage):
        text = _part_text(plain)
    elif html:
        # No text part: the HTML's words, without any of its tags.
        text = nh3.clean(
            re.sub(r"(?i)<\s*(br|/p|/div|/li|/tr|/h\d)\b[^>]*>", "\n", html),
            tags=set(),
            attributes={},
            clean_content_tags=_DROPPED_CONTENT - {"blockquote"},
        )
        text = html_module.unescape(text)
    else:
        text = ""
    return text, html


def strip_quoted(text: str, language: str = "") -> str:
    """The new part of a reply: quoted earlier messages and their "On ... wrote:" line gone."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ""
    languages = list(QUOTE_LANGUAGES)
    if language[:2].lower() in languages:
        languages.remove(language[:2].lower())
        languages.insert(0, language[:2].lower())
    try:
        reply = EmailReplyParser(languages=languages).parse_reply(text=text)
    except (RecursionError, ValueError, IndexError):
        reply = None
    reply = (reply or "").strip()
    # A reply that is all quote (or one the parser cannot split) keeps the whole text.
    return reply or text


def cut(text: str) -> str:
    """`text` within `messages.MAX_BODY`, cut with a mark when longer."""
    if len(text) <= messages.MAX_BODY:
        return text
    return text[: messages.MAX_BODY - len(CUT_MARK)].rstrip() + CUT_MARK


def parse(raw: bytes) -> Parsed:
    """The parts of a raw email the rules read; INVALID for what is not an email."""
    if not raw.strip():
        raise fail(SupportErrorCode.REQUIRED, "The email is empty.", "email")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        if not isinstance(msg, EmailMessage):  # pragma: no cover - policy.default's class
            raise fail(SupportErrorCode.INVALID, "This is not an email.", "email")
        senders = _addresses(msg, "From") or _addresses(msg, "Sender")
        if not senders:
            raise fail(SupportErrorCode.INVALID, "The email names no sender.", "email")
        sender_name, sender = senders[0]
        if len(sender) > MAX_ADDRESS:
            raise fail(SupportErrorCode.INVALID, "The sender's address is too long.", "email")
        given_id = _message_ids(_header(msg, "Message-ID"))
        message_id = given_id[0] if given_id else ""
        if not message_id or len(message_id) > MAX_MESSAGE_ID:
            # No usable Message-ID: the bytes name it, so a redelivery is still one email.
            message_id = f"<{hashlib.sha256(raw).hexdigest()}@inbound.invalid>"
        references = _message_ids(_header(msg, "In-Reply-To"))
        references += reversed(_message_ids(_header(msg, "References")))
        text, html = _body_text(msg)
        files = []
        for part in msg.iter_attachments():
            if not isinstance(part, EmailMessage):
                continue
            payload = part.get_payload(decode=True)
            name = _clean(part.get_filename() or "")[:200]
            data = payload if isinstance(payload, bytes) else b""
            files.append((name, part.get_content_type(), data))
        recipients = [a for _, a in _addresses(msg, "To", "Cc", "Delivered-To", "X-Original-To")]
        return Parsed(
            message_id=message_id,
            sender=sender,
            sender_name=" ".join(sender_name.split())[: conversations.MAX_NAME],
            subject=" ".join(_header(msg, "Subject").split())[: conversations.MAX_SUBJECT],
            recipients=recipients,
            references=references[:MAX_REFERENCES],
            automatic=_automatic(msg, sender),
            text=text,
            html=html,
            size_bytes=len(raw),
            language=_header(msg, "Content-Language").strip()[:16],
            files=files,
            message=msg,
        )
    except (MessageError, LookupError, ValueError, TypeError, AttributeError) as exc:
        if getattr(exc, "problems", None):
            raise
        log.info("support.inbound_unreadable %s", type(exc).__name__)
        raise fail(SupportErrorCode.INVALID, "The email cannot be read.", "email") from None
