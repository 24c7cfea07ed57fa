"""A chat across two server processes on one PostgreSQL and one Redis: what is written on
one reaches those following the conversation on the other."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.accounts import Role
from tests.factories import make_user, token_for
from tests.live import next_message, subscribe

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL", "").startswith("postgres")),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
)

START = """
mutation Start($input: StartConversationInput!) {
  startConversation(input: $input) {
    conversation { id number } conversationToken errors { code }
  }
}
"""
SEND = """
mutation Send($input: SendMessageInput!) {
  sendMessage(input: $input) { message { id } errors { code } }
}
"""
TYPING = """
mutation Typing($input: SetTypingInput!) { setTyping(input: $input) { typing errors { code } } }
"""
REPLY = """
mutation Reply($input: ReplyToConversationInput!) {
  replyToConversation(input: $input) { message { id } errors { code } }
}
"""
FOLLOW = """
subscription Follow($conversationNumber: String!, $token: String) {
  conversationEvents(conversationNumber: $conversationNumber, token: $token) {
    __typename
    ... on ConversationMessagePosted { clientId message { body author } }
    ... on ConversationTyping { side typing }
  }
}
"""


@contextlib.asynccontextmanager
async def _server(database_url: str) -> AsyncIterator[str]:
    """A uvicorn server process of the shop on the test's database and Redis: its address."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "UNPAID_SWEEP_INTERVAL": "0",
        "LISTING_SWEEP_INTERVAL": "0",
        # Limits are shared in Redis between runs; these tests are not about them.
        "SUPPORT_START_LIMIT_PER_ADDRESS": "100000",
        "SUPPORT_MESSAGE_LIMIT_PER_ADDRESS": "100000",
    }
    process = subprocess.Popen(  # noqa: ASYNC220 - starting it does not wait for it
        [sys.executable, "-m", "uvicorn", "server:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                try:
                    if (await http.get(f"http://{base}/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert process.poll() is None, "the server process exited"
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the server process did not start")
        yield base
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 10)


async def _call(
    base: str, query: str, variables: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"http://{base}/graphql",
            json={"query": query, "variables": variables},
            headers=headers,
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _event(ws: Any, typename: str) -> dict[str, Any]:
    while True:
        message = await next_message(ws)
        assert message["type"] == "next", message
        event: dict[str, Any] = message["payload"]["data"]["conversationEvents"]
        if event["__typename"] == typename:
            return event


async def test_a_guest_on_one_process_hears_what_is_written_on_another(database_url, db):
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    async with _server(database_url) as a, _server(database_url) as b:
        started = (
            await _call(
                b,
                START,
                {
                    "input": {
                        "body": "Is my parcel lost?",
                        "clientId": "s-1",
                        "name": "Ada",
                        "email": "ada@example.com",
                    }
                },
            )
        )["startConversation"]
        number, token = started["conversation"]["number"], started["conversationToken"]
        following = {"conversationNumber": number, "token": token}
        async with (
            await subscribe(f"ws://{a}/graphql", None, FOLLOW, following) as guest,
            await subscribe(
                f"ws://{a}/graphql", token_for(staff), FOLLOW, {"conversationNumber": number}
            ) as desk,
        ):
            await asyncio.sleep(0.5)  # let both subscriptions register on process A
            sent = await _call(b, SEND, {"input": {
                "conversationNumber": number, "token": token,
                "body": "It said delivered", "clientId": "m-1",
            }})  # fmt: skip
            assert sent["sendMessage"]["errors"] == []
            for ws in (guest, desk):
                event = await _event(ws, "ConversationMessagePosted")
                assert event["clientId"] == "m-1"
                assert event["message"] == {"body": "It said delivered", "author": "CUSTOMER"}

            await _call(b, TYPING, {"input": {**following, "typing": True}})
            typing = await _event(desk, "ConversationTyping")
            assert (typing["side"], typing["typing"]) == ("CUSTOMER", True)

            # Staff answer on process B after a private note: the guest on A hears the answer
            # and never the note; the desk on A hears both.
            conversation_id = started["conversation"]["id"]
            for body, private in (
                ("Carrier says it was misdelivered", True),
                ("We resend it today", False),
            ):
                replied = await _call(b, REPLY, {"input": {
                    "conversationId": conversation_id, "body": body, "private": private,
                }}, token_for(staff))  # fmt: skip
                assert replied["replyToConversation"]["errors"] == []
            heard = await _event(guest, "ConversationMessagePosted")
            assert heard["message"] == {"body": "We resend it today", "author": "STAFF"}
            note = await _event(desk, "ConversationMessagePosted")
            assert note["message"]["body"] == "Carrier says it was misdelivered"
