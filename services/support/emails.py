"""Customer service emails as written: a staff reply to an email conversation, and the
"you have an answer" email about chat answers left unread.

Both are rendered by the order emails' machinery (`services.emails.rendering`: Jinja2
templates `support_reply.*` and `support_answers.*`, the gettext catalogs) in the
conversation's language: the one the conversation was started in, else the customer's
account language, else the shop's default. A staff member signs with their first name (the
shop's name when they have none); files sent with a message are listed as absolute links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from models.accounts import User
from models.support import Conversation, Message, MessageAttachment
from services.emails.rendering import RenderedEmail, email_language, environment, gettext
from settings import get_settings

ANSWERS_SUBJECT = "You have an answer from %(shop)s (%(number)s)"
#: Texts the shop writes into a conversation itself, in the customer's language.
TRACKING_LINK = "Your parcel %(number)s (%(name)s) can be followed here: %(address)s"


def subject_messages() -> list[str]:
    """The messages of this module the catalogs must translate (besides the templates')."""
    return [ANSWERS_SUBJECT, TRACKING_LINK]


@dataclass(frozen=True, slots=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class ShownMessage:
    """One message as an email shows it: who signs it, its lines, its files as links."""

    signer: str
    lines: list[str]
    files: list[Link] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReplyEmail:
    """A staff reply to an email conversation."""

    language: str
    shop_name: str
    number: str
    message: ShownMessage


@dataclass(frozen=True, slots=True)
class AnswersEmail:
    """The chat answers a customer has not read, and the way back to the conversation."""

    language: str
    shop_name: str
    number: str
    greeting_name: str
    answers: list[ShownMessage]
    conversation_url: str


async def language_of(conversation: Conversation) -> str:
    """The language the conversation's customer is written to in."""
    profile = None
    if not conversation.locale and conversation.customer_id is not None:
        user = await User.get_or_none(id=conversation.customer_id).only("id", "locale")
        profile = user.locale if user is not None else None
    return email_language(conversation.locale, profile, get_settings().default_locale)


def media_link(path: str) -> str:
    """The absolute address of a stored file (emails are read away from the shop)."""
    settings = get_settings()
    base = settings.media_url
    if not base.startswith(("http://", "https://")):
        base = settings.storefront_url.rstrip("/") + "/" + base.strip("/")
    return f"{base.rstrip('/')}/{quote(path.lstrip('/'))}"


def conversation_link(conversation: Conversation, language: str, token: str | None) -> str:
    """The storefront address that opens the conversation's chat; a guest's carries the
    token that opens it."""
    base = get_settings().storefront_url.rstrip("/")
    query = {"lang": language, **({"token": token} if token else {})}
    return f"{base}/#/chat/{quote(conversation.number, safe='')}?{urlencode(query)}"


async def signers(messages: list[Message]) -> dict[int, str]:
    """Who signs each message, by message id: its author's first name, else the shop."""
    ids = {m.author_user_id for m in messages if m.author_user_id is not None}
    users = {u.id: u for u in await User.filter(id__in=ids).only("id", "nickname", "deleted_at")}
    shop = get_settings().shop_name
    signed: dict[int, str] = {}
    for message in messages:
        user = users.get(message.author_user_id) if message.author_user_id is not None else None
        words = user.nickname.split() if user is not None and not user.is_deleted else []
        signed[message.id] = words[0] if words else shop
    return signed


async def shown(messages: list[Message]) -> list[ShownMessage]:
    """The messages as emails show them, in the order given."""
    names = await signers(messages)
    files: dict[int, list[Link]] = {m.id: [] for m in messages}
    rows = await MessageAttachment.filter(message_id__in=list(files)).order_by("id")
    for row in rows:
        files[row.message_id].append(
            Link(row.filename or row.path.rsplit("/")[-1], media_link(row.path))
        )
    return [
        ShownMessage(signer=names[m.id], lines=m.body.splitlines(), files=files[m.id])
        for m in messages
    ]


def render_reply(email: ReplyEmail) -> RenderedEmail:
    """The text and HTML of a staff reply (its subject is the thread's, set by the caller)."""
    env = environment(email.language)
    values = {"email": email}
    return RenderedEmail(
        subject="",
        text=env.get_template("support_reply.txt").render(values),
        html=env.get_template("support_reply.html").render(values),
    )


def render_answers(email: AnswersEmail) -> RenderedEmail:
    """The subject, text and HTML of the "you have an answer" email."""
    subject = gettext(email.language, ANSWERS_SUBJECT) % {
        "shop": email.shop_name,
        "number": email.number,
    }
    env = environment(email.language)
    values = {"email": email, "subject": subject}
    return RenderedEmail(
        subject=subject,
        text=env.get_template("support_answers.txt").render(values),
        html=env.get_template("support_answers.html").render(values),
    )


def tracking_link_text(language: str, number: str, carrier: str, link: str) -> str:
    """The message that gives a parcel's tracking link, in `language`."""
    return gettext(language, TRACKING_LINK) % {"number": number, "name": carrier, "address": link}
