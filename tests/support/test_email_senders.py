"""Who an inbound email is from: a From is trusted (threading by number and sender, the
account of that address) only when authenticated, by the provider's Authentication-Results
over HTTP or by DKIM over SMTP; an unauthenticated email is still taken, apart."""

from __future__ import annotations

import asyncio
import smtplib
from typing import Any

import pytest

from models.accounts import Role
from models.support import (
    Conversation,
    ConversationChannel,
    InboundStatus,
    Message,
    MessageAuthor,
)
from services import rate_limit
from services.support import messages, senders
from services.support import status as machine
from services.transactions import atomic
from tests.factories import make_user
from tests.support.mail import (
    AUTHSERV_ID,
    SUPPORT,
    authenticated,
    deliver,
    dkim_dns,
    dkim_signed,
    email,
    run_jobs,
)
from webhooks import support_smtp

VICTIM = "Vic Tim <vic@example.jp>"


@pytest.fixture(autouse=True)
def provider(settings, monkeypatch):
    """The shop's provider stamps Authentication-Results as `AUTHSERV_ID`; DKIM keys come
    from a fake DNS that knows the test key for example.jp and attacker.test."""
    monkeypatch.setattr(settings, "support_email_verify_sender", True)
    monkeypatch.setattr(settings, "support_email_authserv_id", AUTHSERV_ID)
    monkeypatch.setattr(senders, "_lookup", dkim_dns("example.jp", "attacker.test"))
    rate_limit.configure(None)


def _email(message: Message) -> dict[str, Any]:
    """What the message keeps of the email it came from."""
    found = message.data["email"]
    assert isinstance(found, dict)
    return found


async def _customer_messages(conversation: Conversation) -> list[Message]:
    return await Message.filter(
        conversation_id=conversation.id, author=MessageAuthor.CUSTOMER
    ).order_by("id")


async def _victims_conversation() -> tuple[Any, Conversation]:
    victim = await make_user(email="vic@example.jp")
    got = await deliver(email(sender=VICTIM, headers=authenticated()))
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.customer_id == victim.id
    return victim, conversation


async def test_a_forged_from_with_the_number_in_the_subject_does_not_thread_in(db):
    _victim, conversation = await _victims_conversation()
    forged = email(sender=VICTIM, subject=f"Re: [{conversation.number}]", text="Refund to me")
    got = await deliver(forged)
    assert got.status is InboundStatus.ACCEPTED and got.opened
    assert got.conversation_number != conversation.number
    assert len(await _customer_messages(conversation)) == 1
    # The new conversation is with the address, not with the victim's account.
    other = await Conversation.get(number=got.conversation_number)
    assert other.customer_id is None and other.contact_email == "vic@example.jp"
    [message] = await _customer_messages(other)
    assert message.author_user_id is None
    assert _email(message)["sender_verified"] is False


async def test_the_same_sender_authenticated_threads_by_the_number(db):
    victim, conversation = await _victims_conversation()
    got = await deliver(
        email(sender=VICTIM, subject=f"Re: [{conversation.number}]", headers=authenticated())
    )
    assert got.conversation_number == conversation.number and not got.opened
    [_, message] = await _customer_messages(conversation)
    assert message.author_user_id == victim.id
    assert _email(message)["sender_verified"] is True
    assert _email(message)["sender_check"] == "dmarc"


async def test_an_unauthenticated_email_from_a_members_address_is_not_linked_to_them(db):
    await make_user(email="vic@example.jp")
    got = await deliver(email(sender=VICTIM))
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.customer_id is None and conversation.contact_email == "vic@example.jp"


@pytest.mark.parametrize(
    ("result", "verified"),
    [
        ("dmarc=pass header.from=example.jp", True),
        ("dmarc=pass", True),
        ("spf=pass smtp.mailfrom=example.jp; dmarc=pass (p=reject) header.from=EXAMPLE.JP", True),
        ("dkim=pass (good signature) header.d=example.jp header.s=s1", True),
        ('dkim=pass header.i="@example.jp"', True),
        # A sibling or child signing domain is not taken (no public suffix list here).
        ("dkim=pass header.d=mail.example.jp", False),
        ("dmarc=fail header.from=example.jp", False),
        ("dmarc=pass header.from=attacker.test", False),
        ("dkim=pass header.d=attacker.test", False),
        ("dkim=pass header.d=jp", False),
        ("spf=pass smtp.mailfrom=example.jp", False),
        ("dkim=fail header.d=example.jp; dmarc=none", False),
        ("none", False),
    ],
)
async def test_authentication_results_of_the_configured_authserv_id(db, result, verified):
    member = await make_user(email="vic@example.jp")
    got = await deliver(email(sender=VICTIM, headers=authenticated(result)))
    conversation = await Conversation.get(number=got.conversation_number)
    assert (conversation.customer_id == member.id) is verified
    [message] = await _customer_messages(conversation)
    assert _email(message)["sender_verified"] is verified


@pytest.mark.parametrize(
    "headers",
    [
        # Another server's verdict, or one the sender wrote: forgeable.
        authenticated(authserv_id="mx.attacker.test"),
        authenticated(authserv_id=AUTHSERV_ID + ".attacker.test"),
        {"X-Authentication-Results": f"{AUTHSERV_ID}; dmarc=pass"},
    ],
)
async def test_authentication_results_from_another_authserv_id_are_ignored(db, headers):
    await make_user(email="vic@example.jp")
    got = await deliver(email(sender=VICTIM, headers=headers))
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.customer_id is None


async def test_a_pass_written_below_the_providers_own_verdict_is_ignored(db):
    await make_user(email="vic@example.jp")
    written = email(sender=VICTIM, headers=authenticated())
    stamped = f"Authentication-Results: {AUTHSERV_ID}; dmarc=fail\r\n".encode() + written
    got = await deliver(stamped)
    assert (await Conversation.get(number=got.conversation_number)).customer_id is None


async def test_two_from_headers_are_never_authenticated(db):
    await make_user(email="vic@example.jp")
    raw = email(sender="someone@attacker.test", headers=authenticated())
    raw = b"From: vic@example.jp\n" + raw
    got = await deliver(raw)
    [message] = await _customer_messages(await Conversation.get(number=got.conversation_number))
    assert _email(message)["sender_verified"] is False


async def test_an_unauthenticated_reply_threads_only_by_what_the_shop_sent(db):
    first = await deliver(email(sender=VICTIM, message_id="<vic1@example.jp>"))
    conversation = await Conversation.get(number=first.conversation_number)
    # The customer's own Message-ID is in every copy of their email: it threads nothing.
    got = await deliver(email(sender=VICTIM, in_reply_to="<vic1@example.jp>"))
    assert got.opened and got.conversation_number != conversation.number
    # The Message-ID of the shop's answer reached only the customer: it threads.
    async with atomic():
        locked = await machine.locked(conversation.id)
        await messages.post(
            locked,
            author=MessageAuthor.STAFF,
            channel=ConversationChannel.EMAIL,
            body="We are on it.",
            email_message_id="<answer1@localhost>",
        )
    got = await deliver(email(sender=VICTIM, in_reply_to="<answer1@localhost>", text="Thanks"))
    assert got.conversation_number == conversation.number and not got.opened
    # And the secret reply address threads whoever writes.
    got = await deliver(
        email(sender="x@attacker.test", to=f"support+{conversation.reply_token}@localhost")
    )
    assert got.conversation_number == conversation.number


async def test_with_the_check_off_every_from_is_trusted_and_marked_unchecked(
    db, settings, monkeypatch
):
    monkeypatch.setattr(settings, "support_email_verify_sender", False)
    member = await make_user(email="vic@example.jp")
    got = await deliver(email(sender=VICTIM))
    conversation = await Conversation.get(number=got.conversation_number)
    assert conversation.customer_id == member.id
    [message] = await _customer_messages(conversation)
    assert _email(message)["sender_verified"] is None


# DKIM, over SMTP.


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("bounce@example.jp", [SUPPORT], raw)


@pytest.fixture
async def smtp_port(db: None) -> Any:
    server = await support_smtp.start("127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def test_a_dkim_signed_email_over_smtp_threads_by_number_and_sender(smtp_port):
    victim = await make_user(email="vic@example.jp")
    await asyncio.to_thread(_send, smtp_port, dkim_signed(email(sender=VICTIM)))
    await run_jobs()
    conversation = await Conversation.get()
    assert conversation.customer_id == victim.id
    follow_up = email(sender=VICTIM, subject=f"Re: [{conversation.number}]", text="Any news?")
    await asyncio.to_thread(_send, smtp_port, dkim_signed(follow_up))
    await run_jobs()
    assert await Conversation.all().count() == 1
    [_first, second] = await _customer_messages(conversation)
    assert second.body == "Any news?" and second.author_user_id == victim.id
    assert _email(second)["sender_verified"] is True
    assert _email(second)["sender_check"] == "dkim d=example.jp"


@pytest.mark.parametrize(
    "forge",
    [
        lambda raw: raw,  # not signed at all
        lambda raw: dkim_signed(raw, domain="attacker.test"),  # signed, but not aligned
        lambda raw: dkim_signed(raw).replace(b"Any news?", b"Pay me!!!"),  # changed after
        lambda raw: dkim_signed(raw, domain="unknown.example"),  # no key in the DNS
    ],
)
async def test_an_unsigned_or_forged_email_over_smtp_does_not_thread(smtp_port, forge):
    await make_user(email="vic@example.jp")
    await asyncio.to_thread(_send, smtp_port, dkim_signed(email(sender=VICTIM)))
    await run_jobs()
    conversation = await Conversation.get()
    raw = email(sender=VICTIM, subject=f"Re: [{conversation.number}]", text="Any news?")
    await asyncio.to_thread(_send, smtp_port, forge(raw))
    await run_jobs()
    assert len(await _customer_messages(conversation)) == 1
    other = await Conversation.exclude(id=conversation.id).get()
    assert other.customer_id is None
    [message] = await _customer_messages(other)
    assert _email(message)["sender_verified"] is False


async def test_smtp_ignores_authentication_results_the_sender_wrote(smtp_port):
    await make_user(email="vic@example.jp")
    await asyncio.to_thread(_send, smtp_port, email(sender=VICTIM, headers=authenticated()))
    await run_jobs()
    assert (await Conversation.get()).customer_id is None


def test_authentication_results_are_read_with_comments_quotes_and_versions():
    server, results = senders.parse_authentication_results(
        "MX.Provider.test 1; (a (nested) comment) dkim/1=pass (good) header.d=example.jp "
        'header.i="@example.jp"; spf=fail smtp.mailfrom=x; dmarc=pass header.from=example.jp'
    )
    assert server == "mx.provider.test"
    assert [(r.method, r.result) for r in results] == [
        ("dkim", "pass"), ("spf", "fail"), ("dmarc", "pass")
    ]  # fmt: skip
    assert results[0].properties == {"header.d": "example.jp", "header.i": "@example.jp"}
    assert senders.parse_authentication_results("") == ("", [])
    assert senders.parse_authentication_results("mx.provider.test; none") == (
        "mx.provider.test", []
    )  # fmt: skip


# What staff see.

MESSAGES = """
query ($number: String!) {
  conversation(conversationNumber: $number) { messages { nodes { body senderVerified } } }
}
"""


async def test_staff_read_whether_the_sender_was_verified_and_the_customer_does_not(client):
    member = await make_user(email="vic@example.jp")
    first = await deliver(email(sender=VICTIM, text="Signed", headers=authenticated()))
    await deliver(
        email(sender="Vic <vic@example.jp>", to="support@localhost", text="Unsigned")
    )  # a new conversation: not the member's
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    answer = await client.query(MESSAGES, {"number": first.conversation_number}, user=staff)
    assert answer["conversation"]["messages"]["nodes"] == [
        {"body": "Signed", "senderVerified": True}
    ]
    unsigned = await Conversation.exclude(number=first.conversation_number).get()
    answer = await client.query(MESSAGES, {"number": unsigned.number}, user=staff)
    assert answer["conversation"]["messages"]["nodes"] == [
        {"body": "Unsigned", "senderVerified": False}
    ]
    answer = await client.query(MESSAGES, {"number": first.conversation_number}, user=member)
    assert answer["conversation"]["messages"]["nodes"] == [
        {"body": "Signed", "senderVerified": None}
    ]
