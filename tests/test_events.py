"""Typed events: each reads back from the bus as it was published, on each of its channels."""

from __future__ import annotations

import asyncio
import contextlib
import os
from datetime import UTC, date, datetime

import orjson
import pytest

from models.catalog import ListingCause, ListingStatus
from models.orders import OrderStatus
from models.returns import ReturnStatus
from models.support import ConversationPriority, ConversationStatus, MessageAuthor
from models.tracking import TrackingStatus
from services.transactions import atomic
from subscriptions import bus, events

AT = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)

#: One of each event, with the message it is on the bus (the shape subscribers of other
#: processes read).
SAMPLES: list[tuple[events.Event, dict]] = [
    (
        events.ProductListingChanged(
            product_id=42,
            visible=True,
            cause=ListingCause.WINDOW,
            status=ListingStatus.ACTIVE,
            actor="system",
            occurred_at=AT,
        ),
        {
            "productId": 42,
            "visible": True,
            "cause": "window",
            "status": "active",
            "actor": "system",
            "occurredAt": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.OrderStatusChanged(
            kind="status",
            number="TW8K2M4Q",
            status=OrderStatus.PENDING_SHIPMENT,
            previous_status=OrderStatus.PENDING_PAYMENT,
            at=AT,
        ),
        {
            "kind": "status",
            "number": "TW8K2M4Q",
            "status": "pending_shipment",
            "previousStatus": "pending_payment",
            "at": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.OrderStatusChanged(
            kind="placed",
            number="TW8K2M4Q",
            status=OrderStatus.PENDING_PAYMENT,
            previous_status=None,
            at=AT,
        ),
        {
            "kind": "placed",
            "number": "TW8K2M4Q",
            "status": "pending_payment",
            "previousStatus": None,
            "at": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.OrderRefunded(number="TW8K2M4Q", refund=3, amount="5.00", currency="EUR", at=AT),
        {
            "kind": "refund",
            "number": "TW8K2M4Q",
            "refund": 3,
            "amount": "5.00",
            "currency": "EUR",
            "at": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.ReturnChanged(
            number="TW8K2M4Q",
            return_number="TW8K2M4Q-R1",
            status=ReturnStatus.APPROVED,
            previous_status=ReturnStatus.REQUESTED,
            at=AT,
        ),
        {
            "kind": "return",
            "number": "TW8K2M4Q",
            "returnNumber": "TW8K2M4Q-R1",
            "status": "approved",
            "previousStatus": "requested",
            "at": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.LowStockAlertRaised(
            alert_id=1,
            variant_id=2,
            product_id=3,
            sku="MUG-RED",
            threshold=5,
            available=4,
            created_at=AT,
        ),
        {
            "kind": "raised",
            "alertId": 1,
            "variantId": 2,
            "productId": 3,
            "sku": "MUG-RED",
            "threshold": 5,
            "available": 4,
            "createdAt": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.LowStockAlertResolved(alert_id=1, variant_id=2, resolved_at=AT),
        {
            "kind": "resolved",
            "alertId": 1,
            "variantId": 2,
            "resolvedAt": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.RatesChanged(dates=(date(2026, 2, 27), date(2026, 3, 2))),
        {"dates": ["2026-02-27", "2026-03-02"]},
    ),
    (events.StorefrontChanged(), {}),
    (
        events.ShipmentTracked(
            number="TW8K2M4Q",
            shipment_id=7,
            status=TrackingStatus.IN_CUSTOMS,
            sub_status="customs_duties_due",
            attention=True,
            at=AT,
        ),
        {
            "number": "TW8K2M4Q",
            "shipmentId": 7,
            "status": "in_customs",
            "subStatus": "customs_duties_due",
            "attention": True,
            "at": "2026-03-01T09:30:15.250000+00:00",
        },
    ),
    (
        events.ConversationChanged(
            number="CS4K9M2Q7T",
            status=ConversationStatus.WAITING,
            previous_status=ConversationStatus.OPEN,
            priority=ConversationPriority.HIGH,
            assignee_id=7,
            breached=False,
            version=3,
            at=AT,
        ),
        {
            "kind": "conversation",
            "number": "CS4K9M2Q7T",
            "status": "waiting",
            "previousStatus": "open",
            "priority": "high",
            "assigneeId": 7,
            "breached": False,
            "version": 3,
            "at": AT.isoformat(),
        },
    ),
    (
        events.MessagePosted(
            number="CS4K9M2Q7T",
            message_id=41,
            author=MessageAuthor.STAFF,
            private=True,
            client_id=None,
            at=AT,
        ),
        {
            "kind": "message",
            "number": "CS4K9M2Q7T",
            "messageId": 41,
            "author": "staff",
            "private": True,
            "clientId": None,
            "at": AT.isoformat(),
        },
    ),
    (
        events.MessagesRead(number="CS4K9M2Q7T", reader="customer", up_to=41, at=AT),
        {
            "kind": "read",
            "number": "CS4K9M2Q7T",
            "reader": "customer",
            "upTo": 41,
            "at": AT.isoformat(),
        },
    ),
    (
        events.Typing(number="CS4K9M2Q7T", side="staff", name="Mei", typing=True, at=AT),
        {
            "kind": "typing",
            "number": "CS4K9M2Q7T",
            "side": "staff",
            "name": "Mei",
            "typing": True,
            "at": AT.isoformat(),
        },
    ),
]

CHANNELS: dict[type[events.Event], set[str]] = {
    events.ProductListingChanged: {"catalog:listing", "product:42"},
    events.OrderStatusChanged: {"order:TW8K2M4Q", "merchant:orders"},
    events.OrderRefunded: {"order:TW8K2M4Q", "merchant:orders"},
    events.ReturnChanged: {"order:TW8K2M4Q", "merchant:returns"},
    events.ConversationChanged: {"conversation:CS4K9M2Q7T", "merchant:support"},
    events.MessagePosted: {"conversation:CS4K9M2Q7T", "merchant:support"},
    events.MessagesRead: {"conversation:CS4K9M2Q7T"},
    events.Typing: {"conversation:CS4K9M2Q7T"},
    events.LowStockAlertRaised: {"merchant:low-stock"},
    events.LowStockAlertResolved: {"merchant:low-stock"},
    events.RatesChanged: {"currency:rates"},
    events.StorefrontChanged: {"storefront:changed"},
    events.ShipmentTracked: {"tracking:TW8K2M4Q", "merchant:tracking"},
}

IDS = [f"{type(event).__name__}-{i}" for i, (event, _) in enumerate(SAMPLES)]


def test_every_event_has_a_sample_and_channels():
    assert set(events.Event.__subclasses__()) == set(events.EVENTS)
    assert {type(event) for event, _ in SAMPLES} == set(events.EVENTS) == set(CHANNELS)
    for event, _ in SAMPLES:
        assert set(event.channels()) == CHANNELS[type(event)]


@pytest.mark.parametrize(("event", "message"), SAMPLES, ids=IDS)
def test_an_event_round_trips_through_its_bus_message(event, message):
    assert event.to_message() == message
    # As another process reads it off Redis: JSON bytes back into a dict, then the event.
    wire = orjson.loads(orjson.dumps(event.to_message()))
    again = type(event).parse(wire)
    assert again == event
    assert again is not None and again.to_message() == message


@pytest.mark.parametrize(
    ("event", "message"),
    [s for s in SAMPLES if s[0].channels()[0].startswith("order:")],
)
def test_order_channel_messages_read_back_by_their_kind(event, message):
    assert events.parse_order_event(message) == event


def test_an_event_is_frozen():
    event = events.RatesChanged(dates=(date(2026, 3, 2),))
    with pytest.raises(ValueError):
        event.dates = ()


@pytest.mark.parametrize(
    "message",
    [
        {},
        {"kind": "returned", "number": "TW1"},
        {"kind": "status", "number": "TW1", "status": "lost", "previousStatus": None, "at": "x"},
        {"kind": "refund", "number": "TW1", "refund": 1, "amount": "5.00"},
    ],
)
def test_a_message_of_another_shape_reads_as_nothing(message):
    assert events.parse_order_event(message) is None
    assert events.OrderStatusChanged.parse(message) is None
    assert events.LowStockAlertRaised.parse(message) is None


async def _received(event: events.Event) -> dict[str, dict]:
    """What each of the event's channels carries when the event is published."""
    async with contextlib.AsyncExitStack() as stack:
        subscriptions = {
            channel: await stack.enter_async_context(bus.current().subscribe(channel))
            for channel in event.channels()
        }
        await asyncio.sleep(0.05)  # Redis: let the subscriptions register
        await events.publish(event)
        return {
            channel: await asyncio.wait_for(anext(aiter(messages)), timeout=5)
            for channel, messages in subscriptions.items()
        }


@pytest.mark.parametrize(("event", "message"), SAMPLES, ids=IDS)
async def test_publishing_an_event_reaches_each_of_its_channels(event_bus, event, message):
    received = await _received(event)
    assert received == {channel: message for channel in CHANNELS[type(event)]}
    assert {type(event).parse(m) for m in received.values()} == {event}


async def test_an_event_published_in_a_transaction_goes_out_after_the_commit(db):
    event, message = SAMPLES[1]
    async with bus.current().subscribe("merchant:orders") as messages:
        await asyncio.sleep(0.05)
        with pytest.raises(RuntimeError):
            async with atomic():
                await events.publish(event)
                raise RuntimeError("a later step failed")
        async with atomic():
            await events.publish(event)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(anext(aiter(messages)), timeout=0.2)
        assert await asyncio.wait_for(anext(aiter(messages)), timeout=5) == message
        with pytest.raises(TimeoutError):  # the rolled-back one never comes
            await asyncio.wait_for(anext(aiter(messages)), timeout=0.2)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
async def test_an_event_one_process_publishes_reads_back_in_another():
    url = os.environ["REDIS_URL"]
    one, two = bus.RedisBus(url), bus.RedisBus(url)  # two server processes
    await one.start()
    await two.start()
    try:
        event, _ = SAMPLES[0]
        async with two.subscribe("product:42") as messages:
            await asyncio.sleep(0.05)
            for channel in event.channels():
                await one.publish(channel, event.to_message())
            message = await asyncio.wait_for(anext(aiter(messages)), timeout=5)
        assert events.ProductListingChanged.parse(message) == event
    finally:
        await one.stop()
        await two.stop()
