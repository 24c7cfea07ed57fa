"""The scheduler's periodic jobs: each a task run every so many seconds, from a setting.

Each run is an outbox job like any other, keyed by its time slot, so a run is enqueued once
per slot even when two schedulers overlap for a moment (a lease handed over). A failed run
is not retried, since the next slot runs soon: it is kept as a dead job, with its error,
and the next one runs as planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from services.catalog import listing
from services.currency import rates
from services.members import points, tiers
from services.orders import sweeper
from services.payments import reconcile
from services.support import breaches
from services.tracking import expiry, polling, replay
from settings import Settings

from . import registry, relay

log = logging.getLogger("tradewind.jobs")


@dataclass(frozen=True, slots=True)
class Periodic:
    task: str
    #: Seconds between two runs, from the settings; 0 or less leaves it off.
    interval: Callable[[Settings], float]


def _rates_interval(settings: Settings) -> float:
    return settings.exchange_rate_refresh_seconds if settings.ecb_rates_url else 0.0


SCHEDULE = [
    Periodic("catalog.sweep_listings", lambda s: s.listing_sweep_interval),
    Periodic("currency.import_rates", _rates_interval),
    Periodic("orders.cancel_unpaid", lambda s: s.unpaid_sweep_interval),
    Periodic("payments.reconcile", lambda s: s.payment_reconcile_interval),
    Periodic("members.recompute_tiers", lambda s: s.tier_recompute_interval),
    Periodic("members.expire_points", lambda s: s.points_expiry_interval),
    Periodic("tracking.expire_quiet", lambda s: s.tracking_expiry_interval),
    Periodic("tracking.poll", lambda s: s.tracking_poll_interval),
    Periodic("tracking.prune_deliveries", lambda s: 3600.0),
    Periodic("support.flag_breaches", lambda s: s.support_breach_sweep_interval),
    # The engine's own upkeep.
    Periodic("jobs.recover", lambda s: min(60.0, s.jobs_stale_seconds)),
    Periodic("jobs.prune", lambda s: 3600.0),
]


@registry.task("catalog.sweep_listings", max_attempts=1)
async def sweep_listings() -> None:
    if changed := await listing.sweep():
        log.info("catalog.sweep: %s done", len(changed))


@registry.task("currency.import_rates", max_attempts=1)
async def import_rates() -> None:
    result = await rates.import_ecb_url()
    log.info("currency.import: %s rate(s) stored", result.written)


@registry.task("orders.cancel_unpaid", max_attempts=1)
async def cancel_unpaid() -> None:
    if cancelled := await sweeper.cancel_unpaid():
        log.info("orders.unpaid: %s cancelled", cancelled)


@registry.task("payments.reconcile", max_attempts=1)
async def reconcile_payments() -> None:
    if result := await reconcile.reconcile():
        log.info("payments.reconcile: %s", result)


@registry.task("members.recompute_tiers", max_attempts=1)
async def recompute_tiers() -> None:
    log.info("members.tiers: %s member(s) changed tier", await tiers.recompute_all_tiers())


@registry.task("members.expire_points", max_attempts=1)
async def expire_points() -> None:
    log.info("members.points: %s member(s) had points expire", await points.expire_all_points())


@registry.task("tracking.expire_quiet", max_attempts=1)
async def expire_quiet_tracking() -> None:
    await expiry.expire_quiet()


@registry.task("tracking.poll", max_attempts=1)
async def poll_tracking() -> None:
    if added := await polling.poll_open():
        log.info("tracking.polled: %s new event(s)", added)


@registry.task("tracking.prune_deliveries", max_attempts=1)
async def prune_tracking_deliveries() -> None:
    await replay.prune()


@registry.task("support.flag_breaches", max_attempts=1)
async def flag_breaches() -> None:
    if flagged := await breaches.flag_breaches():
        log.info("support.breaches: %s conversation(s) flagged", flagged)


@registry.task("jobs.recover", max_attempts=1)
async def recover() -> None:
    if recovered := await relay.recover():
        log.warning("jobs.recovered: %s job(s) whose worker was lost", recovered)


@registry.task("jobs.prune", max_attempts=1)
async def prune() -> None:
    await relay.prune()
