"""Pictures sent with messages, through GraphQL multipart requests: a guest or member in the
chat, staff in an answer or a private note. Refused files (too many, not an image, too large)
write nothing and leave no file behind; a retry with the same client id makes one message
with one set of attachments; a private note's pictures never reach the customer (the
conversation query, the live stream)."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest

from models.accounts import Role
from models.support import Conversation, Message, MessageAttachment
from services import rate_limit
from services.auth import ANONYMOUS
from services.support import attachments, chat
from settings import get_settings
from tests.factories import gid, make_user, png_bytes
from tests.live import subscribe
from tests.support.test_chat_live import _until

FILES = "attachments { url filename contentType sizeBytes width height }"
START = f"""
mutation Start($input: StartConversationInput!) {{
  startConversation(input: $input) {{
    conversation {{ number messages(first: 10) {{ edges {{ node {{ body {FILES} }} }} }} }}
    conversationToken
    errors {{ code field message }}
  }}
}}
"""
SEND = f"""
mutation Send($input: SendMessageInput!) {{
  sendMessage(input: $input) {{
    message {{ id body clientId {FILES} }}
    errors {{ code field message }}
  }}
}}
"""
REPLY = f"""
mutation Reply($input: ReplyToConversationInput!) {{
  replyToConversation(input: $input) {{
    message {{ id body private {FILES} }}
    errors {{ code field message }}
  }}
}}
"""
READ = f"""
query Read($conversationNumber: String!, $token: String) {{
  conversation(conversationNumber: $conversationNumber, token: $token) {{
    messages(first: 50) {{ edges {{ node {{ body private {FILES} }} }} }}
  }}
}}
"""
FOLLOW = f"""
subscription Follow($conversationNumber: String!, $token: String) {{
  conversationEvents(conversationNumber: $conversationNumber, token: $token) {{
    __typename
    ... on ConversationMessagePosted {{ message {{ body private {FILES} }} }}
  }}
}}
"""

COLOURS = ["red", "blue", "green", "white", "black", "gray"]


@pytest.fixture(autouse=True)
def _no_stored_files():
    """Files are stored by content: start each test with none, to count what it leaves."""
    shutil.rmtree(get_settings().media_dir / attachments.MEDIA_FOLDER, ignore_errors=True)


def _files(count: int, first: int = 0) -> dict[str, Any]:
    """`count` different small pictures for `variables.input.attachments` (from a colour on)."""
    return {
        f"variables.input.attachments.{i}": (f"photo{i}.png", png_bytes(color=COLOURS[first + i]))
        for i in range(count)
    }


async def _guest(client) -> tuple[str, str]:
    started = await client.query(
        START,
        {"input": {"body": "Hello", "clientId": "start", "name": "Ada", "email": "a@example.com"}},
    )
    payload = started["startConversation"]
    return payload["conversation"]["number"], payload["conversationToken"]


async def _send(client, number: str, token: str, count: int, **fields: Any) -> dict[str, Any]:
    given = {
        "conversationNumber": number, "token": token, "body": "", "clientId": "m-1",
        "attachments": [None] * count, **fields,
    }  # fmt: skip
    body = await client.upload(SEND, {"input": given}, _files(count))
    assert "errors" not in body, body
    return body["data"]["sendMessage"]


async def _reply(
    client, staff, number: str, count: int, first: int = 0, **fields: Any
) -> dict[str, Any]:
    conversation = await Conversation.get(number=number)
    given = {
        "conversationId": gid("Conversation", conversation.id), "body": "See the picture",
        "attachments": [None] * count, **fields,
    }  # fmt: skip
    body = await client.upload(REPLY, {"input": given}, _files(count, first), user=staff)
    assert "errors" not in body, body
    return body["data"]["replyToConversation"]


def _stored_files() -> set[str]:
    folder = get_settings().media_dir / attachments.MEDIA_FOLDER
    return {str(p) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


async def test_a_guest_sends_pictures_without_words(client):
    number, token = await _guest(client)

    sent = await _send(client, number, token, 2)

    assert sent["errors"] == []
    message = sent["message"]
    assert message["body"] == ""
    assert [(a["filename"], a["contentType"], a["width"], a["height"]) for a in
            message["attachments"]] == [("photo0.png", "image/png", 8, 8),
                                        ("photo1.png", "image/png", 8, 8)]  # fmt: skip
    rows = await MessageAttachment.filter(message__client_id="m-1")
    assert [r.size_bytes for r in rows] == [len(png_bytes(color=c)) for c in COLOURS[:2]]
    assert all((get_settings().media_dir / r.path).is_file() for r in rows)
    assert message["attachments"][0]["url"].endswith(rows[0].path)


async def test_a_member_starts_a_chat_with_a_picture(client):
    member = await make_user()
    given = {"body": "It came broken", "clientId": "s-1", "attachments": [None]}
    body = await client.upload(START, {"input": given}, _files(1), user=member)

    payload = body["data"]["startConversation"]
    assert payload["errors"] == []
    [edge] = payload["conversation"]["messages"]["edges"]
    assert edge["node"]["body"] == "It came broken"
    assert [a["filename"] for a in edge["node"]["attachments"]] == ["photo0.png"]
    assert await MessageAttachment.all().count() == 1


async def test_six_files_a_renamed_text_file_or_an_oversize_image_write_nothing(
    client, settings, monkeypatch
):
    number, token = await _guest(client)

    too_many = await _send(client, number, token, 6)
    given = {"conversationNumber": number, "token": token, "body": "x", "clientId": "m-2",
             "attachments": [None, None]}  # fmt: skip
    files = _files(2)
    files["variables.input.attachments.1"] = ("notes.png", b"just some text, not a picture")
    not_image = (await client.upload(SEND, {"input": given}, files))["data"]["sendMessage"]
    monkeypatch.setattr(settings, "max_image_bytes", 1000)
    big = png_bytes(400, 400, color="white", fmt="BMP")
    files = {"variables.input.attachments.0": ("big.png", big)}
    given["attachments"] = [None]
    oversize = (await client.upload(SEND, {"input": given}, files))["data"]["sendMessage"]

    assert [(e["code"], e["field"]) for e in too_many["errors"]] == [
        ("INVALID_ATTACHMENT", ["attachments"])
    ]
    assert [(e["code"], e["field"]) for e in not_image["errors"]] == [
        ("INVALID_ATTACHMENT", ["attachments", "1"])
    ]
    assert [(e["code"], e["field"]) for e in oversize["errors"]] == [
        ("INVALID_ATTACHMENT", ["attachments", "0"])
    ]
    assert await Message.filter(client_id__in=["m-1", "m-2"]).count() == 0
    assert await MessageAttachment.all().count() == 0
    assert _stored_files() == set()


async def test_staff_refused_for_too_many_files_write_nothing(client):
    number, _ = await _guest(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))

    refused = await _reply(client, staff, number, 6, private=True)

    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INVALID_ATTACHMENT", ["attachments"])
    ]
    assert await Message.filter(author="staff").count() == 0
    assert _stored_files() == set()


async def test_a_message_refused_after_its_files_were_stored_leaves_no_file(client):
    number, _ = await _guest(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await Conversation.get(number=number)

    stale = await _reply(client, staff, number, 2, version=conversation.version - 1)

    assert [e["code"] for e in stale["errors"]] == ["STALE"]
    assert await MessageAttachment.all().count() == 0
    assert _stored_files() == set()


async def test_the_same_client_id_twice_makes_one_message_with_one_set_of_files(client):
    number, token = await _guest(client)

    first = await _send(client, number, token, 2)
    again = await _send(client, number, token, 2)

    assert first["errors"] == again["errors"] == []
    assert first["message"]["id"] == again["message"]["id"]
    assert again["message"]["attachments"] == first["message"]["attachments"]
    assert await Message.filter(client_id="m-1").count() == 1
    assert await MessageAttachment.all().count() == 2
    assert len(_stored_files()) == 2


async def test_a_staff_retry_with_its_client_id_adds_no_attachment_rows(client):
    number, _ = await _guest(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))

    first = await _reply(client, staff, number, 1, clientId="r-1")
    again = await _reply(client, staff, number, 1, clientId="r-1")

    assert first["message"]["id"] == again["message"]["id"]
    assert await Message.filter(client_id="r-1").count() == 1
    assert await MessageAttachment.all().count() == 1


async def test_a_private_notes_pictures_never_reach_the_customer(client):
    number, token = await _guest(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))

    note = await _reply(client, staff, number, 1, private=True, body="Damaged in our warehouse")
    answer = await _reply(client, staff, number, 1, body="Here is the new one", first=1)

    assert note["errors"] == answer["errors"] == []
    [hidden] = note["message"]["attachments"]
    guest = await client.request(READ, {"conversationNumber": number, "token": token})
    seen = [e["node"] for e in guest["data"]["conversation"]["messages"]["edges"]]
    assert [(m["body"], len(m["attachments"])) for m in seen if m["attachments"]] == [
        ("Here is the new one", 1)
    ]
    assert hidden["url"] not in str(guest)
    desk = await client.query(READ, {"conversationNumber": number}, user=staff)
    urls = [
        a["url"]
        for e in desk["conversation"]["messages"]["edges"]
        for a in e["node"]["attachments"]
    ]
    assert urls == [hidden["url"], answer["message"]["attachments"][0]["url"]]


async def test_the_live_stream_carries_pictures_and_never_a_notes(client, live_server):
    number, token = await _guest(client)
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    variables = {"conversationNumber": number, "token": token}
    async with await subscribe(live_server, None, FOLLOW, variables) as ws:
        await asyncio.sleep(0.2)  # let the subscription register before publishing
        await _reply(client, staff, number, 1, private=True, body="Internal picture")
        await _reply(client, staff, number, 2, first=1, body="Both sides")
        seen = await _until(ws, "ConversationMessagePosted")

    posted = [e["message"] for e in seen if e["__typename"] == "ConversationMessagePosted"]
    assert [(m["body"], m["private"]) for m in posted] == [("Both sides", False)]
    assert [a["filename"] for a in posted[0]["attachments"]] == ["photo0.png", "photo1.png"]
    # Named over the socket, the pictures are still fetched over HTTP.
    assert all(a["url"].startswith("http://") for a in posted[0]["attachments"])


async def test_the_same_client_id_with_files_sent_at_once_makes_one_message(
    db, settings, monkeypatch
):
    rate_limit.configure(None)
    monkeypatch.setattr(settings, "support_message_limit_per_conversation", 1000)
    monkeypatch.setattr(settings, "support_message_limit_per_address", 1000)
    started = await chat.start_conversation(
        viewer=ANONYMOUS, client="t", body="Hi", client_id="start", name="Ada",
        email="ada@example.com",
    )  # fmt: skip
    files = [attachments.NewFile(f"p{i}.png", png_bytes(color=COLOURS[i])) for i in range(3)]

    async def send() -> chat.Sent:
        return await chat.send_message(
            viewer=ANONYMOUS, client="t", conversation_number=started.conversation.number,
            token=started.token, body="", client_id="same", files=files,
        )  # fmt: skip

    results = await asyncio.gather(*(send() for _ in range(6)))

    assert len({r.message.id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    [message] = await Message.filter(client_id="same")
    rows = await MessageAttachment.filter(message_id=message.id)
    assert [r.filename for r in rows] == ["p0.png", "p1.png", "p2.png"]
    assert await MessageAttachment.all().count() == 3
    assert all((settings.media_dir / r.path).is_file() for r in rows)
    assert len(_stored_files()) == 3


async def _messages_with_pictures(conversation: Conversation, count: int) -> None:
    for n in range(count):
        message = await Message.create(
            conversation_id=conversation.id, author="customer", channel="chat", body=f"m{n}"
        )
        for i in range(2):
            await MessageAttachment.create(
                message_id=message.id, path=f"support/x/{n}-{i}.png", content_type="image/png",
                size_bytes=10, width=8, height=8,
            )  # fmt: skip


async def test_a_threads_pictures_load_in_one_batch_however_many_messages(client, count_queries):
    number, token = await _guest(client)
    conversation = await Conversation.get(number=number)
    variables = {"conversationNumber": number, "token": token}

    await _messages_with_pictures(conversation, 3)
    before = count_queries.count
    few = await client.query(READ, variables)
    with_few = count_queries.count - before
    await _messages_with_pictures(conversation, 20)
    before = count_queries.count
    many = await client.query(READ, variables)
    with_many = count_queries.count - before

    assert len(few["conversation"]["messages"]["edges"]) == 4
    assert len(many["conversation"]["messages"]["edges"]) == 24
    assert (
        sum(len(e["node"]["attachments"]) for e in many["conversation"]["messages"]["edges"]) == 46
    )
    assert with_many == with_few
