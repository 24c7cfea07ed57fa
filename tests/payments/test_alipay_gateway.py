"""The Alipay gateway with the real SDK over real HTTP, against a local stand-in of Alipay."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from models.payments import PaymentStatus, RefundStatus
from services.payments import alipay_gateway, events
from services.payments.alipay_gateway import AlipayGateway
from services.payments.contracts import contract_fee
from services.payments.gateway import GatewayError, PaymentRequest, RefundRequest
from settings import Settings
from tests.payments.alipay_standin import AlipayStandIn, KeyPair
from tests.payments.standins import Switch, serve

APP_ID = "2021000000000001"


@pytest.fixture(scope="session")
def alipay_keys() -> tuple[KeyPair, KeyPair]:
    """Throwaway RSA keys: the app's, and Alipay's."""
    return KeyPair.generate(), KeyPair.generate()


@pytest.fixture(scope="session")
async def alipay_server() -> AsyncIterator[tuple[Switch, str]]:
    switch = Switch()
    async with serve(switch) as base:
        yield switch, f"{base}/gateway.do"


@pytest.fixture
def alipay(
    alipay_server: tuple[Switch, str], alipay_keys: tuple[KeyPair, KeyPair]
) -> tuple[AlipayStandIn, str]:
    switch, url = alipay_server
    switch.target = standin = AlipayStandIn(APP_ID, *alipay_keys)
    return standin, url


def alipay_settings(url: str, keys: tuple[KeyPair, KeyPair], **overrides: Any) -> dict[str, Any]:
    app, provider = keys
    return {
        "alipay_app_id": APP_ID,
        "alipay_app_private_key": SecretStr(app.private_pem),
        "alipay_public_key": provider.public_pem,
        "alipay_gateway_url": url,
        "webhook_base_url": "https://shop.example",
        **overrides,
    }


GatewayFactory = Callable[..., AlipayGateway]


@pytest.fixture
def make_gateway(
    alipay: tuple[AlipayStandIn, str], alipay_keys: tuple[KeyPair, KeyPair]
) -> GatewayFactory:
    def make(**overrides: Any) -> AlipayGateway:
        return AlipayGateway(Settings(**alipay_settings(alipay[1], alipay_keys, **overrides)))

    return make


def payment(**overrides: Any) -> PaymentRequest:
    values: dict[str, Any] = {
        "order_number": "TW8K2M4Q",
        "attempt": 1,
        "currency": "CNY",
        "amount": 7200,
        "method": "alipay",
        "email": "li@example.cn",
        "country": "CN",
        "return_url": "https://shop.example/orders/TW8K2M4Q",
        **overrides,
    }
    return PaymentRequest(**values)


def cashier_params(url: str) -> dict[str, Any]:
    params: dict[str, Any] = dict(parse_qsl(urlsplit(url).query))
    params["biz_content"] = json.loads(params["biz_content"])
    return params


# -- units ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "minor", "text"),
    [("CNY", 7200, "72.00"), ("CNY", 1, "0.01"), ("JPY", 1200, "1200"), ("KWD", 1230, "1.23")],
)
def test_amounts_convert_exactly_both_ways(currency: str, minor: int, text: str) -> None:
    assert alipay_gateway.to_alipay_amount(minor, currency) == text
    assert alipay_gateway.from_alipay_amount(text, currency) == minor


@pytest.mark.parametrize(("currency", "minor"), [("KWD", 1234), ("CNY", 0), ("XXX", 100)])
def test_amounts_alipay_cannot_take_are_refused(currency: str, minor: int) -> None:
    with pytest.raises(GatewayError) as raised:
        alipay_gateway.to_alipay_amount(minor, currency)
    assert raised.value.code == "amount_not_representable"


def test_an_alipay_amount_finer_than_the_minor_unit_is_refused() -> None:
    with pytest.raises(ValueError):
        alipay_gateway.from_alipay_amount("12.5", "JPY")


def test_fee_is_rounded_half_up_to_the_fen() -> None:
    assert contract_fee(7200, Decimal("0.006")) == 43  # 43.2
    assert contract_fee(2500, Decimal("0.006")) == 15
    assert contract_fee(4250, Decimal("0.006")) == 26  # 25.5 rounds up


# -- settings ------------------------------------------------------------------------


def test_missing_keys_are_refused_when_the_gateway_is_built() -> None:
    with pytest.raises(ValueError, match="ALIPAY_APP_ID"):
        AlipayGateway(Settings(alipay_app_id=None))


def test_keys_are_read_as_pem_text_a_file_or_the_consoles_bare_base64(
    tmp_path: Any, alipay: tuple[AlipayStandIn, str], alipay_keys: tuple[KeyPair, KeyPair]
) -> None:
    app, provider = alipay_keys
    path = tmp_path / "app.pem"
    path.write_text(app.private_pem)
    bare = "".join(line for line in provider.public_pem.splitlines() if "-----" not in line)
    gateway = AlipayGateway(
        Settings(
            **alipay_settings(
                alipay[1],
                alipay_keys,
                alipay_app_private_key=SecretStr(str(path)),
                alipay_public_key=bare,
            )
        )
    )
    signed = alipay[0].notification  # a notification needs a trade
    alipay[0].trades["x"] = {
        "trade_no": "1",
        "status": "WAIT_BUYER_PAY",
        "total_amount": "1.00",
        "subject": "s",
        "trans_currency": "",
    }
    assert gateway.verify_notification(signed("x"))


def test_alipay_is_offered_only_in_the_contracts_currencies(make_gateway: GatewayFactory) -> None:
    gateway = make_gateway(alipay_currencies=["CNY", "USD"])
    assert gateway.methods_for("cny", "CN") == ["alipay"]
    assert gateway.methods_for("USD", "US") == ["alipay"]
    assert gateway.methods_for("EUR", "DE") == []


# -- payments ------------------------------------------------------------------------


async def test_a_desktop_payment_is_a_signed_cashier_url(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin, url = alipay
    created = await make_gateway().create_payment(payment())
    assert (created.provider_id, created.status) == ("TW8K2M4Q_1", PaymentStatus.REQUIRES_ACTION)
    assert created.next_action["type"] == "redirect_to_url"
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    assert target["return_url"] == "https://shop.example/orders/TW8K2M4Q"
    assert target["url"].startswith(url + "?")
    params = cashier_params(target["url"])
    assert params["method"] == "alipay.trade.page.pay"
    assert params["notify_url"] == "https://shop.example/webhooks/alipay"
    assert params["return_url"] == "https://shop.example/orders/TW8K2M4Q"
    biz = params["biz_content"]
    assert (biz["out_trade_no"], biz["total_amount"]) == ("TW8K2M4Q_1", "72.00")
    assert biz["product_code"] == "FAST_INSTANT_TRADE_PAY"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", biz["time_expire"])
    assert "trans_currency" not in biz
    assert standin.trades == {}  # nothing exists at Alipay until the shopper opens it

    # The shopper's browser opens it: the stand-in checks the signature and makes the trade.
    async with httpx.AsyncClient() as http:
        opened = await http.get(target["url"])
    assert "Alipay cashier" in opened.text
    assert standin.trades["TW8K2M4Q_1"]["status"] == "WAIT_BUYER_PAY"


async def test_a_phone_gets_the_mobile_cashier(make_gateway: GatewayFactory) -> None:
    created = await make_gateway().create_payment(payment(mobile=True))
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    params = cashier_params(target["url"])
    assert params["method"] == "alipay.trade.wap.pay"
    assert params["biz_content"]["product_code"] == "QUICK_WAP_PAY"
    assert params["biz_content"]["quit_url"] == "https://shop.example/orders/TW8K2M4Q"


async def test_a_foreign_currency_goes_as_the_cross_border_fields(
    make_gateway: GatewayFactory,
) -> None:
    gateway = make_gateway(alipay_currencies=["CNY", "USD"])
    created = await gateway.create_payment(payment(currency="USD", amount=1050))
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    biz = cashier_params(target["url"])["biz_content"]
    assert (biz["total_amount"], biz["trans_currency"], biz["settle_currency"]) == (
        "10.50",
        "USD",
        "USD",
    )


async def test_a_desktop_payment_without_return_url_is_a_qr_code(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    created = await make_gateway().create_payment(payment(return_url=None))
    assert created.next_action["type"] == "display_qr_code"
    qr = created.next_action["display_qr_code"]
    assert isinstance(qr, dict)
    assert qr["data"] == f"https://qr.alipay.test/{standin.trades['TW8K2M4Q_1']['trade_no']}"
    assert isinstance(qr["expires_at"], int)
    [biz] = standin.called("alipay.trade.precreate")
    assert (biz["out_trade_no"], biz["total_amount"]) == ("TW8K2M4Q_1", "72.00")


async def test_a_retried_precreate_makes_one_trade(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    standin.fail_next(1, "drop")
    with pytest.raises(GatewayError) as raised:
        await gateway.create_payment(payment(return_url=None))
    assert raised.value.retryable
    again = await gateway.create_payment(payment(return_url=None))
    assert again.provider_id == "TW8K2M4Q_1"
    assert len(standin.called("alipay.trade.precreate")) == 2
    assert list(standin.trades) == ["TW8K2M4Q_1"]


async def test_a_precreate_alipay_refuses_is_a_failed_attempt(
    make_gateway: GatewayFactory,
) -> None:
    created = await make_gateway().create_payment(payment(return_url=None, amount=20_000_000))
    assert created.status == PaymentStatus.FAILED
    assert (created.provider_id, created.failure_code) == ("", "ACQ.TOTAL_FEE_EXCEED")


async def test_a_badly_signed_request_is_refused_by_alipay(
    alipay: tuple[AlipayStandIn, str], alipay_keys: tuple[KeyPair, KeyPair]
) -> None:
    stranger = KeyPair.generate()
    gateway = AlipayGateway(
        Settings(
            **alipay_settings(
                alipay[1], alipay_keys, alipay_app_private_key=SecretStr(stranger.private_pem)
            )
        )
    )
    with pytest.raises(GatewayError) as raised:
        await gateway.fetch_payment("TW8K2M4Q_1")
    assert raised.value.code == "isv.invalid-signature"
    assert not raised.value.retryable
    assert alipay[0].calls == []


async def test_an_answer_not_signed_by_alipay_is_refused(
    alipay: tuple[AlipayStandIn, str], alipay_keys: tuple[KeyPair, KeyPair]
) -> None:
    gateway = AlipayGateway(
        Settings(
            **alipay_settings(
                alipay[1], alipay_keys, alipay_public_key=KeyPair.generate().public_pem
            )
        )
    )
    with pytest.raises(GatewayError) as raised:
        await gateway.fetch_payment("TW8K2M4Q_1")
    assert raised.value.code == "invalid_signature"


async def test_a_busy_or_failing_alipay_is_retryable(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    alipay[0].fail_next(1, "busy")
    alipay[0].fail_next(1, "500")
    gateway = make_gateway()
    for _ in range(2):
        with pytest.raises(GatewayError) as raised:
            await gateway.fetch_payment("TW8K2M4Q_1")
        assert raised.value.retryable


async def test_fetch_payment_reads_the_trade_as_a_payment_notice(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    created = await gateway.create_payment(payment())
    assert (await gateway.fetch_payment("TW8K2M4Q_1") or {})["status"] == "requires_action"
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    standin.open(str(target["url"]))
    standin.pay("TW8K2M4Q_1")
    found = await gateway.fetch_payment("TW8K2M4Q_1")
    assert (
        found
        == events.payment_notice(
            "TW8K2M4Q_1", PaymentStatus.SUCCEEDED, amount_received=7200, currency="CNY"
        )[1]
    )
    settled = await gateway.settlement_of("TW8K2M4Q_1")
    assert settled is not None
    assert (settled.currency, settled.net, settled.fee, settled.rate) == ("CNY", 7157, 43, "")
    assert settled.balance_transaction_id == standin.trades["TW8K2M4Q_1"]["trade_no"]


async def test_cancel_closes_the_trade_or_tells_the_shopper_was_faster(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    # Never opened: Alipay does not know the trade.
    assert await gateway.cancel_payment("TW8K2M4Q_1") is PaymentStatus.CANCELED
    created = await gateway.create_payment(payment())
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    standin.open(str(target["url"]))
    assert await gateway.cancel_payment("TW8K2M4Q_1") is PaymentStatus.CANCELED
    assert standin.trades["TW8K2M4Q_1"]["status"] == "TRADE_CLOSED"

    created = await gateway.create_payment(payment(attempt=2))
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    standin.open(str(target["url"]))
    standin.pay("TW8K2M4Q_2")
    assert await gateway.cancel_payment("TW8K2M4Q_2") is PaymentStatus.SUCCEEDED


# -- refunds -------------------------------------------------------------------------


async def _paid(gateway: AlipayGateway, standin: AlipayStandIn) -> str:
    created = await gateway.create_payment(payment())
    target = created.next_action["redirect_to_url"]
    assert isinstance(target, dict)
    standin.open(str(target["url"]))
    standin.pay(created.provider_id)
    return created.provider_id


def refund_request(sequence: int = 1, amount: int = 2500) -> RefundRequest:
    return RefundRequest(
        provider_payment_id="TW8K2M4Q_1",
        payment_id=41,
        sequence=sequence,
        currency="CNY",
        amount=amount,
        reason="damaged",
    )


async def test_a_partial_refund_goes_under_its_own_request_number(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    await _paid(gateway, standin)
    made = await gateway.refund(refund_request())
    assert (made.provider_id, made.status) == ("TW8K2M4Q_1:R41_1", RefundStatus.SUCCEEDED)
    [biz] = standin.called("alipay.trade.refund")
    assert (biz["out_request_no"], biz["refund_amount"], biz["out_trade_no"]) == (
        "R41_1",
        "25.00",
        "TW8K2M4Q_1",
    )
    found = await gateway.fetch_refund(made.provider_id)
    assert found is not None
    assert (found["status"], found["metadata"]) == ("succeeded", {"sequence": "1"})
    settled = await gateway.refund_settlement_of(made.provider_id)
    assert settled is not None
    # 25.00 back to the shopper, 0.15 of the fee back from Alipay.
    assert (settled.net, settled.fee, settled.currency) == (-2485, -15, "CNY")


async def test_a_refund_whose_answer_was_lost_is_asked_again_and_made_once(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    await _paid(gateway, standin)
    standin.fail_next(1, "drop")
    with pytest.raises(GatewayError) as raised:
        await gateway.refund(refund_request())
    assert raised.value.retryable
    again = await gateway.refund(refund_request())
    assert again.status is RefundStatus.SUCCEEDED
    assert standin.trades["TW8K2M4Q_1"]["refunded"] == Decimal("25.00")


async def test_a_refund_over_what_was_paid_is_refused(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    gateway = make_gateway()
    await _paid(gateway, alipay[0])
    with pytest.raises(GatewayError) as raised:
        await gateway.refund(refund_request(amount=9000))
    assert (raised.value.code, raised.value.retryable) == ("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", False)


async def test_an_unknown_refund_reads_as_pending(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    gateway = make_gateway()
    await _paid(gateway, alipay[0])
    found = await gateway.fetch_refund("TW8K2M4Q_1:R41_9")
    assert found is not None and found["status"] == "pending"
    assert await gateway.refund_settlement_of("TW8K2M4Q_1:R41_9") is None


# -- notifications -------------------------------------------------------------------


async def test_notifications_translate_to_the_event_vocabulary(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    await _paid(gateway, standin)
    paid = standin.notification("TW8K2M4Q_1")
    assert gateway.verify_notification(paid)
    notice = alipay_gateway.notice_of(paid)
    assert notice is not None
    assert (notice.event_id, notice.type) == (paid["notify_id"], events.SUCCEEDED)
    assert (notice.data["amount_received"], notice.data["currency"]) == (7200, "cny")

    waiting = standin.notification("TW8K2M4Q_1", trade_status="WAIT_BUYER_PAY")
    assert alipay_gateway.notice_of(waiting) is None
    closed = alipay_gateway.notice_of(
        standin.notification("TW8K2M4Q_1", trade_status="TRADE_CLOSED")
    )
    assert closed is not None and closed.type == events.CANCELED

    await gateway.refund(refund_request(amount=7200))
    refunded = alipay_gateway.notice_of(standin.refund_notification("TW8K2M4Q_1", "R41_1"))
    assert refunded is not None
    # A trade closed by its full refund is about the refunds, never a cancellation: the
    # trade's refunded total, naming the refund made here.
    assert refunded.type == events.REFUNDED
    assert (refunded.data["amount_refunded"], refunded.data["currency"]) == (7200, "cny")
    [named] = refunded.data["refunds"]["data"]
    assert (named["id"], named["metadata"]) == ("TW8K2M4Q_1:R41_1", {"sequence": "1"})


async def test_a_forged_or_foreign_notification_fails_verification(
    make_gateway: GatewayFactory, alipay: tuple[AlipayStandIn, str]
) -> None:
    standin = alipay[0]
    gateway = make_gateway()
    await _paid(gateway, standin)
    genuine = standin.notification("TW8K2M4Q_1")
    assert not gateway.verify_notification({**genuine, "total_amount": "0.01"})
    assert not gateway.verify_notification({**genuine, "sign": "bm90IGEgc2lnbmF0dXJl"})
    assert not gateway.verify_notification({**genuine, "sign": "%%%"})
    assert not gateway.verify_notification({k: v for k, v in genuine.items() if k != "sign"})
    other_app = standin.sign({**genuine, "app_id": "2021999999999999"})
    assert not gateway.verify_notification(other_app)
