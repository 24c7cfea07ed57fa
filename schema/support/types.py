"""The `Conversation` type and its parts, for its customer (a member, or a guest holding its
token) and for staff with the `SUPPORT` permission.

Who reads decides what is shown, in one place each: `sees_support` for the staff-only fields
(contact details, assignee, service-level times, private notes), and
`services.support.queries.messages_for` for the messages, which never gives a customer a
private note.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from models.support import (
    CallOutcome,
    Conversation,
    ConversationChannel,
    ConversationLink,
    ConversationPriority,
    ConversationRating,
    ConversationStatus,
    LinkKind,
    Message,
    MessageAttachment,
    MessageAuthor,
)
from schema.context import Info
from schema.errors import UserError
from schema.kit.answers import page_or_error
from schema.kit.connections import connection
from schema.kit.uploads import read_named_uploads
from schema.relay import Connection, encode_id, page_request
from schema.support import levels as level_fields
from schema.support.enums import (
    CallOutcomeEnum,
    ConversationChannelEnum,
    ConversationPriorityEnum,
    ConversationStatusEnum,
    LinkKindEnum,
    MessageAuthorEnum,
)
from schema.support.notes import SystemNoteType
from services.auth import StaffPermission
from services.pagination import paginate
from services.support import attachments as attachment_files
from services.support.errors import SupportErrorCode
from services.support.queries import email_sender_verified, messages_for

if TYPE_CHECKING:
    from schema.accounts.types import UserType
    from schema.orders.types import OrderType
    from schema.returns.types import ReturnType

SupportErrorCodeEnum = strawberry.enum(SupportErrorCode, name="SupportErrorCode")


@strawberry.type(name="SupportError")
class SupportErrorType(UserError):
    code: SupportErrorCodeEnum  # type: ignore[valid-type]


ATTACHMENTS = (
    "Up to 5 pictures (JPEG, PNG, WebP or GIF, each within the upload size limit), sent as "
    "a multipart request; the body may then be empty."
)


async def read_attachments(info: Info, uploads: list[Any]) -> list[attachment_files.NewFile]:
    """The files of an input's `attachments`, read (and closed) for the service to check."""
    limit = info.context.settings.max_image_bytes
    return [
        attachment_files.NewFile(name, data)
        for name, data in await read_named_uploads(uploads, limit)
    ]


def sees_support(info: Info) -> bool:
    """Staff with the support permission: every conversation, private notes, contacts."""
    return info.context.viewer.can(StaffPermission.SUPPORT)


@strawberry.type(name="ConversationAttachment", description="A file sent with a message.")
class AttachmentType:
    id: strawberry.ID
    url: str = strawberry.field(description="Absolute URL of the file.")
    filename: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None

    @classmethod
    def build(cls, row: MessageAttachment, media_base: str) -> AttachmentType:
        return cls(
            id=encode_id("ConversationAttachment", row.id),
            url=media_base + row.path,
            filename=row.filename,
            content_type=row.content_type,
            size_bytes=row.size_bytes,
            width=row.width,
            height=row.height,
        )


@strawberry.type(name="ConversationMessage", description="One message of a conversation.")
class MessageType:
    id: strawberry.ID
    author: MessageAuthorEnum  # type: ignore[valid-type]
    author_name: str = strawberry.field(
        description="How the reader knows the author: a staff member's display name, the "
        "customer's name, or empty for the shop itself."
    )
    channel: ConversationChannelEnum  # type: ignore[valid-type]
    private: bool = strawberry.field(description="A staff note the customer never sees.")
    body: str = strawberry.field(description="Plain text (an email's, quoted text removed).")
    body_html: str | None = strawberry.field(
        description="An email's HTML, sanitised; null for chat and notes."
    )
    client_id: str | None = strawberry.field(
        description="The sender's own id for the message, so its screen recognises the echo."
    )
    call_seconds: int | None = strawberry.field(description="A logged phone call's length.")
    call_outcome: CallOutcomeEnum | None  # type: ignore[valid-type]
    delivered_at: datetime | None
    read_at: datetime | None
    created_at: datetime
    _row: strawberry.Private[Message]

    @classmethod
    def build(cls, row: Message, *, author_name: str = "") -> MessageType:
        return cls(
            id=encode_id("ConversationMessage", row.id),
            author=MessageAuthor(row.author),
            author_name=author_name,
            channel=ConversationChannel(row.channel),
            private=row.private,
            body=row.body,
            body_html=row.body_html or None,
            client_id=row.client_id,
            call_seconds=row.call_seconds,
            call_outcome=CallOutcome(row.call_outcome) if row.call_outcome else None,
            delivered_at=row.delivered_at,
            read_at=row.read_at,
            created_at=row.created_at,
            _row=row,
        )

    @strawberry.field(
        description="Staff only (null for others, and for what did not come by email or was "
        "not checked): whether the email's From was authenticated (DKIM or DMARC). False: "
        "the sender may not be who the From says."
    )
    def sender_verified(self, info: Info) -> bool | None:
        if not sees_support(info):
            return None
        return email_sender_verified(self._row)

    @strawberry.field(
        description="A system message's details, for a screen to write it in its reader's "
        "language (`body` is its English text); null for other messages."
    )
    def note(self) -> SystemNoteType | None:
        if MessageAuthor(self._row.author) is not MessageAuthor.SYSTEM:
            return None
        return SystemNoteType.of(self._row)

    @strawberry.field(description="Files sent with the message.")
    async def attachments(self, info: Info) -> list[AttachmentType]:
        rows = await info.context.loaders.attachments_by_message.load(self._row.id)
        return [AttachmentType.build(row, info.context.media_base) for row in rows]


@strawberry.type(name="ConversationMessageConnection")
class MessageConnection(Connection[MessageType]):
    pass


async def author_names(info: Info, rows: list[Message], conversation: Conversation) -> list[str]:
    """Display names of the messages' authors, as the reader sees them."""
    ids = list({row.author_user_id for row in rows if row.author_user_id is not None})
    users = {u.id: u for u in await info.context.loaders.user.load_many(ids) if u is not None}
    names = []
    for row in rows:
        user = users.get(row.author_user_id) if row.author_user_id is not None else None
        if row.author is MessageAuthor.SYSTEM:
            names.append("")
        elif row.author is MessageAuthor.STAFF:
            names.append(user.nickname if user is not None and user.nickname else "Support")
        else:
            names.append(
                (user.nickname if user is not None and user.nickname else "")
                or conversation.contact_name
            )
    return names


@strawberry.type(name="ConversationLink", description="An order, parcel or return talked of.")
class ConversationLinkType:
    id: strawberry.ID
    kind: LinkKindEnum  # type: ignore[valid-type]
    shipment_id: strawberry.ID | None
    _row: strawberry.Private[ConversationLink]

    @classmethod
    def build(cls, row: ConversationLink) -> ConversationLinkType:
        return cls(
            id=encode_id("ConversationLink", row.id),
            kind=LinkKind(row.kind),
            shipment_id=encode_id("Shipment", row.shipment_id) if row.shipment_id else None,
            _row=row,
        )

    @strawberry.field(description="The order (of the parcel or return, for those).")
    async def order(
        self, info: Info
    ) -> Annotated[OrderType, strawberry.lazy("schema.orders.types")] | None:
        from schema.orders.types import OrderType

        if self._row.order_id is None:
            return None
        order = await info.context.loaders.order.load(self._row.order_id)
        return OrderType.build(order) if order is not None else None

    @strawberry.field(name="return", description="The return, for a link to one.")
    async def return_request(
        self, info: Info
    ) -> Annotated[ReturnType, strawberry.lazy("schema.returns.types")] | None:
        from schema.returns.types import built

        if self._row.return_request_id is None:
            return None
        ret = await info.context.loaders.return_request.load(self._row.return_request_id)
        return await built(info, ret) if ret is not None else None


@strawberry.type(name="ConversationRating", description="The customer's rating of the help.")
class RatingType:
    score: int = strawberry.field(description="1 (poor) to 5 (excellent).")
    comment: str
    created_at: datetime

    @classmethod
    def build(cls, row: ConversationRating) -> RatingType:
        return cls(score=row.score, comment=row.comment, created_at=row.created_at)


@strawberry.type(
    name="Conversation",
    description="A customer service conversation, over chat, email or phone, with what it "
    "is about.",
)
class ConversationType(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="The number to quote (`CS4K9M2Q7T`).")
    subject: str
    channel: ConversationChannelEnum = strawberry.field(  # type: ignore[valid-type]
        description="The channel it began on."
    )
    status: ConversationStatusEnum  # type: ignore[valid-type]
    priority: ConversationPriorityEnum  # type: ignore[valid-type]
    version: int = strawberry.field(
        description="Changes with every change: name it when acting, to act on what was read."
    )
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    _row: strawberry.Private[Conversation]

    @classmethod
    def build(cls, row: Conversation) -> ConversationType:
        return cls(
            id=row.id,
            number=row.number,
            subject=row.subject,
            channel=ConversationChannel(row.channel),
            status=ConversationStatus(row.status),
            priority=ConversationPriority(row.priority),
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            last_message_at=row.last_message_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            _row=row,
        )

    @strawberry.field(description="Staff only (null for others): until when it is snoozed.")
    def snoozed_until(self, info: Info) -> datetime | None:
        return self._row.snoozed_until if sees_support(info) else None

    @strawberry.field(description="The contact's name (a guest's, or the account's nickname).")
    def contact_name(self) -> str:
        return self._row.contact_name

    @strawberry.field(description="Staff only (null for others): the contact's email.")
    def contact_email(self, info: Info) -> str | None:
        return (self._row.contact_email or None) if sees_support(info) else None

    @strawberry.field(description="Staff only (null for others): the customer's account.")
    async def customer(
        self, info: Info
    ) -> Annotated[UserType, strawberry.lazy("schema.accounts.types")] | None:
        from schema.accounts.types import UserType

        if not sees_support(info) or self._row.customer_id is None:
            return None
        user = await info.context.loaders.user.load(self._row.customer_id)
        return UserType.build(user) if user is not None else None

    @strawberry.field(description="Staff only (null for others): who answers it.")
    async def assignee(
        self, info: Info
    ) -> Annotated[UserType, strawberry.lazy("schema.accounts.types")] | None:
        from schema.accounts.types import UserType

        if not sees_support(info) or self._row.assignee_id is None:
            return None
        user = await info.context.loaders.user.load(self._row.assignee_id)
        return UserType.build(user) if user is not None else None

    @strawberry.field(description="Staff only (empty for others): its labels.")
    async def labels(self, info: Info) -> list[str]:
        if not sees_support(info):
            return []
        return [row.name for row in await info.context.loaders.labels_by_conversation.load(
            self._row.id
        )]  # fmt: skip

    @strawberry.field(description="Staff only (null for others): the first public answer.")
    def first_response_at(self, info: Info) -> datetime | None:
        return self._row.first_response_at if sees_support(info) else None

    @strawberry.field(description="Staff only (null for others): when the first answer is due.")
    def first_response_due_at(self, info: Info) -> datetime | None:
        return self._row.first_response_due_at if sees_support(info) else None

    @strawberry.field(description="Staff only (null for others): when resolution is due.")
    def resolution_due_at(self, info: Info) -> datetime | None:
        return self._row.resolution_due_at if sees_support(info) else None

    first_response_due_in: int | None = strawberry.field(
        resolver=level_fields.first_response_due_in,
        description="Staff only (null for others, and once answered): seconds of business "
        "time left before the first answer is due, negative when late.",
    )
    resolution_due_in: int | None = strawberry.field(
        resolver=level_fields.resolution_due_in,
        description="Staff only (null for others, and once resolved or closed): seconds of "
        "business time left before resolution is due, negative when late.",
    )

    @strawberry.field(description="Staff only (false for others): a target was missed.")
    def breached(self, info: Info) -> bool:
        return self._row.breached_at is not None and sees_support(info)

    @strawberry.field(
        description="Messages the reader has not read: the customer's for staff, the shop's "
        "public ones for the customer."
    )
    async def unread_count(self, info: Info) -> int:
        staff = sees_support(info)
        read = self._row.staff_read_up_to if staff else self._row.customer_read_up_to
        return await info.context.loaders.unread_count.load((self._row.id, read, staff))

    @strawberry.field(
        description="The messages, oldest first (take `last` for the newest): private notes "
        "for staff only."
    )
    async def messages(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> MessageConnection:
        rows = messages_for(self._row.id, staff=sees_support(info))
        page = await page_or_error(
            paginate(
                rows,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        names = await author_names(info, page.items, self._row)
        return connection(
            MessageConnection,
            page,
            [
                MessageType.build(row, author_name=name)
                for row, name in zip(page.items, names, strict=True)
            ],
            rows.count,
        )

    @strawberry.field(description="The orders, parcels and returns it is about.")
    async def links(self, info: Info) -> list[ConversationLinkType]:
        rows = await info.context.loaders.links_by_conversation.load(self._row.id)
        return [ConversationLinkType.build(row) for row in rows]

    @strawberry.field(description="The customer's rating, once given.")
    async def rating(self, info: Info) -> RatingType | None:
        rows = await info.context.loaders.ratings_by_conversation.load(self._row.id)
        return RatingType.build(rows[0]) if rows else None


def may_see_conversation(row: Conversation, info: Info) -> bool:
    """Staff with the support permission, or the signed-in customer it belongs to (guests
    reach theirs by token, through the fields that take one)."""
    viewer = info.context.viewer
    if viewer.can(StaffPermission.SUPPORT):
        return True
    return viewer.user_id is not None and row.customer_id == viewer.user_id


@strawberry.type(description="A conversation after it was opened or changed.")
class ConversationPayload:
    conversation: ConversationType | None = None
    errors: list[SupportErrorType] = strawberry.field(default_factory=list)


@strawberry.type(name="ConversationConnection")
class ConversationConnection(Connection[ConversationType]):
    pass
