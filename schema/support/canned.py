"""Canned replies for staff: the reply with its translations, the inputs to write one, and a
rendering for one conversation."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models.support import CannedReply, CannedReplyTranslation
from schema.relay import encode_id
from schema.support.types import SupportErrorType
from services.support.canned import PLACEHOLDERS

BODY = (
    "The text (up to 10000 characters), with placeholders among "
    + ", ".join(f"`{{{{{name}}}}}`" for name in PLACEHOLDERS)
    + "; any other is refused INVALID."
)


@strawberry.type(name="CannedReplyTranslation", description="A canned reply in one locale.")
class CannedReplyTranslationType:
    locale: str
    body: str


@strawberry.type(name="CannedReply", description="A ready answer staff insert.")
class CannedReplyType:
    id: strawberry.ID
    shortcut: str = strawberry.field(description="What staff type to find it.")
    title: str
    body: str = strawberry.field(description="The text in the shop's language.")
    active: bool
    translations: list[CannedReplyTranslationType]
    updated_at: datetime

    @classmethod
    def build(cls, row: CannedReply, translations: list[CannedReplyTranslation]) -> CannedReplyType:
        return cls(
            id=encode_id("CannedReply", row.id),
            shortcut=row.shortcut,
            title=row.title,
            body=row.body,
            active=row.active,
            translations=[
                CannedReplyTranslationType(locale=t.locale, body=t.body)
                for t in sorted(translations, key=lambda t: t.locale)
            ],
            updated_at=row.updated_at,
        )


@strawberry.input
class CannedReplyTranslationInput:
    locale: str = strawberry.field(description="`zh-CN`, `ja`, ...")
    body: str = strawberry.field(description=BODY)


@strawberry.input
class CreateCannedReplyInput:
    shortcut: str = strawberry.field(
        description="Letters, digits, `-` and `_`, up to 40 (`where-is-my-parcel`); unique."
    )
    title: str = strawberry.field(description="Up to 120 characters.")
    body: str = strawberry.field(description=BODY)
    translations: list[CannedReplyTranslationInput] = strawberry.field(
        default_factory=list, description="At most 30, one per locale."
    )
    active: bool = True


@strawberry.input(description="What is given changes; `translations` replaces every one.")
class UpdateCannedReplyInput:
    id: strawberry.ID
    shortcut: str | None = None
    title: str | None = None
    body: str | None = strawberry.field(default=None, description=BODY)
    translations: list[CannedReplyTranslationInput] | None = None
    active: bool | None = None


@strawberry.input
class DeleteCannedReplyInput:
    id: strawberry.ID


@strawberry.type
class CannedReplyPayload:
    canned_reply: CannedReplyType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCannedReplyPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.type(description="A canned reply's text for one conversation.")
class RenderCannedReplyPayload:
    text: str | None = strawberry.field(
        default=None,
        description="In the customer's language (else the shop's), placeholders filled.",
    )
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)
