"""With Alipay settings, the whole flow through the API: a cashier URL signed for (a stand-in
of) Alipay, the shopper pays, Alipay's signed notification pays the order, the settlement is
computed from the contract's fee, and refunds go back through Alipay."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from models.accounts import Role, User
from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from services.payments import gateways
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order
from tests.payments.alipay_standin import AlipayStandIn, KeyPair
from tests.payments.paying_setup import CREATE
from tests.payments.test_alipay_gateway import (  # noqa: F401 - fixtures
    alipay,
    alipay_keys,
    alipay_server,
    alipay_settings,
)
from tests.payments.test_settlement import REPORT

METHODS = "query($number: String!) { paymentMethods(orderNumber: $number) }"
REFUND = """mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { errors { code message } refund { status } } }"""
RETURN_URL = "https://shop.example/orders/back"


@pytest.fixture
async def alipay_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    alipay: tuple[AlipayStandIn, str],  # noqa: F811 - the imported fixture
    alipay_keys: tuple[KeyPair, KeyPair],  # noqa: F811
) -> AsyncIterator[AlipayStandIn]:
    values = alipay_settings(alipay[1], alipay_keys, payment_gateways=["alipay"])
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.ALIPAY)  # built afresh from these settings
    try:
        yield alipay[0]
    finally:
        gateways.uninstall_gateway(Gateway.ALIPAY)


async def yuan_order(user: User) -> Order:
    """An unpaid order of one 10.00 USD item at 7.2 yuan per dollar: 72.00 CNY, to China."""
    product = await make_product(prices=("10.00",))
    variant = (await product.variants.all())[0]
    return await placed_order(user, [(variant, 1)], currency="CNY", rate="7.2", ship_country="CN")


async def _notify(app: Any, form: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        return await http.post("/webhooks/alipay", data=form)


async def _opened_and_paid(client: Any, standin: AlipayStandIn, order: Order, user: User) -> Any:
    """The shopper starts an Alipay payment, opens the cashier and pays; returns its row."""
    given = {"orderNumber": order.number, "method": "alipay", "returnUrl": RETURN_URL}
    created = await client.query(CREATE, {"input": given}, user=user)
    assert created["createPayment"]["errors"] == []
    action = created["createPayment"]["payment"]["nextAction"]
    async with httpx.AsyncClient() as http:
        assert (await http.get(action["redirect_to_url"]["url"])).status_code == 200
    row = await Payment.get(
        order_id=order.id, attempt=created["createPayment"]["payment"]["attempt"]
    )
    standin.pay(str(row.provider_id))
    return row


async def test_a_yuan_order_is_paid_settled_and_refunded_through_alipay(
    client, app, alipay_shop
) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    methods = await client.query(METHODS, {"number": order.number}, user=shopper)
    assert methods["paymentMethods"] == ["alipay"]

    given = {"orderNumber": order.number, "method": "alipay", "returnUrl": RETURN_URL}
    created = await client.query(CREATE, {"input": given}, user=shopper)
    assert created["createPayment"]["errors"] == []
    payment = created["createPayment"]["payment"]
    assert payment["amount"] == {"amount": "72.00", "currency": "CNY"}
    action = payment["nextAction"]
    assert action["type"] == "redirect_to_url"
    assert action["redirect_to_url"]["return_url"] == RETURN_URL
    async with httpx.AsyncClient() as http:
        assert (await http.get(action["redirect_to_url"]["url"])).status_code == 200
    out_trade_no = f"{order.number}_1"
    assert alipay_shop.trades[out_trade_no]["total_amount"] == "72.00"
    row = await Payment.get(order_id=order.id, attempt=1)
    assert (row.provider_id, row.status) == (out_trade_no, PaymentStatus.REQUIRES_ACTION)

    # The shopper pays; the return to the shop proves nothing, Alipay's notification does.
    alipay_shop.pay(out_trade_no)
    paid_notice = alipay_shop.notification(out_trade_no)
    answer = await _notify(app, paid_notice)
    assert (answer.status_code, answer.text) == (200, "success")
    paid = await Payment.get(id=row.id)
    assert (paid.status, paid.amount_received) == (PaymentStatus.SUCCEEDED, 7200)
    # 0.6% of 72.00 is 0.432: a fee of 0.43, 71.57 settled, under Alipay's trade number.
    assert (paid.settlement_currency, paid.settled_amount, paid.fee) == ("CNY", 7157, 43)
    assert paid.balance_transaction_id == alipay_shop.trades[out_trade_no]["trade_no"]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    [event] = await WebhookEvent.filter(gateway=Gateway.ALIPAY)
    assert (event.event_id, event.type) == (paid_notice["notify_id"], "payment_intent.succeeded")

    day = datetime.now(UTC).date().isoformat()
    report = (await client.staff(REPORT, {"from": day, "to": day}))["settlementReport"]
    [line] = [r for r in report["rows"] if r["method"] == "alipay"]
    assert line["gross"] == {"amount": "72.00", "currency": "CNY"}
    assert (line["fees"]["amount"], line["net"]["amount"]) == ("0.43", "71.57")

    # A replay changes nothing; a forged one is refused and changes nothing.
    assert (await _notify(app, paid_notice)).text == "success"
    forged = {**paid_notice, "notify_id": "forged1", "out_trade_no": "TWOTHER_1"}
    refused = await _notify(app, forged)
    assert (refused.status_code, refused.text) == (400, "fail")
    assert await WebhookEvent.filter(gateway=Gateway.ALIPAY).count() == 1

    merchant = await make_user(role=Role.STAFF, permissions=("orders",))
    for amount in ("25.00", "47.00"):
        refunded = await client.query(
            REFUND,
            {"input": {"paymentId": gid("Payment", row.id), "amount": amount, "reason": "damaged"}},
            user=merchant,
        )
        assert refunded["refundPayment"]["errors"] == []
        assert refunded["refundPayment"]["refund"]["status"] == "SUCCEEDED"
    first, second = alipay_shop.called("alipay.trade.refund")
    assert (first["out_request_no"], first["refund_amount"]) == (f"R{row.id}_1", "25.00")
    assert (second["out_request_no"], second["refund_amount"]) == (f"R{row.id}_2", "47.00")
    refunds = await Refund.filter(payment_id=row.id).order_by("sequence")
    assert [(r.amount, r.status, r.provider_id) for r in refunds] == [
        (2500, RefundStatus.SUCCEEDED, f"{out_trade_no}:R{row.id}_1"),
        (4700, RefundStatus.SUCCEEDED, f"{out_trade_no}:R{row.id}_2"),
    ]
    # Each gives back its share of the fee: 0.15 of 25.00, 0.28 of 47.00 (0.282).
    assert [(r.settled_amount, r.fee) for r in refunds] == [(-2485, -15), (-4672, -28)]
    assert (await Payment.get(id=row.id)).amount_refunded == 7200
    refunded_order = await Order.get(id=order.id)
    assert refunded_order.refunded_total == refunded_order.total

    # Refunded in full, Alipay closes the trade and says so with the refund's fields:
    # acknowledged, and nothing is cancelled or refunded again.
    assert alipay_shop.trades[out_trade_no]["status"] == "TRADE_CLOSED"
    closed = await _notify(app, alipay_shop.refund_notification(out_trade_no, f"R{row.id}_2"))
    assert (closed.status_code, closed.text) == (200, "success")
    bare_close = await _notify(app, alipay_shop.notification(out_trade_no))
    assert bare_close.text == "success"
    after = await Payment.get(id=row.id)
    assert (after.status, after.amount_refunded) == (PaymentStatus.SUCCEEDED, 7200)
    assert await Refund.filter(payment_id=row.id).count() == 2
    assert (await Order.get(id=order.id)).refunded_total == refunded_order.refunded_total


async def test_a_pending_refund_completes_from_its_notification(client, app, alipay_shop) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    row = await _opened_and_paid(client, alipay_shop, order, shopper)
    assert (await _notify(app, alipay_shop.notification(str(row.provider_id)))).text == "success"

    alipay_shop.hold_refunds = True
    merchant = await make_user(role=Role.STAFF, permissions=("orders",))
    refunded = await client.query(
        REFUND,
        {"input": {"paymentId": gid("Payment", row.id), "amount": "10.00", "reason": "late"}},
        user=merchant,
    )
    assert refunded["refundPayment"]["refund"]["status"] == "PENDING"
    assert (await Payment.get(id=row.id)).amount_refunded == 0

    alipay_shop.complete_refund(str(row.provider_id), f"R{row.id}_1")
    notice = alipay_shop.refund_notification(str(row.provider_id), f"R{row.id}_1")
    assert (await _notify(app, notice)).text == "success"
    refund = await Refund.get(payment_id=row.id)
    assert (refund.status, refund.settled_amount, refund.fee) == (RefundStatus.SUCCEEDED, -994, -6)
    assert (await Payment.get(id=row.id)).amount_refunded == 1000


async def test_a_refund_made_in_alipays_console_is_recorded(client, app, alipay_shop) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    row = await _opened_and_paid(client, alipay_shop, order, shopper)
    assert (await _notify(app, alipay_shop.notification(str(row.provider_id)))).text == "success"

    # The merchant refunds 12.00 of the 72.00 in Alipay's own console: Alipay notifies with
    # the trade's refunded total and a refund number the shop never made.
    notice = alipay_shop.notification(
        str(row.provider_id),
        out_biz_no="2024050122001400001",
        refund_fee="12.00",
        gmt_refund="2024-05-01 13:00:00.123",
    )
    assert (await _notify(app, notice)).text == "success"
    refund = await Refund.get(payment_id=row.id)
    assert (refund.status, refund.amount, refund.sequence) == (RefundStatus.SUCCEEDED, 1200, 1)
    assert (await Payment.get(id=row.id)).amount_refunded == 1200
    assert (await Order.get(id=order.id)).refunded_total > 0

    # The same news again, under another notify_id, refunds nothing twice.
    again = alipay_shop.notification(
        str(row.provider_id),
        out_biz_no="2024050122001400001",
        refund_fee="12.00",
        gmt_refund="2024-05-01 13:00:00.123",
    )
    assert (await _notify(app, again)).text == "success"
    assert await Refund.filter(payment_id=row.id).count() == 1
    assert (await Payment.get(id=row.id)).amount_refunded == 1200


async def test_two_deliveries_of_one_notification_at_once_apply_once(
    client, app, alipay_shop
) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    row = await _opened_and_paid(client, alipay_shop, order, shopper)
    notice = alipay_shop.notification(str(row.provider_id))
    answers = await asyncio.gather(_notify(app, notice), _notify(app, notice))
    assert [a.text for a in answers] == ["success", "success"]
    assert await WebhookEvent.filter(gateway=Gateway.ALIPAY).count() == 1
    assert (await Payment.get(id=row.id)).status == PaymentStatus.SUCCEEDED
    assert await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count() == 1


async def test_a_trade_closed_unpaid_cancels_the_attempt_and_the_order_stays_payable(
    client, app, alipay_shop
) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    given = {"orderNumber": order.number, "method": "alipay", "returnUrl": RETURN_URL}
    created = await client.query(CREATE, {"input": given}, user=shopper)
    url = created["createPayment"]["payment"]["nextAction"]["redirect_to_url"]["url"]
    alipay_shop.open(url)
    alipay_shop.trades[f"{order.number}_1"]["status"] = "TRADE_CLOSED"  # timed out unpaid
    answer = await _notify(app, alipay_shop.notification(f"{order.number}_1"))
    assert answer.text == "success"
    row = await Payment.get(order_id=order.id, attempt=1)
    assert (row.status, row.failure_code) == (PaymentStatus.CANCELED, "trade_closed")
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT
    methods = await client.query(METHODS, {"number": order.number}, user=shopper)
    assert methods["paymentMethods"] == ["alipay"]


async def test_a_retried_create_makes_one_trade_at_alipay(client, alipay_shop) -> None:
    shopper = await make_user()
    order = await yuan_order(shopper)
    given = {"orderNumber": order.number, "method": "alipay"}  # no return URL: a QR code
    alipay_shop.fail_next(1, "drop")
    lost = await client.query(CREATE, {"input": given}, user=shopper)
    assert [e["code"] for e in lost["createPayment"]["errors"]] == ["GATEWAY_ERROR"]
    again = await client.query(CREATE, {"input": given}, user=shopper)
    assert again["createPayment"]["errors"] == []
    payment = again["createPayment"]["payment"]
    assert (payment["attempt"], payment["nextAction"]["type"]) == (1, "display_qr_code")
    sent = alipay_shop.called("alipay.trade.precreate")
    assert [biz["out_trade_no"] for biz in sent] == [f"{order.number}_1"] * 2
    assert list(alipay_shop.trades) == [f"{order.number}_1"]


async def test_a_notification_for_a_shop_without_alipay_is_acknowledged_and_ignored(
    app,
    client,
    alipay: tuple[AlipayStandIn, str],  # noqa: F811
) -> None:
    gateways.uninstall_gateway(Gateway.ALIPAY)
    standin = alipay[0]
    standin.trades["TW1_1"] = {
        "trade_no": "1", "status": "TRADE_SUCCESS", "total_amount": "1.00",
        "subject": "s", "trans_currency": "",
    }  # fmt: skip
    answer = await _notify(app, standin.notification("TW1_1"))
    assert (answer.status_code, answer.text) == (200, "success")
    assert await WebhookEvent.all().count() == 0


async def test_a_malformed_delivery_is_refused(app, client, alipay_shop) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        empty = await http.post("/webhooks/alipay", content=b"")
        huge = await http.post("/webhooks/alipay", content=b"a=" + b"x" * 70_000)
    assert (empty.status_code, empty.text) == (400, "fail")
    assert huge.status_code == 413
