"""Inventory types, inputs and payloads: movements, low-stock alerts, slow movers, stocktakes.

Everything here is for staff with the `inventory` permission; node lookups by global ID
answer null to anyone else.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models.catalog import ProductVariant
from models.inventory import (
    LowStockAlert,
    MovementKind,
    StockMovement,
    Stocktake,
    StocktakeLine,
    StocktakeStatus,
)
from schema.catalog.types import ProductVariantType
from schema.context import Info
from schema.errors import UserError
from schema.kit import connection, page_or_error
from schema.relay import Connection, encode_id, page_request
from services.auth import StaffPermission
from services.inventory import levels, slow_movers, stock, stocktakes
from services.inventory.errors import InventoryErrorCode

MovementKindEnum = strawberry.enum(MovementKind, name="StockMovementKind")
StocktakeStatusEnum = strawberry.enum(StocktakeStatus, name="StocktakeStatus")
InventoryErrorCodeEnum = strawberry.enum(InventoryErrorCode, name="InventoryErrorCode")
StockLevelEnum = strawberry.enum(
    levels.StockLevel,
    name="StockLevel",
    description="OUT_OF_STOCK: nothing available; LOW_STOCK: available units at or below "
    "the low-stock threshold; IN_STOCK: above it.",
)


def _may_see(info: Info) -> bool:
    return info.context.viewer.can(StaffPermission.INVENTORY)


async def _variant(info: Info, variant_id: int) -> ProductVariantType | None:
    row = await info.context.loaders.variant.load(variant_id)
    return ProductVariantType.build(row, info.context.settings.shop_currency) if row else None


@strawberry.type(name="StockMovement", description="One entry of the stock ledger.")
class StockMovementType(relay.Node):
    id: relay.NodeID[int]
    kind: MovementKindEnum  # type: ignore[valid-type]
    on_hand_change: int = strawberry.field(description="Signed change to units on hand.")
    reserved_change: int = strawberry.field(description="Signed change to units reserved.")
    on_hand_after: int
    reserved_after: int
    reference: str = strawberry.field(
        description="What caused it: an order number, a stocktake, a delivery reference."
    )
    note: str
    actor_id: strawberry.ID | None = strawberry.field(description="The user who made it.")
    created_at: datetime
    _variant_id: strawberry.Private[int]

    @classmethod
    def build(cls, movement: StockMovement) -> StockMovementType:
        return cls(
            id=movement.id,
            kind=movement.kind,
            on_hand_change=movement.on_hand_change,
            reserved_change=movement.reserved_change,
            on_hand_after=movement.on_hand_after,
            reserved_after=movement.reserved_after,
            reference=movement.reference,
            note=movement.note,
            actor_id=encode_id("User", movement.actor_id) if movement.actor_id else None,
            created_at=movement.created_at,
            _variant_id=movement.variant_id,
        )

    @strawberry.field
    async def variant(self, info: Info) -> ProductVariantType | None:
        return await _variant(info, self._variant_id)


@strawberry.type(name="StockMovementConnection")
class StockMovementConnection(Connection[StockMovementType]):
    pass


async def variant_movements(
    variant_id: int,
    info: Info,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> StockMovementConnection:
    """The `movements` connection of a variant, newest first."""
    page = await page_or_error(
        stock.list_movements(
            variant_id,
            page_request(first, after, last, before),
            max_size=info.context.settings.max_page_size,
        )
    )
    return connection(
        StockMovementConnection,
        page,
        [StockMovementType.build(m) for m in page.items],
        stock.movements_queryset(variant_id).count,
    )


@strawberry.type(
    name="LowStockAlert",
    description="A variant whose available units fell to its low-stock threshold.",
)
class LowStockAlertType(relay.Node):
    id: relay.NodeID[int]
    threshold: int = strawberry.field(description="The threshold that was crossed.")
    available: int = strawberry.field(description="Units available when the alert was raised.")
    created_at: datetime
    resolved_at: datetime | None = strawberry.field(
        description="When stock rose above the threshold again or staff dismissed the alert."
    )
    _variant_id: strawberry.Private[int]

    @classmethod
    def build(cls, alert: LowStockAlert) -> LowStockAlertType:
        return cls(
            id=alert.id,
            threshold=alert.threshold,
            available=alert.available,
            created_at=alert.created_at,
            resolved_at=alert.resolved_at,
            _variant_id=alert.variant_id,
        )

    @strawberry.field
    def is_open(self) -> bool:
        return self.resolved_at is None

    @strawberry.field
    async def variant(self, info: Info) -> ProductVariantType | None:
        return await _variant(info, self._variant_id)


@strawberry.type(name="LowStockAlertConnection")
class LowStockAlertConnection(Connection[LowStockAlertType]):
    pass


@strawberry.type(
    name="SlowMovingVariant", description="A variant with stock and no sale for a while."
)
class SlowMovingVariantType:
    variant: ProductVariantType
    stock_on_hand: int
    last_sold_at: datetime | None = strawberry.field(description="Null: it never sold.")
    days_since_last_sale: int | None = strawberry.field(description="Null: it never sold.")
    units_sold_last_90_days: int
    days_of_cover: float | None = strawberry.field(
        description="Days the stock on hand lasts at the last 90 days' rate of sale; null "
        "when nothing sold in them."
    )

    @classmethod
    def build(cls, mover: slow_movers.SlowMover, currency: str) -> SlowMovingVariantType:
        return cls(
            variant=ProductVariantType.build(mover.variant, currency),
            stock_on_hand=mover.on_hand,
            last_sold_at=mover.last_sold_at,
            days_since_last_sale=mover.days_since_last_sale,
            units_sold_last_90_days=mover.units_sold,
            days_of_cover=mover.days_of_cover,
        )


@strawberry.type(name="SlowMovingVariantConnection")
class SlowMovingVariantConnection(Connection[SlowMovingVariantType]):
    pass


@strawberry.type(name="StockLevelItem", description="A variant's stock figures, for staff.")
class StockLevelType:
    variant: ProductVariantType = strawberry.field(
        description="Its `stockOnHand`, `stockReserved`, `stockAvailable` and thresholds."
    )
    product_name: str = strawberry.field(description="The name of the variant's product.")
    level: StockLevelEnum  # type: ignore[valid-type]

    @classmethod
    def build(cls, variant: ProductVariant, currency: str) -> StockLevelType:
        return cls(
            variant=ProductVariantType.build(variant, currency),
            product_name=variant.product.name,
            level=levels.level_of(variant),
        )


@strawberry.type(name="StockLevelConnection")
class StockLevelConnection(Connection[StockLevelType]):
    pass


@strawberry.input
class StockLevelFilter:
    search: str | None = strawberry.field(
        default=None, description="Every word in the SKU, the variant name or the product name."
    )
    sku: str | None = strawberry.field(
        default=None, description="Exactly this SKU (letter case ignored), as a scanner reads it."
    )
    level: StockLevelEnum | None = None  # type: ignore[valid-type]


@strawberry.type(name="StocktakeLine", description="One variant's count in a stocktake.")
class StocktakeLineType:
    counted: int
    stock_on_hand: int = strawberry.field(description="On hand when the count was recorded.")
    difference: int = strawberry.field(
        description="Counted less on hand at counting: what applying adds to on hand now "
        "(movements since the count stand)."
    )
    stock_reserved: int = strawberry.field(description="Units reserved for orders now.")
    variant: ProductVariantType

    @classmethod
    def build(
        cls, line: StocktakeLine, variant: ProductVariant, currency: str
    ) -> StocktakeLineType:
        on_hand = line.expected if line.expected is not None else variant.stock_on_hand
        return cls(
            counted=line.counted,
            stock_on_hand=on_hand,
            difference=line.counted - on_hand,
            stock_reserved=variant.stock_reserved,
            variant=ProductVariantType.build(variant, currency),
        )


@strawberry.type(name="Stocktake", description="A count of stock, reviewed and then applied.")
class StocktakeType(relay.Node):
    id: relay.NodeID[int]
    status: StocktakeStatusEnum  # type: ignore[valid-type]
    note: str
    created_by_id: strawberry.ID | None
    created_at: datetime
    applied_at: datetime | None
    search: str = strawberry.field(
        description="The variants to count: those matching this search (empty: all)."
    )
    level: StockLevelEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The variants to count: only those at this level (null: any)."
    )

    @classmethod
    def build(cls, stocktake: Stocktake) -> StocktakeType:
        search, level = stocktakes.scope_of(stocktake)
        return cls(
            id=stocktake.id,
            status=stocktake.status,
            note=stocktake.note,
            search=search,
            level=level,
            created_by_id=(
                encode_id("User", stocktake.created_by_id) if stocktake.created_by_id else None
            ),
            created_at=stocktake.created_at,
            applied_at=stocktake.applied_at,
        )

    @strawberry.field(description="The counts, in the order they were first recorded.")
    async def lines(self, info: Info) -> list[StocktakeLineType]:
        ctx = info.context
        lines = await ctx.loaders.lines_by_stocktake.load(self.id)
        variants = await ctx.loaders.variant.load_many([line.variant_id for line in lines])
        currency = ctx.settings.shop_currency
        return [
            StocktakeLineType.build(line, variant, currency)
            for line, variant in zip(lines, variants, strict=True)
            if variant is not None
        ]


@strawberry.type(name="StocktakeConnection")
class StocktakeConnection(Connection[StocktakeType]):
    pass


# Errors, inputs and payloads.


@strawberry.type(name="InventoryError")
class InventoryErrorType(UserError):
    code: InventoryErrorCodeEnum  # type: ignore[valid-type]


@strawberry.input
class ReceiveStockInput:
    variant_id: strawberry.ID
    quantity: int = strawberry.field(description="Units that arrived, at least 1.")
    reference: str = strawberry.field(
        default="", description="The delivery or purchase order, up to 80 characters."
    )
    note: str = ""


@strawberry.input
class AdjustStockInput:
    variant_id: strawberry.ID
    delta: int = strawberry.field(
        description="Units to add (positive) or take off (negative) on hand."
    )
    reason: str = strawberry.field(description="Why: damaged, found, lost, ...")


@strawberry.input
class SetLowStockThresholdInput:
    variant_id: strawberry.ID
    threshold: int | None = strawberry.field(
        description="Alert at or below this many available units; null: the shop default."
    )


@strawberry.input
class DismissLowStockAlertInput:
    id: strawberry.ID


@strawberry.input
class OpenStocktakeInput:
    note: str = ""
    search: str = strawberry.field(
        default="",
        description="Count only the variants matching this search (as `stockLevels` reads "
        "it); empty: all of them.",
    )
    level: StockLevelEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Count only the variants at this stock level."
    )


@strawberry.input
class StocktakeCountInput:
    variant_id: strawberry.ID
    counted: int = strawberry.field(description="Units counted, 0 or more.")


@strawberry.input
class RecordStocktakeCountsInput:
    stocktake_id: strawberry.ID
    counts: list[StocktakeCountInput] = strawberry.field(
        description="A variant counted before gets the new count."
    )


@strawberry.input
class StocktakeIdInput:
    id: strawberry.ID


@strawberry.type
class InventoryPayload:
    errors: list[InventoryErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class StockMovementPayload(InventoryPayload):
    movement: StockMovementType | None = None
    variant: ProductVariantType | None = None


@strawberry.type
class ReceiveStockPayload(StockMovementPayload):
    pass


@strawberry.type
class AdjustStockPayload(StockMovementPayload):
    pass


@strawberry.type
class SetLowStockThresholdPayload(InventoryPayload):
    variant: ProductVariantType | None = None


@strawberry.type
class DismissLowStockAlertPayload(InventoryPayload):
    alert: LowStockAlertType | None = None


@strawberry.type
class StocktakePayload(InventoryPayload):
    stocktake: StocktakeType | None = None


@strawberry.type
class OpenStocktakePayload(StocktakePayload):
    pass


@strawberry.type
class RecordStocktakeCountsPayload(StocktakePayload):
    pass


@strawberry.type
class ApplyStocktakePayload(StocktakePayload):
    pass


@strawberry.type
class CancelStocktakePayload(StocktakePayload):
    pass
