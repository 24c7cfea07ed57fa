"""A payment's refunds, listed on the payment for staff (in one statement for a whole
order), and hidden from the shopper who sees only the refunded amount."""

from __future__ import annotations

from typing import Any

import pytest

from models.payments import Payment
from tests.factories import gid, make_user
from tests.payments.paying_setup import euro_order
from tests.payments.test_bank_transfers import _confirm
from tests.payments.test_refunds import REFUND

pytestmark = pytest.mark.usefixtures("db")

PAYMENTS = """
query($id: ID) {
  order(id: $id) {
    payments {
      method amountRefunded { amount currency }
      refunds { sequence status amount { amount currency } reason settledAmount { amount } }
    }
  }
}
"""


async def _refund(client: Any, payment: Payment, amount: str, reason: str) -> None:
    variables = {
        "input": {"paymentId": gid("Payment", payment.id), "amount": amount, "reason": reason}
    }
    assert (await client.staff(REFUND, variables))["refundPayment"]["errors"] == []


async def test_staff_see_each_refund_newest_first_and_the_shopper_none(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    await _confirm(client, order, received="10.00")
    payment = await Payment.get(order_id=order.id)
    await _refund(client, payment, "1.20", "Scratched")
    await _refund(client, payment, "2.00", "Late")

    variables = {"id": gid("Order", order.id)}
    [seen] = (await client.staff(PAYMENTS, variables))["order"]["payments"]
    assert seen["amountRefunded"] == {"amount": "3.20", "currency": "EUR"}
    assert [(r["sequence"], r["status"], r["amount"], r["reason"]) for r in seen["refunds"]] == [
        (2, "SUCCEEDED", {"amount": "2.00", "currency": "EUR"}, "Late"),
        (1, "SUCCEEDED", {"amount": "1.20", "currency": "EUR"}, "Scratched"),
    ]

    [own] = (await client.query(PAYMENTS, variables, user=shopper))["order"]["payments"]
    assert own["amountRefunded"] == {"amount": "3.20", "currency": "EUR"}
    assert own["refunds"] == []


async def test_refunds_of_many_orders_load_in_one_statement(client, count_queries):
    """Listing refunds for a page of orders costs the same statements for one or three."""
    orders = [await euro_order(await make_user()) for _ in range(3)]
    for order in orders:
        await _confirm(client, order, received="10.00")
        await _refund(client, await Payment.get(order_id=order.id), "1.00", "Goodwill")
    query = """
    query($n: Int) { orders(first: $n) { nodes { payments { refunds { amount { amount } } } } } }
    """
    await client.admin()
    counts = []
    for n in (1, 3):
        count_queries.statements.clear()
        data = await client.staff(query, {"n": n})
        refunds = [len(p["refunds"]) for o in data["orders"]["nodes"] for p in o["payments"]]
        assert refunds == [1] * n
        counts.append(count_queries.count)
    assert counts[0] == counts[1]
