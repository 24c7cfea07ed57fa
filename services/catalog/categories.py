"""The category tree: create, rename, move (never under itself), delete when empty."""

from __future__ import annotations

from typing import TypedDict, cast

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.catalog import Category, Product
from services.catalog import rules
from services.catalog.errors import CatalogErrorCode, fail, not_found
from services.catalog.slugs import claim_slug


class CategoryFields(TypedDict, total=False):
    name: str
    slug: str | None
    description: str
    parent_id: int | None
    position: int


class CategoryInput(rules.NamingInput):
    parent_id: int | None = None
    position: int | None = None


def _checked(fields: CategoryFields, *, creating: bool) -> CategoryFields:
    clean = rules.checked_input(CategoryInput, fields, creating=creating, required=["name"])
    return cast(CategoryFields, clean)


async def _parent(parent_id: int | None) -> Category | None:
    if parent_id is None:
        return None
    parent = await Category.get_or_none(id=parent_id)
    if parent is None:
        raise not_found("The parent category", "parent_id")
    return parent


async def create_category(fields: CategoryFields) -> Category:
    """A new category, at the root or under `parent_id`."""
    clean = _checked(fields, creating=True)
    clean["slug"] = await claim_slug(Category, wanted=clean.get("slug"), name=clean["name"])
    async with in_transaction("default"):
        parent = await _parent(clean.pop("parent_id", None))
        try:
            category = await Category.create(**clean, parent=parent)
        except IntegrityError:
            raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug is taken.", "slug") from None
        category.path = f"{parent.path if parent else '/'}{category.id}/"
        await category.save(update_fields=["path"])
    return category


async def update_category(category_id: int, fields: CategoryFields) -> Category:
    """The category with the given fields changed; a new parent moves its whole subtree."""
    clean = _checked(fields, creating=False)
    async with in_transaction("default"):
        category = await Category.get_or_none(id=category_id)
        if category is None:
            raise not_found("The category", "id")
        if "slug" in clean and clean["slug"] != category.slug:
            await claim_slug(
                Category, wanted=clean["slug"], name=category.name, exclude_id=category.id
            )
        if "parent_id" in clean:
            await _move(category, await _parent(clean.pop("parent_id")))
        category.update_from_dict(dict(clean))
        try:
            await category.save()
        except IntegrityError:
            raise fail(CatalogErrorCode.DUPLICATE_SLUG, "The slug is taken.", "slug") from None
    return category


async def _move(category: Category, parent: Category | None) -> None:
    if parent is not None and parent.path.startswith(category.path):
        raise fail(
            CatalogErrorCode.CATEGORY_CYCLE,
            "A category cannot be moved under itself or one of its subcategories.",
            "parent_id",
        )
    old_prefix = category.path
    new_prefix = f"{parent.path if parent else '/'}{category.id}/"
    category.parent = parent
    category.path = new_prefix
    if old_prefix == new_prefix:
        return
    for descendant in await Category.filter(path__startswith=old_prefix).exclude(id=category.id):
        descendant.path = new_prefix + descendant.path[len(old_prefix) :]
        await descendant.save(update_fields=["path"])


async def delete_category(category_id: int) -> None:
    """Delete a category with no subcategories and no products."""
    async with in_transaction("default"):
        category = await Category.get_or_none(id=category_id)
        if category is None:
            raise not_found("The category", "id")
        children = await Category.filter(parent_id=category_id).count()
        products = await Product.filter(category_id=category_id).count()
        if children or products:
            raise fail(
                CatalogErrorCode.CATEGORY_NOT_EMPTY,
                f"The category has {children} subcategories and {products} products; "
                "move or delete them first.",
                "id",
            )
        await category.delete()
