"""The customer's rating of the help: 1 to 5 and a comment, once the conversation is
resolved or closed.

A conversation has one rating. Its customer (the member, or a guest holding its token)
gives it; giving it again within `CHANGE_DAYS` of the first changes it (a second thought
after reading the answer again), later it is refused NOT_RATABLE. The rating records who
was assigned then, for the per-staff statistics. Ratings of one conversation are serialised
on its row, and the table keeps one row per conversation whatever races.
"""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.support import Conversation, ConversationRating, ConversationStatus
from services.auth import Viewer
from services.support import access
from services.support import status as machine
from services.support.errors import SupportError, SupportErrorCode, fail
from services.transactions import atomic

MAX_COMMENT = 2000
#: Days after the first rating during which rating again changes it.
CHANGE_DAYS = 7
RATABLE = frozenset({ConversationStatus.RESOLVED, ConversationStatus.CLOSED})


def may_rate(conversation: Conversation, viewer: Viewer, token: str | None) -> bool:
    """Whether `viewer` (with a guest's `token`) is the conversation's customer."""
    try:
        access.check_customer(conversation, viewer, token)
    except SupportError:
        return False
    return True


def check_rating(score: int, comment: str) -> str:
    """The comment trimmed, or INVALID / TOO_LONG."""
    if not 1 <= score <= 5:
        raise fail(SupportErrorCode.INVALID, "Give a score from 1 to 5.", "score")
    if "\x00" in comment or any(0xD800 <= ord(c) <= 0xDFFF for c in comment):
        raise fail(SupportErrorCode.INVALID, "The comment holds characters text cannot.", "comment")
    text = comment.strip()
    if len(text) > MAX_COMMENT:
        raise fail(
            SupportErrorCode.TOO_LONG, f"A comment may be at most {MAX_COMMENT} characters.",
            "comment",
        )  # fmt: skip
    return text


async def rate(
    *, viewer: Viewer, conversation_number: str, token: str | None, score: int, comment: str = ""
) -> ConversationRating:
    """Rate the conversation as its customer: NOT_FOUND for anyone else, NOT_RATABLE until
    it is resolved or closed and once the rating can no longer change."""
    text = check_rating(score, comment)
    access.refuse_staff(viewer)
    found = await access.reach(conversation_number, viewer, token)
    async with atomic():
        conversation = await machine.locked(found.conversation.id)
        access.check_customer(conversation, viewer, token)
        if ConversationStatus(conversation.status) not in RATABLE:
            raise fail(
                SupportErrorCode.NOT_RATABLE,
                "A conversation can be rated once it is resolved.",
                "conversation_number",
            )
        rating = await _write(conversation, score, text)
        await machine.note(
            conversation,
            machine.NoteEvent.RATED,
            f"Rated {score} of 5",
            score=score,
            comment=bool(text),
        )
        await machine.touch(conversation)
    return rating


async def _write(conversation: Conversation, score: int, comment: str) -> ConversationRating:
    existing = await ConversationRating.get_or_none(conversation_id=conversation.id)
    if existing is None:
        try:
            async with atomic():
                return await ConversationRating.create(
                    conversation_id=conversation.id,
                    score=score,
                    comment=comment,
                    assignee_id=conversation.assignee_id,
                )
        except IntegrityError:  # rated at the same moment elsewhere: change that one
            existing = await ConversationRating.get(conversation_id=conversation.id)
    if timezone.now() - existing.created_at > timedelta(days=CHANGE_DAYS):
        raise fail(
            SupportErrorCode.NOT_RATABLE,
            f"A rating can be changed for {CHANGE_DAYS} days after it is given.",
            "conversation_number",
        )
    existing.score, existing.comment = score, comment
    await existing.save(update_fields=["score", "comment", "updated_at"])
    return existing
