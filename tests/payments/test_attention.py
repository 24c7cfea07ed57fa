"""Payments needing attention: each rule through GraphQL, the ordering, the permission and
the arguments' ranges."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from tests.conftest import GraphQLClient
from tests.factories import make_order, make_product, make_user

pytestmark = pytest.mark.usefixtures("db")

ATTENTION = """
query($first: Int! = 50, $hours: Int! = 24) {
  paymentsNeedingAttention(first: $first, stuckAfterHours: $hours) {
    kind reason since orderNumber
    payment { status amount { amount currency } }
    refund { status amount { amount } failureMessage }
    order { number status }
  }
}
"""

NOW = datetime.now().astimezone()


async def order_with(
    status: PaymentStatus,
    *,
    order_status: OrderStatus = OrderStatus.COMPLETED,
    attempt: int = 1,
    order: Order | None = None,
    age: timedelta = timedelta(0),
    **fields: Any,
) -> tuple[Order, Payment]:
    if order is None:
        product = await make_product(prices=("20.00",))
        variant = await ProductVariant.get(product_id=product.id)
        order = await make_order(await make_user(), [(variant, 1)], status=order_status)
    payment = await Payment.create(
        order=order,
        attempt=attempt,
        gateway=Gateway.TEST,
        method="card",
        provider_id=f"test_pi_{order.number}_{attempt}",
        status=status,
        currency=order.currency,
        amount=order.total_presentment,
        amount_received=fields.pop("amount_received", order.total_presentment),
        **fields,
    )
    if age:
        await Payment.filter(id=payment.id).update(updated_at=NOW - age)
    return order, payment


async def test_each_rule_finds_its_payment_newest_first(client: GraphQLClient):
    # Fine: nothing to look at.
    await order_with(PaymentStatus.SUCCEEDED, settled_amount=1900, succeeded_at=NOW)
    disputed, _ = await order_with(
        PaymentStatus.FLAGGED,
        flagged_reason="the shopper disputed the charge (fraudulent)",
        succeeded_at=NOW,
        age=timedelta(hours=1),
    )
    mismatch, _ = await order_with(
        PaymentStatus.FLAGGED,
        order_status=OrderStatus.PENDING_PAYMENT,
        flagged_reason="received 15.00 USD, the order is 20.00 USD",
        age=timedelta(hours=2),
    )
    short, _ = await order_with(
        PaymentStatus.SUCCEEDED,
        amount_received=1500,
        settled_amount=1400,
        succeeded_at=NOW - timedelta(hours=3),
    )
    # An unpaid order whose first attempt failed and second one failed too: one item, the
    # latest; an order whose failed attempt was followed by a waiting one: none.
    declined, _ = await order_with(
        PaymentStatus.FAILED,
        order_status=OrderStatus.PENDING_PAYMENT,
        failure_message="Your card was declined.",
        age=timedelta(hours=5),
    )
    await order_with(
        PaymentStatus.FAILED,
        order=declined,
        attempt=2,
        failure_message="Your card has insufficient funds.",
        age=timedelta(hours=4),
    )
    retried, _ = await order_with(
        PaymentStatus.FAILED, order_status=OrderStatus.PENDING_PAYMENT, age=timedelta(hours=4)
    )
    await order_with(PaymentStatus.REQUIRES_ACTION, order=retried, attempt=2)
    stuck, _ = await order_with(
        PaymentStatus.PROCESSING,
        order_status=OrderStatus.PENDING_PAYMENT,
        age=timedelta(hours=30),
    )
    await order_with(  # processing for an hour: not yet
        PaymentStatus.PROCESSING, order_status=OrderStatus.PENDING_PAYMENT, age=timedelta(hours=1)
    )
    unsettled, _ = await order_with(PaymentStatus.SUCCEEDED, succeeded_at=NOW - timedelta(days=3))
    refused, paid = await order_with(
        PaymentStatus.SUCCEEDED, settled_amount=1900, succeeded_at=NOW - timedelta(days=9)
    )
    refund = await Refund.create(
        payment=paid,
        sequence=1,
        provider_id="test_re_1",
        status=RefundStatus.FAILED,
        amount=500,
        reason="goodwill",
        failure_message="The card was closed",
    )
    await Refund.filter(id=refund.id).update(updated_at=NOW - timedelta(hours=6))

    data = await client.query(ATTENTION, staff=True)
    found = [(item["kind"], item["orderNumber"]) for item in data["paymentsNeedingAttention"]]
    assert found == [
        ("DISPUTED", disputed.number),
        ("FLAGGED", mismatch.number),
        ("AMOUNT_MISMATCH", short.number),
        ("FAILED", declined.number),
        ("REFUND_FAILED", refused.number),
        ("STUCK", stuck.number),
        ("UNSETTLED", unsettled.number),
    ]
    items = {item["kind"]: item for item in data["paymentsNeedingAttention"]}
    assert items["FAILED"]["reason"] == "Your card has insufficient funds."
    assert items["REFUND_FAILED"]["refund"] == {
        "status": "FAILED",
        "amount": {"amount": "5.00"},
        "failureMessage": "The card was closed",
    }
    assert items["DISPUTED"]["order"] == {"number": disputed.number, "status": "COMPLETED"}
    assert items["STUCK"]["payment"]["status"] == "PROCESSING"

    # A longer wait leaves the stuck and unsettled ones out; `first` cuts the list.
    data = await client.query(ATTENTION, {"hours": 96}, staff=True)
    kinds = [item["kind"] for item in data["paymentsNeedingAttention"]]
    assert "STUCK" not in kinds and "UNSETTLED" not in kinds
    data = await client.query(ATTENTION, {"first": 2}, staff=True)
    assert [i["kind"] for i in data["paymentsNeedingAttention"]] == ["DISPUTED", "FLAGGED"]


async def test_a_pending_refund_is_listed_once_it_waited_too_long(client: GraphQLClient):
    order, paid = await order_with(
        PaymentStatus.SUCCEEDED, settled_amount=1900, succeeded_at=NOW - timedelta(days=5)
    )
    refund = await Refund.create(
        payment=paid, sequence=1, status=RefundStatus.PENDING, amount=2000, reason="return"
    )
    data = await client.query(ATTENTION, staff=True)
    assert data["paymentsNeedingAttention"] == []
    await Refund.filter(id=refund.id).update(created_at=NOW - timedelta(days=2))
    data = await client.query(ATTENTION, staff=True)
    assert [(i["kind"], i["orderNumber"]) for i in data["paymentsNeedingAttention"]] == [
        ("REFUND_PENDING", order.number)
    ]


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"first": 0}, "first"),
        ({"first": 201}, "first"),
        ({"hours": 0}, "stuckAfterHours"),
        ({"hours": 10**9}, "stuckAfterHours"),
    ],
)
async def test_out_of_range_arguments_are_refused(
    client: GraphQLClient, variables: dict[str, int], field: str
):
    body = await client.request(ATTENTION, variables, staff=True)
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert field in str(error)


async def test_only_staff_with_reports_may_look(client: GraphQLClient):
    for user in (
        await make_user(),
        await make_user(role=Role.STAFF, permissions=("orders",)),
    ):
        body = await client.request(ATTENTION, user=user)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    allowed = await make_user(role=Role.STAFF, permissions=("reports",))
    body = await client.request(ATTENTION, user=allowed)
    assert body["data"] == {"paymentsNeedingAttention": []}
    anonymous = await client.request(ATTENTION)
    assert anonymous["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
