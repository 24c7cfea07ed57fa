"""Inventory loaders: alerts, movements, stocktakes and their lines, in key order."""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property

from aiodataloader import DataLoader

from loaders.base import ByIdLoader
from models.inventory import LowStockAlert, StockMovement, Stocktake, StocktakeLine


class LowStockAlertByIdLoader(ByIdLoader[LowStockAlert]):
    model = LowStockAlert


class StockMovementByIdLoader(ByIdLoader[StockMovement]):
    model = StockMovement


class StocktakeByIdLoader(ByIdLoader[Stocktake]):
    model = Stocktake


class LinesByStocktakeIdLoader(DataLoader[int, list[StocktakeLine]]):
    """Each stocktake's lines in the order they were first counted."""

    async def batch_load_fn(self, keys: list[int]) -> list[list[StocktakeLine]]:
        groups: dict[int, list[StocktakeLine]] = defaultdict(list)
        for line in await StocktakeLine.filter(stocktake_id__in=keys).order_by("id"):
            groups[line.stocktake_id].append(line)
        return [groups.get(key, []) for key in keys]


class InventoryLoaders:
    """The inventory loaders of a request, each built on first use."""

    @cached_property
    def low_stock_alert(self) -> LowStockAlertByIdLoader:
        return LowStockAlertByIdLoader()

    @cached_property
    def stock_movement(self) -> StockMovementByIdLoader:
        return StockMovementByIdLoader()

    @cached_property
    def stocktake(self) -> StocktakeByIdLoader:
        return StocktakeByIdLoader()

    @cached_property
    def lines_by_stocktake(self) -> LinesByStocktakeIdLoader:
        return LinesByStocktakeIdLoader()
