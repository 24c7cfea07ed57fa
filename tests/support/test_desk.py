"""What staff do with a conversation through the API: answer, note, log a call, open one for
a customer, assign, prioritise, label, snooze, resolve, reopen, close, link, mark read; and
what they are refused (wrong IDs, bad input, stale versions, racing colleagues)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from models.accounts import Role
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationLabel,
    ConversationStatus,
    Message,
    MessageAuthor,
)
from services.support import conversations, desk
from services.support.conversations import Contact
from services.support.errors import SupportError, SupportErrorCode
from tests.factories import gid, make_order, make_product, make_user

REPLY = """
mutation Reply($input: ReplyToConversationInput!) {
  replyToConversation(input: $input) {
    conversation { id status version }
    message { id author private body clientId authorName }
    errors { code field message }
  }
}
"""

CALL = """
mutation Call($input: LogPhoneCallInput!) {
  logPhoneCall(input: $input) {
    message { private channel callSeconds callOutcome body }
    errors { code field }
  }
}
"""

OPEN = """
mutation Open($input: OpenConversationForCustomerInput!) {
  openConversationForCustomer(input: $input) {
    conversation { id number channel subject status customer { id } }
    errors { code field }
  }
}
"""

ASSIGN = """
mutation Assign($input: AssignConversationInput!) {
  assignConversation(input: $input) {
    conversation { version assignee { id } }
    errors { code field }
  }
}
"""

LABELS = """
mutation Labels($input: SetConversationLabelsInput!) {
  setConversationLabels(input: $input) {
    conversation { labels }
    errors { code field }
  }
}
"""

PRIORITY = """
mutation Priority($input: SetConversationPriorityInput!) {
  setConversationPriority(input: $input) {
    conversation { priority }
    errors { code field }
  }
}
"""

SNOOZE = """
mutation Snooze($input: SnoozeConversationInput!) {
  snoozeConversation(input: $input) {
    conversation { status snoozedUntil }
    errors { code field }
  }
}
"""

ACTIONS = """
mutation Act($input: ConversationActionInput!) {
  %s(input: $input) { conversation { status version unreadCount } errors { code field } }
}
"""

LINK = """
mutation Link($input: LinkConversationInput!) {
  linkConversation(input: $input) {
    conversation { links { id kind order { number } } }
    errors { code field }
  }
}
"""

UNLINK = """
mutation Unlink($input: UnlinkConversationInput!) {
  unlinkConversation(input: $input) {
    conversation { links { id } }
    errors { code field }
  }
}
"""

READ_AS_CUSTOMER = """
query Mine {
  myConversations(first: 5) { nodes { messages(first: 50) { nodes { body private } } } }
}
"""


async def _staff(**kw):
    return await make_user(role=Role.STAFF, permissions=("support",), **kw)


async def _conversation(customer=None) -> Conversation:
    contact = Contact(customer_id=customer.id) if customer else Contact(name="Guest")
    return await conversations.open_conversation(ConversationChannel.CHAT, contact)


async def _act(client, doc, name, variables, user):
    body = await client.request(doc, {"input": variables}, user=user)
    assert "errors" not in body, body
    return next(iter(body["data"].values())) if name is None else body["data"][name]


async def _action(client, name, cid, user):
    return await _act(client, ACTIONS % name, name, {"conversationId": cid}, user)


async def test_a_staff_answer_and_a_private_note_reach_whom_they_should(client, db):
    customer = await make_user()
    staff = await _staff(nickname="Mei")
    conversation = await _conversation(customer)
    cid = gid("Conversation", conversation.id)

    answered = await _act(
        client, REPLY, "replyToConversation",
        {"conversationId": cid, "body": "It ships today", "clientId": "s-1", "version": 0},
        staff,
    )  # fmt: skip
    assert answered["errors"] == []
    assert answered["message"]["authorName"] == "Mei"
    assert answered["conversation"]["status"] == "WAITING"
    # The retry of a reply whose answer was lost names the version it was sent with, which
    # its own first try made stale: it is answered with the message, not refused.
    again = await _act(
        client, REPLY, "replyToConversation",
        {"conversationId": cid, "body": "It ships today", "clientId": "s-1", "version": 0},
        staff,
    )  # fmt: skip
    assert again["errors"] == []
    assert again["message"]["id"] == answered["message"]["id"]
    assert await Message.filter(conversation_id=conversation.id, client_id="s-1").count() == 1

    noted = await _act(
        client, REPLY, "replyToConversation",
        {"conversationId": cid, "body": "VIP: be kind", "private": True}, staff,
    )  # fmt: skip
    assert noted["message"]["private"] is True
    assert noted["conversation"]["status"] == "WAITING"

    seen = await client.query(READ_AS_CUSTOMER, user=customer)
    bodies = [m["body"] for m in seen["myConversations"]["nodes"][0]["messages"]["nodes"]]
    assert "It ships today" in bodies and "VIP: be kind" not in bodies
    assert all(not m["private"] for m in seen["myConversations"]["nodes"][0]["messages"]["nodes"])


async def test_customers_and_staff_without_support_are_refused(client, db):
    customer = await make_user()
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    conversation = await _conversation(customer)
    variables = {"input": {"conversationId": gid("Conversation", conversation.id), "body": "x"}}
    for user in (customer, orders_staff, None):
        body = await client.request(REPLY, variables, user=user)
        assert body["data"] is None or body["data"]["replyToConversation"] is None
        assert body["errors"]
    assert await Message.filter(conversation_id=conversation.id).count() == 0


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"conversationId": "nonsense"}, "NOT_FOUND", ["conversationId"]),
        ({"conversationId": gid("Order", 1)}, "NOT_FOUND", ["conversationId"]),
        ({"body": "  "}, "REQUIRED", ["body"]),
        ({"clientId": "c" * 65}, "INVALID", ["clientId"]),
        ({"version": 99}, "STALE", ["version"]),
    ],
)
async def test_bad_replies_are_refused_and_write_nothing(client, db, given, code, field):
    staff = await _staff()
    conversation = await _conversation()
    variables = {"conversationId": gid("Conversation", conversation.id), "body": "Hi", **given}
    answer = await _act(client, REPLY, "replyToConversation", variables, staff)
    assert answer["errors"][0]["code"] == code and answer["errors"][0]["field"] == field
    assert await Message.filter(conversation_id=conversation.id).count() == 0


def test_labels_with_characters_text_cannot_hold_are_refused():
    # (the API refuses NUL in every string before a resolver runs; the service checks too)
    with pytest.raises(SupportError) as exc:
        desk.normalize_labels(["a\x00"])
    assert exc.value.problems[0].code is SupportErrorCode.INVALID


async def test_a_phone_call_is_a_staff_note_with_its_length_and_outcome(client, db):
    staff = await _staff()
    conversation = await _conversation()
    cid = gid("Conversation", conversation.id)
    logged = await _act(
        client, CALL, "logPhoneCall",
        {"conversationId": cid, "seconds": 185, "outcome": "FOLLOW_UP"}, staff,
    )  # fmt: skip
    assert logged["message"] == {
        "private": True, "channel": "PHONE", "callSeconds": 185,
        "callOutcome": "FOLLOW_UP", "body": "",
    }  # fmt: skip
    for seconds in (-1, 86_401):
        refused = await _act(
            client, CALL, "logPhoneCall",
            {"conversationId": cid, "seconds": seconds, "outcome": "RESOLVED"}, staff,
        )  # fmt: skip
        assert refused["errors"] == [{"code": "INVALID", "field": ["seconds"]}]
    assert await Message.filter(conversation_id=conversation.id).count() == 1


async def test_staff_open_a_conversation_for_a_customer_by_email_or_after_a_call(client, db):
    staff = await _staff()
    customer = await make_user(locale="zh-CN")
    opened = await _act(
        client, OPEN, "openConversationForCustomer",
        {"customerId": gid("User", customer.id), "channel": "EMAIL",
         "subject": "Your parcel", "body": "We saw a delay."}, staff,
    )  # fmt: skip
    assert opened["errors"] == []
    made = opened["conversation"]
    assert made["channel"] == "EMAIL" and made["customer"]["id"] == gid("User", customer.id)
    assert made["status"] == "WAITING"  # the shop spoke first
    row = await Conversation.get(number=made["number"])
    assert row.locale == "zh-CN"
    assert [m.private for m in await Message.filter(conversation_id=row.id, author="staff")] == [
        False
    ]

    called = await _act(
        client, OPEN, "openConversationForCustomer",
        {"customerId": gid("User", customer.id), "channel": "PHONE",
         "subject": "Call", "body": "Asked about sizes"}, staff,
    )  # fmt: skip
    assert called["conversation"]["status"] == "OPEN"  # a note answers nobody

    for bad, code, field in (
        ({"channel": "CHAT"}, "INVALID", ["channel"]),
        ({"customerId": gid("User", staff.id)}, "NOT_FOUND", ["customerId"]),
        ({"customerId": "junk"}, "NOT_FOUND", ["customerId"]),
        ({"subject": " "}, "REQUIRED", ["subject"]),
        ({"subject": "s" * 201}, "TOO_LONG", ["subject"]),
        ({"body": ""}, "REQUIRED", ["body"]),
    ):
        variables = {
            "customerId": gid("User", customer.id), "channel": "EMAIL",
            "subject": "S", "body": "B", **bad,
        }  # fmt: skip
        refused = await _act(client, OPEN, "openConversationForCustomer", variables, staff)
        assert refused["errors"] == [{"code": code, "field": field}], bad
    assert await Conversation.filter(customer_id=customer.id).count() == 2


async def test_only_support_staff_can_be_assigned_and_each_change_is_noted(client, db):
    staff = await _staff()
    colleague = await _staff()
    outsider = await make_user(role=Role.STAFF, permissions=("orders",))
    conversation = await _conversation()
    cid = gid("Conversation", conversation.id)
    assigned = await _act(
        client, ASSIGN, "assignConversation",
        {"conversationId": cid, "assigneeId": gid("User", colleague.id), "version": 0}, staff,
    )  # fmt: skip
    assert assigned["conversation"]["assignee"]["id"] == gid("User", colleague.id)
    for who in (outsider, await make_user()):
        refused = await _act(
            client, ASSIGN, "assignConversation",
            {"conversationId": cid, "assigneeId": gid("User", who.id)}, staff,
        )  # fmt: skip
        assert refused["errors"] == [{"code": "INVALID", "field": ["assigneeId"]}]
    stale = await _act(
        client, ASSIGN, "assignConversation", {"conversationId": cid, "version": 0}, staff
    )
    assert stale["errors"] == [{"code": "STALE", "field": ["version"]}]
    cleared = await _act(client, ASSIGN, "assignConversation", {"conversationId": cid}, staff)
    assert cleared["conversation"]["assignee"] is None
    notes = await Message.filter(conversation_id=conversation.id, author=MessageAuthor.SYSTEM)
    assert [n.data["event"] for n in notes] == ["assigned", "assigned"]
    assert all(n.private for n in notes)


async def test_labels_are_normalised_and_limited(client, db):
    staff = await _staff()
    conversation = await _conversation()
    cid = gid("Conversation", conversation.id)
    done = await _act(
        client, LABELS, "setConversationLabels",
        {"conversationId": cid, "labels": ["  Late   Parcel ", "refund", "late parcel"]}, staff,
    )  # fmt: skip
    assert done["conversation"]["labels"] == ["late parcel", "refund"]
    for labels, code in (
        ([f"l{i}" for i in range(11)], "INVALID"),
        (["x" * 41], "TOO_LONG"),
        ([" "], "REQUIRED"),
    ):
        refused = await _act(
            client, LABELS, "setConversationLabels", {"conversationId": cid, "labels": labels},
            staff,
        )  # fmt: skip
        assert refused["errors"][0]["code"] == code
    kept = await _act(
        client, LABELS, "setConversationLabels", {"conversationId": cid, "labels": ["refund"]},
        staff,
    )  # fmt: skip
    assert kept["conversation"]["labels"] == ["refund"]
    assert await ConversationLabel.filter(conversation_id=conversation.id).count() == 1


async def test_priority_snooze_resolve_reopen_and_close(client, db):
    staff = await _staff()
    conversation = await _conversation()
    cid = gid("Conversation", conversation.id)
    raised = await _act(
        client, PRIORITY, "setConversationPriority",
        {"conversationId": cid, "priority": "URGENT"}, staff,
    )  # fmt: skip
    assert raised["conversation"]["priority"] == "URGENT"
    assert (await Conversation.get(id=conversation.id)).priority_rank == 0

    now = datetime.now(UTC)
    for until in (now - timedelta(minutes=1), now + timedelta(days=400)):
        refused = await _act(
            client, SNOOZE, "snoozeConversation",
            {"conversationId": cid, "until": until.isoformat()}, staff,
        )  # fmt: skip
        assert refused["errors"] == [{"code": "INVALID", "field": ["until"]}]
    until = now + timedelta(hours=3)
    snoozed = await _act(
        client, SNOOZE, "snoozeConversation",
        {"conversationId": cid, "until": until.isoformat()}, staff,
    )  # fmt: skip
    assert snoozed["conversation"]["status"] == "SNOOZED"

    resolved = await _action(client, "resolveConversation", cid, staff)
    assert resolved["conversation"]["status"] == "RESOLVED"
    again = await _action(client, "resolveConversation", cid, staff)
    assert again["errors"] == [{"code": "ILLEGAL_TRANSITION", "field": ["conversationId"]}]
    reopened = await _action(client, "reopenConversation", cid, staff)
    assert reopened["conversation"]["status"] == "OPEN"
    closed = await _action(client, "closeConversation", cid, staff)
    assert closed["conversation"]["status"] == "CLOSED"
    refused = await _action(client, "reopenConversation", cid, staff)
    assert refused["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    refused = await _act(
        client, REPLY, "replyToConversation", {"conversationId": cid, "body": "Hi"}, staff
    )
    assert refused["errors"][0]["code"] == "CLOSED"


async def test_links_to_orders_and_their_removal(client, db):
    staff = await _staff()
    customer = await make_user()
    product = await make_product(stock=(5,))
    variant = (await product.variants.all())[0]
    order = await make_order(customer, [(variant, 1)])
    conversation = await _conversation(customer)
    cid = gid("Conversation", conversation.id)
    linked = await _act(
        client, LINK, "linkConversation",
        {"conversationId": cid, "kind": "ORDER", "targetId": gid("Order", order.id)}, staff,
    )  # fmt: skip
    [link] = linked["conversation"]["links"]
    assert link["kind"] == "ORDER" and link["order"]["number"] == order.number
    for target in (gid("Shipment", order.id), gid("Order", 999_999), "x"):
        refused = await _act(
            client, LINK, "linkConversation",
            {"conversationId": cid, "kind": "ORDER", "targetId": target}, staff,
        )  # fmt: skip
        assert refused["errors"] == [{"code": "NOT_FOUND", "field": ["targetId"]}]
    other = await _conversation()
    refused = await _act(
        client, UNLINK, "unlinkConversation",
        {"conversationId": gid("Conversation", other.id), "linkId": link["id"]}, staff,
    )  # fmt: skip
    assert refused["errors"] == [{"code": "NOT_FOUND", "field": ["linkId"]}]
    unlinked = await _act(
        client, UNLINK, "unlinkConversation", {"conversationId": cid, "linkId": link["id"]}, staff
    )
    assert unlinked["conversation"]["links"] == []


async def test_marking_read_clears_the_staff_unread_count(client, db):
    staff = await _staff()
    customer = await make_user()
    conversation = await _conversation(customer)
    from services.support import messages
    from services.support import status as machine
    from services.transactions import atomic

    async with atomic():
        locked = await machine.locked(conversation.id)
        await messages.post(
            locked, author=MessageAuthor.CUSTOMER, channel=ConversationChannel.CHAT, body="Hi",
            author_user_id=customer.id,
        )  # fmt: skip
    cid = gid("Conversation", conversation.id)
    read = await _action(client, "markConversationReadByStaff", cid, staff)
    assert read["conversation"]["unreadCount"] == 0


async def test_two_staff_resolving_at_once_one_wins_and_one_status_note_is_written(db):
    staff, colleague = await _staff(), await _staff()
    conversation = await _conversation()
    results = await asyncio.gather(
        desk.resolve(conversation.id, actor_id=staff.id, version=0),
        desk.resolve(conversation.id, actor_id=colleague.id, version=0),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, Conversation)]
    lost = [r for r in results if isinstance(r, SupportError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].problems[0].code in (
        SupportErrorCode.ILLEGAL_TRANSITION,
        SupportErrorCode.STALE,
    )
    notes = await Message.filter(conversation_id=conversation.id, author=MessageAuthor.SYSTEM)
    assert len(notes) == 1 and notes[0].data["status"] == "resolved"
    assert (await Conversation.get(id=conversation.id)).status == ConversationStatus.RESOLVED


async def test_two_staff_assigning_at_once_one_wins(db):
    staff, colleague = await _staff(), await _staff()
    conversation = await _conversation()
    results = await asyncio.gather(
        desk.assign(conversation.id, actor_id=staff.id, assignee_id=staff.id, version=0),
        desk.assign(conversation.id, actor_id=colleague.id, assignee_id=colleague.id, version=0),
        return_exceptions=True,
    )
    won = [r for r in results if isinstance(r, Conversation)]
    lost = [r for r in results if isinstance(r, SupportError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].problems[0].code is SupportErrorCode.STALE
    final = await Conversation.get(id=conversation.id)
    assert final.assignee_id == won[0].assignee_id and final.version == 1
    assert await Message.filter(conversation_id=conversation.id).count() == 1
