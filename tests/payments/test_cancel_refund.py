"""Cancelling a paid order with `refund: true` gives the money back through each payment's
gateway; what cannot be refunded is reported, and the order stays cancelled."""

from __future__ import annotations

from typing import Any

import pytest

from models.orders import Order, OrderLine, OrderStatus
from models.payments import Gateway, Payment, Refund, RefundStatus
from services.payments import gateways
from services.payments.gateway import GatewayError
from tests.factories import gid, make_user
from tests.orders.handling_setup import stock_of
from tests.payments.paying_setup import euro_order, pay_by_card
from tests.payments.test_refunds import FakeGateway

pytestmark = pytest.mark.usefixtures("db")

CANCEL = """
mutation($input: CancelOrderInput!) {
  cancelOrder(input: $input) {
    order { status refundedInShopCurrency { amount currency } }
    errors { field code message }
  }
}
"""


async def _paid_by_card(client) -> Order:
    shopper = await make_user()
    order = await euro_order(shopper)
    assert (await pay_by_card(client, order, shopper))["status"] == "SUCCEEDED"
    return await Order.get(id=order.id)


async def _cancel(client, order: Order, **given: Any) -> dict[str, Any]:
    variables = {"input": {"orderId": gid("Order", order.id), "reason": "Out of stock", **given}}
    result: dict[str, Any] = (await client.staff(CANCEL, variables))["cancelOrder"]
    return result


async def test_cancelling_with_refund_gives_the_whole_payment_back(client):
    order = await _paid_by_card(client)
    line = await OrderLine.get(order_id=order.id).prefetch_related("variant")
    assert line.variant is not None
    on_hand, reserved = await stock_of(line.variant)

    result = await _cancel(client, order, refund=True)
    assert result == {
        "order": {
            "status": "CANCELLED",
            "refundedInShopCurrency": {"amount": "10.00", "currency": "USD"},
        },
        "errors": [],
    }
    payment = await Payment.get(order_id=order.id)
    assert payment.amount_refunded == payment.amount_received == 920
    refund = await Refund.get(payment_id=payment.id)
    assert (refund.status, refund.amount, refund.reason) == (
        RefundStatus.SUCCEEDED,
        920,
        "Order cancelled: Out of stock",
    )
    assert await stock_of(line.variant) == (on_hand, reserved - line.quantity)


async def test_without_refund_the_money_stays_captured(client):
    order = await _paid_by_card(client)
    result = await _cancel(client, order)
    assert result["order"]["status"] == "CANCELLED"
    assert result["order"]["refundedInShopCurrency"]["amount"] == "0.00"
    assert await Refund.all().count() == 0


async def test_a_refund_the_provider_refuses_is_reported_and_the_order_stays_cancelled(
    client, monkeypatch: pytest.MonkeyPatch
):
    order = await _paid_by_card(client)
    refusing = FakeGateway()
    refusing.error = GatewayError("The charge was disputed.", code="charge_disputed")
    monkeypatch.setitem(gateways._gateways, Gateway.TEST, refusing)

    result = await _cancel(client, order, refund=True)
    assert result["order"]["status"] == "CANCELLED"
    assert result["order"]["refundedInShopCurrency"]["amount"] == "0.00"
    [error] = result["errors"]
    assert (error["code"], error["field"]) == ("REFUND_FAILED", ["refund"])
    assert "9.20 EUR" in error["message"] and "disputed" in error["message"]
    payment = await Payment.get(order_id=order.id)
    assert payment.amount_refunded == 0
    assert [r.status for r in await Refund.filter(payment_id=payment.id)] == [RefundStatus.FAILED]
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED


async def test_a_bank_transfer_is_recorded_refunded_by_hand(client):
    order = await euro_order(await make_user())
    await client.staff(
        """mutation($input: RecordBankTransferPaymentInput!) {
             recordBankTransferPayment(input: $input) { errors { code } } }""",
        {"input": {"orderId": gid("Order", order.id), "reference": "TR-9", "received": "10.00"}},
    )
    result = await _cancel(client, order, refund=True)
    assert result["errors"] == []
    assert result["order"]["refundedInShopCurrency"]["amount"] == "10.00"
    refund = await Refund.get(payment__order_id=order.id)
    assert (refund.status, refund.settled_amount) == (RefundStatus.SUCCEEDED, None)
