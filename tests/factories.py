"""Plain async factories: each makes one object through the services, with keyword overrides."""

from __future__ import annotations

import io
import itertools
from datetime import datetime
from decimal import Decimal
from typing import Any

from PIL import Image

from models.catalog import Brand, Category, Product
from schema.relay import encode_id
from services.catalog import brands, categories, listing, products

_seq = itertools.count(1)


def gid(type_name: str, pk: int) -> str:
    return str(encode_id(type_name, pk))


async def make_brand(**fields: Any) -> Brand:
    n = next(_seq)
    return await brands.create_brand({"name": f"Brand {n}", **fields})  # type: ignore[typeddict-item]


async def make_category(parent: Category | None = None, **fields: Any) -> Category:
    n = next(_seq)
    data = {"name": f"Category {n}", **fields}
    if parent is not None:
        data["parent_id"] = parent.id
    return await categories.create_category(data)  # type: ignore[arg-type]


async def make_product(
    *,
    prices: tuple[str, ...] = ("10.00",),
    stock: tuple[int, ...] | None = None,
    publish: bool = True,
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
    brand: Brand | None = None,
    category: Category | None = None,
    **fields: Any,
) -> Product:
    """A product with one variant per price (sizes S, M, L, ...), published by default."""
    n = next(_seq)
    sizes = ["S", "M", "L", "XL", "XXL"]
    stock = stock if stock is not None else tuple(5 for _ in prices)
    variants = [
        {
            "sku": f"SKU-{n}-{sizes[i]}",
            "price": Decimal(price),
            "options": [{"name": "size", "value": sizes[i]}],
            "stock_on_hand": stock[i],
        }
        for i, price in enumerate(prices)
    ]
    data: dict[str, Any] = {"name": f"Product {n}", **fields}
    if brand is not None:
        data["brand_id"] = brand.id
    if category is not None:
        data["category_id"] = category.id
    product = await products.create_product(data, variants)  # type: ignore[arg-type]
    if publish or publish_at or unpublish_at:
        product = await listing.publish_product(
            product.id, actor="test", publish_at=publish_at, unpublish_at=unpublish_at
        )
    return product


def png_bytes(width: int = 8, height: int = 8, color: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()
