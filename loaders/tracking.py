"""Tracking loaders: each parcel's events (in the order they happened) and estimate revisions."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ManyByLoader
from models.tracking import DeliveryEstimate, TrackingEvent


class TrackingEventsByShipmentIdLoader(ManyByLoader[TrackingEvent]):
    """A parcel's timeline, by when things happened (the model's order), never by arrival."""

    model = TrackingEvent
    key_field = "shipment_id"


class DeliveryEstimatesByShipmentIdLoader(ManyByLoader[DeliveryEstimate]):
    """A parcel's estimated delivery dates, oldest revision first."""

    model = DeliveryEstimate
    key_field = "shipment_id"


class TrackingLoaders:
    """The tracking loaders of a request, each built on first use."""

    @cached_property
    def tracking_events_by_shipment(self) -> TrackingEventsByShipmentIdLoader:
        return TrackingEventsByShipmentIdLoader()

    @cached_property
    def delivery_estimates_by_shipment(self) -> DeliveryEstimatesByShipmentIdLoader:
        return DeliveryEstimatesByShipmentIdLoader()
