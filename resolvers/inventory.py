"""Inventory root fields: receiving and correcting stock, alerts, slow movers, stocktakes.

Every field needs the `inventory` staff permission.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

from schema.catalog.types import ProductVariantType
from schema.context import Info
from schema.inventory import (
    AdjustStockInput,
    AdjustStockPayload,
    ApplyStocktakePayload,
    CancelStocktakePayload,
    DismissLowStockAlertInput,
    DismissLowStockAlertPayload,
    LowStockAlertConnection,
    LowStockAlertType,
    OpenStocktakeInput,
    OpenStocktakePayload,
    ReceiveStockInput,
    ReceiveStockPayload,
    RecordStocktakeCountsInput,
    RecordStocktakeCountsPayload,
    SetLowStockThresholdInput,
    SetLowStockThresholdPayload,
    SlowMovingVariantConnection,
    SlowMovingVariantType,
    StockLevelConnection,
    StockLevelFilter,
    StockLevelType,
    StockMovementType,
    StocktakeConnection,
    StocktakeIdInput,
    StocktakeStatusEnum,
    StocktakeType,
)
from schema.kit import connection, input_pk, mutation, page_or_error, pk_or_none
from schema.permissions import CanManageInventory
from schema.relay import page_request
from services.inventory import alerts, levels, slow_movers, stock, stocktakes

_staff: list[type[BasePermission]] = [CanManageInventory]


async def _variant(info: Info, variant_id: int) -> ProductVariantType | None:
    row = await info.context.loaders.variant.load(variant_id)
    return ProductVariantType.build(row, info.context.settings.shop_currency) if row else None


@strawberry.type
class InventoryQuery:
    @strawberry.field(permission_classes=_staff, description="Low-stock alerts, newest first.")
    async def low_stock_alerts(
        self,
        info: Info,
        open: Annotated[
            bool | None,
            strawberry.argument(description="Only open (true) or only resolved (false) alerts."),
        ] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> LowStockAlertConnection:
        page = await page_or_error(
            alerts.list_alerts(
                page_request(first, after, last, before),
                open=open,
                max_size=info.context.settings.max_page_size,
            )
        )
        return connection(
            LowStockAlertConnection,
            page,
            [LowStockAlertType.build(a) for a in page.items],
            alerts.alerts_queryset(open=open).count,
        )

    @strawberry.field(
        permission_classes=_staff,
        description="Every variant's stock (on hand, reserved, available, threshold), by SKU.",
    )
    async def stock_levels(
        self,
        info: Info,
        filter: StockLevelFilter | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> StockLevelConnection:
        f = filter or StockLevelFilter()
        page = await page_or_error(
            levels.list_levels(
                page_request(first, after, last, before),
                search=f.search,
                sku=f.sku,
                level=f.level,
                max_size=info.context.settings.max_page_size,
            )
        )
        currency = info.context.settings.shop_currency
        return connection(
            StockLevelConnection,
            page,
            [StockLevelType.build(v, currency) for v in page.items],
            levels.levels_queryset(search=f.search, sku=f.sku, level=f.level).count,
        )

    @strawberry.field(
        permission_classes=_staff,
        description="Variants with stock on hand and no sale in the last `days` days, the "
        "longest without a sale (since their last sale, or their creation) first.",
    )
    async def slow_moving_variants(
        self,
        info: Info,
        days: int = 30,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> SlowMovingVariantConnection:
        page = await page_or_error(
            slow_movers.list_slow_movers(
                days,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        currency = info.context.settings.shop_currency
        return connection(
            SlowMovingVariantConnection,
            page,
            [SlowMovingVariantType.build(slow_movers.slow_mover(v), currency) for v in page.items],
            lambda: slow_movers.count_slow_movers(days),
        )

    @strawberry.field(permission_classes=_staff, description="Stocktakes, newest first.")
    async def stocktakes(
        self,
        info: Info,
        status: StocktakeStatusEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> StocktakeConnection:
        page = await page_or_error(
            stocktakes.list_stocktakes(
                page_request(first, after, last, before),
                status=status,
                max_size=info.context.settings.max_page_size,
            )
        )
        info.context.loaders.stocktake.prime_all(page.items)
        return connection(
            StocktakeConnection,
            page,
            [StocktakeType.build(s) for s in page.items],
            stocktakes.stocktakes_queryset(status).count,
        )

    @strawberry.field(
        permission_classes=_staff,
        description="A stocktake with each line's count, on hand and difference, for review.",
    )
    async def stocktake(self, info: Info, id: strawberry.ID) -> StocktakeType | None:
        pk = pk_or_none(id, "Stocktake")
        row = await info.context.loaders.stocktake.load(pk) if pk else None
        return StocktakeType.build(row) if row else None


@strawberry.type
class InventoryMutation:
    @mutation(permission_classes=_staff, description="Record goods that arrived.")
    async def receive_stock(self, info: Info, input: ReceiveStockInput) -> ReceiveStockPayload:
        movement = await stock.receive(
            input_pk(input.variant_id, "ProductVariant", "variantId", what="The variant"),
            input.quantity,
            reference=input.reference.strip(),
            note=input.note.strip(),
            actor_id=info.context.viewer.user_id,
        )
        return ReceiveStockPayload(
            movement=StockMovementType.build(movement),
            variant=await _variant(info, movement.variant_id),
        )

    @mutation(
        permission_classes=_staff,
        description="Correct units on hand (damaged, lost, found); never below reserved.",
    )
    async def adjust_stock(self, info: Info, input: AdjustStockInput) -> AdjustStockPayload:
        movement = await stock.adjust(
            input_pk(input.variant_id, "ProductVariant", "variantId", what="The variant"),
            input.delta,
            reason=input.reason,
            actor_id=info.context.viewer.user_id,
        )
        return AdjustStockPayload(
            movement=StockMovementType.build(movement),
            variant=await _variant(info, movement.variant_id),
        )

    @mutation(permission_classes=_staff)
    async def set_low_stock_threshold(
        self, info: Info, input: SetLowStockThresholdInput
    ) -> SetLowStockThresholdPayload:
        variant = await alerts.set_low_stock_threshold(
            input_pk(input.variant_id, "ProductVariant", "variantId", what="The variant"),
            input.threshold,
        )
        return SetLowStockThresholdPayload(
            variant=ProductVariantType.build(variant, info.context.settings.shop_currency)
        )

    @mutation(permission_classes=_staff, description="Close an open alert by hand.")
    async def dismiss_low_stock_alert(
        self, info: Info, input: DismissLowStockAlertInput
    ) -> DismissLowStockAlertPayload:
        alert = await alerts.dismiss_alert(
            input_pk(input.id, "LowStockAlert", "id", what="The alert")
        )
        return DismissLowStockAlertPayload(alert=LowStockAlertType.build(alert))

    @mutation(permission_classes=_staff, description="Start a count of stock.")
    async def open_stocktake(self, info: Info, input: OpenStocktakeInput) -> OpenStocktakePayload:
        stocktake = await stocktakes.open_stocktake(
            note=input.note,
            search=input.search,
            level=input.level,
            actor_id=info.context.viewer.user_id,
        )
        return OpenStocktakePayload(stocktake=StocktakeType.build(stocktake))

    @mutation(permission_classes=_staff, description="Record counted units in an open stocktake.")
    async def record_stocktake_counts(
        self, info: Info, input: RecordStocktakeCountsInput
    ) -> RecordStocktakeCountsPayload:
        stocktake = await stocktakes.record_counts(
            input_pk(input.stocktake_id, "Stocktake", "stocktakeId", what="The stocktake"),
            [
                (
                    input_pk(
                        c.variant_id,
                        "ProductVariant",
                        "counts",
                        str(i),
                        "variantId",
                        what="The variant",
                    ),
                    c.counted,
                )
                for i, c in enumerate(input.counts)
            ],
        )
        return RecordStocktakeCountsPayload(stocktake=StocktakeType.build(stocktake))

    @mutation(
        permission_classes=_staff,
        description="Write the differences as stock movements and close the stocktake; "
        "applying it again changes nothing.",
    )
    async def apply_stocktake(self, info: Info, input: StocktakeIdInput) -> ApplyStocktakePayload:
        stocktake = await stocktakes.apply_stocktake(
            input_pk(input.id, "Stocktake", "id", what="The stocktake"),
            actor_id=info.context.viewer.user_id,
        )
        return ApplyStocktakePayload(stocktake=StocktakeType.build(stocktake))

    @mutation(permission_classes=_staff, description="Abandon an open stocktake.")
    async def cancel_stocktake(self, info: Info, input: StocktakeIdInput) -> CancelStocktakePayload:
        stocktake = await stocktakes.cancel_stocktake(
            input_pk(input.id, "Stocktake", "id", what="The stocktake")
        )
        return CancelStocktakePayload(stocktake=StocktakeType.build(stocktake))
