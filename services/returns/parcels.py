"""The parcel a return comes back in, followed through tracking like any shipment.

Staff give the carrier and tracking number of the parcel the shopper sent: it becomes a
`Shipment` of the order with `return_request` set, and the return moves APPROVED ->
IN_TRANSIT. The parcel's carrier events (webhooks, pollers, the simulator) are recorded by
`services.tracking.events` as for any parcel, but they move the return, never the order:
once every parcel of a return in transit is delivered, the return is RECEIVED, by the
system (`services.returns.arrivals`). Outbound reads of an order's shipments leave these
parcels out.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.orders import Shipment
from models.returns import ReturnRequest, ReturnStatus
from services.errors import Problems
from services.orders.errors import OrderError
from services.orders.fulfilment import check_label
from services.orders.timeline import Actor
from services.returns import status
from services.returns.errors import ReturnError, ReturnErrorCode, fail
from services.tracking import simulator
from services.transactions import atomic

S = ReturnStatus

#: Statuses in which a return parcel may be added: approved (it moves in transit), or
#: already in transit (the goods come back in more than one parcel).
SENDABLE = frozenset({S.APPROVED, S.IN_TRANSIT})


@dataclass(frozen=True, slots=True)
class Added:
    return_request: ReturnRequest
    parcel: Shipment


async def add_parcel(
    return_id: int,
    *,
    actor: Actor,
    version: int | None,
    carrier_id: int,
    tracking_number: str,
    accept_invalid_tracking_number: bool = False,
) -> Added:
    """Record the parcel the goods come back in. The carrier must be active and the tracking
    number pass the checks `shipOrder` makes (TRACKING_NUMBER_INVALID or
    TRACKING_NUMBER_CARRIER_MISMATCH, unless `accept_invalid_tracking_number`); the same
    number twice on one return is INVALID."""
    try:
        label = await check_label(
            carrier_id=carrier_id,
            tracking_number=tracking_number,
            accept_invalid_tracking_number=accept_invalid_tracking_number,
        )
    except OrderError as exc:
        checks = Problems(ReturnError)
        checks.add_from(exc)
        checks.raise_if_any()
        raise
    async with atomic():
        ret = await status.locked(return_id)
        status.check_version(ret, version)
        current = ReturnStatus(ret.status)
        if current not in SENDABLE or ret.keep_items:
            raise fail(
                ReturnErrorCode.ILLEGAL_TRANSITION,
                "A return parcel is added once the return is approved, unless the shopper "
                "keeps the items.",
                "return_id",
            )
        if await Shipment.exists(return_request_id=ret.id, tracking_number=label.number):
            raise fail(
                ReturnErrorCode.INVALID,
                "This parcel is already recorded for the return.",
                "tracking_number",
            )
        parcel = await Shipment.create(
            order_id=ret.order_id,
            carrier_id=label.carrier.id,
            carrier_name=label.carrier.name,
            tracking_number=label.number,
            tracking_url=label.tracking_url,
            return_request_id=ret.id,
        )
        data = {"shipmentId": parcel.id, "trackingNumber": label.number}
        if label.overridden:
            data["trackingNumberAccepted"] = [
                {"code": p.code.name, "message": p.message} for p in label.overridden
            ]
        message = f"Coming back with {label.carrier.name}, tracking {label.number}."
        if current is S.APPROVED:
            ret = await status.move(ret, S.IN_TRANSIT, actor=actor, message=message, data=data)
        else:
            ret = await status.touch(ret)
            await status.record(ret, actor, message=message, data=data)
        await simulator.follow(parcel)
        return Added(return_request=ret, parcel=parcel)
