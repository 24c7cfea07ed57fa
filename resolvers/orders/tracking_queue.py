"""The exceptions queue's root fields for staff: the parcels waiting for them, and sending a
lost or damaged parcel again."""

from __future__ import annotations

import strawberry

from models.tracking import TrackingStatus
from schema.context import Info
from schema.kit import connection, input_pk, mutation, page_or_error, pk_or_none
from schema.orders.tracking_queue import (
    ReshipShipmentPayload,
    TrackingExceptionConnection,
    TrackingExceptionType,
)
from schema.orders.types import OrderType, shipment_of
from schema.permissions import CanManageOrders
from schema.relay import SortDirection, page_request
from schema.tracking import (
    ReshipShipmentInput,
    TrackingExceptionFilter,
    TrackingExceptionSortInput,
)
from services.orders.timeline import actor_for
from services.tracking import queue, reship


def _filter(given: TrackingExceptionFilter | None) -> queue.QueueFilter:
    if given is None:
        return queue.QueueFilter()
    return queue.QueueFilter(
        statuses=[TrackingStatus(s) for s in given.statuses or []],
        # An ID of something else matches no carrier, so it finds no parcels.
        carrier_ids=[pk_or_none(c, "Carrier") or 0 for c in given.carrier_ids or []],
        countries=[c.value for c in given.countries or []],
        older_than_days=given.older_than_days,
        since=given.since,
        include_handled=given.include_handled,
    )


@strawberry.type
class TrackingQueueQuery:
    @strawberry.field(
        permission_classes=[CanManageOrders],
        description="The exceptions queue: parcels in trouble (an exception, a failed "
        "attempt, duties due or papers missing at customs, tracking expired, on their way "
        "back) not yet marked handled, the newest trouble first unless `sortBy` says otherwise.",
    )
    async def tracking_exceptions(
        self,
        info: Info,
        filter: TrackingExceptionFilter | None = None,
        sort_by: TrackingExceptionSortInput | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> TrackingExceptionConnection:
        given = _filter(filter)
        sort = sort_by or TrackingExceptionSortInput()
        page = await page_or_error(
            queue.list_exceptions(
                given,
                page_request(first, after, last, before),
                oldest_first=sort.direction == SortDirection.ASC,
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.order.prime_all([row.order for row in page.items])
        return connection(
            TrackingExceptionConnection,
            page,
            [TrackingExceptionType.build(row) for row in page.items],
            lambda: queue.count_exceptions(given),
            _status_counts=lambda: queue.count_by_status(given),
        )


@strawberry.type
class TrackingQueueMutation:
    @mutation(
        permission_classes=[CanManageOrders],
        description="Send the lines of a parcel in trouble (lost, damaged, held, on its way "
        "back) again in a new parcel that replaces it: the stock leaves again, the old parcel "
        "is marked handled, and the order's money stays as it is.",
    )
    async def reship_shipment(
        self, info: Info, input: ReshipShipmentInput
    ) -> ReshipShipmentPayload:
        done = await reship.reship(
            input_pk(input.shipment_id, "Shipment", "shipmentId"),
            actor=actor_for(info.context.viewer),
            carrier_id=input_pk(input.carrier_id, "Carrier", "carrierId"),
            tracking_number=input.tracking_number,
            service_id=(
                input_pk(input.service_id, "ShippingService", "serviceId")
                if input.service_id is not None
                else None
            ),
            service_name=input.service_name,
            accept_invalid_tracking_number=input.accept_invalid_tracking_number,
            note=input.note,
        )
        return ReshipShipmentPayload(
            order=OrderType.build(done.order),
            shipment=await shipment_of(info, done.order, done.shipment.id),
            replaced=await shipment_of(info, done.order, done.replaced.id),
        )
