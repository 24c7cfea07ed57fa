"""The staff inbox's filter, connection and counts, and what staff see beside a conversation
(the customer, their latest orders, parcels and returns, credit and tier, and the actions
the viewer may take from there)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated

import strawberry

from models.support import ConversationStatus
from schema.context import Info
from schema.relay import Connection, encode_id
from schema.support.notes import ActionKindEnum
from schema.support.types import (
    ConversationChannelEnum,
    ConversationPriorityEnum,
    ConversationStatusEnum,
    ConversationType,
)
from services.support.actions import ActionKind, may_take
from services.support.inbox import Context, InboxView

if TYPE_CHECKING:
    from schema.accounts.types import UserType
    from schema.members.loyalty import MembershipTierType
    from schema.orders.types import OrderType, ShipmentType
    from schema.returns.types import ReturnType
    from schema.store_credit import StoreCreditBalanceType

InboxViewEnum = strawberry.enum(
    InboxView,
    name="SupportInboxView",
    description="Every conversation, those assigned to nobody, those assigned to the viewer, "
    "or those past a service-level target while the shop owes the answer.",
)


@strawberry.input(description="Every filter given must match.")
class SupportInboxFilter:
    view: InboxViewEnum = InboxView.ALL  # type: ignore[valid-type]
    status: ConversationStatusEnum | None = None  # type: ignore[valid-type]
    channel: ConversationChannelEnum | None = None  # type: ignore[valid-type]
    priority: ConversationPriorityEnum | None = None  # type: ignore[valid-type]
    label: str | None = strawberry.field(default=None, description="One label, as stored.")
    assignee_id: strawberry.ID | None = None
    search: str | None = strawberry.field(
        default=None,
        description="A conversation number (or its start), or part of the subject, the "
        "contact's name or email, or the customer's email (up to 100 characters).",
    )


@strawberry.type(name="ConversationStatusCount", description="Conversations in one status.")
class ConversationStatusCountType:
    status: ConversationStatusEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(name="SupportInboxViewCount", description="Conversations in one view.")
class InboxViewCountType:
    view: InboxViewEnum  # type: ignore[valid-type]
    count: int


@strawberry.type(name="SupportInboxConnection")
class SupportInboxConnection(Connection[ConversationType]):
    _status_counts: strawberry.Private[Callable[[], Awaitable[dict[ConversationStatus, int]]]]
    _view_counts: strawberry.Private[Callable[[], Awaitable[dict[InboxView, int]]]]

    @strawberry.field(
        description="Conversations per status under the other filters (the status filter "
        "left out); statuses with none are left out."
    )
    async def status_counts(self) -> list[ConversationStatusCountType]:
        counts = await self._status_counts()
        return [
            ConversationStatusCountType(status=status, count=counts[status])
            for status in ConversationStatus
            if counts.get(status)
        ]

    @strawberry.field(
        description="Conversations in each view under the other filters (the view left out)."
    )
    async def view_counts(self) -> list[InboxViewCountType]:
        counts = await self._view_counts()
        return [InboxViewCountType(view=view, count=counts[view]) for view in InboxView]


#: The mutation that takes each action.
MUTATIONS: dict[ActionKind, str] = {
    ActionKind.RESEND_TRACKING_LINK: "resendTrackingLink",
    ActionKind.START_RETURN: "openReturn",
    ActionKind.ADD_STORE_CREDIT: "grantStoreCredit",
}


@strawberry.type(
    name="ConversationAction",
    description="An action staff may take from a conversation, and whether the viewer may.",
)
class ConversationActionType:
    kind: ActionKindEnum  # type: ignore[valid-type]
    mutation: str = strawberry.field(description="The mutation that does it.")
    allowed: bool = strawberry.field(description="Whether the viewer's permissions allow it.")


@strawberry.type(
    name="ConversationContext",
    description="What staff see beside a conversation: the customer, their latest orders, "
    "parcels with tracking and returns, store credit and tier, and what the viewer may do.",
)
class ConversationContextType:
    conversation: ConversationType
    _context: strawberry.Private[Context]

    @strawberry.field(description="The customer's account (null for a guest).")
    async def customer(
        self,
    ) -> Annotated[UserType, strawberry.lazy("schema.accounts.types")] | None:
        from schema.accounts.types import UserType

        user = self._context.customer
        return UserType.build(user) if user is not None else None

    @strawberry.field(
        description="The customer's latest orders, newest first (a guest's, by the email)."
    )
    async def recent_orders(
        self,
    ) -> list[Annotated[OrderType, strawberry.lazy("schema.orders.types")]]:
        from schema.orders.types import OrderType

        return [OrderType.build(order) for order in self._context.orders]

    @strawberry.field(description="The parcels of those orders, newest first, with tracking.")
    async def parcels(
        self, info: Info
    ) -> list[Annotated[ShipmentType, strawberry.lazy("schema.orders.types")]]:
        from schema.orders.types import shipments_of

        wanted = {s.id for s in self._context.shipments}
        found = {}
        for order_id in dict.fromkeys(s.order_id for s in self._context.shipments):
            order = await info.context.loaders.order.load(order_id)
            if order is None:
                continue
            for built in await shipments_of(info, order):
                found[built.id] = built
        return [
            found[encode_id("Shipment", s.id)]
            for s in self._context.shipments
            if s.id in wanted and encode_id("Shipment", s.id) in found
        ]

    @strawberry.field(description="Returns of those orders, newest first.")
    async def returns(
        self, info: Info
    ) -> list[Annotated[ReturnType, strawberry.lazy("schema.returns.types")]]:
        from schema.returns.types import built

        return [await built(info, ret) for ret in self._context.returns]

    @strawberry.field(description="The customer's store credit per currency (none: empty).")
    async def store_credit(
        self,
    ) -> list[Annotated[StoreCreditBalanceType, strawberry.lazy("schema.store_credit")]]:
        from schema.store_credit import StoreCreditBalanceType
        from services.store_credit import ledger

        if self._context.customer is None:
            return []
        accounts = await ledger.balances(self._context.customer.id)
        return [StoreCreditBalanceType.build(a) for a in accounts]

    @strawberry.field(description="The customer's membership tier; null when none.")
    async def tier(
        self, info: Info
    ) -> Annotated[MembershipTierType, strawberry.lazy("schema.members.loyalty")] | None:
        from schema.members import loyalty

        customer = self._context.customer
        if customer is None:
            return None
        return await loyalty.user_tier(info, customer.tier_id)

    @strawberry.field(
        name="conversationActions",
        description="What staff may do for the customer from here, each with whether the "
        "viewer's permissions allow it.",
    )
    def conversation_actions(self, info: Info) -> list[ConversationActionType]:
        viewer = info.context.viewer
        return [
            ConversationActionType(
                kind=kind, mutation=MUTATIONS[kind], allowed=may_take(viewer, kind)
            )
            for kind in ActionKind
        ]
