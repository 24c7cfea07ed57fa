"""The events services announce, one definition each, and the one way to publish them.

An event is a frozen model: its fields, and the channels it goes to (`<domain>:<id>`).
`publish(event)` sends it to each of its channels once the current transaction commits;
subscribers read a bus message back into the event with `<Event>.parse(message)`.

On the bus an event is a JSON object whose keys are the fields in camelCase (instants as
ISO 8601 strings), the shape every process reads, whichever one published it. Like
`subscriptions.bus`, this module imports nothing of GraphQL, so services may import it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Annotated, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    ValidationError,
)
from pydantic.alias_generators import to_camel

from models.catalog import ListingCause, ListingStatus
from models.orders import OrderStatus
from models.returns import ReturnStatus
from models.support import ConversationPriority, ConversationStatus, MessageAuthor
from models.tracking import TrackingStatus
from services.transactions import after_commit
from subscriptions import bus

log = logging.getLogger("tradewind.events")

#: Products going on or off the shelf, for the merchant console.
LISTING_CHANNEL = "catalog:listing"
#: New orders, status changes and refunds, for the merchant console.
MERCHANT_ORDERS_CHANNEL = "merchant:orders"
#: Returns asked for and moved, for the merchant console's returns queue.
MERCHANT_RETURNS_CHANNEL = "merchant:returns"
#: Low-stock alerts raised and resolved, for the merchant console.
LOW_STOCK_CHANNEL = "merchant:low-stock"
#: Parcels whose tracking status changed, for the merchant console's exceptions queue.
MERCHANT_TRACKING_CHANNEL = "merchant:tracking"
#: Conversations opened, moved and written to, for the console's support inbox.
MERCHANT_SUPPORT_CHANNEL = "merchant:support"
#: Exchange rates written.
RATES_CHANNEL = "currency:rates"
#: Data shown to shoppers may have changed (cached responses go).
STOREFRONT_CHANNEL = "storefront:changed"


def order_channel(number: str) -> str:
    """One order's channel, for its shopper and staff."""
    return f"order:{number}"


def tracking_channel(number: str) -> str:
    """The tracking of one order's parcels, for its shopper and staff."""
    return f"tracking:{number}"


def conversation_channel(number: str) -> str:
    """One customer service conversation's channel, for its customer and staff."""
    return f"conversation:{number}"


def product_channel(product_id: int) -> str:
    """One product's channel."""
    return f"product:{product_id}"


#: An instant, written on the bus as `datetime.isoformat()` writes it.
Instant = Annotated[datetime, PlainSerializer(lambda at: at.isoformat(), return_type=str)]


class Event(BaseModel):
    """One announcement: its fields, and the channels it is published on."""

    model_config = ConfigDict(
        frozen=True,
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
    )

    def channels(self) -> tuple[str, ...]:
        raise NotImplementedError

    def to_message(self) -> bus.Message:
        """The event as it travels on the bus."""
        return self.model_dump(mode="json", by_alias=True)

    @classmethod
    def parse(cls, message: bus.Message) -> Self | None:
        """The event a bus message carries; None (logged) for a message of another shape."""
        try:
            return cls.model_validate(message)
        except ValidationError as exc:
            log.warning("events.unreadable event=%s errors=%d", cls.__name__, exc.error_count())
            return None


class ProductListingChanged(Event):
    """A product went on or off the shelf (status, sale window, early access, deletion)."""

    product_id: int
    visible: bool
    cause: ListingCause
    status: ListingStatus
    actor: str
    occurred_at: Instant

    def channels(self) -> tuple[str, ...]:
        return (LISTING_CHANNEL, product_channel(self.product_id))


class OrderStatusChanged(Event):
    """An order was placed (`kind` "placed") or moved to another status ("status")."""

    kind: Literal["placed", "status"]
    number: str
    status: OrderStatus
    previous_status: OrderStatus | None
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (order_channel(self.number), MERCHANT_ORDERS_CHANNEL)


class OrderRefunded(Event):
    """Money went back to the shopper of an order (`amount` a decimal string)."""

    kind: Literal["refund"] = "refund"
    number: str
    refund: int
    amount: str
    currency: str
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (order_channel(self.number), MERCHANT_ORDERS_CHANNEL)


class ReturnChanged(Event):
    """A return of the order `number` was asked for, moved, or changed (instructions, a
    label, an inspection, its outcome)."""

    kind: Literal["return"] = "return"
    number: str
    return_number: str
    status: ReturnStatus
    previous_status: ReturnStatus
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (order_channel(self.number), MERCHANT_RETURNS_CHANNEL)


#: What travels on an order's channel and the merchant's orders channel, told by `kind`.
OrderChannelEvent = Annotated[
    OrderStatusChanged | OrderRefunded | ReturnChanged, Field(discriminator="kind")
]
_order_channel_events: TypeAdapter[OrderStatusChanged | OrderRefunded | ReturnChanged] = (
    TypeAdapter(OrderChannelEvent)
)


def parse_order_event(
    message: bus.Message,
) -> OrderStatusChanged | OrderRefunded | ReturnChanged | None:
    """The event a message on an order channel carries; None (logged) for another shape."""
    try:
        return _order_channel_events.validate_python(message)
    except ValidationError as exc:
        log.warning("events.unreadable event=order errors=%d", exc.error_count())
        return None


class ConversationChanged(Event):
    """A conversation was opened, or its status, priority, assignee, labels, links or
    service-level state changed."""

    kind: Literal["conversation"] = "conversation"
    number: str
    status: ConversationStatus
    previous_status: ConversationStatus | None
    priority: ConversationPriority
    assignee_id: int | None
    #: Whether a service-level target is missed now.
    breached: bool
    version: int
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (conversation_channel(self.number), MERCHANT_SUPPORT_CHANNEL)


class MessagePosted(Event):
    """A message was added to a conversation. A `private` one (a staff note) is for staff
    only: every customer-facing stream drops it."""

    kind: Literal["message"] = "message"
    number: str
    message_id: int
    author: MessageAuthor
    private: bool
    #: The sender's own id for it, so the sender's screen recognises its echo.
    client_id: str | None
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (conversation_channel(self.number), MERCHANT_SUPPORT_CHANNEL)


class MessagesRead(Event):
    """One side of a conversation read its messages up to `up_to` (a message id)."""

    kind: Literal["read"] = "read"
    number: str
    reader: Literal["customer", "staff"]
    up_to: int
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (conversation_channel(self.number),)


class Typing(Event):
    """Someone is typing in a conversation (or stopped). Never stored: it goes out at once
    and is lost on a gap, which costs nothing."""

    kind: Literal["typing"] = "typing"
    number: str
    side: Literal["customer", "staff"]
    #: How the other side names the typist: a staff member's display name, or "".
    name: str
    typing: bool
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (conversation_channel(self.number),)


#: What travels on a conversation's channel and the merchant's support channel, by `kind`.
ConversationEvent = Annotated[
    ConversationChanged | MessagePosted | MessagesRead | Typing, Field(discriminator="kind")
]
_conversation_events: TypeAdapter[ConversationChanged | MessagePosted | MessagesRead | Typing] = (
    TypeAdapter(ConversationEvent)
)


def parse_conversation_event(
    message: bus.Message,
) -> ConversationChanged | MessagePosted | MessagesRead | Typing | None:
    """The event a message on a conversation channel carries; None (logged) for another
    shape."""
    try:
        return _conversation_events.validate_python(message)
    except ValidationError as exc:
        log.warning("events.unreadable event=conversation errors=%d", exc.error_count())
        return None


class ShipmentTracked(Event):
    """A parcel's tracking learned something: new events, or a new status."""

    number: str
    shipment_id: int
    status: TrackingStatus
    sub_status: str
    #: Whether the parcel is in the exceptions queue now, waiting for staff.
    attention: bool
    at: Instant

    def channels(self) -> tuple[str, ...]:
        return (tracking_channel(self.number), MERCHANT_TRACKING_CHANNEL)


class LowStockAlertRaised(Event):
    """A variant fell to its low-stock threshold and a new alert opened."""

    kind: Literal["raised"] = "raised"
    alert_id: int
    variant_id: int
    product_id: int
    sku: str
    threshold: int
    available: int
    created_at: Instant

    def channels(self) -> tuple[str, ...]:
        return (LOW_STOCK_CHANNEL,)


class LowStockAlertResolved(Event):
    """An open alert closed: its variant's stock rose above the threshold, or staff
    dismissed it."""

    kind: Literal["resolved"] = "resolved"
    alert_id: int
    variant_id: int
    resolved_at: Instant

    def channels(self) -> tuple[str, ...]:
        return (LOW_STOCK_CHANNEL,)


#: What travels on the merchant's low-stock channel, told by `kind`.
LowStockEvent = Annotated[LowStockAlertRaised | LowStockAlertResolved, Field(discriminator="kind")]
_low_stock_events: TypeAdapter[LowStockAlertRaised | LowStockAlertResolved] = TypeAdapter(
    LowStockEvent
)


def parse_low_stock_event(
    message: bus.Message,
) -> LowStockAlertRaised | LowStockAlertResolved | None:
    """The event a message on the low-stock channel carries; None (logged) for another shape."""
    try:
        return _low_stock_events.validate_python(message)
    except ValidationError as exc:
        log.warning("events.unreadable event=low_stock errors=%d", exc.error_count())
        return None


class RatesChanged(Event):
    """Exchange rates were written for these days."""

    dates: tuple[date, ...]

    def channels(self) -> tuple[str, ...]:
        return (RATES_CHANNEL,)


class StorefrontChanged(Event):
    """Something shoppers see changed outside the catalog's own events (a review, ...)."""

    def channels(self) -> tuple[str, ...]:
        return (STOREFRONT_CHANNEL,)


#: Every event type, for tests and tools that walk them.
EVENTS: tuple[type[Event], ...] = (
    ProductListingChanged,
    OrderStatusChanged,
    OrderRefunded,
    ReturnChanged,
    ConversationChanged,
    MessagePosted,
    MessagesRead,
    Typing,
    ShipmentTracked,
    LowStockAlertRaised,
    LowStockAlertResolved,
    RatesChanged,
    StorefrontChanged,
)


async def publish(event: Event) -> None:
    """Publish `event` on each of its channels once the current `atomic()` block commits
    (at once outside one); a rolled-back block publishes nothing."""
    message = event.to_message()

    async def send() -> None:
        for channel in event.channels():
            await bus.publish(channel, message)

    await after_commit(send)


E = TypeVar("E", bound=Event)


async def caught_up(
    item: bus.Message | bus.Gap,
    parse: Callable[[bus.Message], E | None],
    missed: Callable[[datetime], Awaitable[Sequence[E]]],
) -> list[E]:
    """A message read into its event (a list of one, or none when unreadable); for a
    `Gap`, the events `missed` reads back from the database for it."""
    if isinstance(item, bus.Gap):
        return list(await missed(item.since))
    event = parse(item)
    return [] if event is None else [event]
