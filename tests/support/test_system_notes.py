"""System messages carry typed details (`ConversationMessage.note`), so the chat and the
console write them in their reader's language: what the customer reads of a status change,
and what staff read of assignments, priorities, snoozes and ratings."""

from __future__ import annotations

from datetime import UTC, datetime

from models.accounts import Role
from models.support import (
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    Message,
    MessageAuthor,
)
from schema.support.notes import SystemNoteType
from services.support import conversations, desk
from services.support import status as machine
from services.support.conversations import Contact
from services.transactions import atomic
from tests.factories import make_user

NOTES = """
query One($conversationNumber: String!) {
  conversation(conversationNumber: $conversationNumber) {
    messages(first: 50) { nodes { author private body
      note { kind status previousStatus snoozedUntil priority previousPriority linkKind action
             returnNumber amount { amount currency } score assigneeName } } }
  }
}
"""


def _notes(data: dict) -> list[dict]:
    return [m["note"] for m in data["conversation"]["messages"]["nodes"] if m["author"] == "SYSTEM"]


async def test_the_customer_reads_status_changes_as_typed_notes_and_nothing_private(client):
    member = await make_user()
    staff = await make_user(role=Role.STAFF, permissions=("support",), nickname="Mei")
    row = await conversations.open_conversation(
        ConversationChannel.CHAT, Contact(customer_id=member.id)
    )
    await desk.assign(row.id, actor_id=staff.id, assignee_id=staff.id)
    await desk.set_priority(row.id, actor_id=staff.id, priority=ConversationPriority.HIGH)
    until = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    async with atomic():
        locked = await machine.locked(row.id)
        await machine.move(locked, ConversationStatus.SNOOZED, snoozed_until=until)
    async with atomic():
        locked = await machine.locked(row.id)
        await machine.move(locked, ConversationStatus.RESOLVED)

    mine = await client.query(NOTES, {"conversationNumber": row.number}, user=member)
    # Only the public status note: the snooze, the assignment and the priority are staff's.
    assert _notes(mine) == [
        {
            "kind": "STATUS", "status": "RESOLVED", "previousStatus": "SNOOZED",
            "snoozedUntil": None, "priority": None, "previousPriority": None, "linkKind": None,
            "action": None, "returnNumber": None, "amount": None, "score": None,
            "assigneeName": None,
        }
    ]  # fmt: skip

    theirs = _notes(await client.query(NOTES, {"conversationNumber": row.number}, user=staff))
    assert [n["kind"] for n in theirs] == ["ASSIGNED", "PRIORITY", "STATUS", "STATUS"]
    assert theirs[0]["assigneeName"] == "Mei"
    assert (theirs[1]["priority"], theirs[1]["previousPriority"]) == ("HIGH", "NORMAL")
    assert theirs[2]["status"] == "SNOOZED"
    assert datetime.fromisoformat(theirs[2]["snoozedUntil"]) == until
    assert theirs[3]["previousStatus"] == "SNOOZED"


async def test_odd_or_unknown_note_data_reads_as_nothing_rather_than_failing(db):
    row = await conversations.open_conversation(ConversationChannel.CHAT, Contact(name="Guest"))
    odd = Message(
        conversation_id=row.id, author=MessageAuthor.SYSTEM, channel="chat", body="?",
        data={"event": "status", "status": "vanished", "until": 5, "amount": "ten"},
    )  # fmt: skip
    note = SystemNoteType.of(odd)
    assert note is not None and note.status is None and note.snoozed_until is None
    assert note.amount is None
    unknown = Message(
        conversation_id=row.id, author=MessageAuthor.SYSTEM, channel="chat", body="?",
        data={"event": "something new"},
    )  # fmt: skip
    assert SystemNoteType.of(unknown) is None
