"""Brands: create, rename, delete (only when no product uses them)."""

from __future__ import annotations

from typing import TypedDict, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.catalog import Brand, Product
from services.catalog import rules, search
from services.catalog.errors import CatalogErrorCode, fail, not_found
from services.catalog.slugs import claim_slug
from services.transactions import atomic


class BrandFields(TypedDict, total=False):
    name: str
    slug: str | None
    description: str


def _checked(fields: BrandFields, *, creating: bool) -> BrandFields:
    clean = rules.checked_input(rules.NamingInput, fields, creating=creating, required=["name"])
    return cast(BrandFields, clean)


async def create_brand(fields: BrandFields) -> Brand:
    """A new brand; the slug comes from the name unless one is given."""
    clean = _checked(fields, creating=True)
    clean["slug"] = await claim_slug(Brand, wanted=clean.get("slug"), name=clean["name"])
    try:
        return await Brand.create(**clean)
    except IntegrityError:
        raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug is taken.", "slug") from None


async def update_brand(brand_id: int, fields: BrandFields) -> Brand:
    """The brand with the given fields changed."""
    brand = await Brand.get_or_none(id=brand_id)
    if brand is None:
        raise not_found("The brand", "id")
    clean = _checked(fields, creating=False)
    if "slug" in clean and clean["slug"] != brand.slug:
        await claim_slug(Brand, wanted=clean["slug"], name=brand.name, exclude_id=brand.id)
    renamed = "name" in clean and clean["name"] != brand.name
    brand.update_from_dict(dict(clean))
    try:
        async with atomic():
            if renamed:
                await search.lock_brand_products(brand.id)
            await brand.save()
            if renamed:
                await search.refresh_brand(brand.id)
    except IntegrityError:
        raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug is taken.", "slug") from None
    return brand


async def delete_brand(brand_id: int) -> None:
    """Delete a brand that no product uses."""
    async with in_transaction("default"):
        brand = await Brand.get_or_none(id=brand_id)
        if brand is None:
            raise not_found("The brand", "id")
        in_use = await Product.filter(brand_id=brand_id).count()
        if in_use:
            raise fail(
                CatalogErrorCode.BRAND_IN_USE,
                f"{in_use} product(s) use this brand; move or delete them first.",
                "id",
            )
        await brand.delete()
