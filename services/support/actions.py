"""What staff do for a customer from a conversation, within their permissions: resend a
parcel's tracking link, and record on the conversation the return they started or the credit
they gave through those domains' own mutations (`openReturn`, `grantStoreCredit`).

A target must be the conversation's customer's (their account's orders, or for a guest the
orders placed with the contact's email, or one linked to the conversation): another
customer's parcel, return or credit reads as NOT_FOUND, so nothing of theirs is quoted here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import timezone
from tortoise.expressions import Q

from models.emails import EmailKind
from models.orders import Order, Shipment
from models.returns import ReturnRequest
from models.store_credit import StoreCreditEntry
from models.support import Conversation, ConversationLink, LinkKind, MessageAuthor
from services.auth import StaffPermission, Viewer
from services.emails import events as email_events
from services.emails.rendering import format_money
from services.emails.sending import order_url
from services.support import conversations, emails, messages
from services.support import status as machine
from services.support.errors import SupportErrorCode, fail, not_found
from services.transactions import atomic


class ActionKind(StrEnum):
    RESEND_TRACKING_LINK = "resend_tracking_link"
    START_RETURN = "start_return"
    ADD_STORE_CREDIT = "add_store_credit"


#: Who may take each action: every permission of one of the sets.
NEEDS: dict[ActionKind, tuple[frozenset[StaffPermission], ...]] = {
    ActionKind.RESEND_TRACKING_LINK: (
        frozenset({StaffPermission.SUPPORT, StaffPermission.ORDERS}),
    ),
    ActionKind.START_RETURN: (frozenset({StaffPermission.ORDERS}),),
    ActionKind.ADD_STORE_CREDIT: (
        frozenset({StaffPermission.SUPPORT}),
        frozenset({StaffPermission.CUSTOMERS}),
    ),
}


def may_take(viewer: Viewer, kind: ActionKind) -> bool:
    return any(all(viewer.can(p) for p in needs) for needs in NEEDS[kind])


def _require(viewer: Viewer, kind: ActionKind) -> None:
    if not may_take(viewer, kind):
        raise fail(
            SupportErrorCode.FORBIDDEN,
            "Your permissions do not allow this action.",
            "kind",
        )


async def _customers_order(conversation: Conversation, order_id: int, field: str) -> Order:
    """The order if it is the conversation's customer's (or linked to it), else NOT_FOUND."""
    mine = Q(id=order_id)
    if conversation.customer_id is not None:
        owner = Q(user_id=conversation.customer_id)
    elif conversation.contact_email:
        owner = Q(user_id=None, email=conversation.contact_email)
    else:
        owner = Q(id=0)
    order = await Order.filter(mine & owner).first()
    if (
        order is None
        and await ConversationLink.filter(
            conversation_id=conversation.id, order_id=order_id
        ).exists()
    ):
        order = await Order.get_or_none(id=order_id)
    if order is None:
        raise not_found("The " + field.split("_")[0], field)
    return order


async def resend_tracking_link(
    conversation_id: int,
    shipment_id: int,
    *,
    viewer: Viewer,
    client_id: str | None = None,
) -> messages.Posted:
    """Post the parcel's tracking link in the conversation, link the parcel to it, and send
    the parcel's shipping email again (once per `client_id`)."""
    _require(viewer, ActionKind.RESEND_TRACKING_LINK)
    async with atomic():
        conversation = await machine.locked(conversation_id)
        shipment = await Shipment.get_or_none(id=shipment_id)
        if shipment is None:
            raise not_found("The shipment", "shipment_id")
        order = await _customers_order(conversation, shipment.order_id, "shipment_id")
        # The customer reads it: written in the conversation's language.
        language = await emails.language_of(conversation)
        link = shipment.tracking_url or order_url(order, language)
        posted = await messages.post(
            conversation,
            author=MessageAuthor.STAFF,
            channel=conversation.channel,
            body=emails.tracking_link_text(
                language, shipment.tracking_number, shipment.carrier_name, link
            ),
            author_user_id=viewer.user_id,
            client_id=client_id,
            data={"action": ActionKind.RESEND_TRACKING_LINK.value, "shipment": shipment.id},
        )
        if posted.created:
            await conversations.link(
                conversation, LinkKind.SHIPMENT, shipment.id, actor_id=viewer.user_id
            )
            if order.email:
                # A new key per resend: the shipping email goes out again, once.
                ref = email_events.tracking_ref(shipment.id, timezone.now())
                await email_events.enqueue(order.id, EmailKind.SHIPPED, ref)
    return posted


async def note_action(
    conversation_id: int, kind: ActionKind, target_id: int, *, viewer: Viewer
) -> Conversation:
    """Record on the conversation, as a private note, the return staff started or the credit
    they gave for its customer."""
    _require(viewer, kind)
    async with atomic():
        conversation = await machine.locked(conversation_id)
        if kind is ActionKind.START_RETURN:
            ret = await ReturnRequest.get_or_none(id=target_id)
            if ret is None:
                raise not_found("The return", "target_id")
            await _customers_order(conversation, ret.order_id, "target_id")
            await conversations.link(conversation, LinkKind.RETURN, ret.id, actor_id=viewer.user_id)
            body = f"Started return {ret.number}"
            detail: dict[str, Any] = {"return_number": ret.number}
        elif kind is ActionKind.ADD_STORE_CREDIT:
            entry = await StoreCreditEntry.get_or_none(id=target_id).select_related("account")
            if (
                entry is None
                or conversation.customer_id is None
                or entry.account.user_id != conversation.customer_id
            ):
                raise not_found("The store credit entry", "target_id")
            amount = format_money(entry.amount, entry.account.currency, "en")
            body = f"Added store credit {amount}"
            # Minor units and currency, so a screen writes the amount in its own language.
            detail = {"amount": entry.amount, "currency": entry.account.currency}
        else:
            raise fail(
                SupportErrorCode.INVALID,
                "Resending a tracking link records itself.",
                "kind",
            )
        await machine.note(
            conversation, machine.NoteEvent.ACTION, body, actor_id=viewer.user_id,
            action=kind.value, target=target_id, **detail,
        )  # fmt: skip
        await machine.touch(conversation)
    return conversation
