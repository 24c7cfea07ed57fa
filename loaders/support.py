"""Customer service loaders: conversations by id, and each conversation's labels, links,
rating and unread count, each message's attachments, and the shop's service hours."""

from __future__ import annotations

from functools import cached_property

from aiodataloader import DataLoader
from tortoise.expressions import Q
from tortoise.functions import Count

from loaders.base import ByIdLoader, ManyByLoader
from models.support import (
    BusinessHours,
    Conversation,
    ConversationLabel,
    ConversationLink,
    ConversationRating,
    Message,
    MessageAttachment,
    MessageAuthor,
    SupportHoliday,
    SupportSchedule,
)

#: What `SupportScheduleLoader` gives: the shop's schedule row, its hours and closed days.
ScheduleRows = tuple[SupportSchedule | None, list[BusinessHours], list[SupportHoliday]]


class ConversationByIdLoader(ByIdLoader[Conversation]):
    model = Conversation


class LabelsByConversationIdLoader(ManyByLoader[ConversationLabel]):
    model = ConversationLabel
    key_field = "conversation_id"


class LinksByConversationIdLoader(ManyByLoader[ConversationLink]):
    model = ConversationLink
    key_field = "conversation_id"


class RatingsByConversationIdLoader(ManyByLoader[ConversationRating]):
    """A conversation's rating (one at most: the list is empty until it is rated)."""

    model = ConversationRating
    key_field = "conversation_id"


class AttachmentsByMessageIdLoader(ManyByLoader[MessageAttachment]):
    model = MessageAttachment
    key_field = "message_id"


#: (conversation id, the last message id the reader read, whether the reader is staff).
UnreadKey = tuple[int, int, bool]


class UnreadCountLoader(DataLoader[UnreadKey, int]):
    """How many messages a reader has not read in each conversation: for staff the
    customer's, for the customer the shop's public ones. One statement per reader side for
    a whole page of conversations (each with its own read mark)."""

    async def batch_load_fn(self, keys: list[UnreadKey]) -> list[int]:
        counts: dict[UnreadKey, int] = {}
        # Each statement names a conversation once (the same one with two read marks in one
        # request goes to the next round).
        pending = list(dict.fromkeys(keys))
        while pending:
            taken: dict[tuple[int, bool], UnreadKey] = {}
            later: list[UnreadKey] = []
            for key in pending:
                slot = (key[0], key[2])
                if slot in taken:
                    later.append(key)
                else:
                    taken[slot] = key
            for staff in (True, False):
                chosen = [key for key in taken.values() if key[2] is staff]
                if chosen:
                    counts.update(await self._count(chosen, staff))
            pending = later
        return [counts.get(key, 0) for key in keys]

    @staticmethod
    async def _count(keys: list[UnreadKey], staff: bool) -> dict[UnreadKey, int]:
        after = Q(*(Q(conversation_id=cid, id__gt=read) for cid, read, _ in keys), join_type="OR")
        rows = Message.filter(after)
        rows = (
            rows.filter(author=MessageAuthor.CUSTOMER)
            if staff
            else rows.filter(author=MessageAuthor.STAFF, private=False)
        )
        found = (
            await rows.annotate(n=Count("id"))
            .group_by("conversation_id")
            .values("conversation_id", "n")
        )
        by_conversation = {row["conversation_id"]: int(row["n"]) for row in found}
        return {key: by_conversation.get(key[0], 0) for key in keys}


class SupportScheduleLoader(DataLoader[int, ScheduleRows]):
    """The shop's service hours, read once per request whatever the key (`0` by custom)."""

    async def batch_load_fn(self, keys: list[int]) -> list[ScheduleRows]:
        row = await SupportSchedule.all().order_by("id").first()
        if row is None:
            return [(None, [], [])] * len(keys)
        spans = list(await BusinessHours.filter(schedule_id=row.id))
        holidays = list(await SupportHoliday.filter(schedule_id=row.id))
        return [(row, spans, holidays)] * len(keys)


class SupportLoaders:
    """The customer service loaders of a request, each built on first use."""

    @cached_property
    def conversation(self) -> ConversationByIdLoader:
        return ConversationByIdLoader()

    @cached_property
    def labels_by_conversation(self) -> LabelsByConversationIdLoader:
        return LabelsByConversationIdLoader()

    @cached_property
    def links_by_conversation(self) -> LinksByConversationIdLoader:
        return LinksByConversationIdLoader()

    @cached_property
    def ratings_by_conversation(self) -> RatingsByConversationIdLoader:
        return RatingsByConversationIdLoader()

    @cached_property
    def attachments_by_message(self) -> AttachmentsByMessageIdLoader:
        return AttachmentsByMessageIdLoader()

    @cached_property
    def unread_count(self) -> UnreadCountLoader:
        return UnreadCountLoader()

    @cached_property
    def support_schedule(self) -> SupportScheduleLoader:
        return SupportScheduleLoader()
