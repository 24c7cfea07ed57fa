"""Opening a conversation, and linking it to what it is about.

A conversation belongs to a customer account, or to a contact (a guest's name and email, or
an emailing stranger's address). It starts at NORMAL priority, or HIGH for a member of a
tier with priority service. Links name an order, one of its parcels or one of its returns;
a customer may link only their own, and each link is kept once.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.accounts import User
from models.members import MembershipTier
from models.orders import Order, Shipment
from models.returns import ReturnRequest
from models.support import (
    PRIORITY_RANK,
    Conversation,
    ConversationChannel,
    ConversationLink,
    ConversationPriority,
    LinkKind,
)
from services.support import levels, numbers
from services.support import status as machine
from services.support.errors import SupportErrorCode, fail, not_found
from services.transactions import atomic

MAX_SUBJECT = 200
MAX_NAME = 120
#: Numbers are drawn at random; a collision (one in 10^12 per draw) is drawn again.
NUMBER_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class Contact:
    """Who a conversation is with: an account, or a name and an email address."""

    customer_id: int | None = None
    name: str = ""
    email: str = ""


async def priority_for(customer_id: int | None) -> ConversationPriority:
    """HIGH for a member of a tier with priority service, NORMAL otherwise."""
    if customer_id is None:
        return ConversationPriority.NORMAL
    user = await User.get_or_none(id=customer_id).only("id", "tier_id")
    if user is None or user.tier_id is None:
        return ConversationPriority.NORMAL
    tier = await MembershipTier.get_or_none(id=user.tier_id).only("id", "priority_support")
    return (
        ConversationPriority.HIGH
        if tier is not None and tier.priority_support
        else ConversationPriority.NORMAL
    )


def _check_contact(contact: Contact, subject: str) -> None:
    if len(subject) > MAX_SUBJECT:
        raise fail(
            SupportErrorCode.TOO_LONG, f"A subject may be at most {MAX_SUBJECT} characters.",
            "subject",
        )  # fmt: skip
    if len(contact.name) > MAX_NAME:
        raise fail(
            SupportErrorCode.TOO_LONG, f"A name may be at most {MAX_NAME} characters.", "name"
        )
    if contact.customer_id is None and not contact.email and not contact.name:
        raise fail(SupportErrorCode.REQUIRED, "Say who the conversation is with.", "email")


async def open_conversation(
    channel: ConversationChannel,
    contact: Contact,
    *,
    subject: str = "",
    locale: str = "",
    priority: ConversationPriority | None = None,
    start_key: str | None = None,
) -> Conversation:
    """A new OPEN conversation with `contact`, announced on commit. Inside `atomic()` when
    its first message goes with it. A `start_key` another conversation already holds raises
    `IntegrityError` at once (the caller answers with that conversation)."""
    subject = " ".join(subject.split())
    _check_contact(contact, subject)
    chosen = priority or await priority_for(contact.customer_id)
    due = await levels.due_times(chosen, timezone.now())
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            async with atomic():
                conversation = await Conversation.create(
                    number=numbers.new_number(),
                    reply_token=numbers.new_reply_token(),
                    channel=channel,
                    customer_id=contact.customer_id,
                    contact_name=contact.name.strip(),
                    contact_email=contact.email.strip().lower(),
                    subject=subject,
                    locale=locale[:16],
                    priority=chosen,
                    priority_rank=PRIORITY_RANK[chosen],
                    first_response_due_at=due[levels.FIRST_RESPONSE_DUE],
                    resolution_due_at=due[levels.RESOLUTION_DUE],
                    start_key=start_key,
                )
            break
        except IntegrityError:
            # A number drawn twice is drawn again; a start key taken is the caller's answer.
            if attempt == NUMBER_ATTEMPTS - 1 or (
                start_key is not None and await Conversation.exists(start_key=start_key)
            ):
                raise
    await machine.announce(conversation, previous=None, at=conversation.created_at)
    return conversation


async def _target(kind: LinkKind, target_id: int) -> tuple[int, dict[str, int]]:
    """(the order's id, the link's columns) of a link target, or NOT_FOUND."""
    if kind is LinkKind.ORDER:
        order = await Order.get_or_none(id=target_id).only("id")
        if order is not None:
            return order.id, {"order_id": order.id}
    elif kind is LinkKind.SHIPMENT:
        shipment = await Shipment.get_or_none(id=target_id).only("id", "order_id")
        if shipment is not None:
            return shipment.order_id, {"shipment_id": shipment.id, "order_id": shipment.order_id}
    else:
        ret = await ReturnRequest.get_or_none(id=target_id).only("id", "order_id")
        if ret is not None:
            return ret.order_id, {"return_request_id": ret.id, "order_id": ret.order_id}
    raise not_found(f"The {kind.value}", "target_id")


async def link(
    conversation: Conversation,
    kind: LinkKind,
    target_id: int,
    *,
    actor_id: int | None = None,
    owner_id: int | None = None,
) -> ConversationLink:
    """Link `conversation` (locked, inside `atomic()`) to an order, parcel or return; the
    same link twice is the first one. `owner_id` limits targets to that customer's orders
    (another's reads as NOT_FOUND)."""
    order_id, found = await _target(kind, target_id)
    if owner_id is not None and not await Order.filter(id=order_id, user_id=owner_id).exists():
        raise not_found(f"The {kind.value}", "target_id")
    columns: dict[str, int | None] = {
        "order_id": None, "shipment_id": None, "return_request_id": None, **found,
    }  # fmt: skip
    existing = await ConversationLink.filter(conversation_id=conversation.id, **columns).first()
    if existing is not None:
        return existing
    row = ConversationLink(conversation_id=conversation.id, kind=kind, **columns)
    await row.save()
    await machine.note(
        conversation, machine.NoteEvent.LINKED, f"Linked {kind.value}", actor_id=actor_id,
        kind=kind.value, target=target_id,
    )  # fmt: skip
    await machine.touch(conversation)
    return row
