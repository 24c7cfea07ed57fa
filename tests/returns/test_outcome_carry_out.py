"""Carrying out a return's outcome: once, safely on retry and under concurrent calls; refunds
through the gateway, store credit, exchange orders, points taken back."""

from __future__ import annotations

import asyncio

import pytest

from models.accounts import Role
from models.catalog import ProductVariant
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, Refund, RefundStatus
from models.returns import OutcomeStatus, ReturnOutcome, ReturnRequest, ReturnStatus
from models.store_credit import StoreCreditEntry
from services.members import points as member_points
from services.payments import gateways
from services.payments.gateway import GatewayError
from services.returns.carrying import OutcomeChoice, carry_out
from services.returns.errors import ReturnError, ReturnErrorCode
from services.store_credit import ledger
from tests.factories import make_product, make_user
from tests.orders.checkout_setup import ready_shop
from tests.payments.test_refunds import FakeGateway
from tests.returns.outcome_factories import inspected_return, paid_order

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> FakeGateway:
    fake = FakeGateway()
    monkeypatch.setitem(gateways._gateways, Gateway.TEST, fake)
    return fake


async def staff_id() -> int:
    return (await make_user(role=Role.ADMIN)).id


async def test_refund_to_the_card_closes_the_return(gateway: FakeGateway) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("30.00", "20.00"), currency="JPY", rate="150")
    ret = await inspected_return(order, [(lines[0], 1)])
    actor = await staff_id()
    outcome = await carry_out(
        ret.id, OutcomeChoice(), actor_id=actor, version=ret.version, idempotency_key="k1"
    )
    assert outcome.status == OutcomeStatus.DONE
    assert (outcome.refund_amount, outcome.credit_amount, outcome.currency) == (4500, 0, "JPY")
    assert [(r.amount, r.currency) for r in gateway.requests] == [(4500, "JPY")]
    fresh = await Order.get(id=order.id)
    assert fresh.refunded_total == 3000
    assert (await ReturnRequest.get(id=ret.id)).status == ReturnStatus.CLOSED
    # Again: the same outcome, nothing more.
    again = await carry_out(
        ret.id, OutcomeChoice(), actor_id=actor, version=None, idempotency_key="k1"
    )
    assert again.id == outcome.id and len(gateway.requests) == 1


async def test_store_credit_and_refund_split_takes_points_back(gateway: FakeGateway) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("50.00", "50.00"), status=OrderStatus.COMPLETED)
    earned = await member_points.balance(user.id)
    assert earned > 0
    ret = await inspected_return(order, [(lines[0], 1)])
    outcome = await carry_out(
        ret.id,
        OutcomeChoice(refund=2000, store_credit=3000),
        actor_id=await staff_id(),
        version=ret.version,
        idempotency_key="split",
    )
    assert (outcome.refund_amount, outcome.credit_amount) == (2000, 3000)
    assert await ledger.balance(user.id, "USD") == 3000
    entry = await StoreCreditEntry.get(reference=f"return:{ret.id}")
    assert entry.return_request_id == ret.id and entry.order_id == order.id
    # Half the order given back (20.00 refunded, 30.00 as credit): half the points taken.
    assert await member_points.balance(user.id) == earned - earned * 5000 // 10000


async def test_split_above_the_preview_is_refused(gateway: FakeGateway) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    with pytest.raises(ReturnError) as caught:
        await carry_out(
            ret.id,
            OutcomeChoice(refund=600, store_credit=500),
            actor_id=await staff_id(),
            version=ret.version,
            idempotency_key="x",
        )
    assert caught.value.problems[0].code is ReturnErrorCode.OVER_REFUNDED
    assert not await ReturnOutcome.exists(return_request_id=ret.id)
    assert gateway.requests == []


async def test_guest_cannot_get_credit_and_stale_version_is_refused(gateway: FakeGateway) -> None:
    order, _, lines = await paid_order(None, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    actor = await staff_id()
    with pytest.raises(ReturnError) as caught:
        await carry_out(
            ret.id,
            OutcomeChoice(store_credit=100),
            actor_id=actor,
            version=ret.version,
            idempotency_key="x",
        )
    assert caught.value.problems[0].code is ReturnErrorCode.INVALID
    with pytest.raises(ReturnError) as caught:
        await carry_out(
            ret.id, OutcomeChoice(), actor_id=actor, version=ret.version + 7, idempotency_key="x"
        )
    assert caught.value.problems[0].code is ReturnErrorCode.STALE


async def test_not_inspected_return_cannot_be_carried_out(gateway: FakeGateway) -> None:
    user = await make_user()
    order, _, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    await ReturnRequest.filter(id=ret.id).update(status=ReturnStatus.RECEIVED)
    with pytest.raises(ReturnError) as caught:
        await carry_out(
            ret.id, OutcomeChoice(), actor_id=await staff_id(), version=None, idempotency_key="x"
        )
    assert caught.value.problems[0].code is ReturnErrorCode.ILLEGAL_TRANSITION


async def test_gateway_refusal_fails_the_outcome_and_a_retry_refunds_once(
    gateway: FakeGateway,
) -> None:
    user = await make_user()
    order, payment, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    actor = await staff_id()
    gateway.error = GatewayError("The card was closed.", code="card_closed")
    with pytest.raises(ReturnError) as caught:
        await carry_out(
            ret.id, OutcomeChoice(), actor_id=actor, version=ret.version, idempotency_key="first"
        )
    assert caught.value.problems[0].code is ReturnErrorCode.REFUND_FAILED
    outcome = await ReturnOutcome.get(return_request_id=ret.id)
    assert outcome.status == OutcomeStatus.FAILED
    assert (await ReturnRequest.get(id=ret.id)).status == ReturnStatus.INSPECTED
    assert await Refund.filter(payment_id=payment.id, status=RefundStatus.FAILED).count() == 1

    gateway.error = None
    done = await carry_out(
        ret.id, OutcomeChoice(), actor_id=actor, version=ret.version, idempotency_key="second"
    )
    assert done.status == OutcomeStatus.DONE and done.id == outcome.id
    succeeded = await Refund.filter(payment_id=payment.id, status=RefundStatus.SUCCEEDED)
    assert [r.amount for r in succeeded] == [1000]


async def test_unreachable_gateway_leaves_it_pending_and_resumes(gateway: FakeGateway) -> None:
    user = await make_user()
    order, payment, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    actor = await staff_id()
    gateway.error = GatewayError("No answer.", retryable=True)
    with pytest.raises(ReturnError):
        await carry_out(
            ret.id,
            OutcomeChoice(store_credit=400),
            actor_id=actor,
            version=ret.version,
            idempotency_key="k",
        )
    assert (await ReturnOutcome.get(return_request_id=ret.id)).status == OutcomeStatus.PENDING
    assert await ledger.balance(user.id, "USD") == 0
    gateway.error = None
    done = await carry_out(
        ret.id, OutcomeChoice(), actor_id=actor, version=None, idempotency_key="k"
    )
    # Resumed as planned (600 refunded, 400 credit), not as the second call's choice.
    assert (done.refund_amount, done.credit_amount) == (600, 400)
    assert [r.idempotency_key for r in gateway.requests] == [f"refund:{payment.id}:1"] * 2
    assert await ledger.balance(user.id, "USD") == 400


async def test_exchange_for_a_dearer_size_waits_for_the_difference(gateway: FakeGateway) -> None:
    await ready_shop()
    user = await make_user()
    order, _, lines = await paid_order(user, ("20.00",), currency="JPY", rate="150")
    bigger = await make_product(prices=("25.00",), stock=(5,))
    wanted = await ProductVariant.get(product_id=bigger.id)
    ret = await inspected_return(order, [(lines[0], 1)], exchange={lines[0].id: wanted.id})
    outcome = await carry_out(
        ret.id,
        OutcomeChoice(exchange=True),
        actor_id=await staff_id(),
        version=ret.version,
        idempotency_key="swap",
    )
    assert outcome.refund_amount == 0 and gateway.requests == []
    replacement = await Order.get(id=outcome.exchange_order_id)
    # 25.00 USD today at 150: 3750 yen, 3000 paid by the returned unit, 750 owed.
    assert replacement.status == OrderStatus.PENDING_PAYMENT
    assert (replacement.subtotal_presentment, replacement.total_presentment) == (3750, 750)
    assert replacement.shipping_address == order.shipping_address
    fresh = await ProductVariant.get(id=wanted.id)
    assert fresh.stock_reserved == 1


async def test_exchange_for_a_cheaper_size_refunds_the_difference(gateway: FakeGateway) -> None:
    await ready_shop()
    user = await make_user()
    order, _, lines = await paid_order(user, ("20.00",), currency="JPY", rate="150")
    smaller = await make_product(prices=("15.00",), stock=(5,))
    wanted = await ProductVariant.get(product_id=smaller.id)
    ret = await inspected_return(order, [(lines[0], 1)], exchange={lines[0].id: wanted.id})
    outcome = await carry_out(
        ret.id,
        OutcomeChoice(exchange=True),
        actor_id=await staff_id(),
        version=ret.version,
        idempotency_key="swap",
    )
    assert outcome.refund_amount == 750
    replacement = await Order.get(id=outcome.exchange_order_id)
    assert replacement.status == OrderStatus.PENDING_SHIPMENT
    assert replacement.total_presentment == 0


async def test_two_carry_outs_at_once_make_one_outcome_and_one_refund(
    gateway: FakeGateway,
) -> None:
    gateway.delay = 0.05
    user = await make_user()
    order, payment, lines = await paid_order(user, ("10.00",))
    ret = await inspected_return(order, [(lines[0], 1)])
    actor = await staff_id()
    results = await asyncio.gather(
        *(
            carry_out(
                ret.id,
                OutcomeChoice(),
                actor_id=actor,
                version=ret.version,
                idempotency_key=f"k{n}",
            )
            for n in range(2)
        ),
        return_exceptions=True,
    )
    assert all(isinstance(r, ReturnOutcome) for r in results), results
    assert await ReturnOutcome.filter(return_request_id=ret.id).count() == 1
    assert await Refund.filter(payment_id=payment.id).count() == 1
    assert (await Payment.get(id=payment.id)).amount_refunded == 1000


async def test_two_returns_of_one_order_at_once_never_exceed_the_capture(
    gateway: FakeGateway,
) -> None:
    gateway.delay = 0.02
    user = await make_user()
    order, payment, lines = await paid_order(user, ("10.00", "10.00"))
    payment.amount_received = 1500  # 5.00 was never captured
    await payment.save()
    first = await inspected_return(order, [(lines[0], 1)])
    second = await inspected_return(order, [(lines[1], 1)])
    actor = await staff_id()
    results = await asyncio.gather(
        *(
            carry_out(
                ret.id, OutcomeChoice(), actor_id=actor, version=ret.version, idempotency_key="k"
            )
            for ret in (first, second)
        ),
        return_exceptions=True,
    )
    done = [r for r in results if isinstance(r, ReturnOutcome)]
    assert sum(r.refund_amount + r.credit_amount for r in done) <= 1500
    assert (await Payment.get(id=payment.id)).amount_refunded <= 1500
    assert sorted(r.refund_amount for r in done) == [500, 1000]
