"""Canned replies: ready answers staff insert, in the shop's language and translated per
locale, with placeholders filled from the conversation they answer.

Placeholders are written `{{name}}`; the known ones are `PLACEHOLDERS`, and a text naming
another is refused when saved, so a customer never reads a raw `{{...}}`. Rendering takes the
translation for the customer's locale (`zh-CN`, else `zh`), else the shop's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from models.accounts import User
from models.orders import Order, Shipment
from models.support import CannedReply, CannedReplyTranslation, Conversation, ConversationLink
from services.emails.sending import order_url
from services.errors import Problems
from services.support import messages
from services.support.errors import SupportError, SupportErrorCode, fail, not_found
from services.transactions import atomic
from settings import get_settings

#: Every placeholder a canned reply may use, and what it is filled with.
PLACEHOLDERS: dict[str, str] = {
    "customer_name": "The customer's name (empty when unknown).",
    "order_number": "The number of the order the conversation is about (the latest linked).",
    "tracking_link": "The tracking link of the parcel the conversation is about (or of the "
    "linked order's latest parcel; else the order's page).",
    "conversation_number": "The conversation's number (CS...).",
    "shop_name": "The shop's name.",
}
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
MAX_SHORTCUT = 40
MAX_TITLE = 120
MAX_TRANSLATIONS = 30
MAX_SEARCH = 100
_SHORTCUT = re.compile(r"[a-z0-9][a-z0-9_-]*")
_LOCALE = re.compile(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}")


@dataclass(frozen=True, slots=True)
class Translation:
    locale: str
    body: str


def _check_text(problems: Problems[SupportErrorCode], body: str, *field: str) -> str:
    """The text trimmed and its placeholders checked; problems are added at `field`."""
    try:
        text = messages.check_body(body)
    except SupportError as exc:
        problems.add(SupportErrorCode(exc.problems[0].code), exc.problems[0].message, *field)
        return body
    unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    if unknown:
        problems.add(
            SupportErrorCode.INVALID,
            f"Unknown placeholder {', '.join(unknown)}: use {', '.join(PLACEHOLDERS)}.",
            *field,
        )
    return text


def _check_locale(problems: Problems[SupportErrorCode], value: str, *field: str) -> str:
    locale = value.strip().replace("_", "-")
    if not _LOCALE.fullmatch(locale) or len(locale) > 16:
        problems.add(SupportErrorCode.INVALID, "A locale is like `zh-CN` or `en`.", *field)
    return locale


def _check(
    *,
    shortcut: str | None,
    title: str | None,
    body: str | None,
    translations: Sequence[Translation] | None,
) -> dict[str, Any]:
    """The values to store, or every problem at once."""
    problems = Problems(SupportError)
    values: dict[str, Any] = {}
    if shortcut is not None:
        value = shortcut.strip().lower()
        if len(value) > MAX_SHORTCUT:
            problems.add(
                SupportErrorCode.TOO_LONG, f"At most {MAX_SHORTCUT} characters.", "shortcut"
            )
        elif not _SHORTCUT.fullmatch(value):
            problems.add(
                SupportErrorCode.INVALID,
                "A shortcut is letters, digits, `-` and `_` (`where-is-my-parcel`).",
                "shortcut",
            )
        values["shortcut"] = value
    if title is not None:
        value = " ".join(title.split())
        if not value:
            problems.add(SupportErrorCode.REQUIRED, "Give the reply a title.", "title")
        elif len(value) > MAX_TITLE or "\x00" in value:
            problems.add(SupportErrorCode.TOO_LONG, f"At most {MAX_TITLE} characters.", "title")
        values["title"] = value
    if body is not None:
        values["body"] = _check_text(problems, body, "body")
    if translations is not None:
        if len(translations) > MAX_TRANSLATIONS:
            problems.add(
                SupportErrorCode.INVALID,
                f"At most {MAX_TRANSLATIONS} translations.",
                "translations",
            )
        checked: dict[str, str] = {}
        for i, t in enumerate(translations[:MAX_TRANSLATIONS]):
            locale = _check_locale(problems, t.locale, "translations", str(i), "locale")
            text = _check_text(problems, t.body, "translations", str(i), "body")
            if locale.lower() in {k.lower() for k in checked}:
                problems.add(
                    SupportErrorCode.INVALID,
                    "Each locale once.",
                    "translations", str(i), "locale",
                )  # fmt: skip
            checked[locale] = text
        values["translations"] = checked
    problems.raise_if_any()
    return values


async def _save_translations(reply: CannedReply, translations: dict[str, str]) -> None:
    await CannedReplyTranslation.filter(reply_id=reply.id).delete()
    for locale, text in translations.items():
        await CannedReplyTranslation.create(reply_id=reply.id, locale=locale, body=text)


def _taken() -> SupportError:
    return fail(SupportErrorCode.INVALID, "Another canned reply has this shortcut.", "shortcut")


async def create(
    *,
    shortcut: str,
    title: str,
    body: str,
    translations: Sequence[Translation] = (),
    active: bool = True,
) -> CannedReply:
    values = _check(shortcut=shortcut, title=title, body=body, translations=list(translations))
    if await CannedReply.filter(shortcut=values["shortcut"]).exists():
        raise _taken()
    try:
        async with atomic():
            reply = await CannedReply.create(
                shortcut=values["shortcut"],
                title=values["title"],
                body=values["body"],
                active=active,
            )
            await _save_translations(reply, values["translations"])
    except IntegrityError:
        raise _taken() from None
    return reply


async def update(
    reply_id: int,
    *,
    shortcut: str | None = None,
    title: str | None = None,
    body: str | None = None,
    translations: Sequence[Translation] | None = None,
    active: bool | None = None,
) -> CannedReply:
    """Change what is given (`translations`: every one it should have)."""
    values = _check(shortcut=shortcut, title=title, body=body, translations=translations)
    reply = await CannedReply.get_or_none(id=reply_id)
    if reply is None:
        raise not_found("The canned reply", "id")
    if (
        "shortcut" in values
        and await CannedReply.filter(shortcut=values["shortcut"]).exclude(id=reply.id).exists()
    ):
        raise _taken()
    columns = {k: v for k, v in values.items() if k != "translations"}
    if active is not None:
        columns["active"] = active
    try:
        async with atomic():
            if columns:
                await CannedReply.filter(id=reply.id).update(**columns)
            if "translations" in values:
                await _save_translations(reply, values["translations"])
    except IntegrityError:
        raise _taken() from None
    return await CannedReply.get(id=reply.id)


async def delete(reply_id: int) -> None:
    if not await CannedReply.filter(id=reply_id).delete():
        raise not_found("The canned reply", "id")


async def search(text: str | None, *, limit: int = 100) -> list[CannedReply]:
    """Canned replies whose shortcut or title holds `text` (every one without), by shortcut."""
    rows = CannedReply.all()
    if text:
        value = " ".join(text.split())
        if len(value) > MAX_SEARCH:
            raise fail(SupportErrorCode.TOO_LONG, f"At most {MAX_SEARCH} characters.", "search")
        if value:
            rows = rows.filter(Q(shortcut__icontains=value) | Q(title__icontains=value))
    return await rows.order_by("shortcut").limit(limit)


def pick(default: str, translations: dict[str, str], locale: str) -> str:
    """The text for `locale`: its own translation, else its language's, else the default."""
    if not locale:
        return default
    by_lower = {k.lower(): v for k, v in translations.items()}
    wanted = locale.replace("_", "-").lower()
    if wanted in by_lower:
        return by_lower[wanted]
    language = wanted.split("-")[0]
    if language in by_lower:
        return by_lower[language]
    for key, text in sorted(by_lower.items()):
        if key.split("-")[0] == language:
            return text
    return default


def fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


async def _values(conversation_id: int) -> tuple[str, dict[str, str]]:
    """(the customer's locale, each placeholder's value) for a conversation."""
    conversation = await Conversation.get_or_none(id=conversation_id)
    if conversation is None:
        raise not_found("The conversation", "conversation_id")
    customer = (
        await User.get_or_none(id=conversation.customer_id)
        if conversation.customer_id is not None
        else None
    )
    locale = conversation.locale or (customer.locale if customer and customer.locale else "")
    name = (customer.nickname if customer else "") or conversation.contact_name
    links = await ConversationLink.filter(conversation_id=conversation.id).order_by("-id")
    order_id = next((link.order_id for link in links if link.order_id), None)
    shipment_id = next((link.shipment_id for link in links if link.shipment_id), None)
    order = await Order.get_or_none(id=order_id) if order_id else None
    shipment = await Shipment.get_or_none(id=shipment_id) if shipment_id else None
    if shipment is None and order is not None:
        shipment = await Shipment.filter(order_id=order.id).order_by("-id").first()
    tracking = shipment.tracking_url if shipment is not None and shipment.tracking_url else ""
    if not tracking and order is not None:
        tracking = order_url(order, (locale or "en").split("-")[0])
    return locale, {
        "customer_name": name,
        "order_number": order.number if order is not None else "",
        "tracking_link": tracking,
        "conversation_number": conversation.number,
        "shop_name": get_settings().shop_name,
    }


async def render(reply_id: int, conversation_id: int) -> str:
    """The reply's text for the conversation: in its customer's language, filled in."""
    reply = await CannedReply.get_or_none(id=reply_id)
    if reply is None:
        raise not_found("The canned reply", "id")
    locale, values = await _values(conversation_id)
    translations = {
        t.locale: t.body for t in await CannedReplyTranslation.filter(reply_id=reply.id)
    }
    return fill(pick(reply.body, translations, locale), values)
