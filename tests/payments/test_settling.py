"""Settlements the provider reports late, or whose notification was missed, are recorded
by the settlement sweep."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from tortoise import timezone

from models.payments import Payment, Refund, RefundStatus
from services.payments import refunds, settling
from services.payments.gateway import GatewayError, Settlement
from tests.factories import make_user
from tests.payments.paying_setup import euro_order, pay_by_card
from tests.payments.test_refunds import FakeGateway, gateway, paid_order

pytestmark = pytest.mark.usefixtures("db")
__all__ = ["gateway"]

PAYMENT = """
query($number: String!) {
  order(number: $number) { payments { settledAmount { amount currency } fee { amount } } }
}
"""


async def test_a_card_that_settles_late_is_settled_by_the_sweep(client):
    shopper = await make_user()
    order = await euro_order(shopper)
    paid = await pay_by_card(client, order, shopper, card="4000000000000077")  # settles late
    assert paid["status"] == "SUCCEEDED"
    seen = await client.staff(PAYMENT, {"number": order.number})
    assert seen["order"]["payments"] == [{"settledAmount": None, "fee": None}]

    result = await settling.settle_pending()
    assert (result.payments, result.refunds, result.failed) == (1, 0, 0)
    seen = await client.staff(PAYMENT, {"number": order.number})
    assert seen["order"]["payments"] == [
        {"settledAmount": {"amount": "9.41", "currency": "USD"}, "fee": {"amount": "0.59"}}
    ]
    assert await settling.settle_pending() == settling.SweepResult(0, 0, 0)


async def test_the_sweep_records_what_the_provider_reports_and_retries_the_rest(
    gateway: FakeGateway,
):
    _, unreported = await paid_order("10.00", "EUR", "0.92")
    _, refunded = await paid_order("20.00", "USD", "1", settled=1912, fee=88)
    refund = await refunds.refund_payment(refunded.id, 500, "Goodwill", None)
    assert refund.settled_amount is None  # the provider did not say yet
    _, old = await paid_order("30.00", "USD", "1", succeeded_at=timezone.now() - timedelta(days=40))

    # The provider is down: nothing is recorded, each failure counted.
    gateway.settlement_error = GatewayError("timed out", retryable=True)
    assert await settling.settle_pending() == settling.SweepResult(0, 0, 2)

    gateway.settlement_error = None
    gateway.settlement = Settlement("USD", 1050, 40, "1.1413", "txn_p")
    gateway.refund_settlements[str(refund.provider_id)] = Settlement("USD", -500, 0, "", "txn_r")
    assert await settling.settle_pending() == settling.SweepResult(1, 1, 0)
    fresh = await Payment.get(id=unreported.id)
    assert (fresh.settled_amount, fresh.fee, fresh.provider_rate) == (1050, 40, "1.1413")
    assert (await Refund.get(id=refund.id)).settled_amount == -500
    # Older than the sweep's horizon: left for a person.
    assert (await Payment.get(id=old.id)).settled_amount is None
    assert await Refund.filter(status=RefundStatus.SUCCEEDED).count() == 1


def test_reconcile_payments_command_runs_against_the_database(db, database_url):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": ""}
    done = subprocess.run(
        [sys.executable, "cli.py", "reconcile-payments"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "0 payment(s) and 0 refund(s) brought up to date; 0 payment(s) and 0 refund(s) " in (
        done.stderr
    )
    assert "settled; 0 could not be asked" in done.stderr
