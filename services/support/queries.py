"""Reading conversations and their messages, with who may see what decided in one place.

A customer reaches a conversation only through their own account or a guest token naming
it (`customer_conversation`); the messages a customer may read are never private notes
(`messages_for(..., staff=False)`), whichever route asks.
"""

from __future__ import annotations

from tortoise.queryset import QuerySet

from models.support import Conversation, Message
from services.support import numbers

#: Where an email's message keeps (in `data["email"]`) whether its From was authenticated.
SENDER_VERIFIED = "sender_verified"


async def conversation_by_number(number: str) -> Conversation | None:
    """The conversation with this number, as a person may type it; None for anything else."""
    value = numbers.normalize_number(number)
    if not numbers.is_number(value):
        return None
    return await Conversation.get_or_none(number=value)


async def customer_conversation(conversation_id: int, customer_id: int) -> Conversation | None:
    """One of this customer's conversations; another's reads as None."""
    return await Conversation.get_or_none(id=conversation_id, customer_id=customer_id)


def messages_for(conversation_id: int, *, staff: bool) -> QuerySet[Message]:
    """A conversation's messages, oldest first: all of them for staff, and for its customer
    every one but the private notes."""
    rows = Message.filter(conversation_id=conversation_id)
    return rows if staff else rows.filter(private=False)


async def visible_message(message_id: int, *, staff: bool) -> Message | None:
    """One message by id for a reader (None for a private note read by a customer)."""
    rows = Message.filter(id=message_id)
    if not staff:
        rows = rows.filter(private=False)
    return await rows.first()


def email_sender_verified(message: Message) -> bool | None:
    """Whether the email a message came from had an authenticated From (None: not an
    email, or not checked)."""
    email = message.data.get("email") if isinstance(message.data, dict) else None
    verdict = email.get(SENDER_VERIFIED) if isinstance(email, dict) else None
    return verdict if isinstance(verdict, bool) else None
