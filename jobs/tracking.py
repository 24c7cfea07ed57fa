"""Tracking tasks: a webhook delivery recorded, a step of the simulated carrier's journey."""

from __future__ import annotations

from services.tracking import ingest, simulator

from . import registry


@registry.task(ingest.TASK)
async def deliver(source: str, payload: object) -> None:
    """Record a verified delivery on its parcel; a database failure raises, to be retried."""
    await ingest.deliver(source, payload)


@registry.task(simulator.TASK)
async def simulate(shipment_id: int, step: int) -> None:
    """Post one step of a simulated journey to the shop; a failed post is retried."""
    await simulator.run_step(shipment_id, step)
