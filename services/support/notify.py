""" "You have an answer": a chat customer who has left the page learns by email that staff
answered, once per batch of answers they have not read.

`queue_answer(conversation, message)` runs in the transaction of every public staff message
on a CHAT conversation (`messages.post`), the conversation's row locked: it writes a job
delayed by `support_chat_email_delay_seconds`, keyed by the conversation and the point the
customer is known to be at (the later of what they read and what they were last emailed),
so answers given one after the other before the customer reads make one job, and so do two
staff answering at once. Private notes and the shop's own system messages never queue one.

`send_answers(conversation_id)` is what the job runs. With the row locked it re-reads the
read marks: answers the customer has read meanwhile are not sent, nothing is sent when all
are read, and an answer younger than the delay waits for its own turn. It then moves
`chat_emailed_up_to` past the answers it is about to send and commits before sending, so a
later answer starts a new batch; a failed send moves the mark back and raises, so the retry
sends the same batch. The email goes to the account's address (never to a deleted account)
or the address a guest gave, with a link that opens the chat (for a guest, carrying a fresh
token of the conversation).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise import timezone

from models.accounts import User
from models.support import Conversation, ConversationChannel, Message, MessageAuthor
from services import jobs, messaging
from services.support import access, emails
from services.transactions import atomic
from settings import get_settings

log = logging.getLogger("tradewind.support")

TASK = "support.chat_answer_email"
#: At most this many answers are quoted in one email (the newest; the chat has the rest).
MAX_QUOTED = 10


def notifies(conversation: Conversation, message: Message) -> bool:
    """Whether `message` is an answer the customer of a chat is emailed about if unread."""
    return (
        ConversationChannel(conversation.channel) is ConversationChannel.CHAT
        and MessageAuthor(message.author) is MessageAuthor.STAFF
        and not message.private
    )


def _since(conversation: Conversation) -> int:
    """The newest message the customer is known to have seen or been emailed about."""
    return max(conversation.customer_read_up_to, conversation.chat_emailed_up_to)


def _key(conversation: Conversation, since: int) -> str:
    return f"support:answers:{conversation.id}:{since}"


async def queue_answer(conversation: Conversation, message: Message) -> bool:
    """Enqueue the delayed "you have an answer" job for a chat answer, in the current
    transaction (the conversation's row locked); False when the message is not one to tell
    about. One job per batch of unread answers."""
    if not notifies(conversation, message):
        return False
    await jobs.enqueue(
        TASK,
        key=_key(conversation, _since(conversation)),
        delay=get_settings().support_chat_email_delay_seconds,
        conversation_id=conversation.id,
    )
    return True


async def recipient(conversation: Conversation) -> tuple[str, str]:
    """(address, name to greet) for the conversation's emails: a member's account address
    (none for a deleted account), else the address the guest gave."""
    if conversation.customer_id is not None:
        user = await User.get_or_none(id=conversation.customer_id)
        if user is None or user.is_deleted:
            return "", ""
        return user.contact_email or user.email or "", user.nickname or conversation.contact_name
    return conversation.contact_email, conversation.contact_name


async def send_answers(conversation_id: int, *, now: datetime | None = None) -> bool:
    """Email the customer the chat answers they have not read; False when there is nothing
    to send (all read, none old enough yet, no address). A failed send raises."""
    now = now or timezone.now()
    delay = timedelta(seconds=get_settings().support_chat_email_delay_seconds)
    async with atomic():
        conversation = await Conversation.select_for_update().filter(id=conversation_id).first()
        if conversation is None or conversation.channel != ConversationChannel.CHAT:
            return False
        since = _since(conversation)
        unread = await Message.filter(
            conversation_id=conversation.id,
            id__gt=since,
            author=MessageAuthor.STAFF,
            private=False,
        ).order_by("id")
        if not unread:
            return False
        due = unread[0].created_at + delay
        if due > now:
            # Its batch began after this job's (the customer read in between): its own
            # job, or this one again, tells about it when it is due.
            await jobs.enqueue(
                TASK,
                key=_key(conversation, since),
                delay=(due - now).total_seconds(),
                conversation_id=conversation.id,
            )
            return False
        to, name = await recipient(conversation)
        if not to:
            log.info("support.answers_unsent %s: no address", conversation.number)
            return False
        last = unread[-1].id
        await Conversation.filter(id=conversation.id).update(chat_emailed_up_to=last)
    try:
        await _send(conversation, unread[-MAX_QUOTED:], to, name)
    except Exception:
        # Back to where it was, so the retry sends this batch again.
        await Conversation.filter(id=conversation.id, chat_emailed_up_to=last).update(
            chat_emailed_up_to=conversation.chat_emailed_up_to
        )
        raise
    log.info("support.answers_sent %s up to %s", conversation.number, last)
    return True


async def _send(conversation: Conversation, answers: list[Message], to: str, name: str) -> None:
    language = await emails.language_of(conversation)
    token = access.issue_token(conversation) if conversation.customer_id is None else None
    rendered = emails.render_answers(
        emails.AnswersEmail(
            language=language,
            shop_name=get_settings().shop_name,
            number=conversation.number,
            greeting_name=name,
            answers=await emails.shown(answers),
            conversation_url=emails.conversation_link(conversation, language, token),
        )
    )
    await messaging.send_email(to, rendered.subject, rendered.text, html=rendered.html)
