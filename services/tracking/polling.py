"""Carriers that only answer questions: the scheduler asks them about parcels on their way.

A carrier without webhooks gets a `Poller`, registered under the shop's carrier code:

    class ExamplePoller:
        async def poll(self, numbers):
            answer = await client.track(numbers)            # the carrier's API
            return {n: [Report(...), ...] for n in answer}  # in the shop's vocabulary

    polling.register("example-post", ExamplePoller())

`poll_open` (the `tracking.poll` periodic job) asks each registered poller about its
carrier's parcels not yet settled (delivered, returned, expired or cancelled), in batches of
`tracking_poll_batch` numbers, and records the answers as POLL events under the carrier's
code. Events already known add nothing, so a poller may answer with a parcel's whole
history each time. A poller that fails is logged and asked again at the next round.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Protocol

from models.orders import Shipment
from models.shipping import Carrier
from models.tracking import TrackingSource, TrackingStatus
from services.tracking import events, progress
from services.tracking.errors import TrackingError
from services.tracking.events import Report
from settings import get_settings

log = logging.getLogger("tradewind.tracking")

#: Parcels nobody asks about any more.
DONE = progress.SETTLED | {TrackingStatus.EXPIRED}


class Poller(Protocol):
    async def poll(self, numbers: Sequence[str]) -> Mapping[str, Sequence[Report]]:
        """What the carrier knows of each number asked (numbers it does not know left out)."""
        ...


_pollers: dict[str, Poller] = {}


def register(carrier_code: str, poller: Poller) -> None:
    """Ask `poller` about the parcels of the carrier with this code (replacing another)."""
    _pollers[carrier_code.strip().lower()] = poller


def unregister(carrier_code: str) -> None:
    _pollers.pop(carrier_code.strip().lower(), None)


def registered() -> dict[str, Poller]:
    """The pollers by carrier code."""
    return dict(_pollers)


async def poll_open(*, batch: int | None = None) -> int:
    """Ask every registered poller about its open parcels; how many events were new."""
    size = batch or get_settings().tracking_poll_batch
    added = 0
    for code, poller in registered().items():
        carrier_ids = await Carrier.filter(code=code).values_list("id", flat=True)
        if carrier_ids:
            added += await _poll_carrier(code, poller, list(carrier_ids), size)  # type: ignore[arg-type]
    return added


async def _poll_carrier(code: str, poller: Poller, carrier_ids: list[int], size: int) -> int:
    open_statuses = [s for s in TrackingStatus if s not in DONE]
    added = 0
    after = 0
    while True:
        rows = (
            await Shipment.filter(
                carrier_id__in=carrier_ids, tracking_status__in=open_statuses, id__gt=after
            )
            .order_by("id")
            .limit(size)
            .values_list("id", "tracking_number")
        )
        if not rows:
            return added
        after = int(rows[-1][0])
        # A number used again later names the newest parcel (rows come oldest first).
        by_number: dict[str, int] = {}
        for shipment_id, number in rows:
            by_number[str(number)] = int(shipment_id)
        try:
            answers = await poller.poll(sorted(by_number))
        except Exception:
            log.exception("tracking.poll_failed carrier=%s", code)
            return added
        for number, reports in answers.items():
            shipment_id = by_number.get(number)
            if shipment_id is None or not reports:
                continue  # not asked: a poller's answer names only the numbers asked
            try:
                recorded = await events.record(
                    shipment_id, list(reports), source=TrackingSource.POLL, source_name=code
                )
            except TrackingError:
                continue  # the shipment went away meanwhile
            added += recorded.added
        if len(rows) < size:
            return added
