"""Email to the shop: one raw RFC 5322 message in, a customer's message on a conversation out.

`receive(raw, route=...)` is what the inbound webhook and the SMTP receiver both call; it
answers at once, and the job it queues (`process`) does the rest:

- Every email is recorded once in `InboundEmail` with its raw bytes, keyed by its
  Message-ID (one made from the bytes when it has none), PENDING until its job ran: the
  same email delivered twice, or twice at once, is one record, one job and at most one
  message. A failed run leaves it PENDING and the job engine tries again.
- The sender is authenticated or not (`senders`: the provider's Authentication-Results
  over HTTP, DKIM over SMTP); the verdict is kept in the message's data.
- Threading, first match wins: (a) a recipient `support+<reply_token>@` the support
  domain (the token is a secret of the conversation, sent only in its Reply-To);
  (b) In-Reply-To / References naming an email of the conversation (sent or received;
  for a sender not authenticated, only one the shop sent); (c) for an authenticated
  sender only, a conversation number in the subject AND the conversation's own address as
  sender. Otherwise (or when the conversation found is closed) a new EMAIL conversation
  opens, with the account whose email the sender is (authenticated senders only), else
  with the sender as a contact.
- Flood limit: new conversations opened by email per sender address and in all per
  window (`support_email_open_*`); an email over it is kept LIMITED and opens nothing.
- Loop guards: automatic mail (RFC 3834 `Auto-Submitted` other than "no"), `Precedence`
  bulk, list or junk, list mail (`List-Id`, `List-Unsubscribe`), mail from the shop's own
  addresses and bounces (mailer-daemon, an empty return path, delivery reports) are
  recorded IGNORED: they open nothing, post nothing and so cause no reply.
- The text kept is the new part of the email (quoted replies stripped by
  `mail-parser-reply`), cut with a mark at `messages.MAX_BODY`; the HTML is sanitised with
  `nh3` (no scripts, styles, quoted blocks or remote images). Image attachments go through
  the upload checks (`services.media`), at most `messages.MAX_ATTACHMENTS`; other files,
  images that fail the checks and those beyond the maximum are named in the message's
  data as skipped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from models.accounts import User
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    InboundEmail,
    InboundStatus,
    Message,
    MessageAuthor,
)
from services import jobs, media, rate_limit
from services.support import addresses, conversations, messages, numbers, senders
from services.support import status as machine
from services.support.conversations import Contact
from services.support.errors import SupportError, SupportErrorCode, fail
from services.support.parsing import (
    CUT_MARK,
    MAX_ADDRESS,
    NO_TEXT,
    Parsed,
    cut,
    parse,
    strip_quoted,
)
from services.support.queries import SENDER_VERIFIED
from services.transactions import atomic
from settings import get_settings

__all__ = ["CUT_MARK", "NO_TEXT", "Parsed", "Received", "cut", "parse", "process", "receive"]

log = logging.getLogger("tradewind.support")

#: How an email came in (`InboundEmail.route`).
HTTP = "http"
SMTP = "smtp"
#: The job that threads and posts a stored email.
TASK = "support.inbound_email"
#: The reason of an email that opened a conversation.
OPENED = "opened a conversation"
#: The rate-limit keys of conversations opened by email (per sender, and in all).
FLOOD_KEY = "support:email-open"
#: Envelope recipients kept for threading.
MAX_ENVELOPE = 20
MAX_REASON = 200

_REPLY_PREFIX = re.compile(
    r"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|答复|回复|転送)\s*(\[\d+\])?\s*[:：]\s*)+", re.I
)


@dataclass(frozen=True, slots=True)
class Received:
    """What became of one email."""

    status: InboundStatus
    reason: str = ""
    #: The conversation it went to, or that it was about (an ignored reply).
    conversation_number: str | None = None
    message_id: int | None = None
    #: It was delivered before (the earlier record stands; nothing was changed).
    duplicate: bool = False
    #: It opened a new conversation.
    opened: bool = False
    #: Its `InboundEmail` record.
    inbound_id: int | None = None


async def _by_reply_token(email: Parsed, envelope: list[str]) -> Conversation | None:
    for address in [*envelope, *email.recipients]:
        token = addresses.token_of(address)
        if token is not None:
            found = await Conversation.get_or_none(reply_token=token)
            if found is not None:
                return found
    return None


async def _by_references(email: Parsed, *, trusted: bool) -> Conversation | None:
    if not email.references:
        return None
    found = Message.filter(email_message_id__in=email.references)
    if not trusted:
        # A customer's own Message-IDs travel in every copy of their email; the ones the
        # shop made for its replies reach only the people it answered.
        found = found.filter(author__not=MessageAuthor.CUSTOMER)
    known = dict(await found.values_list("email_message_id", "conversation_id"))
    for reference in email.references:  # In-Reply-To first, then the newest reference
        if reference in known:
            return await Conversation.get_or_none(id=known[reference])
    return None


async def _addresses_of(conversation: Conversation) -> set[str]:
    known = {conversation.contact_email.lower()} - {""}
    if conversation.customer_id is not None:
        user = await User.get_or_none(id=conversation.customer_id).only(
            "id", "email", "contact_email"
        )
        if user is not None:
            known |= {(a or "").lower() for a in (user.email, user.contact_email)} - {""}
    return known


async def _by_number(email: Parsed) -> Conversation | None:
    for number in numbers.NUMBER_IN_TEXT.findall(email.subject.upper()):
        found = await Conversation.get_or_none(number=number)
        if found is not None and email.sender in await _addresses_of(found):
            return found
    return None


async def thread(
    email: Parsed, envelope: list[str] | None = None, *, trusted: bool = True
) -> tuple[Conversation | None, str]:
    """The conversation an email continues, and the rule that found it ("" for none).

    With `trusted` false (a From that is not authenticated) only what the sender cannot
    forge threads: the secret reply address, or References to an email the shop sent."""
    found = await _by_reply_token(email, envelope or [])
    if found is not None:
        return found, "reply address"
    found = await _by_references(email, trusted=trusted)
    if found is not None:
        return found, "references"
    if trusted:
        found = await _by_number(email)
        if found is not None:
            return found, "number and sender"
    return None, ""


async def _contact(email: Parsed, *, trusted: bool) -> Contact:
    """Who a new conversation is with: the account of the sender's address only when the
    sender is authenticated, else the address as a contact."""
    if trusted:
        user = await User.get_or_none(email=email.sender).only("id", "deleted_at")
        if user is not None and not user.is_deleted:
            return Contact(customer_id=user.id, name=email.sender_name, email=email.sender)
    return Contact(name=email.sender_name, email=email.sender)


async def _attachments(email: Parsed) -> tuple[list[messages.Attachment], list[str]]:
    """Images stored through the upload checks, and the names of the files skipped."""
    kept: list[messages.Attachment] = []
    skipped: list[str] = []
    for name, content_type, data in email.files:
        if not content_type.startswith("image/") or len(kept) >= messages.MAX_ATTACHMENTS:
            skipped.append(name or content_type)
            continue
        try:
            stored = await media.store_image(data, "support")
        except (media.NotAnImage, media.ImageTooLarge):
            skipped.append(name or content_type)
            continue
        kept.append(
            messages.Attachment(
                path=stored.path,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                filename=name,
                width=stored.width,
                height=stored.height,
            )
        )
    return kept, skipped


def _subject_of_new(subject: str) -> str:
    return _REPLY_PREFIX.sub("", subject).strip()


async def receive(raw: bytes, *, route: str, envelope: list[str] | None = None) -> Received:
    """Store one raw email and queue the job that threads and posts it; answers at once.

    A new email is PENDING (with its `inbound_id`); one received before (the same
    Message-ID, or the same bytes without one) is the earlier record's outcome, `duplicate`.
    Raises TOO_LONG for mail over `support_inbound_max_bytes` and INVALID / REQUIRED for
    what is not an email; nothing is stored then."""
    limit = get_settings().support_inbound_max_bytes
    if len(raw) > limit:
        raise fail(SupportErrorCode.TOO_LONG, f"An email may be at most {limit} bytes.", "email")
    email = parse(raw)
    envelope = [a.strip().lower()[:MAX_ADDRESS] for a in envelope or ()][:MAX_ENVELOPE]
    earlier = await InboundEmail.get_or_none(message_id=email.message_id)
    if earlier is not None:
        return await _duplicate(earlier)
    try:
        async with atomic():
            record = await InboundEmail.create(
                message_id=email.message_id,
                sender=email.sender,
                recipient=(envelope or email.recipients or [""])[0][:MAX_ADDRESS],
                subject=email.subject,
                status=InboundStatus.PENDING,
                reason="waiting to be processed",
                size_bytes=email.size_bytes,
                raw_bytes=raw,
                route=route[:8],
            )
            await jobs.enqueue(
                TASK, key=f"support:inbound:{record.id}", inbound_id=record.id, envelope=envelope
            )
    except IntegrityError:
        # The same Message-ID was stored meanwhile (a redelivery racing this one).
        earlier = await InboundEmail.get_or_none(message_id=email.message_id)
        if earlier is None:
            raise
        return await _duplicate(earlier)
    log.info("support.inbound_received %s id=%s route=%s", email.message_id, record.id, route)
    return Received(InboundStatus.PENDING, record.reason, inbound_id=record.id)


async def outcome(record: InboundEmail, *, duplicate: bool = False) -> Received:
    """What became of a stored email so far."""
    number = None
    if record.conversation_id is not None:
        found = await Conversation.get_or_none(id=record.conversation_id).only("id", "number")
        number = found.number if found else None
    message_id = None
    if InboundStatus(record.status) is InboundStatus.ACCEPTED:
        posted = await Message.get_or_none(email_message_id=record.message_id).only("id")
        message_id = posted.id if posted is not None else None
    return Received(
        InboundStatus(record.status),
        record.reason,
        number,
        message_id,
        duplicate=duplicate,
        opened=record.reason == OPENED,
        inbound_id=record.id,
    )


async def _duplicate(earlier: InboundEmail) -> Received:
    log.info("support.inbound_duplicate %s", earlier.message_id)
    return await outcome(earlier, duplicate=True)


async def process(inbound_id: int, envelope: list[str] | None = None) -> Received:
    """Thread and post the stored email `inbound_id` (the job `receive` queued).

    Runs once per email: an email no longer PENDING is left as it is, also when two runs
    meet. A failure raises and changes nothing, so the job engine retries it; the email
    stays stored and PENDING until a run succeeds (or staff retry its dead job)."""
    record = await InboundEmail.get_or_none(id=inbound_id)
    if record is None:
        return Received(InboundStatus.IGNORED, "no such email")
    if InboundStatus(record.status) is not InboundStatus.PENDING:
        return await outcome(record)
    raw = bytes(record.raw_bytes or b"")
    try:
        email = parse(raw)
    except SupportError as exc:
        reason = exc.problems[0].message[:MAX_REASON]
        await InboundEmail.filter(id=record.id, status=InboundStatus.PENDING).update(
            status=InboundStatus.REJECTED, reason=reason
        )
        return Received(InboundStatus.REJECTED, reason, inbound_id=record.id)
    verdict = senders.UNCHECKED
    if not email.automatic and email.message is not None:
        verdict = await senders.check(raw, email.message, route=record.route)
    files, skipped = await _attachments(email) if not email.automatic else ([], [])
    counted: list[tuple[str, str]] = []
    try:
        async with atomic():
            # The claim: a second run waits here on the first one's row, then finds it done.
            claimed = await InboundEmail.filter(id=record.id, status=InboundStatus.PENDING).update(
                status=InboundStatus.IGNORED
            )
            if not claimed:
                return await outcome(await InboundEmail.get(id=record.id))
            received = await _post(record, email, envelope or [], verdict, files, skipped, counted)
    except BaseException:
        for key, attempt in counted:  # nothing was opened: the limits are not used up
            await rate_limit.forgive(key, attempt)
        raise
    log.info(
        "support.inbound_%s %s conversation=%s opened=%s sender_verified=%s",
        received.status.value, email.message_id, received.conversation_number,
        received.opened, verdict.verified,
    )  # fmt: skip
    return received


async def _post(
    record: InboundEmail,
    email: Parsed,
    envelope: list[str],
    verdict: senders.Verdict,
    files: list[messages.Attachment],
    skipped: list[str],
    counted: list[tuple[str, str]],
) -> Received:
    """The email posted where it belongs, inside the claiming transaction."""
    found, rule = await thread(email, envelope, trusted=verdict.trusted)
    if email.automatic:
        return await _ignore(record, email.automatic, found)
    if await Message.exists(email_message_id=email.message_id):
        # One of our own emails come back (a copy, a loop): it is already on file.
        return await _ignore(record, "an email the shop already has", found)
    opened = False
    conversation = None
    if found is not None:
        conversation = await machine.locked(found.id)
        if ConversationStatus(conversation.status) is ConversationStatus.CLOSED:
            conversation, rule = None, ""  # a closed conversation takes no more words
    if conversation is None:
        refused = await _count_opening(email.sender, counted)
        if refused:
            return await _limit(record, refused)
        created = await conversations.open_conversation(
            ConversationChannel.EMAIL,
            await _contact(email, trusted=verdict.trusted),
            subject=_subject_of_new(email.subject),
            locale=email.language,
        )
        conversation = await machine.locked(created.id)
        opened = True
    text = cut(strip_quoted(email.text, email.language or conversation.locale))
    data: dict[str, Any] = {
        "email": {
            "from": email.sender,
            "subject": email.subject,
            "threaded_by": rule,
            SENDER_VERIFIED: verdict.verified,
            "sender_check": verdict.how[:MAX_REASON],
        }
    }
    if skipped:
        data["skipped_attachments"] = skipped[:20]
    posted = await messages.post(
        conversation,
        author=MessageAuthor.CUSTOMER,
        author_user_id=conversation.customer_id,
        channel=ConversationChannel.EMAIL,
        body=text or NO_TEXT,
        body_html=email.html,
        email_message_id=email.message_id,
        attachments=files,
        data=data,
    )
    record.status = InboundStatus.ACCEPTED
    record.conversation_id = conversation.id
    record.reason = OPENED if opened else f"threaded by {rule}"
    await record.save(update_fields=["status", "conversation_id", "reason"])
    return Received(
        InboundStatus.ACCEPTED,
        record.reason,
        conversation.number,
        posted.message.id,
        opened=opened,
        inbound_id=record.id,
    )


async def _count_opening(sender: str, counted: list[tuple[str, str]]) -> str:
    """Count one new conversation against the flood limits (into `counted`); the reason
    when it is over one of them, "" when it may open."""
    settings = get_settings()
    window = settings.support_email_open_window
    limits = (
        (f"{FLOOD_KEY}:sender:{sender}", settings.support_email_open_limit_per_sender, "sender"),
        (f"{FLOOD_KEY}:all", settings.support_email_open_limit, "shop"),
    )
    for key, limit, whose in limits:
        try:
            counted.append((key, await rate_limit.hit(key, limit=limit, window=window)))
        except rate_limit.RateLimited:
            for earlier, attempt in counted:
                await rate_limit.forgive(earlier, attempt)
            counted.clear()
            return f"over the {whose}'s limit of {limit} new conversations by email"
    return ""


async def _limit(record: InboundEmail, reason: str) -> Received:
    record.status = InboundStatus.LIMITED
    record.reason = reason[:MAX_REASON]
    await record.save(update_fields=["status", "reason"])
    log.warning("support.inbound_limited %s from=%s: %s", record.message_id, record.sender, reason)
    return Received(InboundStatus.LIMITED, record.reason, inbound_id=record.id)


async def _ignore(record: InboundEmail, reason: str, about: Conversation | None) -> Received:
    record.status = InboundStatus.IGNORED
    record.reason = reason[:MAX_REASON]
    record.conversation_id = about.id if about is not None else None
    await record.save(update_fields=["status", "reason", "conversation_id"])
    log.info("support.inbound_ignored %s: %s", record.message_id, reason)
    return Received(
        InboundStatus.IGNORED,
        record.reason,
        about.number if about is not None else None,
        inbound_id=record.id,
    )
