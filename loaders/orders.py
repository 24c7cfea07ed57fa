"""Orders loaders: orders by id, each order's lines, shipments, shipped units and timeline,
each return's parcels, and each member's newest orders and order count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from aiodataloader import DataLoader

from loaders.base import ByIdLoader, CountByUserIdLoader, ManyByLoader, NewestByUserIdLoader
from models.orders import Order, OrderEvent, OrderLine, Shipment, ShipmentLine


class OrderByIdLoader(ByIdLoader[Order]):
    model = Order


class LinesByOrderIdLoader(ManyByLoader[OrderLine]):
    model = OrderLine
    key_field = "order_id"


class ShipmentsByOrderIdLoader(ManyByLoader[Shipment]):
    """The parcels sent to the shopper: return parcels coming back are the return's."""

    model = Shipment
    key_field = "order_id"
    where = {"return_request_id__isnull": True}


class ParcelsByReturnIdLoader(ManyByLoader[Shipment]):
    """The parcels a return comes back in, oldest first."""

    model = Shipment
    key_field = "return_request_id"


class EventsByOrderIdLoader(ManyByLoader[OrderEvent]):
    """An order's timeline, oldest first."""

    model = OrderEvent
    key_field = "order_id"


@dataclass(frozen=True, slots=True)
class ShippedUnits:
    """One shipment line, flattened: which shipment sent how many of which order line."""

    shipment_id: int
    order_line_id: int
    quantity: int


class ShippedUnitsByOrderIdLoader(DataLoader[int, list[ShippedUnits]]):
    """Every shipment line of each order, in one statement through the shipments."""

    async def batch_load_fn(self, keys: list[int]) -> list[list[ShippedUnits]]:
        rows = (
            await ShipmentLine.filter(
                shipment__order_id__in=keys, shipment__return_request_id__isnull=True
            )
            .order_by("id")
            .values_list("shipment__order_id", "shipment_id", "order_line_id", "quantity")
        )
        groups: dict[int, list[ShippedUnits]] = defaultdict(list)
        for order_id, shipment_id, order_line_id, quantity in rows:
            groups[order_id].append(ShippedUnits(shipment_id, order_line_id, quantity))
        return [groups.get(key, []) for key in keys]


class RecentOrdersByUserIdLoader(NewestByUserIdLoader[Order]):
    """The newest orders of each member, keyed by (user id, how many)."""

    model = Order
    sort_field = "placed_at"


class OrderCountByUserIdLoader(CountByUserIdLoader[Order]):
    model = Order


class OrdersLoaders:
    """The orders loaders of a request, each built on first use."""

    @cached_property
    def order(self) -> OrderByIdLoader:
        return OrderByIdLoader()

    @cached_property
    def lines_by_order(self) -> LinesByOrderIdLoader:
        return LinesByOrderIdLoader()

    @cached_property
    def shipments_by_order(self) -> ShipmentsByOrderIdLoader:
        return ShipmentsByOrderIdLoader()

    @cached_property
    def parcels_by_return(self) -> ParcelsByReturnIdLoader:
        return ParcelsByReturnIdLoader()

    @cached_property
    def shipped_units_by_order(self) -> ShippedUnitsByOrderIdLoader:
        return ShippedUnitsByOrderIdLoader()

    @cached_property
    def events_by_order(self) -> EventsByOrderIdLoader:
        return EventsByOrderIdLoader()

    @cached_property
    def recent_orders_by_user(self) -> RecentOrdersByUserIdLoader:
        return RecentOrdersByUserIdLoader()

    @cached_property
    def order_count_by_user(self) -> OrderCountByUserIdLoader:
        return OrderCountByUserIdLoader()
