"""The conversation core every channel writes through: the status machine, `messages.post`
and its rules, opening (priority from the tier), links, and the customer's own list."""

from __future__ import annotations

import pytest

from models.accounts import Role
from models.members import MembershipTier
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    LinkKind,
    Message,
    MessageAuthor,
)
from services.support import conversations, messages
from services.support import status as machine
from services.support.conversations import Contact
from services.support.errors import SupportError, SupportErrorCode
from services.transactions import atomic
from tests.factories import make_order, make_product, make_user

S = ConversationStatus


def _code(exc: pytest.ExceptionInfo[SupportError]) -> object:
    return exc.value.problems[0].code


async def _say(conversation: Conversation, author: MessageAuthor, body: str, **kw):
    async with atomic():
        locked = await machine.locked(conversation.id)
        posted = await messages.post(
            locked, author=author, channel=ConversationChannel.CHAT, body=body, **kw
        )
    return posted, await Conversation.get(id=conversation.id)


async def test_a_staff_answer_waits_on_the_customer_whose_reply_reopens_it(db):
    member = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id), subject="  Where is  it "
    )
    assert conversation.subject == "Where is it"
    assert conversation.number.startswith("CS") and len(conversation.number) == 10
    assert conversation.priority is ConversationPriority.NORMAL

    _, after = await _say(conversation, MessageAuthor.CUSTOMER, "Hello")
    assert after.status == S.OPEN and after.last_customer_message_at is not None
    posted, after = await _say(
        conversation, MessageAuthor.STAFF, "On its way", author_user_id=staff.id
    )
    assert after.status == S.WAITING
    assert after.first_response_at == posted.message.created_at
    assert after.first_responder_id == staff.id
    colleague = await make_user(role=Role.STAFF, permissions=("support",))
    _, after = await _say(conversation, MessageAuthor.STAFF, "Also", author_user_id=colleague.id)
    assert after.first_responder_id == staff.id  # the first answer's, kept

    _, after = await _say(conversation, MessageAuthor.CUSTOMER, "Thanks")
    assert after.status == S.OPEN
    assert after.reopened_at is None  # waiting on the customer is not a resolution
    # The status note is public; the customer sees the conversation reopen.
    notes = await Message.filter(conversation_id=conversation.id, author=MessageAuthor.SYSTEM)
    assert [n.data["status"] for n in notes] == ["waiting", "open"]


async def test_a_customer_reply_to_a_resolved_conversation_marks_its_reopening(db):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest", email="g@example.com")
    )
    async with atomic():
        locked = await machine.locked(conversation.id)
        await machine.move(locked, S.RESOLVED)
    posted, after = await _say(conversation, MessageAuthor.CUSTOMER, "One more thing")
    assert after.status == S.OPEN and after.resolved_at is None
    assert after.reopened_at is not None and after.reopened_at >= posted.message.created_at


async def test_a_private_note_changes_nothing_the_customer_sees(db):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest", email="g@example.com")
    )
    before = await Conversation.get(id=conversation.id)
    _, after = await _say(conversation, MessageAuthor.STAFF, "VIP, be kind", private=True)
    assert after.status == S.OPEN
    assert after.first_response_at is None and after.last_message_at == before.last_message_at


async def test_a_client_id_makes_one_message_however_often_it_is_sent(db):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest")
    )
    first, _ = await _say(conversation, MessageAuthor.CUSTOMER, "Hi", client_id="c-1")
    again, _ = await _say(conversation, MessageAuthor.CUSTOMER, "Hi", client_id="c-1")
    assert first.created and not again.created
    assert again.message.id == first.message.id
    assert await Message.filter(conversation_id=conversation.id, client_id="c-1").count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("   ", SupportErrorCode.REQUIRED),
        ("x" * (messages.MAX_BODY + 1), SupportErrorCode.TOO_LONG),
        ("nul\x00", SupportErrorCode.INVALID),
    ],
)
async def test_a_bad_body_is_refused_and_nothing_is_written(db, body, code):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest")
    )
    with pytest.raises(SupportError) as exc:
        await _say(conversation, MessageAuthor.CUSTOMER, body)
    assert _code(exc) is code
    assert await Message.filter(conversation_id=conversation.id).count() == 0


async def test_a_closed_conversation_takes_no_more_words(db):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest")
    )
    async with atomic():
        locked = await machine.locked(conversation.id)
        await machine.move(locked, S.CLOSED)
    with pytest.raises(SupportError) as exc:
        await _say(conversation, MessageAuthor.CUSTOMER, "Hello?")
    assert _code(exc) is SupportErrorCode.CLOSED
    async with atomic():
        locked = await machine.locked(conversation.id)
        with pytest.raises(SupportError) as exc:
            await machine.move(locked, S.OPEN)
    assert _code(exc) is SupportErrorCode.ILLEGAL_TRANSITION


async def test_a_move_from_an_outdated_read_is_stale(db):
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest")
    )
    outdated = await Conversation.get(id=conversation.id)
    async with atomic():
        await machine.touch(await machine.locked(conversation.id), subject="Changed")
    with pytest.raises(SupportError) as exc:
        async with atomic():
            await machine.move(outdated, S.RESOLVED)
    assert _code(exc) is SupportErrorCode.STALE
    assert (await Conversation.get(id=conversation.id)).status == S.OPEN


async def test_snoozing_keeps_the_time_and_waking_clears_it(db):
    from tortoise import timezone

    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest")
    )
    until = timezone.now().replace(microsecond=0)
    async with atomic():
        await machine.move(await machine.locked(conversation.id), S.SNOOZED, snoozed_until=until)
    assert (await Conversation.get(id=conversation.id)).snoozed_until == until
    _, after = await _say(conversation, MessageAuthor.CUSTOMER, "Any news?")
    assert after.status == S.OPEN and after.snoozed_until is None


async def test_members_of_a_priority_tier_start_high(db):
    tier = await MembershipTier.create(name="Gold", rank=3, priority_support=True)
    member = await make_user()
    member.tier_id = tier.id
    await member.save()
    conversation = await conversations.open_conversation(
        ConversationChannel.EMAIL, Contact(customer_id=member.id)
    )
    assert conversation.priority is ConversationPriority.HIGH
    assert conversation.priority_rank == 1


async def test_a_customer_links_only_their_own_orders_and_each_once(db):
    member, other = await make_user(), await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    mine = await make_order(member, [(variant, 1)])
    theirs = await make_order(other, [(variant, 1)])
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id)
    )
    async with atomic():
        locked = await machine.locked(conversation.id)
        first = await conversations.link(locked, LinkKind.ORDER, mine.id, owner_id=member.id)
        again = await conversations.link(locked, LinkKind.ORDER, mine.id, owner_id=member.id)
    assert first.id == again.id
    with pytest.raises(SupportError) as exc:
        async with atomic():
            locked = await machine.locked(conversation.id)
            await conversations.link(locked, LinkKind.ORDER, theirs.id, owner_id=member.id)
    assert _code(exc) is SupportErrorCode.NOT_FOUND


MINE = """
query { myConversations(first: 10) { totalCount edges { node {
  number status contactEmail labels
  messages(last: 10) { edges { node { author body private } } }
} } } }
"""


async def test_a_customer_lists_only_their_own_conversations_without_private_notes(client):
    member, other = await make_user(), await make_user()
    mine = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id, email="m@example.com")
    )
    await conversations.open_conversation(ConversationChannel.CHAT, Contact(customer_id=other.id))
    await _say(mine, MessageAuthor.CUSTOMER, "Hello")
    await _say(mine, MessageAuthor.STAFF, "Refund her twice, she is cross", private=True)
    await _say(mine, MessageAuthor.STAFF, "Hello, how can I help?")

    data = (await client.query(MINE, user=member))["myConversations"]
    assert data["totalCount"] == 1
    node = data["edges"][0]["node"]
    assert node["number"] == mine.number
    assert node["contactEmail"] is None and node["labels"] == []
    bodies = [e["node"]["body"] for e in node["messages"]["edges"]]
    assert "Refund her twice, she is cross" not in bodies
    assert "Hello" in bodies and "Hello, how can I help?" in bodies
    assert not any(e["node"]["private"] for e in node["messages"]["edges"])
