"""The support desk's root fields, for staff with the support permission: what they do with
a conversation."""

from __future__ import annotations

import strawberry

from models.support import (
    CallOutcome,
    Conversation,
    ConversationChannel,
    ConversationPriority,
    LinkKind,
)
from schema.context import Info
from schema.kit import argument_pk, connection, input_pk, mutation, or_none, page_or_error
from schema.permissions import CanManageOrders, CanManageSupport
from schema.relay import page_request
from schema.support.desk import (
    AssignConversationInput,
    ConversationActionInput,
    ConversationMessagePayload,
    LinkConversationInput,
    LogPhoneCallInput,
    NoteConversationActionInput,
    OpenConversationForCustomerInput,
    ReplyToConversationInput,
    ResendTrackingLinkInput,
    SetConversationLabelsInput,
    SetConversationPriorityInput,
    SnoozeConversationInput,
    UnlinkConversationInput,
)
from schema.support.inbox import (
    ConversationContextType,
    SupportInboxConnection,
    SupportInboxFilter,
)
from schema.support.types import (
    ConversationPayload,
    ConversationType,
    MessageType,
    author_names,
    read_attachments,
)
from services.support import actions, desk, inbox
from services.support.messages import Posted

#: The global ID type of each kind of link target.
TARGET_TYPES = {LinkKind.ORDER: "Order", LinkKind.SHIPMENT: "Shipment", LinkKind.RETURN: "Return"}


def conversation_pk(given: str) -> int:
    return input_pk(given, "Conversation", "conversation_id", what="The conversation")


def _actor(info: Info) -> int:
    user_id = info.context.viewer.user_id
    assert user_id is not None  # CanManageSupport lets only signed-in staff through
    return user_id


def _payload(conversation: Conversation) -> ConversationPayload:
    return ConversationPayload(conversation=ConversationType.build(conversation))


async def _message_payload(info: Info, posted: Posted) -> ConversationMessagePayload:
    conversation = await Conversation.get(id=posted.message.conversation_id)
    [name] = await author_names(info, [posted.message], conversation)
    return ConversationMessagePayload(
        conversation=ConversationType.build(conversation),
        message=MessageType.build(posted.message, author_name=name),
    )


def _filter(given: SupportInboxFilter | None) -> inbox.InboxFilter:
    if given is None:
        return inbox.InboxFilter()
    assignee = (
        argument_pk(given.assignee_id, "User", "filter.assigneeId")
        if given.assignee_id is not None
        else None
    )
    return inbox.InboxFilter(
        view=inbox.InboxView(given.view),
        status=given.status,
        channel=given.channel,
        priority=given.priority,
        label=given.label,
        assignee_id=assignee,
        search=given.search,
    )


@strawberry.type
class SupportDeskQuery:
    @strawberry.field(
        permission_classes=[CanManageSupport],
        description="The support inbox: conversations the most pressing first (priority, "
        "then the oldest waiting customer message), with counts per status and per view.",
    )
    async def support_inbox(
        self,
        info: Info,
        filter: SupportInboxFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> SupportInboxConnection:
        viewer_id = _actor(info)
        given = _filter(filter)
        page = await page_or_error(
            inbox.list_inbox(
                given,
                page_request(first, after, None, None),
                viewer_id=viewer_id,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            SupportInboxConnection,
            page,
            [ConversationType.build(row) for row in page.items],
            lambda: inbox.count_inbox(given, viewer_id=viewer_id),
            _status_counts=lambda: inbox.count_by_status(given, viewer_id=viewer_id),
            _view_counts=lambda: inbox.count_by_view(given, viewer_id=viewer_id),
        )

    @strawberry.field(
        permission_classes=[CanManageSupport],
        description="What staff see beside a conversation: its customer's latest orders, "
        "parcels and returns, credit and tier, and what the viewer may do; null if none.",
    )
    async def conversation_context(
        self, info: Info, id: strawberry.ID
    ) -> ConversationContextType | None:
        found = await or_none(inbox.context_of(argument_pk(id, "Conversation", "id")))
        if found is None:
            return None
        return ConversationContextType(
            conversation=ConversationType.build(found.conversation), _context=found
        )


@strawberry.type
class SupportDeskMutation:
    @mutation(
        permission_classes=[CanManageSupport],
        description="Answer a conversation on its channel, or leave a private note only staff "
        "read. An answer leaves an open conversation waiting on the customer.",
    )
    async def reply_to_conversation(
        self, info: Info, input: ReplyToConversationInput
    ) -> ConversationMessagePayload:
        posted = await desk.reply(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            body=input.body,
            private=input.private,
            client_id=input.client_id,
            version=input.version,
            files=await read_attachments(info, input.attachments),
        )
        return await _message_payload(info, posted)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Log a phone call as a staff note with its length and how it ended.",
    )
    async def log_phone_call(
        self, info: Info, input: LogPhoneCallInput
    ) -> ConversationMessagePayload:
        posted = await desk.log_call(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            seconds=input.seconds,
            outcome=CallOutcome(input.outcome),
            body=input.body,
            version=input.version,
        )
        return await _message_payload(info, posted)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Start a conversation with a customer: after a phone call, or by email.",
    )
    async def open_conversation_for_customer(
        self, info: Info, input: OpenConversationForCustomerInput
    ) -> ConversationPayload:
        conversation = await desk.open_for_customer(
            actor_id=_actor(info),
            customer_id=input_pk(input.customer_id, "User", "customer_id", what="The customer"),
            channel=ConversationChannel(input.channel),
            subject=input.subject,
            body=input.body,
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Give a conversation to a staff member with the support permission, or "
        "to nobody.",
    )
    async def assign_conversation(
        self, info: Info, input: AssignConversationInput
    ) -> ConversationPayload:
        assignee = (
            input_pk(input.assignee_id, "User", "assignee_id", what="The staff member")
            if input.assignee_id is not None
            else None
        )
        conversation = await desk.assign(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            assignee_id=assignee,
            version=input.version,
        )
        return _payload(conversation)

    @mutation(permission_classes=[CanManageSupport], description="Change how pressing it is.")
    async def set_conversation_priority(
        self, info: Info, input: SetConversationPriorityInput
    ) -> ConversationPayload:
        conversation = await desk.set_priority(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            priority=ConversationPriority(input.priority),
            version=input.version,
        )
        return _payload(conversation)

    @mutation(permission_classes=[CanManageSupport], description="Replace its labels.")
    async def set_conversation_labels(
        self, info: Info, input: SetConversationLabelsInput
    ) -> ConversationPayload:
        conversation = await desk.set_labels(
            conversation_pk(input.conversation_id), labels=input.labels, version=input.version
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Set it aside until a time, or until the customer writes again.",
    )
    async def snooze_conversation(
        self, info: Info, input: SnoozeConversationInput
    ) -> ConversationPayload:
        conversation = await desk.snooze(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            until=input.until,
            version=input.version,
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Mark it answered: the customer's next word reopens it.",
    )
    async def resolve_conversation(
        self, info: Info, input: ConversationActionInput
    ) -> ConversationPayload:
        conversation = await desk.resolve(
            conversation_pk(input.conversation_id), actor_id=_actor(info), version=input.version
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Open it again (not a closed one): the shop owes an answer.",
    )
    async def reopen_conversation(
        self, info: Info, input: ConversationActionInput
    ) -> ConversationPayload:
        conversation = await desk.reopen(
            conversation_pk(input.conversation_id), actor_id=_actor(info), version=input.version
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Close it for good: the customer's next word starts a new conversation.",
    )
    async def close_conversation(
        self, info: Info, input: ConversationActionInput
    ) -> ConversationPayload:
        conversation = await desk.close(
            conversation_pk(input.conversation_id), actor_id=_actor(info), version=input.version
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Say what it is about: an order, a parcel or a return.",
    )
    async def link_conversation(
        self, info: Info, input: LinkConversationInput
    ) -> ConversationPayload:
        kind = LinkKind(input.kind)
        conversation = await desk.link(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            kind=kind,
            target_id=input_pk(input.target_id, TARGET_TYPES[kind], "target_id"),
            version=input.version,
        )
        return _payload(conversation)

    @mutation(permission_classes=[CanManageSupport], description="Remove one of its links.")
    async def unlink_conversation(
        self, info: Info, input: UnlinkConversationInput
    ) -> ConversationPayload:
        conversation = await desk.unlink(
            conversation_pk(input.conversation_id),
            actor_id=_actor(info),
            link_id=input_pk(input.link_id, "ConversationLink", "link_id", what="The link"),
            version=input.version,
        )
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Staff have read every message of it so far.",
    )
    async def mark_conversation_read_by_staff(
        self, info: Info, input: ConversationActionInput
    ) -> ConversationPayload:
        conversation = await desk.mark_read(conversation_pk(input.conversation_id))
        return _payload(conversation)

    @mutation(
        permission_classes=[CanManageSupport, CanManageOrders],
        description="Post a parcel's tracking link in the conversation (the parcel is linked "
        "to it) and send the customer its shipping email again. Needs the orders permission too.",
    )
    async def resend_tracking_link(
        self, info: Info, input: ResendTrackingLinkInput
    ) -> ConversationMessagePayload:
        posted = await actions.resend_tracking_link(
            conversation_pk(input.conversation_id),
            input_pk(input.shipment_id, "Shipment", "shipment_id", what="The shipment"),
            viewer=info.context.viewer,
            client_id=input.client_id,
        )
        return await _message_payload(info, posted)

    @mutation(
        permission_classes=[CanManageSupport],
        description="Record on the conversation, as a private note, the return started "
        "(`openReturn`) or the store credit given (`grantStoreCredit`) for its customer; "
        "FORBIDDEN when the viewer's permissions do not allow that action.",
    )
    async def note_conversation_action(
        self, info: Info, input: NoteConversationActionInput
    ) -> ConversationPayload:
        kind = actions.ActionKind(input.kind)
        target_type = "Return" if kind is actions.ActionKind.START_RETURN else "StoreCreditEntry"
        conversation = await actions.note_action(
            conversation_pk(input.conversation_id),
            kind,
            input_pk(input.target_id, target_type, "target_id"),
            viewer=info.context.viewer,
        )
        return _payload(conversation)
