"""Chat messages sent at once (run on PostgreSQL too): one client id makes one message however
many times it races itself, and racing messages all land, in order, each counted once."""

from __future__ import annotations

import asyncio

import pytest

from models.support import Conversation, Message, MessageAuthor
from services import rate_limit
from services.auth import ANONYMOUS, viewer_for_user
from services.support import chat
from services.support.errors import SupportError
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _fresh_limits(settings, monkeypatch):
    rate_limit.configure(None)
    monkeypatch.setattr(settings, "support_message_limit_per_conversation", 1000)
    monkeypatch.setattr(settings, "support_message_limit_per_address", 1000)


async def test_the_same_client_id_sent_at_once_makes_one_message(db):
    started = await chat.start_conversation(
        viewer=ANONYMOUS, client="t", body="Hi", client_id="start", name="Ada",
        email="ada@example.com",
    )  # fmt: skip
    number, token = started.conversation.number, started.token

    async def send() -> chat.Sent:
        return await chat.send_message(
            viewer=ANONYMOUS, client="t", conversation_number=number, token=token,
            body="Only once", client_id="same",
        )  # fmt: skip

    results = await asyncio.gather(*(send() for _ in range(8)))
    assert len({r.message.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert await Message.filter(client_id="same").count() == 1


@pytest.mark.parametrize("member", [False, True], ids=["guest", "member"])
async def test_the_same_start_sent_at_once_opens_one_conversation(db, member):
    user = await make_user() if member else None
    viewer = viewer_for_user(user) if user else ANONYMOUS
    name, email = ("", "") if user else ("Ada", "Ada@Example.com")

    async def start() -> chat.Started:
        return await chat.start_conversation(
            viewer=viewer, client="t", body="Where is my parcel?", client_id="start-1",
            name=name, email=email,
        )  # fmt: skip

    results = await asyncio.gather(*(start() for _ in range(6)))
    assert len({r.conversation.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert await Conversation.all().count() == 1
    assert await Message.filter(author=MessageAuthor.CUSTOMER).count() == 1
    # A guest's every answer carries the token that opens it.
    assert all((r.token is None) == member for r in results)
    # Another client id from the same starter is another conversation.
    other = await chat.start_conversation(
        viewer=viewer, client="t", body="And a second question", client_id="start-2",
        name=name, email=email,
    )  # fmt: skip
    assert other.created and await Conversation.all().count() == 2


async def test_messages_sent_at_once_all_land_in_order_and_are_counted_once(db):
    member = await make_user()
    viewer = viewer_for_user(member)
    started = await chat.start_conversation(viewer=viewer, client="t", body="Hi", client_id="start")
    before = await Conversation.get(id=started.conversation.id)

    async def send(n: int) -> chat.Sent | SupportError:
        try:
            return await chat.send_message(
                viewer=viewer, client="t", conversation_number=before.number, token=None,
                body=f"Message {n}", client_id=f"m-{n}",
            )  # fmt: skip
        except SupportError as exc:
            return exc

    results = await asyncio.gather(*(send(n) for n in range(10)))
    assert all(isinstance(r, chat.Sent) and r.created for r in results), results
    rows = await Message.filter(conversation_id=before.id, author=MessageAuthor.CUSTOMER).order_by(
        "id"
    )
    assert len(rows) == 11
    # Ids follow creation, and each message's time is no earlier than the one before.
    assert [r.created_at for r in rows] == sorted(r.created_at for r in rows)
    after = await Conversation.get(id=before.id)
    # Every message bumped the conversation once: no update was lost or applied twice.
    assert after.version == before.version + 10
    assert after.last_customer_message_at == rows[-1].created_at
