"""Rating the help: the customer's input and the answer."""

from __future__ import annotations

import strawberry

from schema.support.types import RatingType, SupportErrorType


@strawberry.input
class RateConversationInput:
    conversation_number: str
    token: str | None = strawberry.field(default=None, description="A guest's conversation token.")
    score: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str = strawberry.field(default="", description="At most 2000 characters.")


@strawberry.type(description="The rating given, or why it was refused.")
class RateConversationPayload:
    rating: RatingType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)
