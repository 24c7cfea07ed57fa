"""A shopper asks to cancel an order that has not shipped: cancelled at once while nothing
is being prepared, else a request staff approve or decline."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from models.catalog import ProductVariant
from models.jobs import Job
from models.orders import Order, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund
from models.returns import CancellationRequest, CancellationStatus
from services.emails.events import TASK
from services.orders import access, timeline
from services.orders.timeline import Actor
from services.returns import cancellation
from services.returns.errors import ReturnError, ReturnErrorCode
from tests.factories import make_product, make_user
from tests.orders.handling_setup import placed_order, stock_of
from tests.returns.setup import delivered_order

ASK = """
mutation Ask($input: RequestOrderCancellationInput!) {
  requestOrderCancellation(input: $input) {
    cancellationRequest { id status reason declineReason }
    order { status cancellationRequest { status } }
    errors { field code message }
  }
}"""
APPROVE = """
mutation Approve($input: ApproveCancellationRequestInput!) {
  approveCancellationRequest(input: $input) {
    cancellationRequest { status } order { status } errors { code message }
  }
}"""
DECLINE = """
mutation Decline($input: DeclineCancellationRequestInput!) {
  declineCancellationRequest(input: $input) {
    cancellationRequest { status declineReason } order { status } errors { field code }
  }
}"""


async def _paid(user, *, quantity: int = 2) -> tuple[Order, ProductVariant]:
    """An order paid by card and waiting to ship, its units reserved."""
    product = await make_product(prices=("30.00",), stock=(10,))
    variant = await ProductVariant.get(product_id=product.id)
    order = await placed_order(user, [(variant, quantity)], status=OrderStatus.PENDING_SHIPMENT)
    await Payment.create(
        order=order, attempt=1, gateway=Gateway.TEST, method="card",
        provider_id=f"pi_{order.number}", status=PaymentStatus.SUCCEEDED,
        currency=order.currency, amount=order.total_presentment,
        amount_received=order.total_presentment, succeeded_at=datetime.now().astimezone(),
    )  # fmt: skip
    return order, variant


async def _preparing(order: Order) -> None:
    staff = await make_user(email=f"packer{order.id}@example.com")
    await timeline.record(order.id, OrderEventKind.NOTE, Actor.staff(staff.id), message="Picked")


async def test_a_paid_order_nothing_prepared_is_cancelled_refunded_and_its_stock_released(client):
    user = await make_user()
    order, variant = await _paid(user)
    assert await stock_of(variant) == (10, 2)

    data = await client.query(
        ASK, {"input": {"orderNumber": order.number, "reason": "Ordered twice"}}, user=user
    )

    answer = data["requestOrderCancellation"]
    assert answer["errors"] == []
    assert answer["cancellationRequest"]["status"] == "APPROVED"
    assert answer["order"] == {"status": "CANCELLED", "cancellationRequest": {"status": "APPROVED"}}
    assert await stock_of(variant) == (10, 0)
    refund = await Refund.get()
    assert refund.amount == order.total_presentment


async def test_an_unpaid_guest_order_is_cancelled_with_its_token(client):
    product = await make_product(prices=("5.00",))
    variant = await ProductVariant.get(product_id=product.id)
    order = await placed_order(None, [(variant, 1)])
    token = await access.grant_access(order)

    wrong = await client.query(ASK, {"input": {"orderNumber": order.number, "accessToken": "x"}})
    data = await client.query(ASK, {"input": {"orderNumber": order.number, "accessToken": token}})

    assert [e["code"] for e in wrong["requestOrderCancellation"]["errors"]] == ["NOT_FOUND"]
    assert data["requestOrderCancellation"]["order"]["status"] == "CANCELLED"
    assert await Refund.all().count() == 0


async def test_once_staff_started_on_it_the_request_waits_and_staff_approve_it(client):
    user = await make_user()
    order, variant = await _paid(user)
    await _preparing(order)

    asked = (await client.query(ASK, {"input": {"orderNumber": order.number}}, user=user))[
        "requestOrderCancellation"
    ]
    twice = (await client.query(ASK, {"input": {"orderNumber": order.number}}, user=user))[
        "requestOrderCancellation"
    ]
    refused = await client.request(
        APPROVE, {"input": {"requestId": asked["cancellationRequest"]["id"]}}, user=user
    )
    approved = (
        await client.staff(APPROVE, {"input": {"requestId": asked["cancellationRequest"]["id"]}})
    )["approveCancellationRequest"]

    assert (asked["cancellationRequest"]["status"], asked["order"]["status"]) == (
        "REQUESTED", "PENDING_SHIPMENT",
    )  # fmt: skip
    assert [e["code"] for e in twice["errors"]] == ["NOT_CANCELLABLE"]
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert approved["errors"] == []
    assert (approved["cancellationRequest"]["status"], approved["order"]["status"]) == (
        "APPROVED", "CANCELLED",
    )  # fmt: skip
    assert await stock_of(variant) == (10, 0)
    assert await Refund.all().count() == 1
    kinds = [j.kwargs["kind"] for j in await Job.filter(task=TASK)]
    assert "cancellation_approved" in kinds


async def test_staff_decline_with_a_reason_and_the_order_goes_on(client):
    user = await make_user()
    order, variant = await _paid(user)
    await _preparing(order)
    asked = (await client.query(ASK, {"input": {"orderNumber": order.number}}, user=user))[
        "requestOrderCancellation"
    ]
    request_id = asked["cancellationRequest"]["id"]

    blank = await client.staff(DECLINE, {"input": {"requestId": request_id, "reason": "  "}})
    declined = await client.staff(
        DECLINE, {"input": {"requestId": request_id, "reason": "Already packed"}}
    )
    late = await client.staff(APPROVE, {"input": {"requestId": request_id}})

    assert [e["code"] for e in blank["declineCancellationRequest"]["errors"]] == ["REQUIRED"]
    assert declined["declineCancellationRequest"]["cancellationRequest"] == {
        "status": "DECLINED", "declineReason": "Already packed",
    }  # fmt: skip
    assert declined["declineCancellationRequest"]["order"]["status"] == "PENDING_SHIPMENT"
    assert [e["code"] for e in late["approveCancellationRequest"]["errors"]] == [
        "ILLEGAL_TRANSITION"
    ]
    assert await stock_of(variant) == (10, 2)
    kinds = [j.kwargs["kind"] for j in await Job.filter(task=TASK)]
    assert "cancellation_declined" in kinds


async def test_a_shipped_order_is_not_cancellable_and_points_to_a_return(client):
    user = await make_user()
    order, _, _ = await delivered_order(user)

    data = await client.query(ASK, {"input": {"orderNumber": order.number}}, user=user)

    errors = data["requestOrderCancellation"]["errors"]
    assert [e["code"] for e in errors] == ["NOT_CANCELLABLE"]
    assert "return" in errors[0]["message"]
    assert await CancellationRequest.all().count() == 0


async def test_another_shoppers_order_reads_as_not_found(client):
    order, _ = await _paid(await make_user())

    data = await client.query(ASK, {"input": {"orderNumber": order.number}}, user=await make_user())

    assert [e["code"] for e in data["requestOrderCancellation"]["errors"]] == ["NOT_FOUND"]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


@pytest.mark.parametrize(
    ("reason", "code"), [("x" * 501, "TOO_LONG"), ("stop\x00", "INVALID"), ("a\x1bb", "INVALID")]
)
async def test_a_bad_reason_is_refused(client, reason, code):
    user = await make_user()
    order, _ = await _paid(user)

    body = await client.request(
        ASK, {"input": {"orderNumber": order.number, "reason": reason}}, user=user
    )

    if "errors" in body:  # NUL never reaches a resolver: the input rules refuse it first
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    else:
        assert [e["code"] for e in body["data"]["requestOrderCancellation"]["errors"]] == [code]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_concurrent_requests_leave_one_open_request(db):
    user = await make_user()
    order, _ = await _paid(user)
    await _preparing(order)

    async def ask() -> object:
        try:
            return await cancellation.request_cancellation(order.id, actor=Actor.customer(user.id))
        except ReturnError as exc:
            return exc

    results = await asyncio.gather(*(ask() for _ in range(6)))

    refused = [r for r in results if isinstance(r, ReturnError)]
    assert len(refused) == 5
    assert {p.code for r in refused for p in r.problems} == {ReturnErrorCode.NOT_CANCELLABLE}
    assert await CancellationRequest.filter(status=CancellationStatus.REQUESTED).count() == 1


async def test_concurrent_automatic_cancellations_cancel_and_refund_once(db):
    user = await make_user()
    order, variant = await _paid(user)

    async def ask() -> object:
        try:
            return await cancellation.request_cancellation(order.id, actor=Actor.customer(user.id))
        except ReturnError as exc:
            return exc

    results = await asyncio.gather(*(ask() for _ in range(4)))

    assert sum(isinstance(r, cancellation.CancellationResult) for r in results) == 1
    assert await Refund.all().count() == 1
    assert await stock_of(variant) == (10, 0)
    assert await CancellationRequest.all().count() == 1
