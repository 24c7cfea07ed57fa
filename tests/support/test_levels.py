"""Service levels: due times set on opening from the priority's target in business time,
moved by a priority change and a reopening, the time left shown to staff only, and the
sweep that flags a missed target once, live."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import timezone

from models.accounts import Role
from models.support import (
    BusinessHours,
    Conversation,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    MessageAuthor,
    ServiceLevelTarget,
    SupportSchedule,
)
from schema.relay import encode_id
from services.support import breaches, conversations, levels, messages
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from subscriptions import bus, events
from tests.factories import make_user

P = ConversationPriority
S = ConversationStatus

DUE_IN = """
query ($id: ID!) {
  node(id: $id) {
    ... on Conversation { firstResponseDueIn resolutionDueIn breached firstResponseDueAt }
  }
}
"""


async def _targets(**minutes: tuple[int, int]) -> None:
    for name, (first, resolution) in minutes.items():
        await ServiceLevelTarget.create(
            priority=ConversationPriority(name),
            first_response_minutes=first,
            resolution_minutes=resolution,
        )


async def _open(**kw) -> Conversation:
    return await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(name="Guest", email="g@example.com"), **kw
    )


async def _say(conversation: Conversation, author: MessageAuthor, **kw) -> Conversation:
    async with atomic():
        locked = await machine.locked(conversation.id)
        await messages.post(
            locked, author=author, channel=ConversationChannel.CHAT, body="Hi", **kw
        )
    return await Conversation.get(id=conversation.id)


def _close_to(value: datetime | None, expected: datetime) -> bool:
    return value is not None and abs((value - expected).total_seconds()) < 5


async def test_an_opened_conversation_is_due_by_its_prioritys_target(db):
    await _targets(normal=(60, 480), high=(15, 240))
    before = timezone.now()
    normal = await _open()
    high = await _open(priority=P.HIGH)
    assert _close_to(normal.first_response_due_at, before + timedelta(minutes=60))
    assert _close_to(normal.resolution_due_at, before + timedelta(minutes=480))
    assert _close_to(high.first_response_due_at, before + timedelta(minutes=15))
    stored = await Conversation.get(id=high.id)
    assert _close_to(stored.resolution_due_at, before + timedelta(minutes=240))


async def test_without_a_target_nothing_is_due(db):
    await _targets(high=(15, 240))
    conversation = await _open()
    assert conversation.first_response_due_at is None
    assert conversation.resolution_due_at is None


async def test_due_times_count_only_business_hours(db):
    schedule = await SupportSchedule.create(timezone="UTC")
    # Open a single minute a day, in the small hours: a target of two minutes takes days.
    for day in range(7):
        await BusinessHours.create(
            schedule_id=schedule.id, weekday=day, opens_minute=1, closes_minute=2
        )
    await _targets(normal=(2, 3))
    conversation = await _open()
    assert conversation.first_response_due_at is not None
    assert conversation.first_response_due_at - timezone.now() > timedelta(hours=23)


async def test_a_priority_change_keeps_the_time_used_and_swaps_the_target(db):
    await _targets(normal=(60, 480), urgent=(10, 120))
    conversation = await _open()
    now = timezone.now()
    async with atomic():
        locked = await machine.locked(conversation.id)
        await machine.touch(locked, priority=P.URGENT)
    after = await Conversation.get(id=conversation.id)
    assert after.priority_rank == 0
    assert _close_to(after.first_response_due_at, now + timedelta(minutes=10))
    assert _close_to(after.resolution_due_at, now + timedelta(minutes=120))


async def test_a_reopened_conversation_gets_a_new_resolution_clock(db):
    await _targets(normal=(60, 480))
    conversation = await _open()
    async with atomic():
        locked = await machine.locked(conversation.id)
        await machine.move(locked, S.RESOLVED)
    await Conversation.filter(id=conversation.id).update(
        resolution_due_at=timezone.now() - timedelta(days=1)
    )
    reopened = await _say(conversation, MessageAuthor.CUSTOMER)
    assert reopened.status == S.OPEN
    assert _close_to(reopened.resolution_due_at, timezone.now() + timedelta(minutes=480))


async def test_the_sweep_flags_a_late_conversation_once_and_live(db):
    await _targets(normal=(60, 480))
    late, on_time = await _open(), await _open()
    due = datetime(2026, 1, 5, 9, tzinfo=UTC)
    await Conversation.filter(id=late.id).update(first_response_due_at=due)
    async with bus.current().subscribe(events.conversation_channel(late.number)) as changes:
        await asyncio.sleep(0.1)  # Redis: let the subscription register
        assert await breaches.flag_breaches() == 1
        message = await asyncio.wait_for(anext(aiter(changes)), timeout=5)
        assert message["breached"] is True
    assert await breaches.flag_breaches() == 0
    flagged = await Conversation.get(id=late.id)
    assert flagged.breached_at == due
    assert flagged.version == late.version + 1
    assert (await Conversation.get(id=on_time.id)).breached_at is None


async def test_an_answer_given_late_is_a_breach_though_the_sweep_came_after(db):
    await _targets(normal=(60, 480))
    conversation = await _open()
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    await _say(conversation, MessageAuthor.STAFF, author_user_id=staff.id)
    due = timezone.now() - timedelta(minutes=5)
    await Conversation.filter(id=conversation.id).update(first_response_due_at=due)
    assert await breaches.flag_breaches() == 1
    assert (await Conversation.get(id=conversation.id)).breached_at == due


async def test_two_sweeps_at_once_flag_a_conversation_once(db):
    await _targets(normal=(60, 480))
    rows = [await _open() for _ in range(4)]
    past = timezone.now() - timedelta(hours=1)
    await Conversation.filter(id__in=[r.id for r in rows]).update(resolution_due_at=past)
    counts = await asyncio.gather(*(breaches.flag_breaches() for _ in range(3)))
    assert sum(counts) == 4
    for row in await Conversation.filter(id__in=[r.id for r in rows]):
        assert row.breached_at == past
        assert row.version == 1


async def test_staff_read_the_business_time_left_and_customers_do_not(client, db):
    await _targets(normal=(60, 480))
    member = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id)
    )
    node = {"id": encode_id("Conversation", conversation.id)}
    seen = (await client.query(DUE_IN, node, user=staff))["node"]
    assert 3500 < seen["firstResponseDueIn"] <= 3600
    assert 28700 < seen["resolutionDueIn"] <= 28800
    assert seen["breached"] is False
    mine = (await client.query(DUE_IN, node, user=member))["node"]
    assert mine == {
        "firstResponseDueIn": None,
        "resolutionDueIn": None,
        "breached": False,
        "firstResponseDueAt": None,
    }


async def test_the_time_left_is_negative_when_late_and_gone_once_answered(client, db):
    await _targets(normal=(60, 480))
    staff = await make_user(role=Role.STAFF, permissions=("support",))
    conversation = await _open()
    await Conversation.filter(id=conversation.id).update(
        first_response_due_at=timezone.now() - timedelta(minutes=10)
    )
    node = {"id": encode_id("Conversation", conversation.id)}
    seen = (await client.query(DUE_IN, node, user=staff))["node"]
    assert -700 < seen["firstResponseDueIn"] <= -600
    await _say(conversation, MessageAuthor.STAFF, author_user_id=staff.id)
    seen = (await client.query(DUE_IN, node, user=staff))["node"]
    assert seen["firstResponseDueIn"] is None and seen["resolutionDueIn"] > 0


@pytest.mark.parametrize("late", [True, False])
def test_a_missed_due_time_is_the_earliest_one_missed(late):
    now = datetime(2026, 12, 7, 12, tzinfo=UTC)
    row = Conversation(
        first_response_due_at=now - timedelta(hours=2) if late else now + timedelta(hours=1),
        resolution_due_at=now - timedelta(hours=1),
    )
    expected = now - timedelta(hours=2) if late else now - timedelta(hours=1)
    assert levels.missed_at(row, now) == expected
