"""Who may read and write a conversation: its member, a guest holding its token, or staff
with the support permission, decided in one place (`reach`).

A guest's token is `c1.` + when it expires + an HMAC-SHA256, under the shop's secret key,
of the conversation's id, its `access_epoch` and that time. Nothing is stored: raising the
conversation's access epoch ends every token handed out for it. A wrong, forged, expired
or revoked token, a conversation that does not exist and another customer's all read the
same: NOT_FOUND, so that the answer tells nothing about conversations one cannot open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from enum import StrEnum

from models.support import Conversation
from services.accounts.tokens import signing_key
from services.auth import StaffPermission, Viewer
from services.support import numbers
from services.support import status as machine
from services.support.errors import SupportError, SupportErrorCode, fail, not_found
from settings import get_settings

PREFIX = "c1."
#: The longest token looked at; anything longer is not one of ours.
MAX_TOKEN = 96


class Side(StrEnum):
    """Which side of the conversation a reader is on."""

    CUSTOMER = "customer"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Access:
    """A conversation as one reader reached it."""

    conversation: Conversation
    side: Side
    #: The customer's account (None for a guest and for staff).
    customer_id: int | None = None

    @property
    def staff(self) -> bool:
        return self.side is Side.STAFF


def _signature(conversation_id: int, epoch: int, expires: int) -> str:
    key = signing_key(get_settings()).encode()
    text = f"tradewind:conversation:{conversation_id}:{epoch}:{expires}".encode()
    digest = hmac.new(key, text, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue_token(conversation: Conversation, *, now: float | None = None) -> str:
    """A token that opens `conversation` to whoever holds it, until it expires or the
    conversation's access epoch is raised."""
    days = get_settings().support_guest_token_days
    expires = int(now if now is not None else time.time()) + days * 86400
    return f"{PREFIX}{expires:x}.{_signature(conversation.id, conversation.access_epoch, expires)}"


def token_opens(conversation: Conversation, token: str, *, now: float | None = None) -> bool:
    """Whether `token` is a live token of `conversation`."""
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN or not token.isascii():
        return False
    expires_hex, _, signature = token[len(PREFIX) :].partition(".")
    try:
        expires = int(expires_hex, 16)
    except ValueError:
        return False
    if expires < (now if now is not None else time.time()):
        return False
    expected = _signature(conversation.id, conversation.access_epoch, expires)
    return hmac.compare_digest(expected.encode(), signature.encode())


def _unreachable() -> SupportError:
    return not_found("The conversation", "conversation_number")


def check_customer(conversation: Conversation, viewer: Viewer, token: str | None) -> Access:
    """`conversation` as its customer reaches it (the member it belongs to, or the holder of
    its token), or NOT_FOUND."""
    if viewer.user_id is not None and conversation.customer_id == viewer.user_id:
        return Access(conversation, Side.CUSTOMER, customer_id=viewer.user_id)
    if token and token_opens(conversation, token):
        return Access(conversation, Side.CUSTOMER, customer_id=conversation.customer_id)
    raise _unreachable()


def check(conversation: Conversation, viewer: Viewer, token: str | None) -> Access:
    """`conversation` as `viewer` may reach it: staff with the support permission as staff,
    its customer as the customer; NOT_FOUND for anyone else."""
    if viewer.can(StaffPermission.SUPPORT):
        return Access(conversation, Side.STAFF)
    return check_customer(conversation, viewer, token)


async def reach(conversation_number: str, viewer: Viewer, token: str | None) -> Access:
    """The conversation with this number as `viewer` (with a guest's `token`) may read it,
    or NOT_FOUND."""
    if len(conversation_number) > 40 or (token is not None and len(token) > MAX_TOKEN):
        raise _unreachable()
    value = numbers.normalize_number(conversation_number)
    if not numbers.is_number(value):
        raise _unreachable()
    conversation = await Conversation.get_or_none(number=value)
    if conversation is None:
        raise _unreachable()
    return check(conversation, viewer, token)


def refuse_staff(viewer: Viewer) -> None:
    """FORBIDDEN for staff on the customer's side of a chat: they answer from the console."""
    if viewer.is_staff:
        raise fail(
            SupportErrorCode.FORBIDDEN,
            "Staff answer conversations from the console, not as a customer.",
            "conversation_number",
        )


async def reach_to_write(conversation_number: str, viewer: Viewer, token: str | None) -> Access:
    """The conversation as its customer reaches it to write, its row locked (inside
    `atomic()`); NOT_FOUND for anyone else, FORBIDDEN for staff."""
    refuse_staff(viewer)
    found = await reach(conversation_number, viewer, token)
    conversation = await machine.locked(found.conversation.id)
    # Checked again on the locked row: a token revoked meanwhile no longer opens it.
    return check_customer(conversation, viewer, token)
