"""One payable attempt per order: a new attempt, or cancelling the order, cancels the open
ones at the provider, so two tabs can never both capture an order's money."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from tortoise import timezone

from models.orders import Order, OrderLine, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from services.auth import Viewer
from services.orders import sweeper
from services.payments import gateways, payments
from services.payments.errors import PaymentError
from services.payments.gateway import (
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)
from tests.factories import gid, make_user
from tests.orders.handling_setup import stock_of
from tests.payments.paying_setup import CREATE, PAY, euro_order

pytestmark = pytest.mark.usefixtures("db")

CANCEL_MINE = """
mutation($input: CancelMyOrderInput!) {
  cancelMyOrder(input: $input) { order { status } errors { field code message } }
}
"""
CANCEL = """
mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) { order { status } errors { field code message } }
}
"""


class ScriptedGateway:
    """A provider that records cancellations and answers as a test scripts it."""

    name = Gateway.TEST
    methods: tuple[str, ...] = ("card", "bank_transfer")

    def __init__(self) -> None:
        self.created: list[PaymentRequest] = []
        self.cancelled: list[str] = []
        #: What `cancel_payment` answers (or raises).
        self.cancel_outcome: PaymentStatus | GatewayError = PaymentStatus.CANCELED
        #: Run while the provider "creates" a payment: another tab, the sweeper.
        self.meanwhile: Callable[[], Awaitable[object]] | None = None

    def methods_for(self, currency: str, country: str) -> list[str]:
        return ["card", "bank_transfer"]

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        self.created.append(request)
        if self.meanwhile is not None:
            step, self.meanwhile = self.meanwhile, None
            await step()
        provider_id = f"pi_{request.order_number}_{request.attempt}"
        return GatewayPayment(provider_id, PaymentStatus.REQUIRES_ACTION, f"{provider_id}_secret")

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        if isinstance(self.cancel_outcome, GatewayError):
            raise self.cancel_outcome
        self.cancelled.append(provider_payment_id)
        return self.cancel_outcome

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        raise AssertionError("not used")

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        return None

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        return None


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> ScriptedGateway:
    fake = ScriptedGateway()
    monkeypatch.setitem(gateways._gateways, Gateway.TEST, fake)
    return fake


async def _create(client, order, user, method: str = "card"):
    given = {"orderNumber": order.number, "method": method}
    return (await client.query(CREATE, {"input": given}, user=user))["createPayment"]


async def _statuses(order: Order) -> list[tuple[int, str]]:
    rows = await Payment.filter(order_id=order.id).order_by("attempt")
    return [(row.attempt, str(row.status)) for row in rows]


async def test_a_second_tab_cancels_the_first_tabs_payment(client):
    # The built-in test gateway, as the embedded shop runs.
    shopper = await make_user()
    order = await euro_order(shopper)
    first = (await _create(client, order, shopper))["payment"]
    second = (await _create(client, order, shopper))["payment"]
    assert (first["attempt"], second["attempt"]) == (1, 2)
    assert await _statuses(order) == [(1, "canceled"), (2, "requires_action")]

    stale = await client.query(
        PAY, {"input": {"paymentId": first["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert stale["payWithTestCard"]["errors"][0]["code"] == "ILLEGAL_STATE"
    paid = await client.query(
        PAY, {"input": {"paymentId": second["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert paid["payWithTestCard"]["payment"]["status"] == "SUCCEEDED"
    assert await Payment.filter(order_id=order.id, status=PaymentStatus.SUCCEEDED).count() == 1


async def test_a_failed_attempt_is_cancelled_too(client, provider: ScriptedGateway):
    # A failed PaymentIntent can still be confirmed again with another card.
    shopper = await make_user()
    order = await euro_order(shopper)
    await _create(client, order, shopper)
    await Payment.filter(order_id=order.id).update(status=PaymentStatus.FAILED)
    created = await _create(client, order, shopper)
    assert created["errors"] == []
    assert provider.cancelled == [f"pi_{order.number}_1"]
    assert await _statuses(order) == [(1, "canceled"), (2, "requires_action")]


async def test_when_the_old_attempt_cannot_be_cancelled_no_new_one_starts(
    client, provider: ScriptedGateway
):
    shopper = await make_user()
    order = await euro_order(shopper)
    await _create(client, order, shopper)

    provider.cancel_outcome = GatewayError("timed out", retryable=True)
    unreachable = await _create(client, order, shopper)
    assert unreachable["payment"] is None
    assert unreachable["errors"][0]["code"] == "GATEWAY_ERROR"
    assert await _statuses(order) == [(1, "requires_action")]

    # The shopper paid in the other tab just before: its notification is on its way.
    provider.cancel_outcome = PaymentStatus.SUCCEEDED
    too_late = await _create(client, order, shopper)
    assert too_late["errors"][0]["code"] == "PAYMENT_IN_PROGRESS"
    assert await _statuses(order) == [(1, "requires_action")]
    assert len(provider.created) == 1


async def test_an_attempt_overtaken_by_a_newer_one_withdraws(provider: ScriptedGateway):
    shopper = await make_user()
    order = await euro_order(shopper)
    viewer = Viewer(user_id=shopper.id)

    async def other_tab() -> None:
        await payments.create_payment(order.number, "card", viewer)

    provider.meanwhile = other_tab
    with pytest.raises(PaymentError) as raised:
        await payments.create_payment(order.number, "card", viewer)
    assert raised.value.problems[0].code.name == "PAYMENT_IN_PROGRESS"
    # Attempt 1 was being created when attempt 2 started: 1 cancels itself, 2 is payable.
    assert provider.cancelled == [f"pi_{order.number}_1"]
    assert await _statuses(order) == [(1, "canceled"), (2, "requires_action")]


async def test_an_attempt_made_while_the_order_is_cancelled_withdraws(provider: ScriptedGateway):
    shopper = await make_user()
    order = await euro_order(shopper)
    viewer = Viewer(user_id=shopper.id)

    async def sweeper_cancels() -> None:
        await Order.filter(id=order.id).update(status=OrderStatus.CANCELLED)

    provider.meanwhile = sweeper_cancels
    with pytest.raises(PaymentError) as raised:
        await payments.create_payment(order.number, "card", viewer)
    assert raised.value.problems[0].code.name == "ORDER_NOT_PAYABLE"
    assert provider.cancelled == [f"pi_{order.number}_1"]
    assert await _statuses(order) == [(1, "canceled")]


async def test_cancelling_an_order_cancels_its_open_payment(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    payment = (await _create(client, order, shopper))["payment"]
    cancelled = await client.query(
        CANCEL_MINE, {"input": {"orderId": gid("Order", order.id)}}, user=shopper
    )
    assert cancelled["cancelMyOrder"] == {"order": {"status": "CANCELLED"}, "errors": []}
    assert await _statuses(order) == [(1, "canceled")]
    late = await client.query(
        PAY, {"input": {"paymentId": payment["id"], "cardNumber": "4242424242424242"}}, user=shopper
    )
    assert late["payWithTestCard"]["errors"][0]["code"] == "ILLEGAL_STATE"
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED


async def test_an_order_whose_payment_is_processing_is_not_cancelled(
    client, provider: ScriptedGateway
):
    shopper = await make_user()
    order = await euro_order(shopper)
    await _create(client, order, shopper)
    await Payment.filter(order_id=order.id).update(status=PaymentStatus.PROCESSING)
    line = await OrderLine.get(order_id=order.id).prefetch_related("variant")
    variant = line.variant
    assert variant is not None
    before = await stock_of(variant)

    refused = await client.staff(CANCEL, {"input": {"orderId": gid("Order", order.id)}})
    assert refused["cancelOrder"]["order"] is None
    assert [(e["code"], e["field"]) for e in refused["cancelOrder"]["errors"]] == [
        ("PAYMENT_IN_PROGRESS", ["orderId"])
    ]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    assert await stock_of(variant) == before
    assert provider.cancelled == []

    # Nor by someone else's hand: another shopper's cancel touches no payment.
    stranger = await make_user()
    await Payment.filter(order_id=order.id).update(status=PaymentStatus.REQUIRES_ACTION)
    other = await client.query(
        CANCEL_MINE, {"input": {"orderId": gid("Order", order.id)}}, user=stranger
    )
    assert other["cancelMyOrder"]["errors"][0]["code"] == "NOT_FOUND"
    assert provider.cancelled == []
    assert await _statuses(order) == [(1, "requires_action")]


async def test_the_sweeper_waits_for_a_bank_transfer(client, provider: ScriptedGateway, settings):
    shopper = await make_user()
    limit = timedelta(minutes=settings.unpaid_order_minutes + 1)
    waiting = await euro_order(shopper, placed_at=timezone.now() - limit)
    await _create(client, waiting, shopper, method="bank_transfer")
    by_card = await euro_order(shopper, placed_at=timezone.now() - limit)
    await _create(client, by_card, shopper)

    assert await sweeper.cancel_unpaid() == 1
    assert (await Order.get(id=waiting.id)).status == OrderStatus.PENDING_PAYMENT
    assert (await Order.get(id=by_card.id)).status == OrderStatus.CANCELLED
    assert provider.cancelled == [f"pi_{by_card.number}_1"]

    # Past the transfer's days, the order is given up and its transfer cancelled.
    days = timedelta(days=settings.bank_transfer_wait_days, minutes=1)
    await Payment.filter(order_id=waiting.id).update(created_at=timezone.now() - days)
    assert await sweeper.cancel_unpaid() == 1
    assert (await Order.get(id=waiting.id)).status == OrderStatus.CANCELLED
    assert await _statuses(waiting) == [(1, "canceled")]
