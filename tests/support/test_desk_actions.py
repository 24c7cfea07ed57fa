"""Acting for the customer from a conversation: resending a parcel's tracking link (support
and orders permissions), and recording the return started or the credit given; another
customer's parcel, return or credit is never reached from here."""

from __future__ import annotations

from models.accounts import Role
from models.jobs import Job
from models.orders import Shipment
from models.support import ConversationChannel, ConversationLink, Message, MessageAuthor
from services.emails.events import TASK
from services.store_credit import grants
from services.support import conversations
from services.support.conversations import Contact
from tests.factories import gid, make_user
from tests.returns.factories import make_return
from tests.returns.setup import delivered_order

RESEND = """
mutation Resend($input: ResendTrackingLinkInput!) {
  resendTrackingLink(input: $input) {
    message { body private author }
    conversation { links { kind } }
    errors { code field }
  }
}
"""

NOTE = """
mutation Note($input: NoteConversationActionInput!) {
  noteConversationAction(input: $input) {
    conversation { number }
    errors { code field }
  }
}
"""


async def _setup():
    customer = await make_user()
    order, _, _ = await delivered_order(customer)
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=customer.id)
    )
    return customer, order, conversation


async def test_resending_a_tracking_link_posts_it_and_sends_the_shipping_email_once(client, db):
    _, order, conversation = await _setup()
    staff = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    shipment = (await order.shipments.all())[0]
    variables = {
        "input": {
            "conversationId": gid("Conversation", conversation.id),
            "shipmentId": gid("Shipment", shipment.id),
            "clientId": "resend-1",
        }
    }
    sent = (await client.query(RESEND, variables, user=staff))["resendTrackingLink"]
    assert sent["errors"] == []
    assert sent["message"]["author"] == "STAFF" and not sent["message"]["private"]
    assert shipment.tracking_number in sent["message"]["body"]
    assert [link["kind"] for link in sent["conversation"]["links"]] == ["SHIPMENT"]
    again = (await client.query(RESEND, variables, user=staff))["resendTrackingLink"]
    assert again["errors"] == []
    emails = [j for j in await Job.filter(task=TASK) if j.kwargs["kind"] == "shipped"]
    resent = [j for j in emails if ":" in str(j.kwargs["ref"])]
    assert len(resent) == 1 and resent[0].kwargs["order_id"] == order.id


async def test_the_tracking_link_message_is_in_the_conversations_language(client, db):
    customer = await make_user(locale="de")
    order, _, _ = await delivered_order(customer)
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=customer.id), locale="fr-CA"
    )
    staff = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    shipment = await Shipment.get(order_id=order.id)
    variables = {
        "input": {
            "conversationId": gid("Conversation", conversation.id),
            "shipmentId": gid("Shipment", shipment.id),
        }
    }
    sent = (await client.query(RESEND, variables, user=staff))["resendTrackingLink"]
    assert sent["errors"] == []
    assert sent["message"]["body"].startswith(f"Votre colis {shipment.tracking_number} (")
    assert "peut être suivi ici : " in sent["message"]["body"]


async def test_resending_needs_the_orders_permission_and_the_customers_own_parcel(client, db):
    _, order, conversation = await _setup()
    _, other_order, _ = await _setup()
    support_only = await make_user(role=Role.STAFF, permissions=("support",))
    both = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    shipment = (await order.shipments.all())[0]
    cid = gid("Conversation", conversation.id)
    body = await client.request(
        RESEND,
        {"input": {"conversationId": cid, "shipmentId": gid("Shipment", shipment.id)}},
        user=support_only,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    theirs = (await other_order.shipments.all())[0]
    for target in (gid("Shipment", theirs.id), gid("Order", order.id), "nope"):
        refused = await client.query(
            RESEND, {"input": {"conversationId": cid, "shipmentId": target}}, user=both
        )
        assert refused["resendTrackingLink"]["errors"] == [
            {"code": "NOT_FOUND", "field": ["shipmentId"]}
        ]
    assert await Message.filter(conversation_id=conversation.id).count() == 0


async def test_a_return_started_and_credit_given_are_noted_privately(client, db):
    customer, order, conversation = await _setup()
    ret = await make_return(order)
    entry = await grants.grant_credit(
        customer.id, "USD", "5.00", note="sorry", idempotency_key="support-k1", actor_id=None
    )
    both = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    cid = gid("Conversation", conversation.id)
    for kind, target in (
        ("START_RETURN", gid("Return", ret.id)),
        ("ADD_STORE_CREDIT", gid("StoreCreditEntry", entry.id)),
    ):
        done = await client.query(
            NOTE, {"input": {"conversationId": cid, "kind": kind, "targetId": target}}, user=both
        )
        assert done["noteConversationAction"]["errors"] == []
    notes = await Message.filter(
        conversation_id=conversation.id, author=MessageAuthor.SYSTEM
    ).order_by("id")
    actions = [n for n in notes if n.data.get("event") == "action"]
    assert [n.data["action"] for n in actions] == ["start_return", "add_store_credit"]
    assert all(n.private for n in actions)
    assert ret.number in actions[0].body
    # What a screen needs to write the note in its own language.
    assert actions[0].data["return_number"] == ret.number
    assert (actions[1].data["amount"], actions[1].data["currency"]) == (500, "USD")
    assert await ConversationLink.filter(conversation_id=conversation.id, kind="return").exists()


async def test_noting_refuses_another_customers_target_and_a_missing_permission(client, db):
    _, order, conversation = await _setup()
    stranger, other_order, _ = await _setup()
    theirs = await make_return(other_order)
    entry = await grants.grant_credit(
        stranger.id, "USD", "5.00", note="x", idempotency_key="support-k2", actor_id=None
    )
    support_only = await make_user(role=Role.STAFF, permissions=("support",))
    both = await make_user(role=Role.STAFF, permissions=("support", "orders"))
    cid = gid("Conversation", conversation.id)

    async def note(kind, target, user):
        data = await client.query(
            NOTE, {"input": {"conversationId": cid, "kind": kind, "targetId": target}}, user=user
        )
        return data["noteConversationAction"]["errors"]

    mine = await make_return(order)
    assert await note("START_RETURN", gid("Return", mine.id), support_only) == [
        {"code": "FORBIDDEN", "field": ["kind"]}
    ]
    assert await note("START_RETURN", gid("Return", theirs.id), both) == [
        {"code": "NOT_FOUND", "field": ["targetId"]}
    ]
    assert await note("ADD_STORE_CREDIT", gid("StoreCreditEntry", entry.id), both) == [
        {"code": "NOT_FOUND", "field": ["targetId"]}
    ]
    assert await note("RESEND_TRACKING_LINK", gid("StoreCreditEntry", entry.id), both) == [
        {"code": "INVALID", "field": ["kind"]}
    ]
    assert await Message.filter(conversation_id=conversation.id).count() == 0
