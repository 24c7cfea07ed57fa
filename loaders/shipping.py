"""Shipping loaders: carriers, services, zones and rates by id, and each carrier's services."""

from __future__ import annotations

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
