"""Inventory tables: the movement ledger that explains every stock figure, alerts and counts.

A variant's `stock_on_hand` and `stock_reserved` change only together with a movement row
written in the same transaction, so the ledger always adds up to the figures.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import ProductVariant


class MovementKind(StrEnum):
    RECEIPT = "receipt"  # goods arrived: on hand up
    RESERVATION = "reservation"  # an order was placed: reserved up
    RELEASE = "release"  # an unshipped order was cancelled: reserved down
    SALE = "sale"  # an order shipped: on hand and reserved down
    RETURN = "return"  # goods came back: on hand up
    ADJUSTMENT = "adjustment"  # a correction by staff
    STOCKTAKE = "stocktake"  # a count applied
    RESHIPMENT = "reshipment"  # a lost or damaged parcel sent again: on hand down


class StockMovement(Model):
    id = fields.IntField(primary_key=True)
    variant: fields.ForeignKeyRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant", related_name="movements", on_delete=OnDelete.CASCADE
    )
    variant_id: int
    kind = fields.CharEnumField(MovementKind, max_length=16)
    #: Changes to on hand and reserved (signed).
    on_hand_change = fields.IntField(default=0)
    reserved_change = fields.IntField(default=0)
    #: The figures after the movement.
    on_hand_after = fields.IntField()
    reserved_after = fields.IntField()
    #: What caused it: an order number, a stocktake, a purchase order reference.
    reference = fields.CharField(max_length=80, default="", db_index=True)
    note = fields.CharField(max_length=300, default="")
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="stock_movements", null=True, on_delete=OnDelete.SET_NULL
    )
    actor_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "inventory_stock_movement"
        ordering = ["-created_at", "-id"]


class LowStockAlert(Model):
    """Raised when a variant's available units cross its threshold downwards."""

    id = fields.IntField(primary_key=True)
    variant: fields.ForeignKeyRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant", related_name="low_stock_alerts", on_delete=OnDelete.CASCADE
    )
    variant_id: int
    threshold = fields.IntField()
    available = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    #: Set when stock rose above the threshold again, or staff dismissed the alert.
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inventory_low_stock_alert"
        ordering = ["-created_at", "-id"]


class StocktakeStatus(StrEnum):
    OPEN = "open"
    APPLIED = "applied"
    CANCELLED = "cancelled"


class Stocktake(Model):
    id = fields.IntField(primary_key=True)
    status = fields.CharEnumField(StocktakeStatus, max_length=16, default=StocktakeStatus.OPEN)
    note = fields.CharField(max_length=300, default="")
    #: The variants to count: those matching this search (empty: all of them).
    scope_search = fields.CharField(max_length=200, default="")
    #: The variants to count: only those at this stock level (null: any level).
    scope_level = fields.CharField(max_length=16, null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="stocktakes", null=True, on_delete=OnDelete.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    applied_at = fields.DatetimeField(null=True)

    class Meta:
        table = "inventory_stocktake"
        ordering = ["-created_at", "-id"]


class StocktakeLine(Model):
    id = fields.IntField(primary_key=True)
    stocktake: fields.ForeignKeyRelation[Stocktake] = fields.ForeignKeyField(
        "models.Stocktake", related_name="lines", on_delete=OnDelete.CASCADE
    )
    stocktake_id: int
    variant: fields.ForeignKeyRelation[ProductVariant] = fields.ForeignKeyField(
        "models.ProductVariant", related_name="stocktake_lines", on_delete=OnDelete.CASCADE
    )
    variant_id: int
    counted = fields.IntField()
    #: On hand when the count was applied, and the difference written as a movement.
    expected = fields.IntField(null=True)
    difference = fields.IntField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "inventory_stocktake_line"
        unique_together = (("stocktake", "variant"),)
