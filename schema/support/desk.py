"""The support desk's inputs and payloads: what staff with the support permission do with a
conversation (answer, note, log a call, open, assign, prioritise, label, snooze, resolve,
reopen, close, link, mark read)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.file_uploads import Upload

from schema.support.inbox import ActionKindEnum
from schema.support.types import (
    ATTACHMENTS,
    CallOutcomeEnum,
    ConversationChannelEnum,
    ConversationPriorityEnum,
    ConversationType,
    LinkKindEnum,
    MessageType,
    SupportErrorType,
)

VERSION = (
    "The conversation's `version` as read: one changed since is refused STALE, so an action "
    "never applies to a state its author did not see. Leave it out to act on whatever is there."
)


@strawberry.input
class ReplyToConversationInput:
    conversation_id: strawberry.ID
    body: str = strawberry.field(description="The text (up to 10000 characters).")
    attachments: list[Upload] = strawberry.field(default_factory=list, description=ATTACHMENTS)
    private: bool = strawberry.field(
        default=False, description="A note for staff only: the customer never sees it."
    )
    client_id: str | None = strawberry.field(
        default=None,
        description="The screen's own id for the message (up to 64 characters): sending it "
        "again returns the first message instead of writing a second.",
    )
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class LogPhoneCallInput:
    conversation_id: strawberry.ID
    seconds: int = strawberry.field(description="How long the call lasted (0 to 86400).")
    outcome: CallOutcomeEnum  # type: ignore[valid-type]
    body: str = strawberry.field(default="", description="What was said (optional).")
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class OpenConversationForCustomerInput:
    customer_id: strawberry.ID
    channel: ConversationChannelEnum = strawberry.field(  # type: ignore[valid-type]
        description="PHONE (the body is the call's note) or EMAIL (the body is sent)."
    )
    subject: str = strawberry.field(description="Up to 200 characters.")
    body: str


@strawberry.input
class AssignConversationInput:
    conversation_id: strawberry.ID
    assignee_id: strawberry.ID | None = strawberry.field(
        default=None, description="A staff member with the support permission; null: nobody."
    )
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class SetConversationPriorityInput:
    conversation_id: strawberry.ID
    priority: ConversationPriorityEnum  # type: ignore[valid-type]
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class SetConversationLabelsInput:
    conversation_id: strawberry.ID
    labels: list[str] = strawberry.field(
        description="Every label it should have (at most 10, each up to 40 characters); "
        "stored trimmed and in lower case."
    )
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class SnoozeConversationInput:
    conversation_id: strawberry.ID
    until: datetime = strawberry.field(
        description="When it comes back (in the future, within a year); the customer's next "
        "word brings it back sooner."
    )
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class ConversationActionInput:
    """Resolve, reopen or close: the conversation and the version read."""

    conversation_id: strawberry.ID
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class LinkConversationInput:
    conversation_id: strawberry.ID
    kind: LinkKindEnum  # type: ignore[valid-type]
    target_id: strawberry.ID = strawberry.field(
        description="The Order, Shipment or Return ID, as `kind` says."
    )
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.input
class UnlinkConversationInput:
    conversation_id: strawberry.ID
    link_id: strawberry.ID = strawberry.field(description="A ConversationLink's ID.")
    version: int | None = strawberry.field(default=None, description=VERSION)


@strawberry.type(description="A message staff wrote, with its conversation as it is now.")
class ConversationMessagePayload:
    conversation: ConversationType | None = None
    message: MessageType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.input
class ResendTrackingLinkInput:
    conversation_id: strawberry.ID
    shipment_id: strawberry.ID = strawberry.field(description="A parcel of the customer's.")
    client_id: str | None = strawberry.field(
        default=None, description="The screen's own id: sent again, nothing is sent twice."
    )


@strawberry.input
class NoteConversationActionInput:
    conversation_id: strawberry.ID
    kind: ActionKindEnum  # type: ignore[valid-type]
    target_id: strawberry.ID = strawberry.field(
        description="The Return started (START_RETURN) or the StoreCreditEntry granted "
        "(ADD_STORE_CREDIT), of the conversation's customer."
    )
