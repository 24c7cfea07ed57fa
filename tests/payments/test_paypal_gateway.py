"""The PayPal gateway with the real SDK over real HTTP, against a local stand-in of the API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from models.payments import PaymentStatus, RefundStatus
from services.payments import paypal_units
from services.payments.gateway import GatewayError, PaymentRequest, RefundRequest
from services.payments.paypal_gateway import PayPalGateway
from settings import Settings
from tests.payments.paypal_standin import CLIENT_ID, CLIENT_SECRET, WEBHOOK_ID, PayPalStandIn
from tests.payments.standins import Switch, serve


@pytest.fixture(scope="session")
async def paypal_server() -> AsyncIterator[tuple[Switch, str]]:
    switch = Switch()
    async with serve(switch) as base:
        yield switch, base


@pytest.fixture
def paypal(paypal_server: tuple[Switch, str]) -> tuple[PayPalStandIn, str]:
    switch, base = paypal_server
    switch.target = standin = PayPalStandIn(base=base)
    return standin, base


def paypal_settings(base: str, **overrides: Any) -> dict[str, Any]:
    return {
        "paypal_client_id": CLIENT_ID,
        "paypal_client_secret": SecretStr(CLIENT_SECRET),
        "paypal_webhook_id": WEBHOOK_ID,
        "paypal_api_base": base,
        **overrides,
    }


GatewayFactory = Callable[..., PayPalGateway]


@pytest.fixture
async def make_gateway(paypal: tuple[PayPalStandIn, str]) -> AsyncIterator[GatewayFactory]:
    made: list[PayPalGateway] = []

    def make(**overrides: Any) -> PayPalGateway:
        gateway = PayPalGateway(Settings(**paypal_settings(paypal[1], **overrides)))
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        await gateway.aclose()


def payment(**overrides: Any) -> PaymentRequest:
    values: dict[str, Any] = {
        "order_number": "TW-1001",
        "attempt": 1,
        "currency": "USD",
        "amount": 1200,
        "method": "paypal",
        "email": "ana@example.com",
        "country": "US",
        "return_url": "https://shop.example/orders/TW-1001",
        **overrides,
    }
    return PaymentRequest(**values)


@pytest.mark.parametrize(
    ("currency", "minor", "value"),
    [("USD", 920, "9.20"), ("JPY", 1500, "1500"), ("HUF", 12300, "123"), ("TWD", 500, "5")],
)
def test_amounts_convert_exactly_both_ways(currency: str, minor: int, value: str) -> None:
    assert paypal_units.to_paypal_value(minor, currency) == value
    assert paypal_units.from_paypal_value(value, currency) == minor


def test_amounts_paypal_cannot_write_are_refused() -> None:
    with pytest.raises(paypal_units.PayPalAmountError):
        paypal_units.to_paypal_value(12345, "HUF")  # PayPal takes whole forints only


def test_the_settings_it_needs_are_required() -> None:
    with pytest.raises(ValueError, match="PAYPAL_CLIENT_ID"):
        PayPalGateway(Settings(paypal_client_id=None))


def test_paypal_is_offered_for_its_currencies_only(make_gateway: GatewayFactory) -> None:
    gateway = make_gateway()
    assert gateway.methods_for("usd", "US") == ["paypal"]
    assert gateway.methods_for("KRW", "KR") == []


async def test_an_order_is_created_with_a_signed_in_request_and_its_approval_page(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin = paypal[0]
    created = await make_gateway().create_payment(payment())
    assert created.status is PaymentStatus.REQUIRES_ACTION
    assert created.next_action == {
        "type": "redirect_to_url",
        "redirect_to_url": {
            "url": f"{paypal[1]}/checkoutnow?token={created.provider_id}",
            "return_url": "https://shop.example/orders/TW-1001",
        },
    }
    [token] = standin.sent("POST", "/v1/oauth2/token")
    assert token.headers["authorization"].startswith("Basic ")
    [sent] = standin.sent("POST", "/v2/checkout/orders")
    assert sent.headers["paypal-request-id"] == "payment:TW-1001:1:paypal"
    assert sent.headers["authorization"].startswith("Bearer A21AA")
    unit = sent.body["purchase_units"][0]
    assert unit["amount"] == {"currency_code": "USD", "value": "12.00"}
    assert (unit["custom_id"], unit["invoice_id"]) == ("TW-1001:1", "TW-1001-1")
    context = sent.body["payment_source"]["paypal"]["experience_context"]
    assert context["user_action"] == "PAY_NOW"
    assert context["return_url"] == context["cancel_url"] == "https://shop.example/orders/TW-1001"


async def test_a_retried_create_with_the_same_request_id_creates_one_order(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    gateway = make_gateway()
    paypal[0].fail_next(1)  # the SDK retries the POST under the same PayPal-Request-Id
    first = await gateway.create_payment(payment())
    again = await gateway.create_payment(payment())
    assert first.provider_id == again.provider_id
    assert len(paypal[0].orders) == 1


async def test_wrong_credentials_and_calls_without_a_token_are_refused(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    gateway = make_gateway(paypal_client_secret=SecretStr("wrong"))
    with pytest.raises(GatewayError) as refused:
        await gateway.create_payment(payment())
    assert refused.value.code == "authentication_failed"
    assert paypal[0].orders == {}
    async with httpx.AsyncClient(base_url=paypal[1]) as http:
        answer = await http.post("/v2/checkout/orders", json={"intent": "CAPTURE"})
        forged = await http.post(
            "/v2/checkout/orders", json={}, headers={"Authorization": "Bearer made-up"}
        )
    assert (answer.status_code, forged.status_code) == (401, 401)


async def test_an_amount_paypal_cannot_write_is_refused_before_any_call(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    with pytest.raises(GatewayError) as refused:
        await make_gateway().create_payment(payment(currency="HUF", amount=12345))
    assert refused.value.code == "amount_not_representable"
    assert paypal[0].sent("POST", "/v2/checkout/orders") == []


async def test_completing_captures_once_approved_and_only_once(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin, gateway = paypal[0], make_gateway()
    order_id = (await gateway.create_payment(payment())).provider_id
    waiting = await gateway.complete_payment(order_id)
    assert waiting.status is PaymentStatus.REQUIRES_ACTION
    standin.approve(order_id)
    assert (await gateway.complete_payment(order_id)).status is PaymentStatus.SUCCEEDED
    assert (await gateway.complete_payment(order_id)).status is PaymentStatus.SUCCEEDED
    captures = standin.sent("POST", f"/v2/checkout/orders/{order_id}/capture")
    assert {c.headers["paypal-request-id"] for c in captures} == {f"capture:{order_id}"}
    assert len(standin.captures) == 1
    fetched = await gateway.fetch_payment(order_id)
    assert fetched is not None
    assert (fetched["status"], fetched["amount_received"], fetched["currency"]) == (
        "succeeded",
        1200,
        "usd",
    )


@pytest.mark.parametrize(
    ("outcome", "status"), [("PENDING", PaymentStatus.PROCESSING), ("DECLINED", "FAILED")]
)
async def test_a_pending_or_declined_capture(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str], outcome: str, status: Any
) -> None:
    standin, gateway = paypal[0], make_gateway()
    standin.capture_outcome = outcome
    order_id = (await gateway.create_payment(payment())).provider_id
    standin.approve(order_id)
    answer = await gateway.complete_payment(order_id)
    assert answer.status is PaymentStatus(status.lower() if isinstance(status, str) else status)
    assert await gateway.settlement_of(order_id) is None


async def test_settlement_with_its_fee_and_with_paypal_converting(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin, gateway = paypal[0], make_gateway()
    order_id = (await gateway.create_payment(payment(amount=1000))).provider_id
    standin.approve(order_id)
    await gateway.complete_payment(order_id)
    settled = await gateway.settlement_of(order_id)
    assert settled is not None
    # 10.00 USD: fee 3.49% + 0.49 = 0.84, net 9.16.
    assert (settled.currency, settled.net, settled.fee, settled.rate) == ("USD", 916, 84, "")

    standin.convert_to = ("EUR", "0.9")
    other = (await gateway.create_payment(payment(attempt=2, amount=1000))).provider_id
    standin.approve(other)
    await gateway.complete_payment(other)
    converted = await gateway.settlement_of(other)
    assert converted is not None
    # 9.16 USD net at 0.9 is 8.24 EUR; the fee 0.84 USD at the same rate 0.76 EUR.
    assert (converted.currency, converted.net, converted.fee, converted.rate) == (
        "EUR",
        824,
        76,
        "0.9",
    )


async def test_a_partial_refund_of_the_capture_and_a_pending_one(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin, gateway = paypal[0], make_gateway()
    order_id = (await gateway.create_payment(payment(amount=1000))).provider_id
    standin.approve(order_id)
    await gateway.complete_payment(order_id)
    request = RefundRequest(order_id, 7, 1, "USD", 400, "damaged")
    refunded = await gateway.refund(request)
    again = await gateway.refund(request)
    assert refunded == again and refunded.status is RefundStatus.SUCCEEDED
    assert len(standin.refunds) == 1
    capture_id = standin.capture_of(order_id)["id"]
    [sent, _] = standin.sent("POST", f"/v2/payments/captures/{capture_id}/refund")
    assert sent.headers["paypal-request-id"] == "refund:7:1"
    assert sent.body["amount"] == {"currency_code": "USD", "value": "4.00"}
    assert sent.body["custom_id"] == "7:1"
    settled = await gateway.refund_settlement_of(refunded.provider_id)
    assert settled is not None
    # 4.00 back, of which PayPal returns 3.49% of its fee: 0.14.
    assert (settled.currency, settled.net, settled.fee) == ("USD", -386, -14)

    standin.refund_outcome = "PENDING"
    pending = await gateway.refund(RefundRequest(order_id, 7, 2, "USD", 100, "late"))
    assert pending.status is RefundStatus.PENDING
    assert await gateway.refund_settlement_of(pending.provider_id) is None
    fetched = await gateway.fetch_refund(pending.provider_id)
    assert fetched is not None
    assert (fetched["status"], fetched["payment_intent"], fetched["metadata"]) == (
        "pending",
        order_id,
        {"sequence": "2"},
    )


async def test_cancel_reports_uncaptured_orders_cancelled_and_captured_ones_as_they_are(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin, gateway = paypal[0], make_gateway()
    waiting = (await gateway.create_payment(payment())).provider_id
    assert await gateway.cancel_payment(waiting) is PaymentStatus.CANCELED
    paid = (await gateway.create_payment(payment(attempt=2))).provider_id
    standin.approve(paid)
    await gateway.complete_payment(paid)
    assert await gateway.cancel_payment(paid) is PaymentStatus.SUCCEEDED
    assert await gateway.cancel_payment("5O-UNKNOWN") is PaymentStatus.CANCELED


async def test_only_deliveries_paypal_signed_are_verified(
    make_gateway: GatewayFactory, paypal: tuple[PayPalStandIn, str]
) -> None:
    standin, gateway = paypal[0], make_gateway()
    event = standin.event("PAYMENT.CAPTURE.COMPLETED", {"id": "CAP1"})
    body, headers = standin.delivery(event)
    lowered = {k.lower(): v for k, v in headers.items()}
    assert await gateway.verify_notification(lowered, body) is True
    forged_body, forged = standin.delivery(event, sign_with=b"not paypal's")
    assert (
        await gateway.verify_notification({k.lower(): v for k, v in forged.items()}, forged_body)
        is False
    )
    tampered = body.replace(b"CAP1", b"CAP2")
    assert await gateway.verify_notification(lowered, tampered) is False
    assert await gateway.verify_notification({}, body) is False
    other = make_gateway(paypal_webhook_id="WH-OTHER")
    assert await other.verify_notification(lowered, body) is False
