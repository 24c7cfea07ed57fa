"""Product and category text per locale; a field left empty falls back to the default language."""

from __future__ import annotations

from typing import Any, TypedDict

from models.catalog import Category, CategoryTranslation, Product, ProductTranslation
from services.catalog import search
from services.catalog.errors import CatalogErrorCode, fail, not_found
from services.catalog.products import NameValue
from services.catalog.rules import Checks
from services.transactions import atomic
from settings import get_settings


class ProductTextFields(TypedDict, total=False):
    name: str | None
    description: str | None
    parameters: list[NameValue] | None
    features: list[str] | None
    instructions: str | None


class CategoryTextFields(TypedDict, total=False):
    name: str | None
    description: str | None


def _locale(locale: str, checks: Checks) -> str:
    settings = get_settings()
    code = checks.locale(locale, settings.supported_locales, "locale")
    if code == settings.default_locale:
        checks.add(
            CatalogErrorCode.INVALID_LOCALE,
            f"{code!r} is the default language: edit the product itself.",
            "locale",
        )
    return code


async def translate_product(
    product_id: int, locale: str, fields: ProductTextFields
) -> ProductTranslation:
    """Create or change the product's text in `locale`."""
    checks = Checks()
    code = _locale(locale, checks)
    clean: dict[str, Any] = {}
    if fields.get("name") is not None:
        clean["name"] = checks.text(fields["name"] or "", "name", max_length=200)
    for key in ("description", "instructions"):
        if key in fields:
            value = fields[key]
            clean[key] = value.strip() if value else None
    if "parameters" in fields:
        params = fields["parameters"]
        clean["parameters"] = checks.name_values(params, "parameters") if params else None
    if "features" in fields:
        features = [f.strip() for f in fields["features"] or [] if f.strip()]
        clean["features"] = features or None
    checks.raise_if_any()
    if not await Product.exists(id=product_id):
        raise not_found("The product", "product_id")
    async with atomic():
        translation, _ = await ProductTranslation.update_or_create(
            defaults=clean, product_id=product_id, locale=code
        )
        await search.refresh([product_id])
    return translation


async def delete_product_translation(product_id: int, locale: str) -> None:
    async with atomic():
        deleted = await ProductTranslation.filter(product_id=product_id, locale=locale).delete()
        if not deleted:
            raise fail(CatalogErrorCode.NOT_FOUND, "There is no such translation.", "locale")
        await search.refresh([product_id])


async def translate_category(
    category_id: int, locale: str, fields: CategoryTextFields
) -> CategoryTranslation:
    """Create or change the category's text in `locale`."""
    checks = Checks()
    code = _locale(locale, checks)
    clean: dict[str, Any] = {}
    if fields.get("name") is not None:
        clean["name"] = checks.text(fields["name"] or "", "name", max_length=120)
    if "description" in fields:
        clean["description"] = (fields["description"] or "").strip() or None
    checks.raise_if_any()
    if not await Category.exists(id=category_id):
        raise not_found("The category", "category_id")
    translation, _ = await CategoryTranslation.update_or_create(
        defaults=clean, category_id=category_id, locale=code
    )
    return translation


async def delete_category_translation(category_id: int, locale: str) -> None:
    deleted = await CategoryTranslation.filter(category_id=category_id, locale=locale).delete()
    if not deleted:
        raise fail(CatalogErrorCode.NOT_FOUND, "There is no such translation.", "locale")
