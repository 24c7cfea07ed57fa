"""With WeChat Pay settings, the whole flow through the API: a CNY order is paid by scanning
WeChat Pay's QR code at (a stand-in of) WeChat Pay, its signed and encrypted notification
pays the order, the settlement carries the contract's fee into the report, and a partial
refund completes from its own notification."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.accounts import Role, User
from models.currency import PresentmentCurrency
from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus, WebhookEvent
from services.payments import gateways, reconcile
from tests.factories import gid, make_product, make_user
from tests.orders.checkout_setup import ready_shop
from tests.orders.handling_setup import placed_order
from tests.payments.paying_setup import CREATE
from tests.payments.test_wechat_pay_gateway import (  # noqa: F401 - fixtures
    wechat,
    wechat_server,
    wechat_settings,
)
from tests.payments.wechat_pay_standin import WeChatPayStandIn, make_key_pair

METHODS = "query($n: String!) { paymentMethods(orderNumber: $n) }"
REFUND = """mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) { errors { code message } refund { status } } }"""
REPORT = """query($from: Date!, $to: Date!) {
  settlementReport(from: $from, to: $to) {
    rows { currency method settlementCurrency payments refundCount
           gross { amount currency } refunds { amount currency }
           fees { amount currency } net { amount currency } } } }"""


@pytest.fixture
async def wechat_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    wechat: tuple[WeChatPayStandIn, str],  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> AsyncIterator[WeChatPayStandIn]:
    values = {"payment_gateways": ["wechat_pay"], **wechat_settings(wechat[1], tmp_path)}
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.WECHAT_PAY)  # built afresh from these settings
    try:
        yield wechat[0]
    finally:
        await gateways.close_gateways()


async def cny_order(user: User) -> Order:
    """An unpaid order of one 10.00 USD item at 7.20 CNY per USD: 72.00 CNY, to China."""
    if not await PresentmentCurrency.exists(code="EUR"):
        await ready_shop()
    await PresentmentCurrency.get_or_create(code="CNY")
    product = await make_product(prices=("10.00",))
    variant = (await product.variants.all())[0]
    return await placed_order(user, [(variant, 1)], currency="CNY", rate="7.2", ship_country="CN")


async def _notify(app: Any, body: bytes, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://shop.test"
    ) as http:
        return await http.post("/webhooks/wechat-pay", content=body, headers=headers)


async def _pay_by_qr(client: Any, order: Order, shopper: User) -> dict[str, Any]:
    created = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "wechat_pay"}}, user=shopper
    )
    assert created["createPayment"]["errors"] == []
    payment: dict[str, Any] = created["createPayment"]["payment"]
    return payment


async def test_a_cny_order_is_paid_by_qr_code_settled_and_refunded_in_part(
    client, app, wechat_shop
):
    report_day = datetime.now(UTC).date().isoformat()
    shopper = await make_user()
    order = await cny_order(shopper)
    listed = await client.query(METHODS, {"n": order.number}, user=shopper)
    assert listed["paymentMethods"] == ["wechat_pay"]

    payment = await _pay_by_qr(client, order, shopper)
    assert payment["amount"] == {"amount": "72.00", "currency": "CNY"}
    assert payment["status"] == "REQUIRES_ACTION"
    action = payment["nextAction"]
    assert action["type"] == "display_qr_code"
    assert action["display_qr_code"]["data"].startswith("weixin://wxpay/")
    [sent] = wechat_shop.sent("POST", "/v3/pay/transactions/native")
    assert sent.body["amount"] == {"total": 7200, "currency": "CNY"}
    row = await Payment.get(order_id=order.id)
    assert row.provider_id == f"{order.number}-1N"

    # The shopper scans and pays; WeChat Pay notifies.
    resource = wechat_shop.pay(str(row.provider_id))
    body, headers = wechat_shop.notification("TRANSACTION.SUCCESS", resource, event_id="EV-pay")

    # A forged copy (signed by another key) and a tampered one change nothing.
    forged = wechat_shop.notification(
        "TRANSACTION.SUCCESS", resource, keys=make_key_pair("forger"), event_id="EV-forged"
    )
    assert (await _notify(app, *forged)).status_code == 400
    tampered = body.replace(b'"EV-pay"', b'"EV-other"')
    answer = await _notify(app, tampered, headers)
    assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
    assert (await Payment.get(id=row.id)).status == PaymentStatus.REQUIRES_ACTION
    assert not await WebhookEvent.exists(gateway=Gateway.WECHAT_PAY)

    assert (await _notify(app, body, headers)).status_code == 204
    paid = await Payment.get(id=row.id)
    assert (paid.status, paid.amount_received) == (PaymentStatus.SUCCEEDED, 7200)
    # 0.6% of 72.00 CNY is 0.432: 0.43 fee, 71.57 net, in CNY.
    assert (paid.settlement_currency, paid.settled_amount, paid.fee) == ("CNY", 7157, 43)
    assert paid.balance_transaction_id == resource["transaction_id"]
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    [event] = await WebhookEvent.filter(gateway=Gateway.WECHAT_PAY)
    assert (event.event_id, event.outcome) == ("EV-pay", "applied: payment succeeded")

    # The replay is acknowledged and changes nothing.
    assert (await _notify(app, body, headers)).status_code == 204
    assert await WebhookEvent.filter(gateway=Gateway.WECHAT_PAY).count() == 1
    assert await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count() == 1

    reporter = await make_user(role=Role.STAFF, permissions=("reports",))
    report = await client.query(REPORT, {"from": report_day, "to": report_day}, user=reporter)
    [line] = [r for r in report["settlementReport"]["rows"] if r["method"] == "wechat_pay"]
    assert line["gross"] == {"amount": "72.00", "currency": "CNY"}
    assert line["fees"] == {"amount": "0.43", "currency": "CNY"}
    assert line["net"] == {"amount": "71.57", "currency": "CNY"}

    # A partial refund: WeChat Pay answers PROCESSING, and notifies when it is done.
    merchant = await make_user(role=Role.STAFF, permissions=("orders",))
    refunded = await client.query(
        REFUND,
        {"input": {"paymentId": gid("Payment", row.id), "amount": "25.00", "reason": "damaged"}},
        user=merchant,
    )
    assert refunded["refundPayment"]["errors"] == []
    assert refunded["refundPayment"]["refund"]["status"] == "PENDING"
    [refund_sent] = wechat_shop.sent("POST", "/v3/refund/domestic/refunds")
    assert refund_sent.body["amount"] == {"refund": 2500, "total": 7200, "currency": "CNY"}
    made = await Refund.get(payment_id=row.id)
    assert (made.status, made.provider_id) == (RefundStatus.PENDING, f"{row.provider_id}-R1")

    wechat_shop.complete_refund(str(made.provider_id))
    refund_body, refund_headers = wechat_shop.notification(
        "REFUND.SUCCESS", wechat_shop.refund_resource(str(made.provider_id)), event_id="EV-ref"
    )
    assert (await _notify(app, refund_body, refund_headers)).status_code == 204
    done = await Refund.get(id=made.id)
    assert done.status == RefundStatus.SUCCEEDED
    assert (done.settled_amount, done.fee) == (-2485, -15)  # 0.15 of the fee comes back
    assert (await Payment.get(id=row.id)).amount_refunded == 2500
    after = await Order.get(id=order.id)
    # The order keeps its refunds in the shop currency: 25.00 CNY at 7.20 is 3.47 USD.
    assert (after.total_presentment, after.total, after.refunded_total) == (7200, 1000, 347)
    assert (await _notify(app, refund_body, refund_headers)).status_code == 204
    assert (await Payment.get(id=row.id)).amount_refunded == 2500

    report = await client.query(REPORT, {"from": report_day, "to": report_day}, user=reporter)
    [line] = [r for r in report["settlementReport"]["rows"] if r["method"] == "wechat_pay"]
    assert (line["refundCount"], line["refunds"]["amount"]) == (1, "25.00")
    assert line["net"] == {"amount": "46.72", "currency": "CNY"}  # 71.57 - 24.85


async def test_two_deliveries_of_one_notification_at_once_apply_once(client, app, wechat_shop):
    shopper = await make_user()
    order = await cny_order(shopper)
    await _pay_by_qr(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    body, headers = wechat_shop.notification(
        "TRANSACTION.SUCCESS", wechat_shop.pay(str(row.provider_id)), event_id="EV-twice"
    )
    answers = await asyncio.gather(_notify(app, body, headers), _notify(app, body, headers))
    assert [a.status_code for a in answers] == [204, 204]
    assert await WebhookEvent.filter(gateway=Gateway.WECHAT_PAY).count() == 1
    assert await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count() == 1
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_a_failed_payment_is_learned_by_asking_wechat_pay(client, app, wechat_shop):
    shopper = await make_user()
    order = await cny_order(shopper)
    await _pay_by_qr(client, order, shopper)
    row = await Payment.get(order_id=order.id)
    wechat_shop.pay(str(row.provider_id), "PAYERROR")  # WeChat Pay notifies successes only
    await reconcile.reconcile(now=datetime.now(UTC) + timedelta(minutes=30))
    failed = await Payment.get(id=row.id)
    assert (failed.status, failed.failure_code) == (PaymentStatus.FAILED, "payerror")
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_PAYMENT


async def test_a_create_whose_answer_was_lost_is_retried_into_the_same_order(
    client, app, wechat_shop
):
    shopper = await make_user()
    order = await cny_order(shopper)
    wechat_shop.lose_next_answer = True
    given = {"input": {"orderNumber": order.number, "method": "wechat_pay"}}
    lost = await client.query(CREATE, given, user=shopper)
    assert lost["createPayment"]["errors"][0]["code"] == "GATEWAY_ERROR"
    retried = await _pay_by_qr(client, order, shopper)
    assert retried["attempt"] == 1
    assert list(wechat_shop.orders) == [f"{order.number}-1N"]
    assert len(wechat_shop.sent("POST", "/v3/pay/transactions/native")) == 2
    assert await Payment.filter(order_id=order.id).count() == 1


async def test_a_notification_for_a_shop_without_wechat_pay_is_acknowledged_and_ignored(
    app,
    settings,
    monkeypatch,
    wechat,  # noqa: F811 - the imported fixture
    db,
):
    monkeypatch.setattr(settings, "wechat_pay_mchid", None)
    gateways.uninstall_gateway(Gateway.WECHAT_PAY)
    body, headers = wechat[0].notification("TRANSACTION.SUCCESS", {"out_trade_no": "x"})
    assert (await _notify(app, body, headers)).status_code == 204
    assert not await WebhookEvent.exists(gateway=Gateway.WECHAT_PAY)


async def test_a_stale_notification_is_refused(app, wechat_shop, db):
    old = int(datetime.now(UTC).timestamp()) - 600
    body, headers = wechat_shop.notification(
        "TRANSACTION.SUCCESS", {"out_trade_no": "x"}, timestamp=old
    )
    answer = await _notify(app, body, headers)
    assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
