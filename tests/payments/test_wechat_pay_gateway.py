"""The WeChat Pay gateway with the real SDK over real HTTP, against a local stand-in of API v3."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from models.payments import PaymentStatus, RefundStatus
from services.payments import events
from services.payments.contracts import contract_fee
from services.payments.gateway import GatewayError, PaymentRequest, RefundRequest
from services.payments.wechat_pay_gateway import (
    WeChatPayGateway,
    from_wechat_amount,
    out_trade_no,
    to_wechat_amount,
)
from settings import Settings
from tests.payments.standins import Switch, serve
from tests.payments.wechat_pay_standin import (
    APIV3_KEY,
    APPID,
    MCHID,
    WeChatPayStandIn,
    make_key_pair,
    merchant_keys,
)


@pytest.fixture(scope="session")
async def wechat_server() -> AsyncIterator[tuple[Switch, str]]:
    switch = Switch()
    async with serve(switch) as base:
        yield switch, base


@pytest.fixture
def wechat(wechat_server: tuple[Switch, str]) -> tuple[WeChatPayStandIn, str]:
    switch, base = wechat_server
    switch.target = standin = WeChatPayStandIn()
    return standin, base


def wechat_settings(base: str, cert_dir: Path, **overrides: Any) -> dict[str, Any]:
    """The settings of a shop taking WeChat Pay through the stand-in at `base`."""
    return {
        "wechat_pay_mchid": MCHID,
        "wechat_pay_appid": APPID,
        "wechat_pay_private_key": SecretStr(merchant_keys().key_pem),
        "wechat_pay_cert_serial_no": merchant_keys().serial_no,
        "wechat_pay_apiv3_key": SecretStr(APIV3_KEY),
        "wechat_pay_cert_dir": str(cert_dir),
        "wechat_pay_api_base": base,
        "webhook_base_url": "https://shop.example",
        **overrides,
    }


GatewayFactory = Callable[..., WeChatPayGateway]


@pytest.fixture
async def make_gateway(
    wechat: tuple[WeChatPayStandIn, str], tmp_path: Path
) -> AsyncIterator[GatewayFactory]:
    made: list[WeChatPayGateway] = []

    def make(**overrides: Any) -> WeChatPayGateway:
        gateway = WeChatPayGateway(Settings(**wechat_settings(wechat[1], tmp_path, **overrides)))
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        await gateway.aclose()


def payment(**overrides: Any) -> PaymentRequest:
    values: dict[str, Any] = {
        "order_number": "TW-1001",
        "attempt": 1,
        "currency": "CNY",
        "amount": 8800,
        "method": "wechat_pay",
        "email": "li@example.cn",
        "country": "CN",
        **overrides,
    }
    return PaymentRequest(**values)


# -- units, numbers and fees --------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "iso_minor", "wechat_amount"),
    [("CNY", 8800, 8800), ("JPY", 1200, 1200), ("HKD", 1, 1), ("KWD", 1230, 123)],
)
def test_amounts_convert_exactly_both_ways(currency: str, iso_minor: int, wechat_amount: int):
    assert to_wechat_amount(iso_minor, currency) == wechat_amount
    assert from_wechat_amount(wechat_amount, currency) == iso_minor


async def test_an_amount_wechat_pay_cannot_take_is_refused_before_calling_it(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway(wechat_pay_currencies=["KWD"])
    with pytest.raises(GatewayError) as refused:
        await gateway.create_payment(payment(currency="KWD", amount=1234))
    assert refused.value.code == "amount_not_representable"
    assert wechat[0].orders == {}


def test_fees_round_half_up_to_the_fen():
    assert contract_fee(8800, Decimal("0.006")) == 53  # 52.8
    assert contract_fee(2500, Decimal("0.006")) == 15
    assert contract_fee(4250, Decimal("0.006")) == 26  # 25.5 rounds up


def test_out_trade_no_is_deterministic_and_fits_wechat_rules():
    assert out_trade_no(payment()) == "TW-1001-1N"
    assert out_trade_no(payment(mobile=True, client_ip="1.2.3.4")) == "TW-1001-1H"
    long = out_trade_no(payment(order_number="X" * 40))
    assert len(long) <= 32 and long == out_trade_no(payment(order_number="X" * 40))


async def test_methods_are_offered_only_for_the_contract_currencies(make_gateway: GatewayFactory):
    gateway = make_gateway(wechat_pay_currencies=["CNY", "HKD"])
    assert gateway.methods_for("cny", "CN") == ["wechat_pay"]
    assert gateway.methods_for("HKD", "HK") == ["wechat_pay"]
    assert gateway.methods_for("EUR", "DE") == []


def test_missing_settings_are_named():
    with pytest.raises(ValueError, match="WECHAT_PAY_MCHID"):
        WeChatPayGateway(Settings(wechat_pay_appid=APPID))


# -- payments -----------------------------------------------------------------------------


async def test_a_native_payment_is_a_signed_order_answered_with_a_qr_code(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    standin = wechat[0]
    gateway = make_gateway()
    answer = await gateway.create_payment(payment())
    assert answer.provider_id == "TW-1001-1N"
    assert answer.status is PaymentStatus.REQUIRES_ACTION
    qr = answer.next_action["display_qr_code"]
    assert answer.next_action["type"] == "display_qr_code"
    assert isinstance(qr, dict) and qr["data"].startswith("weixin://wxpay/")
    assert 7100 < qr["expires_at"] - time.time() <= 7200
    [sent] = standin.sent("POST", "/v3/pay/transactions/native")
    assert sent.body["amount"] == {"total": 8800, "currency": "CNY"}
    assert sent.body["notify_url"] == "https://shop.example/webhooks/wechat-pay"
    assert (sent.body["appid"], sent.body["mchid"]) == (APPID, MCHID)
    assert sent.body["attach"] == "TW-1001"
    assert sent.body["time_expire"].endswith("+08:00")
    assert sent.headers["authorization"].startswith("WECHATPAY2-SHA256-RSA2048 ")
    # The platform certificates were downloaded once, before the first call.
    assert len(standin.sent("GET", "/v3/certificates")) == 1


async def test_a_phone_payment_goes_to_the_h5_page_and_back(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    answer = await gateway.create_payment(
        payment(mobile=True, client_ip="203.0.113.9", return_url="https://shop.example/o?n=1")
    )
    redirect = answer.next_action["redirect_to_url"]
    assert isinstance(redirect, dict)
    assert redirect["url"].endswith("&redirect_url=https%3A%2F%2Fshop.example%2Fo%3Fn%3D1")
    assert redirect["return_url"] == "https://shop.example/o?n=1"
    [sent] = wechat[0].sent("POST", "/v3/pay/transactions/h5")
    assert sent.body["scene_info"] == {
        "payer_client_ip": "203.0.113.9",
        "h5_info": {"type": "Wap"},
    }


async def test_a_retried_create_names_the_same_order_and_charges_once(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    first = await gateway.create_payment(payment())
    again = await gateway.create_payment(payment())
    assert again.provider_id == first.provider_id
    assert again.next_action["display_qr_code"] == {
        **first.next_action["display_qr_code"],  # type: ignore[dict-item]
        "expires_at": again.next_action["display_qr_code"]["expires_at"],  # type: ignore[index]
    }
    assert list(wechat[0].orders) == ["TW-1001-1N"]
    assert len(wechat[0].sent("POST", "/v3/pay/transactions/native")) == 2


async def test_the_same_order_number_with_another_amount_is_refused(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    with pytest.raises(GatewayError) as refused:
        await gateway.create_payment(payment(amount=9900))
    assert (refused.value.code, refused.value.retryable) == ("INVALID_REQUEST", False)
    assert wechat[0].orders["TW-1001-1N"]["amount"]["total"] == 8800


async def test_a_server_error_is_retryable_and_the_retry_creates_one_order(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())  # certificates loaded
    wechat[0].orders.clear()
    wechat[0].fail_next()
    with pytest.raises(GatewayError) as failed:
        await gateway.create_payment(payment(attempt=2))
    assert (failed.value.code, failed.value.retryable) == ("SYSTEM_ERROR", True)
    await gateway.create_payment(payment(attempt=2))
    assert list(wechat[0].orders) == ["TW-1001-2N"]


async def test_a_badly_signed_request_is_refused_by_wechat_pay(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    other = make_key_pair("not the merchant")
    gateway = make_gateway(wechat_pay_private_key=SecretStr(other.key_pem))
    with pytest.raises(GatewayError):
        await gateway.create_payment(payment())
    assert wechat[0].refused and wechat[0].orders == {}


async def test_an_answer_not_signed_by_wechat_pay_is_refused(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    wechat[0].signer = make_key_pair("impostor")
    with pytest.raises(GatewayError, match="verified") as refused:
        await gateway.fetch_payment("TW-1001-1N")
    assert refused.value.retryable


async def test_a_paid_order_is_fetched_as_a_succeeded_payment(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    assert (await gateway.fetch_payment("TW-1001-1N") or {})["status"] == "requires_action"
    wechat[0].pay("TW-1001-1N")
    fetched = await gateway.fetch_payment("TW-1001-1N")
    assert (
        fetched
        == events.payment_notice(
            "TW-1001-1N", PaymentStatus.SUCCEEDED, amount_received=8800, currency="CNY"
        )[1]
    )


async def test_a_failed_payment_is_fetched_with_wechat_pays_reason(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    wechat[0].pay("TW-1001-1N", "PAYERROR")
    fetched = await gateway.fetch_payment("TW-1001-1N") or {}
    assert fetched["status"] == "requires_payment_method"
    assert fetched["last_payment_error"]["code"] == "payerror"


async def test_cancel_closes_an_open_order_and_reports_one_paid_meanwhile(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    await gateway.create_payment(payment(attempt=2))
    wechat[0].pay("TW-1001-2N")
    assert await gateway.cancel_payment("TW-1001-1N") is PaymentStatus.CANCELED
    assert wechat[0].orders["TW-1001-1N"]["trade_state"] == "CLOSED"
    assert await gateway.cancel_payment("TW-1001-2N") is PaymentStatus.SUCCEEDED
    # A closed order cannot be paid again under its number.
    with pytest.raises(GatewayError) as closed:
        await gateway.create_payment(payment())
    assert closed.value.code == "ORDER_CLOSED"


# -- refunds and settlement ---------------------------------------------------------------


def _refund(**overrides: Any) -> RefundRequest:
    values: dict[str, Any] = {
        "provider_payment_id": "TW-1001-1N",
        "payment_id": 7,
        "sequence": 1,
        "currency": "CNY",
        "amount": 2500,
        "reason": "damaged",
        **overrides,
    }
    return RefundRequest(**values)


async def test_a_partial_refund_is_pending_until_wechat_pay_completes_it(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    standin = wechat[0]
    gateway = make_gateway()
    await gateway.create_payment(payment())
    standin.pay("TW-1001-1N")
    made = await gateway.refund(_refund())
    assert (made.provider_id, made.status) == ("TW-1001-1N-R1", RefundStatus.PENDING)
    [sent] = standin.sent("POST", "/v3/refund/domestic/refunds")
    assert sent.body["amount"] == {"refund": 2500, "total": 8800, "currency": "CNY"}
    assert sent.body["out_trade_no"] == "TW-1001-1N"
    # Asked again (an answer lost): the same refund, nothing more refunded.
    assert await gateway.refund(_refund()) == made
    assert len(standin.refunds) == 1
    assert (await gateway.fetch_refund("TW-1001-1N-R1") or {})["status"] == "pending"
    assert await gateway.refund_settlement_of("TW-1001-1N-R1") is None
    standin.complete_refund("TW-1001-1N-R1")
    fetched = await gateway.fetch_refund("TW-1001-1N-R1") or {}
    assert (fetched["status"], fetched["metadata"]) == ("succeeded", {"sequence": "1"})
    settled = await gateway.refund_settlement_of("TW-1001-1N-R1")
    assert settled is not None
    assert (settled.currency, settled.net, settled.fee) == ("CNY", -2485, -15)


async def test_a_refund_beyond_what_is_left_is_refused(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    wechat[0].pay("TW-1001-1N")
    with pytest.raises(GatewayError) as refused:
        await gateway.refund(_refund(amount=9000))
    assert (refused.value.code, refused.value.retryable) == ("NOT_ENOUGH", False)


async def test_settlement_is_the_contract_fee_on_the_paid_order(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    assert await gateway.settlement_of("TW-1001-1N") is None
    paid = wechat[0].pay("TW-1001-1N")
    settled = await gateway.settlement_of("TW-1001-1N")
    assert settled is not None
    assert (settled.currency, settled.net, settled.fee, settled.rate) == ("CNY", 8747, 53, "")
    assert settled.balance_transaction_id == paid["transaction_id"]


# -- notifications and certificates -------------------------------------------------------


async def test_a_notification_is_verified_and_decrypted(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    body, headers = wechat[0].notification(
        "TRANSACTION.SUCCESS", wechat[0].pay("TW-1001-1N"), event_id="EV-1"
    )
    event_id, kind, resource = await gateway.notification(_lower(headers), body) or ("", "", {})
    assert (event_id, kind, resource["out_trade_no"]) == (
        "EV-1",
        "TRANSACTION.SUCCESS",
        "TW-1001-1N",
    )


async def test_forged_notifications_are_refused(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    standin = wechat[0]
    gateway = make_gateway()
    await gateway.create_payment(payment())
    resource = standin.pay("TW-1001-1N")
    body, headers = standin.notification("TRANSACTION.SUCCESS", resource)
    tampered = body.replace(b"EV-", b"EX-")
    assert await gateway.notification(_lower(headers), tampered) is None
    wrong_key = standin.notification("TRANSACTION.SUCCESS", resource, apiv3_key="c" * 32)
    assert await gateway.notification(_lower(wrong_key[1]), wrong_key[0]) is None


async def test_an_unknown_serial_downloads_the_certificates_once_for_a_burst(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    standin = wechat[0]
    gateway = make_gateway()
    await gateway.create_payment(payment())
    assert len(standin.sent("GET", "/v3/certificates")) == 1
    stranger = make_key_pair("unknown platform")
    forged = [
        standin.notification("TRANSACTION.SUCCESS", {"out_trade_no": "x"}, keys=stranger)
        for _ in range(5)
    ]
    results = await asyncio.gather(*(gateway.notification(_lower(h), b) for b, h in forged))
    assert results == [None] * 5
    assert len(standin.sent("GET", "/v3/certificates")) == 2  # one download, not five
    again = standin.notification("TRANSACTION.SUCCESS", {"out_trade_no": "x"}, keys=stranger)
    assert await gateway.notification(_lower(again[1]), again[0]) is None
    assert len(standin.sent("GET", "/v3/certificates")) == 2  # not within the interval


async def test_a_rotated_platform_certificate_is_downloaded_and_trusted(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    standin = wechat[0]
    gateway = make_gateway()
    await gateway.create_payment(payment())
    rotated = make_key_pair("next platform certificate")
    standin.platforms.append(rotated)
    body, headers = standin.notification(
        "TRANSACTION.SUCCESS", standin.pay("TW-1001-1N"), keys=rotated
    )
    assert await gateway.notification(_lower(headers), body) is not None
    assert len(standin.sent("GET", "/v3/certificates")) == 2


async def test_certificates_kept_in_the_folder_are_used_after_a_restart(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str], tmp_path: Path
):
    await make_gateway().create_payment(payment())
    assert [p.suffix for p in tmp_path.iterdir()] == [".pem"]  # noqa: ASYNC240 - a test's folder
    await make_gateway().create_payment(payment(attempt=2))
    assert len(wechat[0].sent("GET", "/v3/certificates")) == 1


def _lower(headers: dict[str, str]) -> dict[str, str]:
    """Headers as Starlette gives them (looked up in lower case)."""
    return {k.lower(): v for k, v in headers.items()}


def test_standin_notifications_carry_the_event_id():
    standin = WeChatPayStandIn()
    body, _ = standin.notification("REFUND.SUCCESS", {}, event_id="EV-9")
    assert json.loads(body)["id"] == "EV-9"


async def test_an_order_paid_before_its_lost_answer_was_retried_waits_for_its_notice(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str]
):
    gateway = make_gateway()
    await gateway.create_payment(payment())
    wechat[0].pay("TW-1001-1N")
    again = await gateway.create_payment(payment())
    assert (again.provider_id, again.status) == ("TW-1001-1N", PaymentStatus.PROCESSING)


async def test_the_private_key_may_be_given_as_a_file(
    make_gateway: GatewayFactory, wechat: tuple[WeChatPayStandIn, str], tmp_path: Path
):
    key_file = tmp_path / "apiclient_key.pem"
    key_file.write_text(merchant_keys().key_pem)
    gateway = make_gateway(wechat_pay_private_key=SecretStr(str(key_file)))
    assert (await gateway.create_payment(payment())).provider_id == "TW-1001-1N"
