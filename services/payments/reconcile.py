"""Reconciling with the provider: asking it about what its notifications should have said.

A webhook endpoint can be down or misconfigured, and a notification can be lost. The
provider retries for days, but the shop should not wait on that: an attempt still waiting
or processing here, or a refund still pending, that has not changed for `QUIET` is looked
up at the provider, and what it says now is processed as a notification of its own (an
event id `reconcile:...`), through the same code and with the same idempotency as the
real one, which then changes nothing when it arrives. An attempt the shop completes itself
(PayPal's) is completed instead, if the shopper approved it and neither came back nor was
announced by the provider. Then the settlements not recorded yet are asked for
(`settling.settle_pending`).

Runs in every server process every `payment_reconcile_interval` seconds, or from cron with
`tradewind reconcile-payments`; several at once are safe, as each change is conditional.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise import timezone

from models.payments import Gateway, Payment, PaymentStatus, Refund, RefundStatus
from services.payments import completion, events, refund_notices, settling
from services.payments.errors import PaymentError
from services.payments.gateway import CompletingGateway
from services.payments.settling import BATCH, HORIZON, SweepResult, gateway_of

log = logging.getLogger("tradewind.payments")

#: How long an attempt or a refund may stay unchanged before the provider is asked.
QUIET = timedelta(minutes=15)
#: How long after it was started an attempt the shop completes itself (PayPal's) is tried:
#: a shopper who approved comes back within minutes, and each try is a call to the provider.
COMPLETE_WITHIN = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class ReconcileResult:
    #: Attempts and refunds whose outcome the provider had and the shop had not.
    payments: int
    refunds: int
    #: Settlements recorded.
    settled: SweepResult
    #: Asks that failed (logged; asked again next run).
    failed: int

    def __bool__(self) -> bool:
        """Whether the run did or met anything worth a log line."""
        return bool(self.payments or self.refunds or self.settled or self.failed)


async def _complete(payment: Payment) -> str:
    """Complete a quiet attempt the shopper may have approved without coming back, its
    provider's notification lost too (PayPal's capture); '' when it cannot be completed."""
    try:
        return await completion.complete_attempt(payment)
    except PaymentError:
        return ""  # no longer the order's open attempt: nothing to capture


def _event_for(intent: Mapping[str, Any]) -> tuple[str, str] | None:
    """The notification type and a stable event id for what the intent says, or None."""
    news = events.news_of(intent)
    if news is None:
        return None  # still waiting for the shopper: nothing to tell
    kind, detail = news
    return kind, f"reconcile:{intent.get('id')}:{detail}"[:120]


async def reconcile(*, now: datetime | None = None, batch: int = BATCH) -> ReconcileResult:
    """Ask the providers about quiet attempts, pending refunds and missing settlements."""
    now = now or timezone.now()
    payments, failed_payments = await _attempts(now, batch)
    refunds, failed_refunds = await _refunds(now, batch)
    settled = await settling.settle_pending(now=now, batch=batch)
    return ReconcileResult(payments, refunds, settled, failed_payments + failed_refunds)


async def _attempts(now: datetime, batch: int) -> tuple[int, int]:
    quiet = await (
        Payment.filter(
            status__in=(PaymentStatus.REQUIRES_ACTION, PaymentStatus.PROCESSING),
            provider_id__not_isnull=True,
            updated_at__lt=now - QUIET,
            created_at__gte=now - HORIZON,
        )
        .exclude(gateway=Gateway.BANK_TRANSFER)
        .order_by("updated_at", "id")
        .limit(batch)
    )
    applied = failed = 0
    for payment in quiet:
        try:
            gateway = gateway_of(payment)
            if (
                isinstance(gateway, CompletingGateway)
                and payment.status == PaymentStatus.REQUIRES_ACTION
                and payment.created_at >= now - COMPLETE_WITHIN
            ):
                outcome = await _complete(payment)
                applied += outcome.startswith((events.APPLIED, "flagged"))
                continue
            intent = await gateway.fetch_payment(str(payment.provider_id)) if gateway else None
            event = _event_for(intent) if intent is not None else None
            if gateway is None or intent is None or event is None:
                continue
            kind, event_id = event
            outcome = await events.process(gateway, event_id, kind, intent)
            applied += outcome.startswith((events.APPLIED, "flagged"))
        except Exception:
            failed += 1
            log.exception("payment %s could not be reconciled", payment.id)
    return applied, failed


async def _refunds(now: datetime, batch: int) -> tuple[int, int]:
    pending = await (
        Refund.filter(
            status=RefundStatus.PENDING,
            provider_id__not_isnull=True,
            updated_at__lt=now - QUIET,
            created_at__gte=now - HORIZON,
        )
        .exclude(payment__gateway=Gateway.BANK_TRANSFER)
        .prefetch_related("payment")
        .order_by("updated_at", "id")
        .limit(batch)
    )
    applied = failed = 0
    for refund in pending:
        try:
            gateway = gateway_of(refund.payment)
            given = await gateway.fetch_refund(str(refund.provider_id)) if gateway else None
            if given is None or str(given.get("status")) in ("pending", "requires_action"):
                continue
            outcome = await refund_notices.apply_provider_refund_update(refund.payment_id, given)
            applied += not outcome.startswith("ignored")
        except Exception:
            failed += 1
            log.exception("refund %s could not be reconciled", refund.id)
    return applied, failed
