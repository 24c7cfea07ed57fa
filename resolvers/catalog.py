"""Catalog root fields: storefront queries, and merchant mutations that each call one service."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, TypeVar, cast

import strawberry
from starlette.datastructures import UploadFile
from strawberry.permission import BasePermission
from tortoise.expressions import Q
from tortoise.models import Model

from models.catalog import Brand, Category, Product
from schema.catalog import inputs
from schema.catalog.connections import BrandConnection, CategoryConnection, ProductConnection
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
    CategoryType,
    ProductImageType,
    ProductTranslationType,
    ProductType,
    ProductVariantType,
    build_categories,
    build_products,
    can_see,
)
from schema.context import Context, Info
from schema.errors import BadUserInput, Forbidden
from schema.permissions import CanManageCatalog
from schema.relay import SortDirection, decode_id, edges_of, encode_id, page_request
from services import i18n
from services.auth import StaffPermission
from services.catalog import (
    brands,
    browsing,
    categories,
    images,
    listing,
    products,
    translations,
)
from services.catalog.errors import CatalogError, not_found
from services.errors import ServiceError
from services.money import InvalidAmount, Money
from services.pagination import Page, paginate

M = TypeVar("M", bound=Model)

# ---------------------------------------------------------------- helpers


def _pk(value: str, type_name: str, *field: str) -> int:
    """The primary key of a global ID of `type_name`, or a NOT_FOUND catalog error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(f"The {type_name.lower()}", *field)
    return pk


def _plain(value: Any) -> Any:
    """An input object as plain data: dicts of the fields given, enums as their values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not strawberry.UNSET
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


def _fields(input: Any, *, ids: dict[str, str], skip: tuple[str, ...] = ("id",)) -> Any:
    """The fields an input gives, global IDs in `ids` (field -> type) decoded to keys.

    Typed `Any`: the keys are the snake_case input fields, which are the keys of the
    service's `...Fields` typed dict.
    """
    data = {k: v for k, v in _plain(input).items() if k not in skip}
    for key, type_name in ids.items():
        if data.get(key) is not None:
            data[key] = _pk(data[key], type_name, _camel(key))
    return data


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _locale(locale: str | None, ctx: Context) -> str:
    if locale is None:
        return ctx.locale
    return i18n.negotiate([locale], ctx.settings.supported_locales, ctx.settings.default_locale)


async def _page(pending: Awaitable[Page[M]]) -> Page[M]:
    try:
        return await pending
    except ServiceError as exc:
        raise BadUserInput.from_service_error(exc) from None


def _filter(given: inputs.ProductFilter | None, info: Info) -> browsing.ProductFilter:
    """The service filter for an input filter; statuses are for catalog staff only."""
    if given is None:
        return browsing.ProductFilter()
    ctx = info.context
    if given.statuses is not None and not ctx.viewer.can(StaffPermission.CATALOG):
        raise Forbidden("Only catalog staff can list products by status.")
    try:
        category_ids = [_pk(i, "Category", "categories") for i in given.categories or ()]
        brand_ids = [_pk(i, "Brand", "brands") for i in given.brands or ()]
    except CatalogError as exc:
        raise BadUserInput.from_service_error(exc) from None
    price = given.price or inputs.PriceRangeInput()
    return browsing.ProductFilter(
        category_ids=category_ids,
        brand_ids=brand_ids,
        origins=[o.value for o in given.origins or ()],
        product_types=given.product_types or (),
        usages=given.usages or (),
        price_min=_minor(price.min, ctx),
        price_max=_minor(price.max, ctx),
        in_stock=given.in_stock,
        search=given.search,
        statuses=given.statuses,
    )


def _minor(amount: Decimal | None, ctx: Context) -> int | None:
    if amount is None:
        return None
    try:
        return Money.from_decimal(amount, ctx.settings.shop_currency).minor
    except InvalidAmount as exc:
        raise BadUserInput(str(exc), field="price") from None


# ---------------------------------------------------------------- queries


@strawberry.type
class CatalogQuery:
    @strawberry.field(description="Products shoppers see now (staff may filter by status).")
    async def products(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: inputs.ProductFilter | None = None,
        sort_by: inputs.ProductSortInput | None = None,
        locale: Annotated[
            str | None,
            strawberry.argument(description="Language of text fields; else Accept-Language."),
        ] = None,
    ) -> ProductConnection:
        ctx = info.context
        service_filter = _filter(filter, info)
        sort = sort_by or inputs.ProductSortInput()
        page = await _page(
            browsing.list_products(
                service_filter,
                page_request(first, after, last, before),
                sort=sort.field,
                descending=sort.direction == SortDirection.DESC,
                max_size=ctx.settings.max_page_size,
            )
        )
        # Brands and categories came joined to the page; the loaders need not fetch them.
        ctx.loaders.brand.prime_all(b for b in (p.brand for p in page.items) if b is not None)
        ctx.loaders.category.prime_all(c for c in (p.category for p in page.items) if c is not None)
        nodes = await build_products(page.items, info, _locale(locale, ctx))
        edges, page_info = edges_of(page, nodes)
        return ProductConnection(
            edges=edges,
            page_info=page_info,
            _count=lambda: browsing.count_products(service_filter),
            _filter=service_filter,
        )

    @strawberry.field(description="One product by ID or slug; shoppers see visible ones only.")
    async def product(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
    ) -> ProductType | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of `id` and `slug`.")
        row: Product | None
        if id is not None:
            pk = decode_id(id, "Product")
            row = await info.context.loaders.product.load(pk) if pk else None
        else:
            row = await Product.get_or_none(slug=slug)
        if row is None or not can_see(row, info):
            return None
        return (await build_products([row], info, _locale(locale, info.context)))[0]

    @strawberry.field(description="Categories in display order: top-level ones, or a parent's.")
    async def categories(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        parent_id: strawberry.ID | None = None,
        top_level: bool = False,
        locale: str | None = None,
    ) -> CategoryConnection:
        qs = Category.all()
        if parent_id is not None:
            qs = qs.filter(parent_id=decode_id(parent_id, "Category") or 0)
        elif top_level:
            qs = qs.filter(parent_id__isnull=True)
        page = await _page(
            paginate(
                qs,
                page_request(first, after, last, before),
                sort_field="position",
                max_size=info.context.settings.max_page_size,
            )
        )
        nodes = await build_categories(page.items, info, _locale(locale, info.context))
        edges, page_info = edges_of(page, nodes)
        return CategoryConnection(edges=edges, page_info=page_info, _count=qs.count)

    @strawberry.field
    async def category(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        locale: str | None = None,
    ) -> CategoryType | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of `id` and `slug`.")
        if id is not None:
            pk = decode_id(id, "Category")
            row = await info.context.loaders.category.load(pk) if pk else None
        else:
            row = await Category.get_or_none(slug=slug)
        if row is None:
            return None
        return (await build_categories([row], info, _locale(locale, info.context)))[0]

    @strawberry.field(description="Brands by name.")
    async def brands(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        search: str | None = None,
    ) -> BrandConnection:
        qs = Brand.all()
        if search and search.strip():
            qs = qs.filter(Q(name__icontains=search.strip()) | Q(slug__icontains=search.strip()))
        page = await _page(
            paginate(
                qs,
                page_request(first, after, last, before),
                sort_field="name",
                max_size=info.context.settings.max_page_size,
            )
        )
        edges, page_info = edges_of(page, [BrandType.build(b) for b in page.items])
        return BrandConnection(edges=edges, page_info=page_info, _count=qs.count)

    @strawberry.field
    async def brand(
        self, info: Info, id: strawberry.ID | None = None, slug: str | None = None
    ) -> BrandType | None:
        if (id is None) == (slug is None):
            raise BadUserInput("Give exactly one of `id` and `slug`.")
        if id is not None:
            pk = decode_id(id, "Brand")
            row = await info.context.loaders.brand.load(pk) if pk else None
        else:
            row = await Brand.get_or_none(slug=slug)
        return BrandType.build(row) if row else None


# ---------------------------------------------------------------- mutations

_staff: list[type[BasePermission]] = [CanManageCatalog]


@strawberry.type
class CatalogMutation:
    @strawberry.mutation(permission_classes=_staff)
    async def create_brand(self, input: inputs.CreateBrandInput) -> CreateBrandPayload:
        try:
            brand = await brands.create_brand(_fields(input, ids={}))
        except CatalogError as exc:
            return CreateBrandPayload(errors=catalog_errors(exc))
        return CreateBrandPayload(brand=BrandType.build(brand))

    @strawberry.mutation(permission_classes=_staff)
    async def update_brand(self, input: inputs.UpdateBrandInput) -> UpdateBrandPayload:
        try:
            brand = await brands.update_brand(
                _pk(input.id, "Brand", "id"),
                _fields(input, ids={}),
            )
        except CatalogError as exc:
            return UpdateBrandPayload(errors=catalog_errors(exc))
        return UpdateBrandPayload(brand=BrandType.build(brand))

    @strawberry.mutation(permission_classes=_staff)
    async def delete_brand(self, input: inputs.DeleteInput) -> DeleteBrandPayload:
        try:
            await brands.delete_brand(_pk(input.id, "Brand", "id"))
        except CatalogError as exc:
            return DeleteBrandPayload(errors=catalog_errors(exc))
        return DeleteBrandPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def create_category(
        self, info: Info, input: inputs.CreateCategoryInput
    ) -> CreateCategoryPayload:
        try:
            fields = _fields(input, ids={"parent_id": "Category"})
            category = await categories.create_category(fields)
        except CatalogError as exc:
            return CreateCategoryPayload(errors=catalog_errors(exc))
        return CreateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def update_category(
        self, info: Info, input: inputs.UpdateCategoryInput
    ) -> UpdateCategoryPayload:
        try:
            fields = _fields(input, ids={"parent_id": "Category"})
            category = await categories.update_category(_pk(input.id, "Category", "id"), fields)
        except CatalogError as exc:
            return UpdateCategoryPayload(errors=catalog_errors(exc))
        return UpdateCategoryPayload(category=(await build_categories([category], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def delete_category(self, input: inputs.DeleteInput) -> DeleteCategoryPayload:
        try:
            await categories.delete_category(_pk(input.id, "Category", "id"))
        except CatalogError as exc:
            return DeleteCategoryPayload(errors=catalog_errors(exc))
        return DeleteCategoryPayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def translate_category(
        self, info: Info, input: inputs.TranslateCategoryInput
    ) -> TranslateCategoryPayload:
        try:
            pk = _pk(input.category_id, "Category", "categoryId")
            fields = _fields(input, ids={}, skip=("category_id", "locale"))
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
            pk = _pk(input.id, "Category", "id")
            await translations.delete_category_translation(pk, input.locale)
        except CatalogError as exc:
            return DeleteTranslationPayload(errors=catalog_errors(exc))
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @strawberry.mutation(permission_classes=_staff, description="A new product, as a draft.")
    async def create_product(
        self, info: Info, input: inputs.CreateProductInput
    ) -> CreateProductPayload:
        try:
            fields = _fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
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
            fields = _fields(input, ids={"brand_id": "Brand", "category_id": "Category"})
            product = await products.update_product(_pk(input.id, "Product", "id"), fields)
        except CatalogError as exc:
            return UpdateProductPayload(errors=catalog_errors(exc))
        return UpdateProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff, description="Delete a product for good.")
    async def delete_product(self, info: Info, input: inputs.DeleteInput) -> DeleteProductPayload:
        try:
            pk = _pk(input.id, "Product", "id")
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
                _pk(input.id, "Product", "id"),
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
                _pk(input.id, "Product", "id"), actor=info.context.viewer.label
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
                _pk(input.id, "Product", "id"), actor=info.context.viewer.label
            )
        except CatalogError as exc:
            return ArchiveProductPayload(errors=catalog_errors(exc))
        return ArchiveProductPayload(product=(await build_products([product], info, None))[0])

    @strawberry.mutation(permission_classes=_staff)
    async def translate_product(
        self, input: inputs.TranslateProductInput
    ) -> TranslateProductPayload:
        try:
            pk = _pk(input.product_id, "Product", "productId")
            fields = _fields(input, ids={}, skip=("product_id", "locale"))
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
                _pk(input.id, "Product", "id"), input.locale
            )
        except CatalogError as exc:
            return DeleteTranslationPayload(errors=catalog_errors(exc))
        return DeleteTranslationPayload(deleted_locale=input.locale)

    @strawberry.mutation(permission_classes=_staff)
    async def create_product_variant(
        self, info: Info, input: inputs.CreateProductVariantInput
    ) -> CreateProductVariantPayload:
        try:
            pk = _pk(input.product_id, "Product", "productId")
            variant = await products.create_variant(
                pk, _fields(input, ids={}, skip=("product_id",))
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
            pk = _pk(input.id, "ProductVariant", "id")
            variant = await products.update_variant(pk, _fields(input, ids={}))
        except CatalogError as exc:
            return UpdateProductVariantPayload(errors=catalog_errors(exc))
        currency = info.context.settings.shop_currency
        return UpdateProductVariantPayload(variant=ProductVariantType.build(variant, currency))

    @strawberry.mutation(permission_classes=_staff)
    async def delete_product_variant(
        self, input: inputs.DeleteInput
    ) -> DeleteProductVariantPayload:
        try:
            await products.delete_variant(_pk(input.id, "ProductVariant", "id"))
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
            pk = _pk(input.product_id, "Product", "productId")
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
            image = await images.update_image(_pk(input.id, "ProductImage", "id"), alt=input.alt)
        except CatalogError as exc:
            return UpdateProductImagePayload(errors=catalog_errors(exc))
        return UpdateProductImagePayload(
            image=ProductImageType.build(image, info.context.media_base)
        )

    @strawberry.mutation(permission_classes=_staff)
    async def delete_product_image(self, input: inputs.DeleteInput) -> DeleteProductImagePayload:
        try:
            await images.delete_image(_pk(input.id, "ProductImage", "id"))
        except CatalogError as exc:
            return DeleteProductImagePayload(errors=catalog_errors(exc))
        return DeleteProductImagePayload(deleted_id=input.id)

    @strawberry.mutation(permission_classes=_staff)
    async def reorder_product_images(
        self, info: Info, input: inputs.ReorderProductImagesInput
    ) -> ReorderProductImagesPayload:
        try:
            pk = _pk(input.product_id, "Product", "productId")
            ids = [_pk(i, "ProductImage", "imageIds") for i in input.image_ids]
            rows = await images.reorder_images(pk, ids)
        except CatalogError as exc:
            return ReorderProductImagesPayload(errors=catalog_errors(exc))
        base = info.context.media_base
        return ReorderProductImagesPayload(images=[ProductImageType.build(r, base) for r in rows])


__all__ = ["CatalogMutation", "CatalogQuery", "encode_id"]
