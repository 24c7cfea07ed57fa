"""The catalog's expected failures."""

from __future__ import annotations

from enum import Enum

from services.errors import ServiceError


class CatalogErrorCode(Enum):
    NOT_FOUND = "not_found"
    REQUIRED = "required"
    INVALID = "invalid"
    INVALID_SLUG = "invalid_slug"
    DUPLICATE_SLUG = "duplicate_slug"
    DUPLICATE_SKU = "duplicate_sku"
    DUPLICATE_OPTIONS = "duplicate_options"
    INVALID_PRICE = "invalid_price"
    NEGATIVE_PRICE = "negative_price"
    INVALID_CURRENCY = "invalid_currency"
    INVALID_COUNTRY = "invalid_country"
    INVALID_HS_CODE = "invalid_hs_code"
    UNKNOWN_HS_CODE = "unknown_hs_code"
    INVALID_NATIONAL_CODE = "invalid_national_code"
    NATIONAL_CODE_MISMATCH = "national_code_mismatch"
    VAGUE_DESCRIPTION = "vague_description"
    INVALID_CHARACTERS = "invalid_characters"
    INVALID_LOCALE = "invalid_locale"
    INVALID_QUANTITY = "invalid_quantity"
    CATEGORY_CYCLE = "category_cycle"
    CATEGORY_NOT_EMPTY = "category_not_empty"
    BRAND_IN_USE = "brand_in_use"
    INVALID_SALE_WINDOW = "invalid_sale_window"
    PRODUCT_HAS_NO_VARIANTS = "product_has_no_variants"
    LAST_VARIANT = "last_variant"
    NOT_AN_IMAGE = "not_an_image"
    IMAGE_TOO_LARGE = "image_too_large"
    TOO_MANY_IMAGES = "too_many_images"
    INVALID_IMAGE_ORDER = "invalid_image_order"


class CatalogError(ServiceError[CatalogErrorCode]):
    """A catalog request that was refused; nothing was changed."""


fail, not_found = CatalogError.fail, CatalogError.not_found
