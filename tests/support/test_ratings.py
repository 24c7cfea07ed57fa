"""The customer rates the help once the conversation is resolved: the member or the guest
holding its token, 1 to 5 with a comment, changed within seven days, one row however many
ratings race; nobody else, and never before resolution."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise import timezone

from models.accounts import Role
from models.support import (
    Conversation,
    ConversationChannel,
    ConversationRating,
    ConversationStatus,
    Message,
)
from services.auth import Viewer
from services.support import access, conversations, ratings
from services.support import status as machine
from services.support.conversations import Contact
from services.support.errors import SupportError, SupportErrorCode
from services.transactions import atomic
from tests.factories import make_user

S = ConversationStatus
RATE = """mutation($input: RateConversationInput!) {
  rateConversation(input: $input) { rating { score comment } errors { field code message } }
}"""
READ_RATING = (
    """query($id: ID!) { node(id: $id) { ... on Conversation { rating { score comment } } } }"""
)


async def _conversation(customer_id: int | None = None, *, to: S | None = S.RESOLVED):
    contact = Contact(customer_id=customer_id) if customer_id else Contact(name="Guest")
    conversation = await conversations.open_conversation(ConversationChannel.CHAT, contact)
    if to is not None:
        async with atomic():
            locked = await machine.locked(conversation.id)
            await machine.move(locked, to)
    return await Conversation.get(id=conversation.id)


def _rate(conversation: Conversation, score: int = 5, comment: str = "", **extra):
    return {
        "input": {
            "conversationNumber": conversation.number,
            "score": score,
            "comment": comment,
            **extra,
        }
    }


def codes(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_a_member_rates_a_resolved_conversation_and_staff_see_who_was_assigned(client):
    member = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await _conversation(member.id, to=None)
    await Conversation.filter(id=conversation.id).update(assignee_id=staff.id)
    async with atomic():
        await machine.move(await machine.locked(conversation.id), S.RESOLVED)
    payload = await client.query(RATE, _rate(conversation, 4, "  Quick and kind "), user=member)
    assert payload["rateConversation"] == {
        "rating": {"score": 4, "comment": "Quick and kind"},
        "errors": [],
    }
    stored = await ConversationRating.get(conversation_id=conversation.id)
    assert stored.assignee_id == staff.id
    note = await Message.filter(conversation_id=conversation.id).order_by("-id").first()
    assert note is not None and note.private and note.data["event"] == "rated"
    from schema.relay import encode_id

    node = {"id": encode_id("Conversation", conversation.id)}
    seen = await client.query(READ_RATING, node, user=staff)
    assert seen["node"]["rating"] == {"score": 4, "comment": "Quick and kind"}


async def test_a_guest_rates_with_the_conversations_token(client):
    conversation = await _conversation(to=S.CLOSED)
    token = access.issue_token(conversation)
    payload = (await client.query(RATE, _rate(conversation, 5, token=token)))["rateConversation"]
    assert payload["rating"]["score"] == 5
    refused = await client.query(RATE, _rate(conversation, 5, token="c1.forged"))
    assert codes(refused["rateConversation"]) == [("NOT_FOUND", ["conversationNumber"])]


async def test_an_open_conversation_cannot_be_rated_yet(client):
    member = await make_user()
    conversation = await _conversation(member.id, to=None)
    payload = (await client.query(RATE, _rate(conversation), user=member))["rateConversation"]
    assert codes(payload) == [("NOT_RATABLE", ["conversationNumber"])]
    assert await ConversationRating.all().count() == 0


async def test_another_customers_conversation_reads_as_not_found(client):
    member, other = await make_user(), await make_user()
    conversation = await _conversation(member.id)
    for user in (other, None):
        payload = (await client.query(RATE, _rate(conversation), user=user))["rateConversation"]
        assert codes(payload) == [("NOT_FOUND", ["conversationNumber"])]
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    payload = (await client.query(RATE, _rate(conversation), user=staff))["rateConversation"]
    assert codes(payload) == [("FORBIDDEN", ["conversationNumber"])]
    assert await ConversationRating.all().count() == 0


@pytest.mark.parametrize(
    ("score", "comment", "expected"),
    [
        (0, "", [("INVALID", ["score"])]),
        (6, "", [("INVALID", ["score"])]),
        (-2147483648, "", [("INVALID", ["score"])]),
        (3, "x" * 2001, [("TOO_LONG", ["comment"])]),
    ],
)
async def test_a_bad_score_or_comment_is_refused(client, score, comment, expected):
    member = await make_user()
    conversation = await _conversation(member.id)
    payload = await client.query(RATE, _rate(conversation, score, comment), user=member)
    assert codes(payload["rateConversation"]) == expected
    assert await ConversationRating.all().count() == 0


async def test_a_long_comment_up_to_the_limit_is_kept_whole(client):
    member = await make_user()
    conversation = await _conversation(member.id)
    payload = await client.query(RATE, _rate(conversation, 3, "é" * 2000), user=member)
    assert payload["rateConversation"]["rating"]["comment"] == "é" * 2000


async def test_rating_again_within_seven_days_changes_it_and_later_is_refused(client):
    member = await make_user()
    conversation = await _conversation(member.id)
    await client.query(RATE, _rate(conversation, 2, "Slow"), user=member)
    again = await client.query(RATE, _rate(conversation, 4, "Fine after all"), user=member)
    assert again["rateConversation"]["rating"] == {"score": 4, "comment": "Fine after all"}
    assert await ConversationRating.all().count() == 1
    await ConversationRating.filter(conversation_id=conversation.id).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    late = (await client.query(RATE, _rate(conversation, 1), user=member))["rateConversation"]
    assert codes(late) == [("NOT_RATABLE", ["conversationNumber"])]
    assert (await ConversationRating.get(conversation_id=conversation.id)).score == 4


async def test_two_ratings_at_once_make_one_row(db):
    member = await make_user()
    conversation = await _conversation(member.id)
    viewer = Viewer(label=f"user:{member.id}", user_id=member.id, role=Role.CUSTOMER)

    async def one(score: int) -> int | SupportErrorCode:
        try:
            rated = await ratings.rate(
                viewer=viewer, conversation_number=conversation.number, token=None, score=score
            )
        except SupportError as exc:
            return SupportErrorCode(exc.problems[0].code)
        return rated.score

    results = await asyncio.gather(*(one(score) for score in (1, 2, 3, 4, 5)))
    assert await ConversationRating.filter(conversation_id=conversation.id).count() == 1
    stored = await ConversationRating.get(conversation_id=conversation.id)
    assert stored.score in results
