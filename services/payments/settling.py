"""Settlement figures: what a payment or a refund became in the shop's balance.

A provider knows a payment's net amount, its fee and the exchange rate it applied only
once the charge's balance transaction exists, which for some methods is hours after the
payment succeeded; a refund has a balance transaction of its own, at the rate of the day
it was made. Both are recorded when the provider first tells (after a notification, or
right after a refund), and the reconciliation (`services.payments.reconcile`) asks again
for whatever is still missing, so a missed notification or a provider that was down only
delays the figures. Each figure is written once, by a conditional update on its still
being empty.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise import timezone

from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.payments import gateways
from services.payments.gateway import PaymentGateway

log = logging.getLogger("tradewind.payments")

#: How far back the sweep looks: a settlement still unknown after this long needs a person.
HORIZON = timedelta(days=30)
#: Rows asked about per run, oldest first, so a backlog is worked through run by run.
BATCH = 200


def gateway_of(payment: Payment) -> PaymentGateway | None:
    """The gateway that took the payment; None for bank transfers confirmed by staff, and
    for a provider the shop is no longer set up for (its keys removed), which cannot be
    asked anything."""
    name = Gateway(payment.gateway)
    if name is Gateway.BANK_TRANSFER:
        return None
    try:
        return gateways.gateway_for(name)
    except ValueError:
        log.warning("payment %s is %s's, which is not configured", payment.id, name.value)
        return None


async def record_settlement(gateway: PaymentGateway, payment_id: int) -> bool:
    """Store how a succeeded payment settled, if the provider knows yet and it is not stored."""
    payment = await Payment.get_or_none(id=payment_id)
    if payment is None or not payment.provider_id or payment.settled_amount is not None:
        return False
    settlement = await gateway.settlement_of(payment.provider_id)
    if settlement is None:
        return False
    updated = await Payment.filter(id=payment_id, settled_amount__isnull=True).update(
        settlement_currency=settlement.currency,
        settled_amount=settlement.net,
        fee=settlement.fee,
        provider_rate=settlement.rate,
        balance_transaction_id=settlement.balance_transaction_id,
        updated_at=timezone.now(),
    )
    return bool(updated)


async def record_refund_settlement(refund_id: int) -> bool:
    """Store how a succeeded refund settled (its own balance transaction: the rate of the
    day it was made, not the payment's), if the provider knows yet and it is not stored."""
    refund = await Refund.get_or_none(id=refund_id).prefetch_related("payment")
    if (
        refund is None
        or RefundStatus(refund.status) is not RefundStatus.SUCCEEDED
        or not refund.provider_id
        or refund.settled_amount is not None
    ):
        return False
    gateway = gateway_of(refund.payment)
    if gateway is None:
        return False
    settlement = await gateway.refund_settlement_of(refund.provider_id)
    if settlement is None:
        return False
    updated = await Refund.filter(id=refund.id, settled_amount__isnull=True).update(
        settled_amount=settlement.net,
        fee=settlement.fee,
        provider_rate=settlement.rate,
        updated_at=timezone.now(),
    )
    if updated and not refund.payment.settlement_currency:
        # The report groups a refund under its payment's settlement currency, which the
        # refund already tells while the payment's own figures are still unknown.
        await Payment.filter(id=refund.payment_id, settlement_currency="").update(
            settlement_currency=settlement.currency
        )
    return bool(updated)


@dataclass(frozen=True, slots=True)
class SweepResult:
    payments: int
    refunds: int
    failed: int

    def __bool__(self) -> bool:
        """Whether the run did or met anything worth a log line."""
        return bool(self.payments or self.refunds or self.failed)


async def settle_pending(*, now: datetime | None = None, batch: int = BATCH) -> SweepResult:
    """Ask the providers about succeeded payments and refunds of the last `HORIZON` whose
    settlement is not recorded; returns how many were recorded, and how many asks failed
    (logged, asked again next run)."""
    since = (now or timezone.now()) - HORIZON
    payment_ids = (
        Payment.filter(
            status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FLAGGED),
            settled_amount__isnull=True,
            provider_id__not_isnull=True,
            succeeded_at__gte=since,
        )
        .exclude(gateway=Gateway.BANK_TRANSFER)
        .order_by("succeeded_at", "id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    refund_ids = (
        Refund.filter(
            status=RefundStatus.SUCCEEDED,
            settled_amount__isnull=True,
            provider_id__not_isnull=True,
            created_at__gte=since,
        )
        .exclude(payment__gateway=Gateway.BANK_TRANSFER)
        .order_by("created_at", "id")
        .limit(batch)
        .values_list("id", flat=True)
    )
    payments, failed_payments = await _ask(await payment_ids, _record_payment, "payment")
    refunds, failed_refunds = await _ask(await refund_ids, record_refund_settlement, "refund")
    return SweepResult(payments, refunds, failed_payments + failed_refunds)


async def _record_payment(payment_id: int) -> bool:
    payment = await Payment.get(id=payment_id)
    gateway = gateway_of(payment)
    return gateway is not None and await record_settlement(gateway, payment_id)


async def _ask(
    ids: Iterable[object], record: Callable[[int], Awaitable[bool]], what: str
) -> tuple[int, int]:
    """`record` each id; returns how many were recorded and how many failed (logged)."""
    recorded = failed = 0
    for row_id in ids:
        try:
            recorded += await record(int(row_id))  # type: ignore[call-overload]
        except Exception:
            failed += 1
            log.exception("settlement of %s %s could not be recorded", what, row_id)
    return recorded, failed
