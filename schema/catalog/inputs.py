"""Catalog inputs: filters, sorting, and the inputs of every merchant mutation.

Optional fields left out of an update input are left unchanged; `null` clears them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from schema.catalog.customs import NationalCodeInput
from schema.catalog.types import ListingStatusEnum
from schema.geo import CountryCode
from schema.relay import SortDirection
from services.catalog.browsing import ProductSort

ProductSortField = strawberry.enum(ProductSort, name="ProductSortField")
_unset: Any = strawberry.UNSET


@strawberry.input
class NameValueInput:
    name: str
    value: str


@strawberry.input(description="Prices are in the shop currency.")
class PriceRangeInput:
    min: Decimal | None = None
    max: Decimal | None = None


@strawberry.input
class ProductFilter:
    categories: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Category IDs; each includes its subcategories."
    )
    brands: list[strawberry.ID] | None = None
    origins: list[CountryCode] | None = None
    product_types: list[str] | None = None
    usages: list[str] | None = None
    price: PriceRangeInput | None = strawberry.field(
        default=None, description="Bounds on the lowest variant price, in the shop currency."
    )
    in_stock: bool | None = None
    search: str | None = strawberry.field(
        default=None,
        description="Words to find in names and descriptions (in every language), brands, "
        "models and SKUs; each word may be part of a longer one, and a misspelt word also "
        "finds the catalog's words a typo or two away. At most 200 characters.",
    )
    statuses: list[ListingStatusEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Staff only: list products in these statuses instead of the visible ones.",
    )


@strawberry.input(
    description="Without `sortBy`, a search lists the most relevant products first "
    "(`RELEVANCE`), any other list the newest listed first."
)
class ProductSortInput:
    field: ProductSortField = ProductSort.LISTED_AT  # type: ignore[valid-type]
    direction: SortDirection = SortDirection.DESC


@strawberry.input
class CreateBrandInput:
    name: str
    slug: str | None = None
    description: str = ""


@strawberry.input
class UpdateBrandInput:
    id: strawberry.ID
    name: str | None = _unset
    slug: str | None = _unset
    description: str | None = _unset


@strawberry.input
class DeleteInput:
    id: strawberry.ID


@strawberry.input
class CreateCategoryInput:
    name: str
    slug: str | None = None
    description: str = ""
    parent_id: strawberry.ID | None = None
    position: int = 0


@strawberry.input
class UpdateCategoryInput:
    id: strawberry.ID
    name: str | None = _unset
    slug: str | None = _unset
    description: str | None = _unset
    parent_id: strawberry.ID | None = strawberry.field(
        default=_unset, description="Move under this category; null moves to the top level."
    )
    position: int | None = _unset


@strawberry.input
class ProductVariantInput:
    sku: str
    price: Decimal
    name: str = ""
    options: list[NameValueInput] = strawberry.field(default_factory=list)
    compare_at_price: Decimal | None = None
    initial_stock: int = strawberry.field(
        default=0,
        description="Units on hand to start with, recorded as a receipt; later changes go "
        "through receiveStock and adjustStock.",
    )
    weight_grams: int | None = None
    hs_code: str | None = strawberry.field(
        default=None, description="The variant's own 6-digit HS code; null: the product's."
    )
    national_codes: list[NationalCodeInput] | None = strawberry.field(
        default=None, description="The variant's own national codes; null: the product's."
    )
    origin_country: CountryCode | None = None
    customs_description: str | None = None
    net_weight_grams: int | None = None


@strawberry.input
class CreateProductInput:
    name: str
    slug: str | None = None
    description: str = ""
    parameters: list[NameValueInput] = strawberry.field(default_factory=list)
    features: list[str] = strawberry.field(default_factory=list)
    instructions: str = ""
    brand_id: strawberry.ID | None = None
    category_id: strawberry.ID | None = None
    origin_country: CountryCode | None = None
    specification: str = ""
    model: str = ""
    material: str = ""
    product_type: str = ""
    usage: str = ""
    hs_code: str | None = strawberry.field(
        default=None, description="The 6-digit HS subheading (dots and spaces are ignored)."
    )
    national_codes: list[NationalCodeInput] = strawberry.field(
        default_factory=list, description="National tariff codes by destination."
    )
    customs_description: str = strawberry.field(
        default="", description='What the goods are, for customs: not "gift" or "clothes".'
    )
    net_weight_grams: int | None = None
    dangerous_goods: bool = False
    excise_goods: bool = False
    weight_grams: int | None = None
    early_access_until: datetime | None = strawberry.field(
        default=None, description="Members-first until then: only early-access tiers see it."
    )
    delist_when_sold_out: bool = strawberry.field(
        default=False, description="Take the product off the shelf when its last unit sells."
    )
    variants: list[ProductVariantInput] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateProductInput:
    id: strawberry.ID
    name: str | None = _unset
    slug: str | None = _unset
    description: str | None = _unset
    parameters: list[NameValueInput] | None = _unset
    features: list[str] | None = _unset
    instructions: str | None = _unset
    brand_id: strawberry.ID | None = _unset
    category_id: strawberry.ID | None = _unset
    origin_country: CountryCode | None = _unset
    specification: str | None = _unset
    model: str | None = _unset
    material: str | None = _unset
    product_type: str | None = _unset
    usage: str | None = _unset
    hs_code: str | None = strawberry.field(
        default=_unset,
        description="The 6-digit HS subheading; null clears it with the national codes.",
    )
    national_codes: list[NationalCodeInput] | None = strawberry.field(
        default=_unset, description="Every national code, replacing those stored."
    )
    customs_description: str | None = _unset
    net_weight_grams: int | None = _unset
    dangerous_goods: bool | None = _unset
    excise_goods: bool | None = _unset
    weight_grams: int | None = _unset
    early_access_until: datetime | None = strawberry.field(
        default=_unset, description="Members-first until then; null ends early access."
    )
    delist_when_sold_out: bool | None = strawberry.field(
        default=_unset, description="Take the product off the shelf when its last unit sells."
    )


@strawberry.input
class PublishProductInput:
    id: strawberry.ID
    publish_at: datetime | None = strawberry.field(
        default=None, description="Start of the sale window; now when left out."
    )
    unpublish_at: datetime | None = strawberry.field(
        default=None, description="End of the sale window; open-ended when left out."
    )


@strawberry.input
class CreateProductVariantInput(ProductVariantInput):
    product_id: strawberry.ID


@strawberry.input
class UpdateProductVariantInput:
    id: strawberry.ID
    sku: str | None = _unset
    name: str | None = _unset
    options: list[NameValueInput] | None = _unset
    price: Decimal | None = _unset
    compare_at_price: Decimal | None = _unset
    position: int | None = _unset
    weight_grams: int | None = _unset
    hs_code: str | None = strawberry.field(
        default=_unset, description="The variant's own HS code; null: the product's."
    )
    national_codes: list[NationalCodeInput] | None = strawberry.field(
        default=_unset, description="The variant's own national codes; null: the product's."
    )
    origin_country: CountryCode | None = strawberry.field(
        default=_unset, description="The variant's own origin; null: the product's."
    )
    customs_description: str | None = strawberry.field(
        default=_unset, description="The variant's own customs description; null: the product's."
    )
    net_weight_grams: int | None = strawberry.field(
        default=_unset, description="The variant's own net weight; null: the product's."
    )


@strawberry.input
class TranslateProductInput:
    product_id: strawberry.ID
    locale: str
    name: str | None = _unset
    description: str | None = _unset
    parameters: list[NameValueInput] | None = _unset
    features: list[str] | None = _unset
    instructions: str | None = _unset


@strawberry.input
class TranslateCategoryInput:
    category_id: strawberry.ID
    locale: str
    name: str | None = _unset
    description: str | None = _unset


@strawberry.input
class DeleteTranslationInput:
    id: strawberry.ID = strawberry.field(description="The product or category.")
    locale: str


@strawberry.input
class UploadProductImageInput:
    product_id: strawberry.ID
    file: Upload
    alt: str = ""


@strawberry.input
class UpdateProductImageInput:
    id: strawberry.ID
    alt: str


@strawberry.input
class ReorderProductImagesInput:
    product_id: strawberry.ID
    image_ids: list[strawberry.ID] = strawberry.field(description="Every image, in the new order.")
