"""Canned replies' root fields, for staff with the support permission: list, write, delete,
and render one for a conversation."""

from __future__ import annotations

import strawberry

from models.support import CannedReply, CannedReplyTranslation
from schema.context import Info
from schema.kit import field_with_errors, input_pk, mutation, query
from schema.permissions import CanManageSupport
from schema.support.canned import (
    CannedReplyPayload,
    CannedReplyTranslationInput,
    CannedReplyType,
    CreateCannedReplyInput,
    DeleteCannedReplyInput,
    DeleteCannedReplyPayload,
    RenderCannedReplyPayload,
    UpdateCannedReplyInput,
)
from services.support import canned


def _reply_pk(given: str) -> int:
    return input_pk(given, "CannedReply", "id", what="The canned reply")


def _translations(
    given: list[CannedReplyTranslationInput] | None,
) -> list[canned.Translation] | None:
    if given is None:
        return None
    return [canned.Translation(locale=t.locale, body=t.body) for t in given]


async def _built(rows: list[CannedReply]) -> list[CannedReplyType]:
    translations: dict[int, list[CannedReplyTranslation]] = {}
    if rows:
        for t in await CannedReplyTranslation.filter(reply_id__in=[r.id for r in rows]):
            translations.setdefault(t.reply_id, []).append(t)
    return [CannedReplyType.build(row, translations.get(row.id, [])) for row in rows]


async def _payload(row: CannedReply) -> CannedReplyPayload:
    [built] = await _built([row])
    return CannedReplyPayload(canned_reply=built)


@strawberry.type
class SupportCannedQuery:
    @query(
        permission_classes=[CanManageSupport],
        description="Canned replies by shortcut; `search` finds part of a shortcut or title "
        "(up to 100 characters).",
    )
    async def canned_replies(self, search: str | None = None) -> list[CannedReplyType]:
        return await _built(await canned.search(search))

    @field_with_errors(
        permission_classes=[CanManageSupport],
        description="A canned reply's text for a conversation: in its customer's language "
        "(else the shop's), placeholders filled from what it is about. Nothing is sent.",
    )
    async def render_canned_reply(
        self, info: Info, id: strawberry.ID, conversation_id: strawberry.ID
    ) -> RenderCannedReplyPayload:
        text = await canned.render(
            _reply_pk(id),
            input_pk(conversation_id, "Conversation", "conversation_id", what="The conversation"),
        )
        return RenderCannedReplyPayload(text=text)


@strawberry.type
class SupportCannedMutation:
    @mutation(permission_classes=[CanManageSupport], description="Write a canned reply.")
    async def create_canned_reply(self, input: CreateCannedReplyInput) -> CannedReplyPayload:
        row = await canned.create(
            shortcut=input.shortcut,
            title=input.title,
            body=input.body,
            translations=_translations(input.translations) or [],
            active=input.active,
        )
        return await _payload(row)

    @mutation(permission_classes=[CanManageSupport], description="Change a canned reply.")
    async def update_canned_reply(self, input: UpdateCannedReplyInput) -> CannedReplyPayload:
        row = await canned.update(
            _reply_pk(input.id),
            shortcut=input.shortcut,
            title=input.title,
            body=input.body,
            translations=_translations(input.translations),
            active=input.active,
        )
        return await _payload(row)

    @mutation(permission_classes=[CanManageSupport], description="Delete a canned reply.")
    async def delete_canned_reply(self, input: DeleteCannedReplyInput) -> DeleteCannedReplyPayload:
        await canned.delete(_reply_pk(input.id))
        return DeleteCannedReplyPayload(deleted_id=input.id)
