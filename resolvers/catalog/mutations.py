"""Catalog mutations: each checks permission, calls one service and maps the result."""

from __future__ import annotations

import strawberry
from strawberry.permission import BasePermission

from models.catalog import Category
from resolvers.catalog.common import input_fields
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
from schema.kit import input_pk, mutation, read_uploads
from schema.permissions import CanManageCatalog
from services.catalog import (
    brands,
    categories,
    images,
    listing,
    products,
    translations,
)

_staff: list[type[BasePermission]] = [CanManageCatalog]


@strawberry.type
class CatalogMutation:
    @mutation(permission_classes=_staff)
    async def create_brand(self, input: inputs.CreateBrandInput) -> CreateBrandPayload:
        brand = await brands.create_brand(input_fields(input, ids={}))
        return CreateBrandPayload(brand=BrandType.build(brand))

    @mutation(permission_classes=_staff)
    async def update_brand(self, input: inputs.UpdateBrandInput) -> UpdateBrandPayload:
        brand = await brands.update_brand(
            input_pk(input.id, "Brand", "id", what="The brand"),
            input_fields(input, ids={}),
        )
        return UpdateBrandPayload(brand=BrandType.build(brand))

    @mutation(permission_classes=_staff)
    async def delete_brand(self, input: inputs.DeleteInput) -> DeleteBrandPayload:
        await brands.delete_brand(input_pk(input.id, "Brand", "id", what="The brand"))
        return DeleteBrandPayload(deleted_id=input.id)

    @mutation(permission_classes=_staff)
    async def create_category(
        self, info: Info, input: inputs.CreateCategoryInput
    ) -> CreateCategoryPayload:
        fields = input_fields(input, ids={"parent_id": "Category"})
        category = await categories.create_category(fields)
        return CreateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @mutation(permission_classes=_staff)
    async def update_category(
        self, info: Info, input: inputs.UpdateCategoryInput
    ) -> UpdateCategoryPayload:
        fields = input_fields(input, ids={"parent_id": "Category"})
        category = await categories.update_category(
            input_pk(input.id, "Category", "id", what="The category"), fields
        )
        return UpdateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @mutation(permission_classes=_staff)
    async def delete_category(self, input: inputs.DeleteInput) -> DeleteCategoryPayload:
        await categories.delete_category(input_pk(input.id, "Category", "id", what="The category"))
        return DeleteCategoryPayload(deleted_id=input.id)

    @mutation(permission_classes=_staff)
    async def translate_category(
        self, info: Info, input: inputs.TranslateCategoryInput
    ) -> TranslateCategoryPayload:
        pk = input_pk(input.category_id, "Category", "categoryId", what="The category")
        fields = input_fields(input, ids={}, skip=("category_id", "locale"))
        tr = await translations.translate_category(pk, input.locale, fields)
        category = await Category.get(id=pk)
        built = await build_categories([category], info, tr.locale)
        return TranslateCategoryPayload(category=built[0])

    @mutation(permission_classes=_staff)
    async def delete_category_translation(
        self, input: inputs.DeleteTranslationInput
    ) -> DeleteTranslationPayload:
        pk = input_pk(input.id, "Category", "id", what="The category")
        await translations.delete_category_translation(pk, input.locale)
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @mutation(permission_classes=_staff, description="A new product, as a draft.")
    async def create_product(
        self, info: Info, input: inputs.CreateProductInput
    ) -> CreateProductPayload:
        fields = input_fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
        variants = fields.pop("variants")
        product = await products.create_product(fields, variants)
        return CreateProductPayload(product=(await build_products([product], info, None))[0])

    @mutation(permission_classes=_staff)
    async def update_product(
        self, info: Info, input: inputs.UpdateProductInput
    ) -> UpdateProductPayload:
        fields = input_fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
        product = await products.update_product(
            input_pk(input.id, "Product", "id", what="The product"),
            fields,
            actor=info.context.viewer.label,
        )
        return UpdateProductPayload(product=(await build_products([product], info, None))[0])

    @mutation(permission_classes=_staff, description="Delete a product for good.")
    async def delete_product(self, info: Info, input: inputs.DeleteInput) -> DeleteProductPayload:
        pk = input_pk(input.id, "Product", "id", what="The product")
        await products.delete_product(pk, actor=info.context.viewer.label)
        return DeleteProductPayload(deleted_id=input.id)

    @mutation(
        permission_classes=_staff,
        description="Put a product on sale now, or schedule it with a sale window.",
    )
    async def publish_product(
        self, info: Info, input: inputs.PublishProductInput
    ) -> PublishProductPayload:
        product = await listing.publish_product(
            input_pk(input.id, "Product", "id", what="The product"),
            actor=info.context.viewer.label,
            publish_at=input.publish_at,
            unpublish_at=input.unpublish_at,
        )
        return PublishProductPayload(product=(await build_products([product], info, None))[0])

    @mutation(permission_classes=_staff, description="Take a product off sale.")
    async def unpublish_product(
        self, info: Info, input: inputs.DeleteInput
    ) -> UnpublishProductPayload:
        product = await listing.unpublish_product(
            input_pk(input.id, "Product", "id", what="The product"), actor=info.context.viewer.label
        )
        return UnpublishProductPayload(product=(await build_products([product], info, None))[0])

    @mutation(permission_classes=_staff, description="Retire a product, kept for history.")
    async def archive_product(self, info: Info, input: inputs.DeleteInput) -> ArchiveProductPayload:
        product = await listing.archive_product(
            input_pk(input.id, "Product", "id", what="The product"), actor=info.context.viewer.label
        )
        return ArchiveProductPayload(product=(await build_products([product], info, None))[0])

    @mutation(permission_classes=_staff)
    async def translate_product(
        self, input: inputs.TranslateProductInput
    ) -> TranslateProductPayload:
        pk = input_pk(input.product_id, "Product", "productId", what="The product")
        fields = input_fields(input, ids={}, skip=("product_id", "locale"))
        tr = await translations.translate_product(pk, input.locale, fields)
        return TranslateProductPayload(translation=ProductTranslationType.build(tr))

    @mutation(permission_classes=_staff)
    async def delete_product_translation(
        self, input: inputs.DeleteTranslationInput
    ) -> DeleteTranslationPayload:
        await translations.delete_product_translation(
            input_pk(input.id, "Product", "id", what="The product"), input.locale
        )
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @mutation(permission_classes=_staff)
    async def create_product_variant(
        self, info: Info, input: inputs.CreateProductVariantInput
    ) -> CreateProductVariantPayload:
        pk = input_pk(input.product_id, "Product", "productId", what="The product")
        variant = await products.create_variant(
            pk, input_fields(input, ids={}, skip=("product_id",))
        )
        currency = info.context.settings.shop_currency
        return CreateProductVariantPayload(variant=ProductVariantType.build(variant, currency))

    @mutation(permission_classes=_staff)
    async def update_product_variant(
        self, info: Info, input: inputs.UpdateProductVariantInput
    ) -> UpdateProductVariantPayload:
        pk = input_pk(input.id, "ProductVariant", "id", what="The productvariant")
        variant = await products.update_variant(pk, input_fields(input, ids={}))
        currency = info.context.settings.shop_currency
        return UpdateProductVariantPayload(variant=ProductVariantType.build(variant, currency))

    @mutation(permission_classes=_staff)
    async def delete_product_variant(
        self, input: inputs.DeleteInput
    ) -> DeleteProductVariantPayload:
        await products.delete_variant(
            input_pk(input.id, "ProductVariant", "id", what="The productvariant")
        )
        return DeleteProductVariantPayload(deleted_id=input.id)

    @mutation(
        permission_classes=_staff,
        description="Upload a picture (multipart request); JPEG, PNG, WebP or GIF.",
    )
    async def upload_product_image(
        self, info: Info, input: inputs.UploadProductImageInput
    ) -> UploadProductImagePayload:
        [data] = await read_uploads([input.file], info.context.settings.max_image_bytes)
        pk = input_pk(input.product_id, "Product", "productId", what="The product")
        image = await images.add_image(pk, data, alt=input.alt)
        return UploadProductImagePayload(
            image=ProductImageType.build(image, info.context.media_base)
        )

    @mutation(permission_classes=_staff)
    async def update_product_image(
        self, info: Info, input: inputs.UpdateProductImageInput
    ) -> UpdateProductImagePayload:
        image = await images.update_image(
            input_pk(input.id, "ProductImage", "id", what="The productimage"), alt=input.alt
        )
        return UpdateProductImagePayload(
            image=ProductImageType.build(image, info.context.media_base)
        )

    @mutation(permission_classes=_staff)
    async def delete_product_image(self, input: inputs.DeleteInput) -> DeleteProductImagePayload:
        await images.delete_image(input_pk(input.id, "ProductImage", "id", what="The productimage"))
        return DeleteProductImagePayload(deleted_id=input.id)

    @mutation(permission_classes=_staff)
    async def reorder_product_images(
        self, info: Info, input: inputs.ReorderProductImagesInput
    ) -> ReorderProductImagesPayload:
        pk = input_pk(input.product_id, "Product", "productId", what="The product")
        ids = [
            input_pk(i, "ProductImage", "imageIds", what="The productimage")
            for i in input.image_ids
        ]
        rows = await images.reorder_images(pk, ids)
        base = info.context.media_base
        return ReorderProductImagesPayload(images=[ProductImageType.build(r, base) for r in rows])
