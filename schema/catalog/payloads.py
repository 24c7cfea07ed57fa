"""Catalog mutation payloads: the changed object, or `errors` saying why nothing changed."""

from __future__ import annotations

import strawberry

from schema.catalog.types import (
    BrandType,
    CategoryType,
    ProductImageType,
    ProductTranslationType,
    ProductType,
    ProductVariantType,
)
from schema.errors import UserError
from services.catalog.errors import CatalogErrorCode

CatalogErrorCodeEnum = strawberry.enum(CatalogErrorCode, name="CatalogErrorCode")


@strawberry.type(name="CatalogError")
class CatalogErrorType(UserError):
    code: CatalogErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type
class CatalogPayload:
    errors: list[CatalogErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class CreateBrandPayload(CatalogPayload):
    brand: BrandType | None = None


@strawberry.type
class UpdateBrandPayload(CatalogPayload):
    brand: BrandType | None = None


@strawberry.type
class DeleteBrandPayload(CatalogPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class CreateCategoryPayload(CatalogPayload):
    category: CategoryType | None = None


@strawberry.type
class UpdateCategoryPayload(CatalogPayload):
    category: CategoryType | None = None


@strawberry.type
class DeleteCategoryPayload(CatalogPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class TranslateCategoryPayload(CatalogPayload):
    category: CategoryType | None = None


@strawberry.type
class CreateProductPayload(CatalogPayload):
    product: ProductType | None = None


@strawberry.type
class UpdateProductPayload(CatalogPayload):
    product: ProductType | None = None


@strawberry.type
class DeleteProductPayload(CatalogPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class PublishProductPayload(CatalogPayload):
    product: ProductType | None = None


@strawberry.type
class UnpublishProductPayload(CatalogPayload):
    product: ProductType | None = None


@strawberry.type
class ArchiveProductPayload(CatalogPayload):
    product: ProductType | None = None


@strawberry.type
class TranslateProductPayload(CatalogPayload):
    translation: ProductTranslationType | None = None


@strawberry.type
class DeleteTranslationPayload(CatalogPayload):
    deleted_locale: str | None = None


@strawberry.type
class CreateProductVariantPayload(CatalogPayload):
    variant: ProductVariantType | None = None


@strawberry.type
class UpdateProductVariantPayload(CatalogPayload):
    variant: ProductVariantType | None = None


@strawberry.type
class DeleteProductVariantPayload(CatalogPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class UploadProductImagePayload(CatalogPayload):
    image: ProductImageType | None = None


@strawberry.type
class UpdateProductImagePayload(CatalogPayload):
    image: ProductImageType | None = None


@strawberry.type
class DeleteProductImagePayload(CatalogPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class ReorderProductImagesPayload(CatalogPayload):
    images: list[ProductImageType] | None = None
