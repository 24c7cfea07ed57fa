"""The customer's side of live chat through the API: members and guests start and write,
guests by a signed token; nobody reaches another's conversation or a private note by any
route (the conversation, `myConversations`, `node`), and bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from models.accounts import Role, User
from models.orders import Order
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationLink,
    ConversationStatus,
    Message,
    MessageAuthor,
)
from services.support import access, messages
from services.support import status as machine
from services.transactions import atomic
from tests.factories import gid, make_order, make_product, make_user

START = """
mutation Start($input: StartConversationInput!) {
  startConversation(input: $input) {
    conversation { id number status subject contactName links { kind order { number } } }
    conversationToken
    errors { code field message }
  }
}
"""
SEND = """
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    message { id body author clientId private authorName }
    conversation { status }
    errors { code field }
  }
}
"""
READ_ONE = """
query One($conversationNumber: String!, $token: String) {
  conversation(conversationNumber: $conversationNumber, token: $token) {
    number status unreadCount contactEmail
    messages(first: 50) { totalCount edges { node { id body author private } } }
  }
}
"""
MINE = """
query { myConversations(first: 10) { edges { node { number
  messages(first: 50) { edges { node { body private } } } } } } }
"""
NODE = """
query Node($id: ID!) { node(id: $id) { ... on Conversation { number
  messages(first: 50) { edges { node { body private } } } } } }
"""
MARK_READ = """
mutation Read($input: MarkConversationInput!) {
  markConversationRead(input: $input) { conversation { unreadCount } errors { code field } }
}
"""
MARK_DELIVERED = """
mutation Delivered($input: MarkConversationInput!) {
  markMessagesDelivered(input: $input) { conversation { number } errors { code field } }
}
"""
TYPING = """
mutation Typing($input: SetTypingInput!) {
  setTyping(input: $input) { typing errors { code field } }
}
"""


async def _start(client, user: User | None = None, **fields: Any) -> dict[str, Any]:
    given = {"body": "Where is my parcel?", "clientId": "start-1", **fields}
    if user is None:
        given.setdefault("name", "Ada")
        given.setdefault("email", "ada@example.com")
    data = await client.query(START, {"input": given}, user=user)
    return data["startConversation"]


async def _send(client, number: str, body: str, *, user=None, **fields: Any) -> dict[str, Any]:
    given = {"conversationNumber": number, "body": body, "clientId": body[:60], **fields}
    return (await client.query(SEND, {"input": given}, user=user))["sendMessage"]


async def _staff_answers(number: str, body: str, *, private: bool = False) -> Message:
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await Conversation.get(number=number)
    async with atomic():
        locked = await machine.locked(conversation.id)
        posted = await messages.post(
            locked,
            author=MessageAuthor.STAFF,
            channel=ConversationChannel.CHAT,
            body=body,
            author_user_id=staff.id,
            private=private,
        )
    return posted.message


async def test_a_guest_chats_by_the_token_the_start_hands_out(client):
    started = await _start(client, subject="Late parcel")
    assert started["errors"] == []
    token = started["conversationToken"]
    number = started["conversation"]["number"]
    assert token.startswith("c1.") and started["conversation"]["status"] == "OPEN"
    assert started["conversation"]["contactName"] == "Ada"

    sent = await _send(client, number, "Any news?", token=token)
    assert sent["errors"] == [] and sent["message"]["author"] == "CUSTOMER"
    assert sent["message"]["authorName"] == "Ada"

    read = await client.query(READ_ONE, {"conversationNumber": number, "token": token})
    bodies = [e["node"]["body"] for e in read["conversation"]["messages"]["edges"]]
    assert bodies == ["Where is my parcel?", "Any news?"]
    # The contact's email is the shop's to see, not echoed to whoever holds the token.
    assert read["conversation"]["contactEmail"] is None


@pytest.mark.parametrize(
    "token",
    [None, "", "c1.", "c1.ffffffff.forged", "c1.zz.abc", "x" * 90, "c1." + "a" * 200],
)
async def test_a_guest_conversation_without_its_token_is_nothing(client, token):
    started = await _start(client)
    number = started["conversation"]["number"]
    read = await client.query(READ_ONE, {"conversationNumber": number, "token": token})
    assert read["conversation"] is None
    body = await client.request(
        SEND,
        {"input": {"conversationNumber": number, "body": "hi", "clientId": "x", "token": token}},
    )
    assert body["data"]["sendMessage"]["errors"][0]["code"] == "NOT_FOUND"
    assert await Message.filter(body="hi").count() == 0


async def test_a_token_opens_only_its_own_conversation_and_dies_with_its_epoch(client):
    first = await _start(client, clientId="one")
    second = await _start(client, clientId="two", email="bob@example.com", name="Bob")
    wrong = {"conversationNumber": second["conversation"]["number"],
             "token": first["conversationToken"]}  # fmt: skip
    assert (await client.query(READ_ONE, wrong))["conversation"] is None

    number = first["conversation"]["number"]
    mine = {"conversationNumber": number, "token": first["conversationToken"]}
    assert (await client.query(READ_ONE, mine))["conversation"]["number"] == number
    await Conversation.filter(number=number).update(access_epoch=1)
    assert (await client.query(READ_ONE, mine))["conversation"] is None


async def test_an_expired_or_tampered_token_opens_nothing(db):
    conversation = Conversation(id=7, access_epoch=0)
    token = access.issue_token(conversation, now=1_000_000)
    assert access.token_opens(conversation, token, now=1_000_001)
    assert not access.token_opens(conversation, token, now=1_000_000 + 91 * 86400)
    head, expires, signature = token.split(".")
    later = f"{head}.{int(expires, 16) + 86400:x}.{signature}"
    assert not access.token_opens(conversation, later, now=1_000_001)
    assert not access.token_opens(Conversation(id=8, access_epoch=0), token, now=1_000_001)


async def test_a_member_starts_about_their_own_order_and_not_anothers(client):
    member, other = await make_user(nickname="Mo"), await make_user()
    variant = (await (await make_product()).variants.all())[0]
    mine = await make_order(member, [(variant, 1)])
    theirs = await make_order(other, [(variant, 1)])

    started = await _start(client, member, orderNumber=mine.number)
    assert started["conversationToken"] is None
    assert started["conversation"]["contactName"] == "Mo"
    assert started["conversation"]["links"] == [{"kind": "ORDER", "order": {"number": mine.number}}]

    refused = await _start(client, member, orderNumber=theirs.number, clientId="again")
    assert refused["errors"] == [
        {"code": "NOT_FOUND", "field": ["orderNumber"], "message": "The order does not exist."}
    ]  # fmt: skip
    assert refused["conversation"] is None
    assert await Conversation.filter(customer_id=member.id).count() == 1


async def test_a_guest_links_a_guest_order_only_with_its_email(client):
    variant = (await (await make_product()).variants.all())[0]
    order = await make_order(None, [(variant, 1)])
    await Order.filter(id=order.id).update(email="ada@example.com")
    started = await _start(client, orderNumber=order.number, email="ADA@example.com")
    # Number and email are what a guest shows to look an order up: the link shows it.
    assert started["conversation"]["links"][0]["order"] == {"number": order.number}
    assert await ConversationLink.filter(order_id=order.id).count() == 1

    refused = await _start(
        client, orderNumber=order.number, email="eve@example.com", clientId="eve"
    )
    assert refused["errors"][0]["code"] == "NOT_FOUND"
    assert await Conversation.filter(contact_email="eve@example.com").count() == 0


async def test_the_same_client_id_starts_one_conversation(client):
    first = await _start(client)
    again = await _start(client)
    assert again["conversation"]["number"] == first["conversation"]["number"]
    assert await Conversation.all().count() == 1
    assert await Message.filter(author=MessageAuthor.CUSTOMER).count() == 1


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"name": ""}, "REQUIRED", "name"),
        ({"email": ""}, "REQUIRED", "email"),
        ({"email": "not-an-address"}, "INVALID", "email"),
        ({"body": "   "}, "REQUIRED", "body"),
        ({"name": "x" * 121}, "TOO_LONG", "name"),
        ({"subject": "x" * 201}, "TOO_LONG", "subject"),
        ({"clientId": ""}, "INVALID", "clientId"),
        ({"clientId": "x" * 65}, "INVALID", "clientId"),
        ({"locale": "not a tag"}, "INVALID", "locale"),
    ],
)
async def test_a_bad_start_is_refused_and_nothing_is_written(client, fields, code, field):
    given = {"body": "Hi", "clientId": "c", "name": "Ada", "email": "a@example.com", **fields}
    body = await client.request(START, {"input": given})
    assert "errors" not in body, body
    errors = body["data"]["startConversation"]["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [(code, [field])]
    assert await Conversation.all().count() == 0


@pytest.mark.parametrize("fields", [{"body": "nul\x00"}, {"name": "A\x00"}, {"email": "x" * 300}])
async def test_unreadable_text_is_refused_before_the_chat_sees_it(client, fields):
    given = {"body": "Hi", "clientId": "c", "name": "Ada", "email": "a@example.com", **fields}
    body = await client.request(START, {"input": given})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await Conversation.all().count() == 0


async def test_staff_do_not_write_on_the_customers_side(client):
    started = await _start(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    number = started["conversation"]["number"]
    body = await client.request(
        SEND, {"input": {"conversationNumber": number, "body": "hi", "clientId": "s"}}, user=staff
    )
    assert body["data"]["sendMessage"]["errors"][0]["code"] == "FORBIDDEN"
    body = await client.request(START, {"input": {"body": "hi", "clientId": "s2"}}, user=staff)
    assert body["data"]["startConversation"]["errors"][0]["code"] == "FORBIDDEN"
    # Staff with the permission read it, from any route.
    read = await client.query(READ_ONE, {"conversationNumber": number}, user=staff)
    assert read["conversation"]["contactEmail"] == "ada@example.com"


async def test_another_customers_conversation_is_nothing_by_number_or_node_id(client):
    owner, stranger = await make_user(), await make_user()
    started = await _start(client, owner)
    number = started["conversation"]["number"]
    read = await client.query(READ_ONE, {"conversationNumber": number}, user=stranger)
    assert read["conversation"] is None
    by_node = await client.query(NODE, {"id": started["conversation"]["id"]}, user=stranger)
    assert by_node["node"] is None
    assert (await client.query(NODE, {"id": started["conversation"]["id"]}))["node"] is None
    assert (await client.query(MINE, user=stranger))["myConversations"]["edges"] == []
    body = await client.request(
        SEND,
        {"input": {"conversationNumber": number, "body": "mine now", "clientId": "m"}},
        user=stranger,
    )
    assert body["data"]["sendMessage"]["errors"][0]["code"] == "NOT_FOUND"
    # The owner reaches it by every route.
    assert (await client.query(NODE, {"id": started["conversation"]["id"]}, user=owner))["node"][
        "number"
    ] == number


async def test_a_private_note_reaches_the_customer_by_no_route(client):
    member = await make_user()
    started = await _start(client, member)
    number = started["conversation"]["number"]
    await _staff_answers(number, "Customer is difficult", private=True)
    await _staff_answers(number, "It ships today")

    views = [
        (await client.query(READ_ONE, {"conversationNumber": number}, user=member))["conversation"][
            "messages"
        ]["edges"],
        (await client.query(MINE, user=member))["myConversations"]["edges"][0]["node"]["messages"][
            "edges"
        ],
        (await client.query(NODE, {"id": started["conversation"]["id"]}, user=member))["node"][
            "messages"
        ]["edges"],
    ]
    for edges in views:
        bodies = [e["node"]["body"] for e in edges]
        assert "It ships today" in bodies and "Customer is difficult" not in bodies
        assert not any(e["node"]["private"] for e in edges)
    staff_view = await client.staff(READ_ONE, {"conversationNumber": number})
    assert "Customer is difficult" in [
        e["node"]["body"] for e in staff_view["conversation"]["messages"]["edges"]
    ]


async def test_a_customer_reopens_a_resolved_chat_and_a_closed_one_refuses(client):
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    conversation = await Conversation.get(number=number)
    async with atomic():
        await machine.move(await machine.locked(conversation.id), ConversationStatus.RESOLVED)
    sent = await _send(client, number, "One more thing", user=member)
    assert sent["conversation"]["status"] == "OPEN"
    async with atomic():
        await machine.move(await machine.locked(conversation.id), ConversationStatus.CLOSED)
    body = await client.request(
        SEND, {"input": {"conversationNumber": number, "body": "Hello?", "clientId": "h"}},
        user=member,
    )  # fmt: skip
    assert body["data"]["sendMessage"]["errors"][0]["code"] == "CLOSED"


async def test_a_retried_message_is_the_same_message(client):
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    first = await _send(client, number, "Twice", user=member)
    again = await _send(client, number, "Twice", user=member)
    assert first["message"]["id"] == again["message"]["id"]
    assert await Message.filter(body="Twice").count() == 1


async def test_reading_moves_forward_only_and_stamps_the_shops_messages(client):
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    first = await _staff_answers(number, "First")
    second = await _staff_answers(number, "Second")
    read = await client.query(READ_ONE, {"conversationNumber": number}, user=member)
    assert read["conversation"]["unreadCount"] == 2

    given = {"conversationNumber": number, "upToMessageId": gid("ConversationMessage", second.id)}
    done = await client.query(MARK_READ, {"input": given}, user=member)
    assert done["markConversationRead"]["conversation"]["unreadCount"] == 0
    back = {**given, "upToMessageId": gid("ConversationMessage", first.id)}
    await client.query(MARK_READ, {"input": back}, user=member)
    conversation = await Conversation.get(number=number)
    assert conversation.customer_read_up_to == second.id
    stamped = await Message.filter(id__in=[first.id, second.id])
    assert all(m.read_at is not None and m.delivered_at is not None for m in stamped)


async def test_reading_names_only_a_public_message_of_ones_own_conversation(client):
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    other_number = (await _start(client, await make_user()))["conversation"]["number"]
    note = await _staff_answers(number, "Private", private=True)
    elsewhere = await _staff_answers(other_number, "Elsewhere")
    for message_id in [
        gid("ConversationMessage", note.id),
        gid("ConversationMessage", elsewhere.id),
        gid("Conversation", 1),
        "not-an-id",
    ]:
        given = {"conversationNumber": number, "upToMessageId": message_id}
        for document, name in [
            (MARK_READ, "markConversationRead"), (MARK_DELIVERED, "markMessagesDelivered"),
        ]:  # fmt: skip
            body = await client.request(document, {"input": given}, user=member)
            errors = body["data"][name]["errors"] if body.get("data") else body["errors"]
            assert errors[0].get("code") or errors[0]["extensions"]["code"], body
            if body.get("data"):
                assert errors[0]["code"] == "NOT_FOUND"
    assert (await Conversation.get(number=number)).customer_read_up_to == 0
    assert (await Message.get(id=elsewhere.id)).delivered_at is None


async def test_delivered_stamps_once(client):
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    answer = await _staff_answers(number, "Here")
    given = {"conversationNumber": number, "upToMessageId": gid("ConversationMessage", answer.id)}
    await client.query(MARK_DELIVERED, {"input": given}, user=member)
    first = (await Message.get(id=answer.id)).delivered_at
    await client.query(MARK_DELIVERED, {"input": given}, user=member)
    assert first is not None and (await Message.get(id=answer.id)).delivered_at == first
    assert (await Message.get(id=answer.id)).read_at is None


async def test_starting_conversations_is_limited_per_address(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_start_limit_per_address", 2)
    for n in range(2):
        assert (await _start(client, clientId=f"s{n}"))["errors"] == []
    refused = await _start(client, clientId="s3")
    assert refused["errors"][0]["code"] == "RATE_LIMITED" and refused["conversation"] is None
    assert await Conversation.all().count() == 2
    # A retry of one already started is answered, not counted.
    assert (await _start(client, clientId="s1"))["errors"] == []


async def test_messages_are_limited_per_conversation(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_message_limit_per_conversation", 3)
    member = await make_user()
    number = (await _start(client, member))["conversation"]["number"]
    for n in range(3):
        assert (await _send(client, number, f"m{n}", user=member))["errors"] == []
    refused = await client.request(
        SEND, {"input": {"conversationNumber": number, "body": "flood", "clientId": "f"}},
        user=member,
    )  # fmt: skip
    assert refused["data"]["sendMessage"]["errors"][0]["code"] == "RATE_LIMITED"
    assert await Message.filter(body="flood").count() == 0


async def test_messages_are_limited_per_address(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_message_limit_per_address", 2)
    member = await make_user()
    numbers = [
        (await _start(client, member, clientId=f"c{n}"))["conversation"]["number"] for n in range(3)
    ]
    assert (await _send(client, numbers[0], "a", user=member))["errors"] == []
    assert (await _send(client, numbers[1], "b", user=member))["errors"] == []
    refused = await _send(client, numbers[2], "c", user=member)
    assert refused["errors"][0]["code"] == "RATE_LIMITED"


async def test_typing_is_limited_and_needs_the_conversation(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "support_typing_limit", 2)
    started = await _start(client)
    given = {
        "conversationNumber": started["conversation"]["number"],
        "token": started["conversationToken"],
        "typing": True,
    }
    for _ in range(2):
        assert (await client.query(TYPING, {"input": given}))["setTyping"]["typing"] is True
    limited = (await client.query(TYPING, {"input": given}))["setTyping"]
    assert limited["errors"][0]["code"] == "RATE_LIMITED"
    stranger = (await client.query(TYPING, {"input": {**given, "token": None}}))["setTyping"]
    assert stranger["errors"][0]["code"] == "NOT_FOUND"
