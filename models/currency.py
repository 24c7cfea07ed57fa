"""Currency tables: exchange rates with their source and date, and the presentment currencies.

A rate says how many units of `quote` one unit of `base` buys, as a decimal string (never
a float). The European Central Bank publishes EUR-based rates; other pairs are derived.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User


class RateSource(StrEnum):
    ECB = "ecb"  # the European Central Bank's daily reference rates
    MANUAL = "manual"  # set by staff


class ExchangeRate(Model):
    id = fields.IntField(primary_key=True)
    base = fields.CharField(max_length=3)
    quote = fields.CharField(max_length=3)
    #: Units of `quote` per unit of `base`, as a decimal string.
    rate = fields.CharField(max_length=40)
    source = fields.CharEnumField(RateSource, max_length=16)
    #: The day the rate is for (the ECB's reference date, or when staff set it).
    rate_date = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="exchange_rates", null=True, on_delete=OnDelete.SET_NULL
    )
    created_by_id: int | None

    class Meta:
        table = "currency_exchange_rate"
        unique_together = (("base", "quote", "source", "rate_date"),)
        ordering = ["-rate_date", "-id"]


class RoundingRule(StrEnum):
    NONE = "none"  # the currency's minor unit
    WHOLE = "whole"  # up to a whole unit: 12.30 -> 13
    NINETY_NINE = "ninety_nine"  # to the next x.99: 12.30 -> 12.99


class PresentmentCurrency(Model):
    """A currency the merchant lets shoppers see prices and pay in."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=3, unique=True)
    enabled = fields.BooleanField(default=True)
    rounding = fields.CharEnumField(RoundingRule, max_length=16, default=RoundingRule.NONE)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "currency_presentment_currency"
        ordering = ["code"]
