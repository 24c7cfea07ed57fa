"""Inventory root fields: receiving and correcting stock, alerts, slow movers, stocktakes.

Every field needs the `inventory` staff permission.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.permission import BasePermission

from resolvers.common import page_or_error
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
    StockMovementType,
    StocktakeConnection,
    StocktakeIdInput,
    StocktakeStatusEnum,
    StocktakeType,
    inventory_errors,
)
from schema.permissions import CanManageInventory
from schema.relay import decode_id, edges_of, page_request
from services.inventory import alerts, slow_movers, stock, stocktakes
from services.inventory.errors import InventoryError, not_found

_staff: list[type[BasePermission]] = [CanManageInventory]
_WORDS = {
    "ProductVariant": "The variant",
    "LowStockAlert": "The alert",
    "Stocktake": "The stocktake",
}


def inventory_pk(value: str, type_name: str, *field: str) -> int:
    """The primary key in a global ID of `type_name`, or a NOT_FOUND inventory error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(_WORDS.get(type_name, "It"), *field)
    return pk


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
        edges, page_info = edges_of(page, [LowStockAlertType.build(a) for a in page.items])
        return LowStockAlertConnection(
            edges=edges, page_info=page_info, _count=alerts.alerts_queryset(open=open).count
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
        edges, page_info = edges_of(
            page,
            [SlowMovingVariantType.build(slow_movers.slow_mover(v), currency) for v in page.items],
        )
        return SlowMovingVariantConnection(
            edges=edges, page_info=page_info, _count=lambda: slow_movers.count_slow_movers(days)
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
        edges, page_info = edges_of(page, [StocktakeType.build(s) for s in page.items])
        return StocktakeConnection(
            edges=edges, page_info=page_info, _count=stocktakes.stocktakes_queryset(status).count
        )

    @strawberry.field(
        permission_classes=_staff,
        description="A stocktake with each line's count, on hand and difference, for review.",
    )
    async def stocktake(self, info: Info, id: strawberry.ID) -> StocktakeType | None:
        pk = decode_id(id, "Stocktake")
        row = await info.context.loaders.stocktake.load(pk) if pk else None
        return StocktakeType.build(row) if row else None


@strawberry.type
class InventoryMutation:
    @strawberry.mutation(permission_classes=_staff, description="Record goods that arrived.")
    async def receive_stock(self, info: Info, input: ReceiveStockInput) -> ReceiveStockPayload:
        try:
            movement = await stock.receive(
                inventory_pk(input.variant_id, "ProductVariant", "variantId"),
                input.quantity,
                reference=input.reference.strip(),
                note=input.note.strip(),
                actor_id=info.context.viewer.user_id,
            )
        except InventoryError as exc:
            return ReceiveStockPayload(errors=inventory_errors(exc))
        return ReceiveStockPayload(
            movement=StockMovementType.build(movement),
            variant=await _variant(info, movement.variant_id),
        )

    @strawberry.mutation(
        permission_classes=_staff,
        description="Correct units on hand (damaged, lost, found); never below reserved.",
    )
    async def adjust_stock(self, info: Info, input: AdjustStockInput) -> AdjustStockPayload:
        try:
            movement = await stock.adjust(
                inventory_pk(input.variant_id, "ProductVariant", "variantId"),
                input.delta,
                reason=input.reason,
                actor_id=info.context.viewer.user_id,
            )
        except InventoryError as exc:
            return AdjustStockPayload(errors=inventory_errors(exc))
        return AdjustStockPayload(
            movement=StockMovementType.build(movement),
            variant=await _variant(info, movement.variant_id),
        )

    @strawberry.mutation(permission_classes=_staff)
    async def set_low_stock_threshold(
        self, info: Info, input: SetLowStockThresholdInput
    ) -> SetLowStockThresholdPayload:
        try:
            variant = await alerts.set_low_stock_threshold(
                inventory_pk(input.variant_id, "ProductVariant", "variantId"), input.threshold
            )
        except InventoryError as exc:
            return SetLowStockThresholdPayload(errors=inventory_errors(exc))
        return SetLowStockThresholdPayload(
            variant=ProductVariantType.build(variant, info.context.settings.shop_currency)
        )

    @strawberry.mutation(permission_classes=_staff, description="Close an open alert by hand.")
    async def dismiss_low_stock_alert(
        self, info: Info, input: DismissLowStockAlertInput
    ) -> DismissLowStockAlertPayload:
        try:
            alert = await alerts.dismiss_alert(inventory_pk(input.id, "LowStockAlert", "id"))
        except InventoryError as exc:
            return DismissLowStockAlertPayload(errors=inventory_errors(exc))
        return DismissLowStockAlertPayload(alert=LowStockAlertType.build(alert))

    @strawberry.mutation(permission_classes=_staff, description="Start a count of stock.")
    async def open_stocktake(self, info: Info, input: OpenStocktakeInput) -> OpenStocktakePayload:
        try:
            stocktake = await stocktakes.open_stocktake(
                note=input.note, actor_id=info.context.viewer.user_id
            )
        except InventoryError as exc:
            return OpenStocktakePayload(errors=inventory_errors(exc))
        return OpenStocktakePayload(stocktake=StocktakeType.build(stocktake))

    @strawberry.mutation(
        permission_classes=_staff, description="Record counted units in an open stocktake."
    )
    async def record_stocktake_counts(
        self, info: Info, input: RecordStocktakeCountsInput
    ) -> RecordStocktakeCountsPayload:
        try:
            stocktake = await stocktakes.record_counts(
                inventory_pk(input.stocktake_id, "Stocktake", "stocktakeId"),
                [
                    (
                        inventory_pk(c.variant_id, "ProductVariant", "counts", str(i), "variantId"),
                        c.counted,
                    )
                    for i, c in enumerate(input.counts)
                ],
            )
        except InventoryError as exc:
            return RecordStocktakeCountsPayload(errors=inventory_errors(exc))
        return RecordStocktakeCountsPayload(stocktake=StocktakeType.build(stocktake))

    @strawberry.mutation(
        permission_classes=_staff,
        description="Write the differences as stock movements and close the stocktake; "
        "applying it again changes nothing.",
    )
    async def apply_stocktake(self, info: Info, input: StocktakeIdInput) -> ApplyStocktakePayload:
        try:
            stocktake = await stocktakes.apply_stocktake(
                inventory_pk(input.id, "Stocktake", "id"), actor_id=info.context.viewer.user_id
            )
        except InventoryError as exc:
            return ApplyStocktakePayload(errors=inventory_errors(exc))
        return ApplyStocktakePayload(stocktake=StocktakeType.build(stocktake))

    @strawberry.mutation(permission_classes=_staff, description="Abandon an open stocktake.")
    async def cancel_stocktake(self, info: Info, input: StocktakeIdInput) -> CancelStocktakePayload:
        try:
            stocktake = await stocktakes.cancel_stocktake(inventory_pk(input.id, "Stocktake", "id"))
        except InventoryError as exc:
            return CancelStocktakePayload(errors=inventory_errors(exc))
        return CancelStocktakePayload(stocktake=StocktakeType.build(stocktake))
