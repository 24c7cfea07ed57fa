"""Catalog loaders: one query per relation per request, results in key order."""

from __future__ import annotations

from functools import cached_property

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


class ProductImageByIdLoader(ByIdLoader[ProductImage]):
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


class CatalogLoaders:
    """The catalog loaders of a request, each built on first use."""

    @cached_property
    def brand(self) -> BrandByIdLoader:
        return BrandByIdLoader()

    @cached_property
    def category(self) -> CategoryByIdLoader:
        return CategoryByIdLoader()

    @cached_property
    def product(self) -> ProductByIdLoader:
        return ProductByIdLoader()

    @cached_property
    def variant(self) -> VariantByIdLoader:
        return VariantByIdLoader()

    @cached_property
    def product_image(self) -> ProductImageByIdLoader:
        return ProductImageByIdLoader()

    @cached_property
    def variants_by_product(self) -> VariantsByProductIdLoader:
        return VariantsByProductIdLoader()

    @cached_property
    def images_by_product(self) -> ImagesByProductIdLoader:
        return ImagesByProductIdLoader()

    @cached_property
    def translations_by_product(self) -> TranslationsByProductIdLoader:
        return TranslationsByProductIdLoader()

    @cached_property
    def translations_by_category(self) -> TranslationsByCategoryIdLoader:
        return TranslationsByCategoryIdLoader()

    @cached_property
    def children_by_category(self) -> ChildrenByCategoryIdLoader:
        return ChildrenByCategoryIdLoader()
