"""Catalog loaders: one query per relation per request, results in key order."""

from __future__ import annotations

from loaders.base import ByIdLoader, ManyByLoader
from models.catalog import (
    Brand,
    Category,
    CategoryTranslation,
    Product,
    ProductImage,
    ProductTranslation,
    ProductVariant,
)


class BrandByIdLoader(ByIdLoader[Brand]):
    model = Brand


class CategoryByIdLoader(ByIdLoader[Category]):
    model = Category


class ProductByIdLoader(ByIdLoader[Product]):
    model = Product


class VariantByIdLoader(ByIdLoader[ProductVariant]):
    model = ProductVariant


class ImageByIdLoader(ByIdLoader[ProductImage]):
    model = ProductImage


class VariantsByProductIdLoader(ManyByLoader[ProductVariant]):
    model = ProductVariant
    key_field = "product_id"
    columns = (
        "id",
        "sku",
        "name",
        "options",
        "price",
        "compare_at_price",
        "position",
        "stock_on_hand",
        "stock_reserved",
        "low_stock_threshold",
        "weight_grams",
    )


class ImagesByProductIdLoader(ManyByLoader[ProductImage]):
    model = ProductImage
    key_field = "product_id"
    columns = ("id", "path", "alt", "position", "width", "height", "content_type")


class TranslationsByProductIdLoader(ManyByLoader[ProductTranslation]):
    model = ProductTranslation
    key_field = "product_id"


class ChildrenByCategoryIdLoader(ManyByLoader[Category]):
    model = Category
    key_field = "parent_id"


class TranslationsByCategoryIdLoader(ManyByLoader[CategoryTranslation]):
    model = CategoryTranslation
    key_field = "category_id"
