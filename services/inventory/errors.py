"""The inventory domain's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import Problem, ServiceError


class InventoryErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_QUANTITY = "invalid_quantity"
    INVALID_THRESHOLD = "invalid_threshold"
    #: Fewer units available than asked for; `InventoryError.available` says how many are.
    OUT_OF_STOCK = "out_of_stock"
    #: A release or sale of more units than are reserved.
    NOT_RESERVED = "not_reserved"
    #: On hand would fall below the units reserved for orders (or below zero).
    BELOW_RESERVED = "below_reserved"
    DUPLICATE_VARIANT = "duplicate_variant"
    STOCKTAKE_NOT_OPEN = "stocktake_not_open"


class InventoryError(ServiceError[InventoryErrorCode]):
    """An inventory request that was refused; nothing was changed.

    `available` maps each variant that was short (OUT_OF_STOCK) to the units it has left.
    """

    def __init__(
        self, problems: Problem | list[Problem], *, available: dict[int, int] | None = None
    ) -> None:
        super().__init__(problems)
        self.available = dict(available or {})


fail, not_found = InventoryError.fail, InventoryError.not_found
