"""Staff refunds through the API, their effects on the order, points and tier, and refunds
reconciled from the provider's notices."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderEvent, OrderEventKind
from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.members import points as member_points
from services.payments import gateways, refund_notices, refunds
from services.payments.errors import PaymentErrorCode
from services.payments.gateway import (
    GatewayError,
    GatewayPayment,
    GatewayRefund,
    PaymentRequest,
    RefundRequest,
    Settlement,
)
from tests.conftest import GraphQLClient
from tests.factories import gid, make_order, make_product, make_user

pytestmark = pytest.mark.usefixtures("db")


class FakeGateway:
    """A gateway that records what it is asked and answers as told."""

    name = Gateway.TEST
    methods: tuple[str, ...] = ("card",)

    def __init__(self) -> None:
        self.requests: list[RefundRequest] = []
        self.error: GatewayError | None = None
        self.status = RefundStatus.SUCCEEDED
        self.delay = 0.0
        self.settlement: Settlement | None = None
        #: How each refund settled, by provider id, once "the provider" knows.
        self.refund_settlements: dict[str, Settlement] = {}
        #: Raised when a settlement is asked for: the provider is down.
        self.settlement_error: GatewayError | None = None
        self.cancelled: list[str] = []
        #: What "the provider" says of a payment or a refund now, by provider id.
        self.objects: dict[str, dict[str, Any]] = {}

    def methods_for(self, currency: str, country: str) -> list[str]:
        return ["card"]

    async def create_payment(self, request: PaymentRequest) -> GatewayPayment:
        raise NotImplementedError

    async def refund(self, request: RefundRequest) -> GatewayRefund:
        self.requests.append(request)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return GatewayRefund(
            provider_id=f"re_{request.payment_id}_{request.sequence}", status=self.status
        )

    async def cancel_payment(self, provider_payment_id: str) -> PaymentStatus:
        self.cancelled.append(provider_payment_id)
        return PaymentStatus.CANCELED

    async def fetch_payment(self, provider_payment_id: str) -> dict[str, Any] | None:
        return self.objects.get(provider_payment_id)

    async def fetch_refund(self, provider_refund_id: str) -> dict[str, Any] | None:
        return self.objects.get(provider_refund_id)

    async def settlement_of(self, provider_payment_id: str) -> Settlement | None:
        if self.settlement_error is not None:
            raise self.settlement_error
        return self.settlement

    async def refund_settlement_of(self, provider_refund_id: str) -> Settlement | None:
        if self.settlement_error is not None:
            raise self.settlement_error
        return self.refund_settlements.get(provider_refund_id)


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    fake = FakeGateway()
    monkeypatch.setitem(gateways._gateways, Gateway.TEST, fake)
    return fake


async def paid_order(
    price: str,
    currency: str,
    rate: str,
    *,
    method: str = "card",
    settled: int | None = None,
    fee: int | None = None,
    provider_rate: str = "",
    succeeded_at: datetime | None = None,
    member: bool = True,
) -> tuple[Order, Payment]:
    """A completed order priced at `rate` and its payment, SUCCEEDED and maybe settled (in
    the shop currency, USD); the member has earned the order's points."""
    product = await make_product(prices=(price,))
    variant = await ProductVariant.get(product_id=product.id)
    user = await make_user() if member else None
    order = await make_order(user, [(variant, 1)], currency=currency, rate=rate)
    payment = await Payment.create(
        order=order,
        attempt=1,
        gateway=Gateway.TEST,
        method=method,
        provider_id=f"pi_{order.number}",
        status=PaymentStatus.SUCCEEDED,
        currency=currency,
        amount=order.total_presentment,
        amount_received=order.total_presentment,
        settlement_currency="USD" if settled is not None else "",
        settled_amount=settled,
        fee=fee,
        provider_rate=provider_rate,
        succeeded_at=succeeded_at or datetime.now().astimezone(),
    )
    await member_points.on_order_completed(order.id)
    return order, payment


REFUND = """
mutation($input: RefundPaymentInput!) {
  refundPayment(input: $input) {
    refund { id sequence status amount { amount currency } reason failureMessage
             settledAmount { amount currency } }
    order { id refundedTotal: refundedInShopCurrency { amount currency } }
    errors { field code message }
  }
}
"""


async def refund(
    client: GraphQLClient, payment: Payment, amount: str, reason: str = "Damaged in transit"
) -> dict[str, Any]:
    data = await client.staff(
        REFUND,
        {"input": {"paymentId": gid("Payment", payment.id), "amount": amount, "reason": reason}},
    )
    result: dict[str, Any] = data["refundPayment"]
    return result


async def test_partial_then_full_refund(client: GraphQLClient, gateway: FakeGateway) -> None:
    # 100.00 USD priced at 0.92: 92.00 EUR.
    order, payment = await paid_order(
        "100.00", "EUR", "0.92", settled=9800, fee=320, provider_rate="1.1"
    )
    assert (order.total, order.total_presentment) == (10000, 9200)
    assert order.user_id is not None
    earned = await member_points.balance(order.user_id)
    assert earned > 0

    # The refund's own balance transaction, at the day's rate of 1.12 (the payment's was 1.1).
    gateway.refund_settlements[f"re_{payment.id}_1"] = Settlement(
        "USD", -5152, 0, "1.12", "txn_re_1"
    )
    first = await refund(client, payment, "46.00")
    assert first["errors"] == []
    assert first["refund"]["sequence"] == 1
    assert first["refund"]["status"] == "SUCCEEDED"
    assert first["refund"]["amount"] == {"amount": "46.00", "currency": "EUR"}
    # Settled as the provider reports the refund, leaving the balance.
    assert first["refund"]["settledAmount"] == {"amount": "-51.52", "currency": "USD"}
    stored = await Refund.get(payment_id=payment.id, sequence=1)
    assert (stored.settled_amount, stored.fee, stored.provider_rate) == (-5152, 0, "1.12")
    assert first["order"]["refundedTotal"] == {"amount": "50.00", "currency": "USD"}
    sent = gateway.requests[0]
    assert sent.idempotency_key == f"refund:{payment.id}:1"
    assert (sent.currency, sent.amount, sent.provider_payment_id) == (
        "EUR",
        4600,
        payment.provider_id,
    )
    assert (await Payment.get(id=payment.id)).amount_refunded == 4600
    event = await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).first()
    assert event is not None
    assert "46.00 EUR" in event.message and "Damaged in transit" in event.message
    assert event.actor == f"user:{(await client.admin()).id}"
    assert await member_points.balance(order.user_id) == earned - earned * 5000 // 10000

    rest = await refund(client, payment, "46.00", "Never arrived")
    assert rest["errors"] == []
    assert rest["refund"]["sequence"] == 2
    # Not reported yet: unknown rather than guessed (the settlement sweep asks again).
    assert rest["refund"]["settledAmount"] is None
    assert rest["order"]["refundedTotal"]["amount"] == "100.00"
    assert gateway.requests[1].idempotency_key == f"refund:{payment.id}:2"
    assert await member_points.balance(order.user_id) == 0

    over = await refund(client, payment, "0.01")
    assert over["refund"] is None
    assert [(e["code"], e["field"]) for e in over["errors"]] == [
        ("REFUND_EXCEEDS_CAPTURED", ["amount"])
    ]
    assert len(gateway.requests) == 2
    assert await Refund.filter(payment_id=payment.id).count() == 2


async def test_never_more_than_captured(client: GraphQLClient, gateway: FakeGateway) -> None:
    _, payment = await paid_order("20.00", "USD", "1")
    result = await refund(client, payment, "20.01")
    assert [e["code"] for e in result["errors"]] == ["REFUND_EXCEEDS_CAPTURED"]
    assert "20.00" in result["errors"][0]["message"]
    assert gateway.requests == []
    assert await Refund.all().count() == 0


async def test_last_refund_takes_exactly_the_rest(gateway: FakeGateway) -> None:
    # 10.00 USD at 157.3 JPY: 1573 yen. Each refund converts at 1000/1573 and rounds
    # half-up; the one completing the payment takes what is left.
    order, payment = await paid_order("10.00", "JPY", "157.3")
    assert (order.total, order.total_presentment) == (1000, 1573)
    expected = [(1, 1), (786, 500), (786, 499)]  # 0.64 -> 1, 499.68 -> 500, rest 499
    for amount, share in expected:
        before = (await Order.get(id=order.id)).refunded_total
        await refunds.refund_payment(payment.id, amount, "Goodwill", None)
        after = (await Order.get(id=order.id)).refunded_total
        assert after - before == share
    assert (await Order.get(id=order.id)).refunded_total == 1000
    assert refunds.shop_share(786, order) == 500


@pytest.mark.parametrize(
    ("amount", "reason", "code"),
    [
        ("1.001", "Wrong size", "INVALID"),
        ("0", "Wrong size", "INVALID"),
        ("-1", "Wrong size", "INVALID"),
        ("1.00", "   ", "REQUIRED"),
        ("1.00", "x" * 301, "INVALID"),
    ],
)
async def test_refused_input_changes_nothing(
    client: GraphQLClient, gateway: FakeGateway, amount: str, reason: str, code: str
) -> None:
    _, payment = await paid_order("20.00", "EUR", "0.9")
    result = await refund(client, payment, amount, reason)
    assert [e["code"] for e in result["errors"]] == [code]
    assert gateway.requests == []
    assert await Refund.all().count() == 0


async def test_only_succeeded_payments(client: GraphQLClient, gateway: FakeGateway) -> None:
    _, payment = await paid_order("20.00", "EUR", "0.9")
    await Payment.filter(id=payment.id).update(status=PaymentStatus.FAILED)
    result = await refund(client, payment, "1.00")
    assert [e["code"] for e in result["errors"]] == ["ILLEGAL_STATE"]
    missing = await client.staff(
        REFUND, {"input": {"paymentId": gid("Payment", 999999), "amount": "1", "reason": "x"}}
    )
    assert [e["code"] for e in missing["refundPayment"]["errors"]] == ["NOT_FOUND"]
    assert gateway.requests == []


async def test_gateway_error_leaves_the_refund_failed(
    client: GraphQLClient, gateway: FakeGateway
) -> None:
    order, payment = await paid_order("20.00", "EUR", "0.9")
    gateway.error = GatewayError("The charge was disputed.", code="charge_disputed")
    result = await refund(client, payment, "5.00")
    assert [e["code"] for e in result["errors"]] == ["REFUND_FAILED"]
    assert result["refund"]["status"] == "FAILED"
    assert result["refund"]["failureMessage"] == "The charge was disputed."
    assert (await Payment.get(id=payment.id)).amount_refunded == 0
    assert (await Order.get(id=order.id)).refunded_total == 0
    assert not await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).exists()
    # A FAILED refund holds nothing back; the next one has the next key.
    gateway.error = None
    again = await refund(client, payment, "18.00")
    assert again["errors"] == [] and again["refund"]["sequence"] == 2
    assert gateway.requests[-1].idempotency_key == f"refund:{payment.id}:2"


async def test_staff_without_orders_permission_is_refused(
    client: GraphQLClient, gateway: FakeGateway
) -> None:
    _, payment = await paid_order("20.00", "EUR", "0.9")
    variables = {"input": {"paymentId": gid("Payment", payment.id), "amount": "1", "reason": "x"}}
    reporter = await make_user(role=Role.STAFF, permissions=("reports",))
    body = await client.request(REFUND, variables, user=reporter)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(REFUND, variables)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    body = await client.request(REFUND, variables, user=clerk)
    assert body["data"]["refundPayment"]["errors"] == []


async def test_provider_refund_is_reconciled_once(gateway: FakeGateway) -> None:
    order, payment = await paid_order("100.00", "EUR", "0.92")
    ours = await refunds.refund_payment(payment.id, 4600, "Damaged", None)
    listed: list[dict[str, Any]] = [
        {"id": ours.provider_id, "status": "succeeded", "metadata": {"sequence": "1"}},
        {"id": "re_dashboard", "status": "succeeded", "metadata": {}},
    ]
    outcome = await refund_notices.apply_provider_refund(payment, 6000, listed)
    assert "made at the provider" in outcome
    made = await Refund.get(payment_id=payment.id, sequence=2)
    assert (made.amount, made.reason, made.provider_id, made.status) == (
        1400,
        "refunded at the provider",
        "re_dashboard",
        RefundStatus.SUCCEEDED,
    )
    assert (await Payment.get(id=payment.id)).amount_refunded == 6000
    # 4600 -> 5000, 1400 -> 1521.74 -> 1522
    assert (await Order.get(id=order.id)).refunded_total == 6522
    # Repeated, and older, notices change nothing.
    assert (
        await refund_notices.apply_provider_refund(payment, 6000, listed) == "nothing new refunded"
    )
    assert await refund_notices.apply_provider_refund(payment.id, 4600) == "nothing new refunded"
    assert await Refund.filter(payment_id=payment.id).count() == 2
    events = await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.PAYMENT).count()
    assert events == 2


async def test_provider_notice_completes_a_pending_refund(gateway: FakeGateway) -> None:
    order, payment = await paid_order("100.00", "EUR", "0.92")
    gateway.status = RefundStatus.PENDING
    pending = await refunds.refund_payment(payment.id, 9200, "Returned", None)
    assert pending.status == RefundStatus.PENDING
    assert (await Payment.get(id=payment.id)).amount_refunded == 0
    # In flight: it still counts against what may be refunded.
    with pytest.raises(refunds.RefundError) as refused:
        await refunds.refund_payment(payment.id, 1, "More", None)
    assert refused.value.problems[0].code is PaymentErrorCode.REFUND_EXCEEDS_CAPTURED
    await refund_notices.apply_provider_refund(
        payment, 9200, [{"id": pending.provider_id, "status": "succeeded"}]
    )
    done = await Refund.get(id=pending.id)
    assert done.status == RefundStatus.SUCCEEDED
    assert (await Order.get(id=order.id)).refunded_total == 10000
    assert await Refund.filter(payment_id=payment.id).count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "asyncpg")),
    reason="row locks need PostgreSQL",
)
async def test_concurrent_refunds_cannot_exceed_captured(
    gateway: FakeGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, payment = await paid_order("100.00", "USD", "1")
    gateway.delay = 0.05
    counted = refunds._pending_total

    async def slow_count(payment_id: int) -> int:
        # Widen the window between reading what is refundable and writing the refund.
        total = await counted(payment_id)
        await asyncio.sleep(0.1)
        return total

    monkeypatch.setattr(refunds, "_pending_total", slow_count)
    results = await asyncio.gather(
        *(refunds.refund_payment(payment.id, 6000, f"Refund {i}", None) for i in range(2)),
        return_exceptions=True,
    )
    succeeded = [r for r in results if isinstance(r, Refund)]
    refused = [r for r in results if isinstance(r, refunds.RefundError)]
    assert len(succeeded) == 1 and len(refused) == 1
    assert refused[0].problems[0].code is PaymentErrorCode.REFUND_EXCEEDS_CAPTURED
    assert (await Payment.get(id=payment.id)).amount_refunded == 6000
    assert len(gateway.requests) == 1


def test_shop_share_rounds_half_up() -> None:
    order = Order(total=1000, total_presentment=2000)
    assert refunds.shop_share(1, order) == 1  # 0.5 -> 1
    assert refunds.shop_share(3, order) == 2  # 1.5 -> 2
    assert refunds.shop_share(2000, order) == 1000
    assert Decimal(refunds.shop_share(0, order)) == 0


async def test_with_the_built_in_test_gateway(client: GraphQLClient) -> None:
    # No fake: the payment's own gateway, the embedded shop's test gateway, refunds it.
    _, payment = await paid_order("30.00", "USD", "1")
    query = REFUND.replace("errors {", "payment { amountRefunded { amount } status } errors {")
    variables = {
        "input": {"paymentId": gid("Payment", payment.id), "amount": "12.50", "reason": "Late"}
    }
    result = (await client.staff(query, variables))["refundPayment"]
    assert result["errors"] == []
    assert result["refund"]["status"] == "SUCCEEDED"
    assert result["payment"] == {"amountRefunded": {"amount": "12.50"}, "status": "SUCCEEDED"}
    assert result["order"]["refundedTotal"]["amount"] == "12.50"
    made = await Refund.get(payment_id=payment.id)
    assert made.provider_id == f"test_re_{payment.id}_1"
    # The refund settled in the shop currency at the day's quote, its fee kept on the payment.
    assert (made.settled_amount, made.fee, made.provider_rate) == (-1250, 0, "")
    assert (await Payment.get(id=payment.id)).settlement_currency == "USD"


async def test_an_unreachable_provider_leaves_the_retry_the_same_key(
    client: GraphQLClient, gateway: FakeGateway
) -> None:
    _, payment = await paid_order("20.00", "EUR", "0.9")
    gateway.error = GatewayError("timed out", retryable=True)
    lost = await refund(client, payment, "5.00")
    assert [e["code"] for e in lost["errors"]] == ["GATEWAY_ERROR"]
    assert not await Refund.filter(payment_id=payment.id).exists()
    # The provider may have refunded: the retry asks again with the very same key.
    gateway.error = None
    again = await refund(client, payment, "5.00")
    assert again["errors"] == [] and again["refund"]["sequence"] == 1
    keys = [r.idempotency_key for r in gateway.requests]
    assert keys == [f"refund:{payment.id}:1", f"refund:{payment.id}:1"]


async def test_a_flagged_payment_can_still_be_given_back(
    client: GraphQLClient, gateway: FakeGateway
) -> None:
    _, payment = await paid_order("20.00", "EUR", "0.9")
    await Payment.filter(id=payment.id).update(
        status=PaymentStatus.FLAGGED, flagged_reason="the shopper disputed the charge"
    )
    result = await refund(client, payment, "5.00")
    assert result["errors"] == [] and result["refund"]["status"] == "SUCCEEDED"
    assert (await Payment.get(id=payment.id)).amount_refunded == 500
