"""The Stripe gateway with the real SDK over real HTTP, against a local stand-in of the API."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import stripe

from models.payments import PaymentStatus, RefundStatus
from services.payments import stripe_gateway, stripe_units
from services.payments.gateway import GatewayError, PaymentRequest, RefundRequest
from services.payments.stripe_gateway import StripeGateway
from settings import Settings
from tests.payments.standins import Switch, serve
from tests.payments.stripe_standin import StripeStandIn, decode_form

API_KEY = "sk_test_standin"


@pytest.fixture(autouse=True)
def _no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    # The SDK sleeps at least half a second between retries; the retries are what is tested.
    monkeypatch.setattr(stripe_gateway._HTTPXClient, "_sleep_time_seconds", lambda self, n: 0.0)


@pytest.fixture(scope="session")
async def standin_server() -> AsyncIterator[tuple[Switch, str]]:
    switch = Switch()
    async with serve(switch) as base:
        yield switch, base


@pytest.fixture
def standin(standin_server: tuple[Switch, str]) -> tuple[StripeStandIn, str]:
    switch, base = standin_server
    switch.target = standin = StripeStandIn()
    return standin, base


GatewayFactory = Callable[..., StripeGateway]


@pytest.fixture
async def make_gateway(
    standin: tuple[StripeStandIn, str],
) -> AsyncIterator[GatewayFactory]:
    made: list[StripeGateway] = []

    def make(**overrides: Any) -> StripeGateway:
        values: dict[str, Any] = {
            "payment_gateway": "stripe",
            "stripe_api_key": API_KEY,
            "stripe_api_base": standin[1],
            **overrides,
        }
        gateway = StripeGateway(Settings(**values))
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
        "method": "card",
        "email": "Ana@Example.com",
        "country": "US",
        **overrides,
    }
    return PaymentRequest(**values)


# -- Stripe's units ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("currency", "iso_minor", "stripe_amount"),
    [
        ("JPY", 1200, 1200),  # zero-decimal both ways
        ("USD", 1200, 1200),  # 12.00
        ("MGA", 150000, 1500),  # ISO two decimals, Stripe zero-decimal
        ("KWD", 1230, 1230),  # three-decimal ending in 0
        ("ISK", 5, 500),  # ISO whole krónur, Stripe two-decimal ending in 00
        ("HUF", 12300, 12300),  # whole forint
        ("TWD", 4500, 4500),
        ("UGX", 5000, 5000),  # zero-decimal both ways
        ("IQD", 1230, 123),  # ISO three decimals, two-decimal at Stripe
    ],
)
def test_amounts_convert_exactly_both_ways(
    currency: str, iso_minor: int, stripe_amount: int
) -> None:
    assert stripe_units.to_stripe_amount(iso_minor, currency) == stripe_amount
    assert stripe_units.from_stripe_amount(stripe_amount, currency) == iso_minor
    assert stripe_units.to_stripe_amount(iso_minor, currency.lower()) == stripe_amount


@pytest.mark.parametrize(
    ("currency", "iso_minor"),
    [
        ("KWD", 1234),  # Stripe requires three-decimal amounts to end in 0
        ("MGA", 150050),  # 1500.50 MGA: Stripe has no fraction of an ariary
        ("HUF", 12345),  # Stripe charges whole forint only
        ("TWD", 4501),
        ("IQD", 1234),
    ],
)
def test_amounts_stripe_cannot_take_are_refused(currency: str, iso_minor: int) -> None:
    with pytest.raises(stripe_units.StripeAmountError):
        stripe_units.to_stripe_amount(iso_minor, currency)


def test_a_stripe_amount_that_is_not_a_whole_iso_unit_is_refused() -> None:
    with pytest.raises(stripe_units.StripeAmountError):
        stripe_units.from_stripe_amount(550, "ISK")


def test_standin_decodes_stripe_form_keys() -> None:
    pairs = [("a[0]", "x"), ("a[1]", "y"), ("b[c][d]", "1")]
    assert decode_form(pairs) == {"a": ["x", "y"], "b": {"c": {"d": "1"}}}


# -- Methods -----------------------------------------------------------------------------


async def test_methods_are_those_enabled_and_supported_for_the_currency(
    make_gateway: GatewayFactory,
) -> None:
    everything = ["card", "alipay", "wechat_pay", "paypal", "bank_transfer"]
    european = make_gateway(stripe_payment_methods=everything, stripe_merchant_country="DE")
    assert european.methods_for("EUR", "DE") == everything
    assert european.methods_for("CNY", "CN") == ["card", "alipay", "wechat_pay"]
    assert european.methods_for("MYR", "MY") == ["card", "alipay"]
    assert european.methods_for("BRL", "BR") == ["card"]
    american = make_gateway(stripe_payment_methods=everything, stripe_merchant_country="US")
    assert "paypal" not in american.methods_for("USD", "US")
    cards_only = make_gateway()
    assert cards_only.methods_for("CNY", "CN") == ["card"]
    # Stripe's own name for bank transfers is accepted in the settings too.
    aliased = make_gateway(stripe_payment_methods=["customer_balance"])
    assert aliased.methods_for("GBP", "GB") == ["bank_transfer"]


# -- Creating PaymentIntents -------------------------------------------------------------


async def test_card_payment_sends_stripe_units_and_the_idempotency_key(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    result = await make_gateway().create_payment(payment())

    [sent] = api.sent("POST", "/v1/payment_intents")
    assert sent.form == {
        "amount": "1200",
        "currency": "usd",
        "payment_method_types": ["card"],
        "metadata": {"order_number": "TW-1001", "attempt": "1"},
    }
    assert sent.headers["idempotency-key"] == "payment:TW-1001:1:card"
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert result.provider_id.startswith("pi_")
    assert result.status is PaymentStatus.REQUIRES_ACTION
    assert result.client_secret == f"{result.provider_id}_secret_standin"
    assert result.next_action == {}


@pytest.mark.parametrize(
    ("currency", "iso_minor", "sent_amount"),
    [("JPY", 1200, "1200"), ("MGA", 150000, "1500"), ("KWD", 1230, "1230")],
)
async def test_amount_is_sent_in_stripes_units(
    standin: tuple[StripeStandIn, str],
    make_gateway: GatewayFactory,
    currency: str,
    iso_minor: int,
    sent_amount: str,
) -> None:
    api, _ = standin
    await make_gateway().create_payment(payment(currency=currency, amount=iso_minor))
    [sent] = api.sent("POST", "/v1/payment_intents")
    assert (sent.form["amount"], sent.form["currency"]) == (sent_amount, currency.lower())


async def test_an_amount_stripe_cannot_take_is_refused_before_calling_it(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    with pytest.raises(GatewayError) as caught:
        await make_gateway().create_payment(payment(currency="KWD", amount=1234))
    assert caught.value.code == "amount_not_representable"
    assert not caught.value.retryable
    assert api.requests == []


async def test_without_a_method_every_offered_one_is_sent_with_wechat_options(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway(
        stripe_payment_methods=["card", "alipay", "wechat_pay", "paypal"],
        stripe_merchant_country="FR",
    )
    await gateway.create_payment(payment(currency="CNY", amount=9900, method="", country="CN"))
    [sent] = api.sent("POST", "/v1/payment_intents")
    assert sent.form["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert sent.form["payment_method_options"] == {"wechat_pay": {"client": "web"}}


async def test_a_method_not_offered_is_refused_before_calling_stripe(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway(stripe_payment_methods=["card", "alipay"])
    with pytest.raises(GatewayError) as caught:
        await gateway.create_payment(payment(currency="BRL", method="alipay", country="BR"))
    assert caught.value.code == "method_unavailable"
    assert api.requests == []


async def test_euro_bank_transfer_creates_a_customer_and_asks_for_eu_instructions(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway(stripe_payment_methods=["card", "bank_transfer"])
    result = await gateway.create_payment(
        payment(currency="EUR", amount=4990, method="bank_transfer", country="DE")
    )

    [customer] = api.sent("POST", "/v1/customers")
    digest = hashlib.sha256(b"ana@example.com").hexdigest()[:32]
    assert customer.headers["idempotency-key"] == f"customer:{digest}"
    assert customer.form == {"email": "Ana@Example.com"}
    [sent] = api.sent("POST", "/v1/payment_intents")
    assert sent.form["customer"] in api.customers
    assert sent.form["payment_method_types"] == ["customer_balance"]
    assert sent.form["payment_method_options"] == {
        "customer_balance": {
            "funding_type": "bank_transfer",
            "bank_transfer": {"type": "eu_bank_transfer", "eu_bank_transfer": {"country": "DE"}},
        }
    }
    assert result.status is PaymentStatus.REQUIRES_ACTION
    assert result.next_action == {"type": "display_bank_transfer_instructions"}


async def test_bank_transfer_type_follows_the_currency(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway(stripe_payment_methods=["bank_transfer"])
    await gateway.create_payment(payment(currency="JPY", amount=5000, method="bank_transfer"))
    await gateway.create_payment(
        payment(currency="EUR", amount=5000, method="bank_transfer", country="IT", attempt=2)
    )
    jpy, eur = api.sent("POST", "/v1/payment_intents")
    assert jpy.form["payment_method_options"]["customer_balance"]["bank_transfer"] == {
        "type": "jp_bank_transfer"
    }
    # Italy has no euro virtual accounts at Stripe: a documented default country is used.
    eur_transfer = eur.form["payment_method_options"]["customer_balance"]["bank_transfer"]
    assert eur_transfer["eu_bank_transfer"] == {"country": "NL"}


# -- Errors --------------------------------------------------------------------------------


async def test_a_declined_card_is_a_failed_payment_with_the_decline_code(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    api.decline_next()
    result = await make_gateway().create_payment(payment())
    assert result.status is PaymentStatus.FAILED
    assert result.failure_code == "insufficient_funds"
    assert result.failure_message == "Your card has insufficient funds."
    assert result.provider_id.startswith("pi_")
    assert len(api.sent("POST", "/v1/payment_intents")) == 1  # a decline is not retried


async def test_server_errors_are_retried_with_the_same_idempotency_key(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    api.fail_next(2, "500")
    result = await make_gateway(stripe_max_network_retries=2).create_payment(payment())
    attempts = api.sent("POST", "/v1/payment_intents")
    assert len(attempts) == 3
    assert {a.headers["idempotency-key"] for a in attempts} == {"payment:TW-1001:1:card"}
    assert list(api.intents) == [result.provider_id]


async def test_a_dropped_connection_is_retried_with_the_same_idempotency_key(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    api.fail_next(1, "drop")
    result = await make_gateway().create_payment(payment(attempt=2))
    attempts = api.sent("POST", "/v1/payment_intents")
    assert len(attempts) == 2
    assert {a.headers["idempotency-key"] for a in attempts} == {"payment:TW-1001:2:card"}
    assert result.status is PaymentStatus.REQUIRES_ACTION


async def test_a_replayed_request_returns_the_same_intent(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    first = await gateway.create_payment(payment())
    again = await gateway.create_payment(payment())
    assert first.provider_id == again.provider_id
    assert len(api.intents) == 1


async def test_retries_exhausted_raise_a_retryable_gateway_error(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    api.fail_next(2, "500")
    with pytest.raises(GatewayError) as caught:
        await make_gateway(stripe_max_network_retries=1).create_payment(payment())
    assert caught.value.retryable
    api.fail_next(3, "drop")
    with pytest.raises(GatewayError) as dropped:
        await make_gateway(stripe_max_network_retries=2).create_payment(payment(attempt=3))
    assert dropped.value.retryable
    assert api.intents == {}


async def test_an_unreachable_api_is_a_retryable_gateway_error(
    make_gateway: GatewayFactory,
) -> None:
    gateway = make_gateway(stripe_api_base="http://127.0.0.1:9", stripe_max_network_retries=0)
    with pytest.raises(GatewayError) as caught:
        await gateway.create_payment(payment())
    assert caught.value.retryable


# -- Refunds and settlement ----------------------------------------------------------------


async def test_refund_sends_stripe_units_and_its_idempotency_key(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    paid = await gateway.create_payment(payment(currency="MGA", amount=150000))
    refund = await gateway.refund(
        RefundRequest(
            provider_payment_id=paid.provider_id,
            payment_id=7,
            sequence=1,
            currency="MGA",
            amount=50000,
            reason="One item arrived broken",
        )
    )
    [sent] = api.sent("POST", "/v1/refunds")
    assert sent.headers["idempotency-key"] == "refund:7:1"
    assert sent.form == {
        "payment_intent": paid.provider_id,
        "amount": "500",
        "metadata": {"payment_id": "7", "sequence": "1", "reason": "One item arrived broken"},
    }
    assert refund.status is RefundStatus.SUCCEEDED
    assert refund.provider_id in api.refunds


async def test_refund_of_an_unknown_payment_is_a_final_gateway_error(
    make_gateway: GatewayFactory,
) -> None:
    request = RefundRequest("pi_missing", 1, 1, "USD", 100, "duplicate")
    with pytest.raises(GatewayError) as caught:
        await make_gateway().refund(request)
    assert not caught.value.retryable
    assert caught.value.code == "resource_missing"


async def test_settlement_reads_the_expanded_balance_transaction(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    paid = await gateway.create_payment(payment(currency="JPY", amount=12000))
    assert await gateway.settlement_of(paid.provider_id) is None

    api.settlements[paid.provider_id] = {
        "id": "txn_standin1",
        "object": "balance_transaction",
        "amount": 8040,
        "currency": "usd",
        "fee": 264,
        "net": 7776,
        "exchange_rate": 0.0067,
    }
    settled = await gateway.settlement_of(paid.provider_id)
    reads = api.sent("GET", f"/v1/payment_intents/{paid.provider_id}")
    assert ("expand[0]", "latest_charge.balance_transaction") in reads[-1].query
    assert settled is not None
    assert (settled.currency, settled.net, settled.fee) == ("USD", 7776, 264)
    assert settled.rate == "0.0067"
    assert settled.balance_transaction_id == "txn_standin1"


async def test_settlement_in_the_same_currency_has_no_rate(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    paid = await gateway.create_payment(payment())
    api.settlements[paid.provider_id] = {
        "id": "txn_standin2",
        "object": "balance_transaction",
        "amount": 1200,
        "currency": "usd",
        "fee": 65,
        "net": 1135,
        "exchange_rate": None,
    }
    settled = await gateway.settlement_of(paid.provider_id)
    assert settled is not None
    assert (settled.net, settled.fee, settled.rate) == (1135, 65, "")


async def test_settlement_of_an_unknown_payment_is_a_gateway_error(
    make_gateway: GatewayFactory,
) -> None:
    with pytest.raises(GatewayError) as caught:
        await make_gateway().settlement_of("pi_missing")
    assert not caught.value.retryable


def test_a_decline_without_an_intent_has_no_provider_id() -> None:
    error = {"type": "card_error", "code": "card_declined", "message": "Declined."}
    exc = stripe.CardError("Declined.", None, "card_declined", json_body={"error": error})
    declined = StripeGateway._declined(exc)
    assert (declined.provider_id, declined.status) == ("", PaymentStatus.FAILED)
    assert declined.failure_code == "card_declined"


async def test_cancel_cancels_an_open_intent_and_reports_one_that_went_through(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    open_one = await gateway.create_payment(payment())
    assert await gateway.cancel_payment(open_one.provider_id) is PaymentStatus.CANCELED
    [sent] = api.sent("POST", f"/v1/payment_intents/{open_one.provider_id}/cancel")
    assert sent.headers["idempotency-key"] == f"cancel:{open_one.provider_id}"
    assert api.intents[open_one.provider_id]["status"] == "canceled"
    # Asked again (a retry): Stripe refuses, and the intent's own status answers.
    assert await gateway.cancel_payment(open_one.provider_id) is PaymentStatus.CANCELED

    paid = await gateway.create_payment(payment(attempt=2))
    api.intents[paid.provider_id]["status"] = "succeeded"
    assert await gateway.cancel_payment(paid.provider_id) is PaymentStatus.SUCCEEDED
    assert api.intents[paid.provider_id]["status"] == "succeeded"

    with pytest.raises(GatewayError) as caught:
        await gateway.cancel_payment("pi_missing")
    assert caught.value.code == "resource_missing"
    api.fail_next(3)
    with pytest.raises(GatewayError) as down:
        await gateway.cancel_payment(paid.provider_id)
    assert down.value.retryable


async def test_refund_settlement_reads_the_refunds_own_balance_transaction(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    paid = await gateway.create_payment(payment(currency="EUR", amount=9200))
    refund = await gateway.refund(RefundRequest(paid.provider_id, 7, 1, "EUR", 4600, "Damaged"))
    assert await gateway.refund_settlement_of(refund.provider_id) is None

    api.settlements[refund.provider_id] = {
        "id": "txn_refund1",
        "object": "balance_transaction",
        "amount": -5152,
        "currency": "usd",
        "fee": 0,
        "net": -5152,
        "exchange_rate": 1.12,
    }
    settled = await gateway.refund_settlement_of(refund.provider_id)
    [read, *_] = api.sent("GET", f"/v1/refunds/{refund.provider_id}")[-1:]
    assert ("expand[0]", "balance_transaction") in read.query
    assert settled is not None
    assert (settled.currency, settled.net, settled.fee, settled.rate) == ("USD", -5152, 0, "1.12")
    assert settled.balance_transaction_id == "txn_refund1"


async def test_fetch_reads_the_intent_and_the_refund_as_notifications_carry_them(
    standin: tuple[StripeStandIn, str], make_gateway: GatewayFactory
) -> None:
    api, _ = standin
    gateway = make_gateway()
    paid = await gateway.create_payment(payment(currency="EUR", amount=9200))
    api.intents[paid.provider_id].update(status="succeeded", amount_received=9200)
    intent = await gateway.fetch_payment(paid.provider_id)
    assert intent is not None
    assert (intent["id"], intent["status"], intent["amount_received"], intent["currency"]) == (
        paid.provider_id,
        "succeeded",
        9200,
        "eur",
    )
    refund = await gateway.refund(RefundRequest(paid.provider_id, 7, 1, "EUR", 4600, "Damaged"))
    fetched = await gateway.fetch_refund(refund.provider_id)
    assert fetched is not None
    assert (fetched["status"], fetched["metadata"]["sequence"]) == ("succeeded", "1")
    with pytest.raises(GatewayError):
        await gateway.fetch_payment("pi_missing")
