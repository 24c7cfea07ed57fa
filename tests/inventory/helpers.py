"""Small helpers the inventory tests share."""

from __future__ import annotations

from typing import Any

from models.catalog import ProductVariant
from tests.factories import make_product


async def stocked_variant(stock: int = 10, **fields: Any) -> ProductVariant:
    """The one variant of a new published product with `stock` units received."""
    product = await make_product(stock=(stock,), **fields)
    return await ProductVariant.get(product_id=product.id)


async def figures(variant: ProductVariant) -> tuple[int, int]:
    """(on hand, reserved) of the variant as stored now."""
    row = await ProductVariant.get(id=variant.id)
    return row.stock_on_hand, row.stock_reserved
