"""Shipping tables: carriers, their services, destination zones and rate tables by weight band.

Rates are integer minor units of the shop currency; weights are grams. A parcel's
chargeable weight is the larger of its actual and its volumetric weight.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model


class ServiceLevel(StrEnum):
    ECONOMY = "economy"
    STANDARD = "standard"
    EXPRESS = "express"
    DEDICATED_LINE = "dedicated_line"  # consolidated cross-border line, duties handled


class Carrier(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80)
    #: Short code used in tracking links and reports, e.g. `dhl`.
    code = fields.CharField(max_length=32, unique=True)
    #: Tracking page with `{number}` where the tracking number goes.
    tracking_url = fields.CharField(max_length=300, default="")
    #: Days without a tracking event after which a parcel's tracking is expired: carriers
    #: stop answering for a number after a while, and a parcel that quiet needs a look.
    tracking_expiry_days = fields.IntField(default=30)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "shipping_carrier"
        ordering = ["name", "id"]


class ShippingZone(Model):
    """Destinations priced alike: a list of ISO 3166-1 alpha-2 country codes."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80, unique=True)
    countries: fields.JSONField[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "shipping_zone"
        ordering = ["name", "id"]


class ShippingService(Model):
    id = fields.IntField(primary_key=True)
    carrier: fields.ForeignKeyRelation[Carrier] = fields.ForeignKeyField(
        "models.Carrier", related_name="services", on_delete=OnDelete.RESTRICT
    )
    carrier_id: int
    name = fields.CharField(max_length=80)
    level = fields.CharEnumField(ServiceLevel, max_length=16)
    #: Cubic centimetres per kilogram of volumetric weight (5000 for most couriers).
    volumetric_divisor = fields.IntField(default=5000)
    #: Heaviest parcel the service takes, in grams (null: no limit).
    max_weight_grams = fields.IntField(null=True)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "shipping_service"
        ordering = ["carrier_id", "name", "id"]


class ShippingRate(Model):
    """The price of one service to one zone for parcels up to `max_weight_grams`.

    A service is offered to a destination only where it has rates for the destination's
    zone, so the rate table is also the availability table.
    """

    id = fields.IntField(primary_key=True)
    service: fields.ForeignKeyRelation[ShippingService] = fields.ForeignKeyField(
        "models.ShippingService", related_name="rates", on_delete=OnDelete.CASCADE
    )
    service_id: int
    zone: fields.ForeignKeyRelation[ShippingZone] = fields.ForeignKeyField(
        "models.ShippingZone", related_name="rates", on_delete=OnDelete.CASCADE
    )
    zone_id: int
    #: Upper bound of the weight band, in grams, inclusive.
    max_weight_grams = fields.IntField()
    #: Price of the band, in minor units of the shop currency.
    price = fields.BigIntField()
    #: Delivery-time estimate in business days.
    min_days = fields.IntField()
    max_days = fields.IntField()

    class Meta:
        table = "shipping_rate"
        unique_together = (("service", "zone", "max_weight_grams"),)
        ordering = ["service_id", "zone_id", "max_weight_grams"]
