"""A return parcel's tracking, as it concerns the return: the parcel delivered to the shop
receives the return. Called by `services.tracking.events` for a parcel with a
`return_request`, inside the transaction that records its events.
"""

from __future__ import annotations

from tortoise import timezone

from models.orders import Shipment
from models.returns import ReturnStatus
from services.orders.timeline import SYSTEM
from services.returns import status

S = ReturnStatus


async def parcel_tracked(parcel: Shipment, *, delivered: bool) -> None:
    """Bring a return up to date with its parcel's tracking; call inside the transaction
    that recorded the parcel's events. A parcel just `delivered` receives a return in transit
    once none of its parcels is still on the way; any other news is announced to the
    return's watchers."""
    assert parcel.return_request_id is not None
    ret = await status.locked(parcel.return_request_id)
    current = ReturnStatus(ret.status)
    if delivered and current is S.IN_TRANSIT:
        waiting = await Shipment.exists(return_request_id=ret.id, delivered_at__isnull=True)
        if not waiting:
            await status.move(
                ret,
                S.RECEIVED,
                actor=SYSTEM,
                message=f"The return parcel {parcel.tracking_number} was delivered.",
                data={"shipmentId": parcel.id},
            )
            return
    await status.announce(ret, previous=current, at=timezone.now())
