"""Staff replies by email: a public staff message on an EMAIL conversation goes out to the
customer through the job queue, threaded in their mail client.

`queue_reply(conversation, message)` writes the job in the message's own transaction
(`messages.post` calls it for every staff message, so every way of replying sends); a
private note, a system message or a conversation of another channel is never emailed.
`send_reply(message_id)` is what the job runs: From the support address, Reply-To the
conversation's secret reply address, a Message-ID kept on the message (`email_message_id`,
so the customer's answer threads back by References too), In-Reply-To and References to
the customer's emails, and the subject "Re: <subject> [CS…]". The body is text and HTML
written in the conversation's language (`support.emails`): the message, its files as links,
the staff member's first name, and that answering continues the conversation. It sends
once: a message already marked sent (`data["email_sent_at"]`) is not sent again, and a
retry after a failed send reuses the Message-ID it claimed.
"""

from __future__ import annotations

import logging
from email.utils import formataddr, make_msgid

from tortoise import timezone

from models.accounts import User
from models.support import Conversation, ConversationChannel, Message, MessageAuthor
from services import jobs, messaging
from services.support import addresses, emails
from settings import get_settings

log = logging.getLogger("tradewind.support")

TASK = "support.email_reply"
#: Earlier emails of the conversation named in References, the newest last.
MAX_REFERENCES = 10
SENT = "email_sent_at"


def emailed(conversation: Conversation, message: Message) -> bool:
    """Whether `message` is one the customer of `conversation` receives by email."""
    return (
        ConversationChannel(conversation.channel) is ConversationChannel.EMAIL
        and MessageAuthor(message.author) is MessageAuthor.STAFF
        and not message.private
    )


async def queue_reply(conversation: Conversation, message: Message) -> bool:
    """Enqueue the email of a staff reply, in the current transaction; False when the
    message is not one to email (a note, a chat conversation). Once per message."""
    if not emailed(conversation, message):
        return False
    await jobs.enqueue(TASK, key=f"support:reply:{message.id}", message_id=message.id)
    return True


async def recipient(conversation: Conversation) -> str:
    """Where the conversation's emails go: its contact address, else the account's."""
    if conversation.contact_email:
        return conversation.contact_email
    if conversation.customer_id is None:
        return ""
    user = await User.get_or_none(id=conversation.customer_id)
    if user is None or user.is_deleted:
        return ""
    return user.contact_email or user.email or ""


def subject_for(conversation: Conversation) -> str:
    """ "Re: <subject> [CS…]", the number that threads an answer sent to the plain address."""
    subject = conversation.subject or "Your message"
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    tag = f"[{conversation.number}]"
    return subject if tag in subject else f"{subject} {tag}"


async def _threading(conversation: Conversation, message: Message) -> list[tuple[str, str]]:
    """In-Reply-To the customer's last email, References the conversation's emails."""
    earlier = (
        await Message.filter(
            conversation_id=conversation.id, email_message_id__not_isnull=True, id__lt=message.id
        )
        .order_by("-id")
        .limit(MAX_REFERENCES)
        .values_list("email_message_id", "author")
    )
    headers: list[tuple[str, str]] = []
    last_customer = next(
        (mid for mid, author in earlier if MessageAuthor(author) is MessageAuthor.CUSTOMER), None
    )
    if last_customer:
        headers.append(("In-Reply-To", last_customer))
    if earlier:
        headers.append(("References", " ".join(mid for mid, _ in reversed(earlier))))
    return headers


async def _claim_message_id(message: Message) -> str:
    """The Message-ID this reply goes out with, chosen once (a retry reuses it)."""
    if message.email_message_id:
        return message.email_message_id
    _, domain = addresses.support_address()
    chosen = make_msgid(domain=domain or "localhost")
    if await Message.filter(id=message.id, email_message_id=None).update(email_message_id=chosen):
        return chosen
    fresh = await Message.get(id=message.id).only("id", "email_message_id")
    return fresh.email_message_id or chosen


async def send_reply(message_id: int) -> bool:
    """Email the staff reply `message_id` to the customer; False when there is nothing to
    send (sent already, a note, no address). A failed send raises, so the job retries it."""
    message = await Message.get_or_none(id=message_id)
    if message is None or message.data.get(SENT):
        return False
    conversation = await Conversation.get(id=message.conversation_id)
    if not emailed(conversation, message):
        return False
    to = await recipient(conversation)
    if not to:
        log.info("support.reply_unsent %s: no address", message_id)
        return False
    settings = get_settings()
    headers = [
        ("Reply-To", addresses.reply_address(conversation.reply_token)),
        *await _threading(conversation, message),
        # RFC 3834: an out-of-office answer to a reply may still come; this is a person's.
        ("Auto-Submitted", "no"),
    ]
    [shown] = await emails.shown([message])
    rendered = emails.render_reply(
        emails.ReplyEmail(
            language=await emails.language_of(conversation),
            shop_name=settings.shop_name,
            number=conversation.number,
            message=shown,
        )
    )
    email_id = await _claim_message_id(message)
    await messaging.send_email(
        to,
        subject_for(conversation),
        rendered.text,
        html=rendered.html,
        message_id=email_id,
        sender=formataddr((settings.shop_name, settings.support_email)),
        headers=tuple(headers),
    )
    now = timezone.now()
    data = {**message.data, SENT: now.isoformat(), "email_to": to}
    await Message.filter(id=message.id).update(data=data, delivered_at=now)
    log.info("support.reply_sent %s conversation=%s", message_id, conversation.number)
    return True
