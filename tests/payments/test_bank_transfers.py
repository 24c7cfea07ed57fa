"""Bank transfers confirmed by staff are payments like any other: listed on the order,
counted in the settlement report, and refundable by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.members import points as member_points
from tests.factories import gid, make_user
from tests.payments.paying_setup import CREATE, euro_order
from tests.payments.test_refunds import REFUND, paid_order
from tests.payments.test_settlement import REPORT

pytestmark = pytest.mark.usefixtures("db")

CONFIRM = """
mutation($input: RecordBankTransferPaymentInput!) {
  recordBankTransferPayment(input: $input) {
    order {
      status paymentMethod paymentReference
      payments { id status method gateway amount { amount currency } amountReceived { amount }
                 settledAmount { amount currency } fee { amount currency } providerRate }
    }
    errors { field code message }
  }
}
"""


async def _confirm(client, order: Order, **given: Any) -> dict[str, Any]:
    variables = {"input": {"orderId": gid("Order", order.id), "reference": "TR-77", **given}}
    result: dict[str, Any] = (await client.staff(CONFIRM, variables))["recordBankTransferPayment"]
    return result


async def test_a_confirmed_transfer_is_a_settled_payment_and_counts_in_the_report(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    # The shopper had opened a card payment: confirming the transfer cancels it.
    opened = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=shopper
    )
    assert opened["createPayment"]["errors"] == []

    # 9.20 EUR arrived as 9.80 USD after 0.25 of charges: 10.05 for 10.00 priced.
    confirmed = await _confirm(client, order, received="9.80", bankCharges="0.25")
    assert confirmed["errors"] == []
    seen = confirmed["order"]
    assert (seen["status"], seen["paymentMethod"]) == ("PENDING_SHIPMENT", "bank_transfer")
    transfer, card = seen["payments"]
    assert transfer == {
        "id": transfer["id"],
        "status": "SUCCEEDED",
        "method": "bank_transfer",
        "gateway": "BANK_TRANSFER",
        "amount": {"amount": "9.20", "currency": "EUR"},
        "amountReceived": {"amount": "9.20"},
        "settledAmount": {"amount": "9.80", "currency": "USD"},
        "fee": {"amount": "0.25", "currency": "USD"},
        "providerRate": "1.09239130435",
    }
    assert (card["method"], card["status"]) == ("card", "CANCELED")

    day = datetime.now(UTC).date().isoformat()
    report = (await client.staff(REPORT, {"from": day, "to": day}))["settlementReport"]
    [row] = [r for r in report["rows"] if r["method"] == "bank_transfer"]
    assert row["gross"] == {"amount": "9.20", "currency": "EUR"}
    assert (row["net"]["amount"], row["fees"]["amount"], row["priced"]["amount"]) == (
        "9.80",
        "0.25",
        "10.00",
    )
    assert row["exchangeGain"] == {"amount": "0.05", "currency": "USD"}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"received": "0"}, "received"),
        ({"received": "1.001"}, "received"),
        ({"bankCharges": "0.10"}, "bankCharges"),
        ({"received": "9.00", "bankCharges": "-1"}, "bankCharges"),
    ],
)
async def test_refused_figures_change_nothing(client, given, field):
    order = await euro_order(await make_user())
    refused = await _confirm(client, order, **given)
    assert refused["order"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID", [field])]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    assert await Payment.filter(order_id=order.id).count() == 0


async def test_a_transfer_without_figures_is_paid_but_not_settled(client):
    order = await euro_order(await make_user())
    confirmed = await _confirm(client, order)
    [payment] = confirmed["order"]["payments"]
    assert (payment["status"], payment["settledAmount"], payment["fee"]) == (
        "SUCCEEDED",
        None,
        None,
    )


async def test_a_transfer_is_refunded_by_hand(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    await _confirm(client, order, received="10.00")
    await member_points.on_order_completed(order.id)
    earned = await member_points.balance(shopper.id)
    payment = await Payment.get(order_id=order.id)
    assert payment.gateway == Gateway.BANK_TRANSFER

    variables: dict[str, Any] = {
        "input": {
            "paymentId": gid("Payment", payment.id),
            "amount": "4.60",
            "reason": "Returned",
            "amountSent": "5.10",
        }
    }
    refunded = (await client.staff(REFUND, variables))["refundPayment"]
    assert refunded["errors"] == []
    assert refunded["refund"]["status"] == "SUCCEEDED"
    assert refunded["refund"]["settledAmount"] == {"amount": "-5.10", "currency": "USD"}
    assert refunded["order"]["refundedTotal"] == {"amount": "5.00", "currency": "USD"}
    assert (await Payment.get(id=payment.id)).amount_refunded == 460
    assert await member_points.balance(shopper.id) == earned - earned // 2

    # Without what was sent, a refund in another currency than the shop's is unsettled.
    variables["input"] = {**variables["input"], "amount": "4.60", "amountSent": None}
    rest = (await client.staff(REFUND, variables))["refundPayment"]
    assert rest["refund"]["settledAmount"] is None
    over = (await client.staff(REFUND, variables))["refundPayment"]
    assert over["errors"][0]["code"] == "REFUND_EXCEEDS_CAPTURED"
    assert await Refund.filter(payment_id=payment.id, status=RefundStatus.SUCCEEDED).count() == 2


async def test_a_gateway_refund_takes_no_amount_sent(client):
    _, payment = await paid_order("20.00", "USD", "1")
    variables = {
        "input": {
            "paymentId": gid("Payment", payment.id),
            "amount": "5.00",
            "reason": "Goodwill",
            "amountSent": "5.00",
        }
    }
    refused = (await client.staff(REFUND, variables))["refundPayment"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [("INVALID", ["amountSent"])]
    assert await Refund.filter(payment_id=payment.id).count() == 0
    assert (await Payment.get(id=payment.id)).status == PaymentStatus.SUCCEEDED
