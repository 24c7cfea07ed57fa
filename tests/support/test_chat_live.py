"""A conversation followed live over WebSocket (`conversationEvents`): its guest by token,
its member, staff with the support permission; a private note never reaches the customer,
typing reaches the other side only, and nobody else may follow."""

from __future__ import annotations

import asyncio
from typing import Any

import websockets

from models.accounts import Role
from models.support import Conversation, ConversationChannel, MessageAuthor
from services.auth import ANONYMOUS, viewer_for_user
from services.support import chat, messages
from services.support import status as machine
from services.transactions import atomic
from tests.factories import make_user, token_for
from tests.live import next_message, subscribe

FOLLOW = """
subscription Follow($conversationNumber: String!, $token: String) {
  conversationEvents(conversationNumber: $conversationNumber, token: $token) {
    __typename
    ... on ConversationMessagePosted { clientId message { body private author } }
    ... on ConversationUpdated { status previousStatus conversation { number status } }
    ... on ConversationRead { reader upToMessageId }
    ... on ConversationTyping { side typing }
  }
}
"""


async def _guest_chat() -> chat.Started:
    return await chat.start_conversation(
        viewer=ANONYMOUS, client="test", body="Hello", client_id="start",
        name="Ada", email="ada@example.com",
    )  # fmt: skip


async def _staff_says(number: str, body: str, *, private: bool = False) -> None:
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await Conversation.get(number=number)
    async with atomic():
        await messages.post(
            await machine.locked(conversation.id),
            author=MessageAuthor.STAFF,
            channel=ConversationChannel.CHAT,
            body=body,
            author_user_id=staff.id,
            private=private,
        )


async def _until(ws: websockets.ClientConnection, typename: str) -> list[dict[str, Any]]:
    """Every event received up to and including the first of `typename`."""
    seen = []
    while True:
        message = await next_message(ws)
        assert message["type"] == "next", message
        event = message["payload"]["data"]["conversationEvents"]
        seen.append(event)
        if event["__typename"] == typename:
            return seen


async def _quiet(ws: websockets.ClientConnection, seconds: float = 0.5) -> list[Any]:
    """What arrives within `seconds` (nothing, when all is well)."""
    got = []
    try:
        while True:
            got.append(await asyncio.wait_for(ws.recv(), timeout=seconds))
    except TimeoutError:
        return got


async def test_a_guest_follows_by_token_and_never_sees_a_private_note(live_server):
    started = await _guest_chat()
    number = started.conversation.number
    variables = {"conversationNumber": number, "token": started.token}
    async with await subscribe(live_server, None, FOLLOW, variables) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        await _staff_says(number, "Difficult customer", private=True)
        await _staff_says(number, "It ships today")
        seen = await _until(ws, "ConversationMessagePosted")
        posted = [e for e in seen if e["__typename"] == "ConversationMessagePosted"]
        assert [e["message"] for e in posted] == [
            {"body": "It ships today", "private": False, "author": "STAFF"}
        ]
        updated = [e for e in seen if e["__typename"] == "ConversationUpdated"]
        assert updated[-1]["status"] == "WAITING" and updated[-1]["previousStatus"] == "OPEN"

        # The guest's own message comes back with its client id, so the screen shows it once.
        await chat.send_message(
            viewer=ANONYMOUS, client="test", conversation_number=number,
            token=started.token, body="Thanks", client_id="c-2",
        )  # fmt: skip
        seen = await _until(ws, "ConversationMessagePosted")
        assert seen[-1]["clientId"] == "c-2" and seen[-1]["message"]["body"] == "Thanks"
        assert all(e.get("message", {}).get("private") is not True for e in seen)


async def test_staff_follow_with_private_notes_and_the_customers_typing(live_server):
    member = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    started = await chat.start_conversation(
        viewer=viewer_for_user(member), client="test", body="Hi", client_id="s"
    )
    number = started.conversation.number
    variables = {"conversationNumber": number}
    async with (
        await subscribe(live_server, token_for(staff), FOLLOW, variables) as staff_ws,
        await subscribe(live_server, token_for(member), FOLLOW, variables) as member_ws,
    ):
        await asyncio.sleep(0.2)
        await _staff_says(number, "Check the warehouse", private=True)
        note = await _until(staff_ws, "ConversationMessagePosted")
        assert note[-1]["message"] == {
            "body": "Check the warehouse", "private": True, "author": "STAFF",
        }  # fmt: skip

        await chat.set_typing(
            viewer=viewer_for_user(member), conversation_number=number, token=None, typing=True
        )
        typing = await _until(staff_ws, "ConversationTyping")
        assert typing[-1] == {"__typename": "ConversationTyping", "side": "CUSTOMER",
                              "typing": True}  # fmt: skip
        # The member heard neither the note nor their own typing.
        assert await _quiet(member_ws) == []


async def test_a_revoked_token_ends_the_stream(live_server):
    started = await _guest_chat()
    number = started.conversation.number
    variables = {"conversationNumber": number, "token": started.token}
    async with await subscribe(live_server, None, FOLLOW, variables) as ws:
        await asyncio.sleep(0.2)
        await Conversation.filter(number=number).update(access_epoch=1)
        await _staff_says(number, "Are you there?")
        message = await next_message(ws)
        assert message["type"] == "complete"


async def test_nobody_else_follows_a_conversation(live_server):
    started = await _guest_chat()
    member = await chat.start_conversation(
        viewer=viewer_for_user(owner := await make_user()), client="t", body="Hi", client_id="m"
    )
    stranger = await make_user()
    attempts: list[tuple[str | None, dict[str, Any]]] = [
        (None, {"conversationNumber": started.conversation.number}),
        (None, {"conversationNumber": started.conversation.number, "token": "c1.0.forged"}),
        (None, {"conversationNumber": member.conversation.number, "token": started.token}),
        (token_for(stranger), {"conversationNumber": member.conversation.number}),
        (None, {"conversationNumber": "CS00000000"}),
        (None, {"conversationNumber": "x" * 500}),
    ]
    for token, variables in attempts:
        async with await subscribe(live_server, token, FOLLOW, variables) as ws:
            message = await next_message(ws)
            assert message["type"] == "error", message
            assert message["payload"][0]["extensions"]["code"] in {"NOT_FOUND", "BAD_USER_INPUT"}
    assert owner.id is not None
