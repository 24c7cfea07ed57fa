"""Catalog mutations: each checks permission, calls one service and maps the result."""

from __future__ import annotations

from typing import cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.permission import BasePermission

from models.catalog import Category
from resolvers.catalog.common import global_pk, input_fields
from schema.catalog import inputs
from schema.catalog.payloads import (
    ArchiveProductPayload,
    CreateBrandPayload,
    CreateCategoryPayload,
    CreateProductPayload,
    CreateProductVariantPayload,
    DeleteBrandPayload,
    DeleteCategoryPayload,
    DeleteProductImagePayload,
    DeleteProductPayload,
    DeleteProductVariantPayload,
    DeleteTranslationPayload,
    PublishProductPayload,
    ReorderProductImagesPayload,
    TranslateCategoryPayload,
    TranslateProductPayload,
    UnpublishProductPayload,
    UpdateBrandPayload,
    UpdateCategoryPayload,
    UpdateProductImagePayload,
    UpdateProductPayload,
    UpdateProductVariantPayload,
    UploadProductImagePayload,
    catalog_errors,
)
from schema.catalog.types import (
    BrandType,
    ProductImageType,
    ProductTranslationType,
    ProductVariantType,
    build_categories,
    build_products,
)
from schema.context import Info
from schema.permissions import CanManageCatalog
from services.catalog import (
    brands,
    categories,
    images,
    listing,
    products,
    translations,
)
from services.catalog.errors import CatalogError

_staff: list[type[BasePermission]] = [CanManageCatalog]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(permission_classes=_staff)
    async def create_brand(self, input: inputs.CreateBrandInput) -> CreateBrandPayload:
        try:
            brand = await brands.create_brand(input_fields(input, ids={}))
        except CatalogError as exc:
            return CreateBrandPayload(errors=catalog_errors(exc))
        return CreateBrandPayload(brand=BrandType.build(brand))

    @strawberry.mutation(permission_classes=_staff)
    async def update_brand(self, input: inputs.UpdateBrandInput) -> UpdateBrandPayload:
        try:
            brand = await brands.update_brand(
                global_pk(input.id, "Brand", "id"),
                input_fields(input, ids={}),
            )
        except CatalogError as exc:
            return UpdateBrandPayload(errors=catalog_errors(exc))
        return UpdateBrandPayload(brand=BrandType.build(brand))

    @strawberry.mutation(permission_classes=_staff)
    async def delete_brand(self, input: inputs.DeleteInput) -> DeleteBrandPayload:
        try:
            await brands.delete_brand(global_pk(input.id, "Brand", "id"))
        except CatalogError as exc:
            return DeleteBrandPayload(errors=catalog_errors(exc))
        return DeleteBrandPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def create_category(
        self, info: Info, input: inputs.CreateCategoryInput
    ) -> CreateCategoryPayload:
        try:
            fields = input_fields(input, ids={"parent_id": "Category"})
            category = await categories.create_category(fields)
        except CatalogError as exc:
            return CreateCategoryPayload(errors=catalog_errors(exc))
        return CreateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def update_category(
        self, info: Info, input: inputs.UpdateCategoryInput
    ) -> UpdateCategoryPayload:
        try:
            fields = input_fields(input, ids={"parent_id": "Category"})
            category = await categories.update_category(
                global_pk(input.id, "Category", "id"), fields
            )
        except CatalogError as exc:
            return UpdateCategoryPayload(errors=catalog_errors(exc))
        return UpdateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def delete_category(self, input: inputs.DeleteInput) -> DeleteCategoryPayload:
        try:
            await categories.delete_category(global_pk(input.id, "Category", "id"))
        except CatalogError as exc:
            return DeleteCategoryPayload(errors=catalog_errors(exc))
        return DeleteCategoryPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def translate_category(
        self, info: Info, input: inputs.TranslateCategoryInput
    ) -> TranslateCategoryPayload:
        try:
            pk = global_pk(input.category_id, "Category", "categoryId")
            fields = input_fields(input, ids={}, skip=("category_id", "locale"))
            tr = await translations.translate_category(pk, input.locale, fields)
            category = await Category.get(id=pk)
        except CatalogError as exc:
            return TranslateCategoryPayload(errors=catalog_errors(exc))
        built = await build_categories([category], info, tr.locale)
        return TranslateCategoryPayload(category=built[0])

    @strawberry.mutation(permission_classes=_staff)
    async def delete_category_translation(
        self, input: inputs.DeleteTranslationInput
    ) -> DeleteTranslationPayload:
        try:
            pk = global_pk(input.id, "Category", "id")
            await translations.delete_category_translation(pk, input.locale)
        except CatalogError as exc:
            return DeleteTranslationPayload(errors=catalog_errors(exc))
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @strawberry.mutation(permission_classes=_staff, description="A new product, as a draft.")
    async def create_product(
        self, info: Info, input: inputs.CreateProductInput
    ) -> CreateProductPayload:
        try:
            fields = input_fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
            variants = fields.pop("variants")
            product = await products.create_product(fields, variants)
        except CatalogError as exc:
            return CreateProductPayload(errors=catalog_errors(exc))
        return CreateProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def update_product(
        self, info: Info, input: inputs.UpdateProductInput
    ) -> UpdateProductPayload:
        try:
            fields = input_fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
            product = await products.update_product(
                global_pk(input.id, "Product", "id"), fields, actor=info.context.viewer.label
            )
        except CatalogError as exc:
            return UpdateProductPayload(errors=catalog_errors(exc))
        return UpdateProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff, description="Delete a product for good.")
    async def delete_product(self, info: Info, input: inputs.DeleteInput) -> DeleteProductPayload:
        try:
            pk = global_pk(input.id, "Product", "id")
            await products.delete_product(pk, actor=info.context.viewer.label)
        except CatalogError as exc:
            return DeleteProductPayload(errors=catalog_errors(exc))
        return DeleteProductPayload(deleted_id=input.id)

    @strawberry.mutation(
        permission_classes=_staff,
        description="Put a product on sale now, or schedule it with a sale window.",
    )
    async def publish_product(
        self, info: Info, input: inputs.PublishProductInput
    ) -> PublishProductPayload:
        try:
            product = await listing.publish_product(
                global_pk(input.id, "Product", "id"),
                actor=info.context.viewer.label,
                publish_at=input.publish_at,
                unpublish_at=input.unpublish_at,
            )
        except CatalogError as exc:
            return PublishProductPayload(errors=catalog_errors(exc))
        return PublishProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff, description="Take a product off sale.")
    async def unpublish_product(
        self, info: Info, input: inputs.DeleteInput
    ) -> UnpublishProductPayload:
        try:
            product = await listing.unpublish_product(
                global_pk(input.id, "Product", "id"), actor=info.context.viewer.label
            )
        except CatalogError as exc:
            return UnpublishProductPayload(errors=catalog_errors(exc))
        return UnpublishProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(
        permission_classes=_staff, description="Retire a product, kept for history."
    )
    async def archive_product(self, info: Info, input: inputs.DeleteInput) -> ArchiveProductPayload:
        try:
            product = await listing.archive_product(
                global_pk(input.id, "Product", "id"), actor=info.context.viewer.label
            )
        except CatalogError as exc:
            return ArchiveProductPayload(errors=catalog_errors(exc))
        return ArchiveProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def translate_product(
        self, input: inputs.TranslateProductInput
    ) -> TranslateProductPayload:
        try:
            pk = global_pk(input.product_id, "Product", "productId")
            fields = input_fields(input, ids={}, skip=("product_id", "locale"))
            tr = await translations.translate_product(pk, input.locale, fields)
        except CatalogError as exc:
            return TranslateProductPayload(errors=catalog_errors(exc))
        return TranslateProductPayload(translation=ProductTranslationType.build(tr))

    @strawberry.mutation(permission_classes=_staff)
    async def delete_product_translation(
        self, input: inputs.DeleteTranslationInput
    ) -> DeleteTranslationPayload:
        try:
            await translations.delete_product_translation(
                global_pk(input.id, "Product", "id"), input.locale
            )
        except CatalogError as exc:
            return DeleteTranslationPayload(errors=catalog_errors(exc))
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @strawberry.mutation(permission_classes=_staff)
    async def create_product_variant(
        self, info: Info, input: inputs.CreateProductVariantInput
    ) -> CreateProductVariantPayload:
        try:
            pk = global_pk(input.product_id, "Product", "productId")
            variant = await products.create_variant(
                pk, input_fields(input, ids={}, skip=("product_id",))
            )
        except CatalogError as exc:
            return CreateProductVariantPayload(errors=catalog_errors(exc))
        currency = info.context.settings.shop_currency
        return CreateProductVariantPayload(variant=ProductVariantType.build(variant, currency))

    @strawberry.mutation(permission_classes=_staff)
    async def update_product_variant(
        self, info: Info, input: inputs.UpdateProductVariantInput
    ) -> UpdateProductVariantPayload:
        try:
            pk = global_pk(input.id, "ProductVariant", "id")
            variant = await products.update_variant(pk, input_fields(input, ids={}))
        except CatalogError as exc:
            return UpdateProductVariantPayload(errors=catalog_errors(exc))
        currency = info.context.settings.shop_currency
        return UpdateProductVariantPayload(variant=ProductVariantType.build(variant, currency))

    @strawberry.mutation(permission_classes=_staff)
    async def delete_product_variant(
        self, input: inputs.DeleteInput
    ) -> DeleteProductVariantPayload:
        try:
            await products.delete_variant(global_pk(input.id, "ProductVariant", "id"))
        except CatalogError as exc:
            return DeleteProductVariantPayload(errors=catalog_errors(exc))
        return DeleteProductVariantPayload(deleted_id=input.id)

    @strawberry.mutation(
        permission_classes=_staff,
        description="Upload a picture (multipart request); JPEG, PNG, WebP or GIF.",
    )
    async def upload_product_image(
        self, info: Info, input: inputs.UploadProductImageInput
    ) -> UploadProductImagePayload:
        limit = info.context.settings.max_image_bytes
        upload = cast(UploadFile, input.file)  # what Strawberry hands over for `Upload`
        try:
            pk = global_pk(input.product_id, "Product", "productId")
            # Read one byte past the limit: enough to know the file is too large.
            data = await upload.read(limit + 1)
            image = await images.add_image(pk, data, alt=input.alt)
        except CatalogError as exc:
            return UploadProductImagePayload(errors=catalog_errors(exc))
        finally:
            await upload.close()
        return UploadProductImagePayload(
            image=ProductImageType.build(image, info.context.media_base)
        )

    @strawberry.mutation(permission_classes=_staff)
    async def update_product_image(
        self, info: Info, input: inputs.UpdateProductImageInput
    ) -> UpdateProductImagePayload:
        try:
            image = await images.update_image(
                global_pk(input.id, "ProductImage", "id"), alt=input.alt
            )
        except CatalogError as exc:
            return UpdateProductImagePayload(errors=catalog_errors(exc))
        return UpdateProductImagePayload(
            image=ProductImageType.build(image, info.context.media_base)
        )

    @strawberry.mutation(permission_classes=_staff)
    async def delete_product_image(self, input: inputs.DeleteInput) -> DeleteProductImagePayload:
        try:
            await images.delete_image(global_pk(input.id, "ProductImage", "id"))
        except CatalogError as exc:
            return DeleteProductImagePayload(errors=catalog_errors(exc))
        return DeleteProductImagePayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def reorder_product_images(
        self, info: Info, input: inputs.ReorderProductImagesInput
    ) -> ReorderProductImagesPayload:
        try:
            pk = global_pk(input.product_id, "Product", "productId")
            ids = [global_pk(i, "ProductImage", "imageIds") for i in input.image_ids]
            rows = await images.reorder_images(pk, ids)
        except CatalogError as exc:
            return ReorderProductImagesPayload(errors=catalog_errors(exc))
        base = info.context.media_base
        return ReorderProductImagesPayload(images=[ProductImageType.build(r, base) for r in rows])
