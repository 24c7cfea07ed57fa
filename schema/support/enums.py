"""The customer service enums under their GraphQL names, in one module every support type
imports (strawberry registers each enum class once)."""

from __future__ import annotations

import strawberry

from models.support import (
    CallOutcome,
    ConversationChannel,
    ConversationPriority,
    ConversationStatus,
    LinkKind,
    MessageAuthor,
)

ConversationStatusEnum = strawberry.enum(
    ConversationStatus,
    name="ConversationStatus",
    description="Open (the shop owes an answer), waiting on the customer, snoozed until a "
    "time, resolved (the customer's reply reopens it), or closed for good.",
)
ConversationChannelEnum = strawberry.enum(
    ConversationChannel, name="ConversationChannel", description="Chat, email or phone."
)
ConversationPriorityEnum = strawberry.enum(
    ConversationPriority,
    name="ConversationPriority",
    description="How pressing: members of tiers with priority service start at high.",
)
MessageAuthorEnum = strawberry.enum(
    MessageAuthor,
    name="MessageAuthor",
    description="The customer, a staff member, or the shop itself (status changes, links).",
)
CallOutcomeEnum = strawberry.enum(
    CallOutcome, name="CallOutcome", description="How a logged phone call ended."
)
LinkKindEnum = strawberry.enum(
    LinkKind, name="ConversationLinkKind", description="An order, a parcel, or a return."
)
