"""Shipping loaders: carriers, services, zones and rates by id, and each carrier's services."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader, ManyByLoader
from models.shipping import Carrier, ShippingRate, ShippingService, ShippingZone


class CarrierByIdLoader(ByIdLoader[Carrier]):
    model = Carrier


class ShippingServiceByIdLoader(ByIdLoader[ShippingService]):
    model = ShippingService


class ShippingZoneByIdLoader(ByIdLoader[ShippingZone]):
    model = ShippingZone


class ShippingRateByIdLoader(ByIdLoader[ShippingRate]):
    model = ShippingRate


class ShippingServicesByCarrierIdLoader(ManyByLoader[ShippingService]):
    model = ShippingService
    key_field = "carrier_id"


class ShippingLoaders:
    """The shipping loaders of a request, each built on first use."""

    @cached_property
    def carrier(self) -> CarrierByIdLoader:
        return CarrierByIdLoader()

    @cached_property
    def shipping_service(self) -> ShippingServiceByIdLoader:
        return ShippingServiceByIdLoader()

    @cached_property
    def shipping_zone(self) -> ShippingZoneByIdLoader:
        return ShippingZoneByIdLoader()

    @cached_property
    def shipping_rate(self) -> ShippingRateByIdLoader:
        return ShippingRateByIdLoader()

    @cached_property
    def shipping_services_by_carrier(self) -> ShippingServicesByCarrierIdLoader:
        return ShippingServicesByCarrierIdLoader()
