"""Unique slugs for brands, categories and products."""

from __future__ import annotations

import secrets

from tortoise.models import Model

from services.catalog.errors import CatalogErrorCode, fail
from services.catalog.rules import slugify


async def claim_slug(
    model: type[Model], *, wanted: str | None, name: str, exclude_id: int | None = None
) -> str:
    """A free slug: `wanted` exactly (else DUPLICATE_SLUG), or one derived from `name`."""
    taken = model.filter(slug=wanted or "")
    if exclude_id is not None:
        taken = taken.exclude(id=exclude_id)
    if wanted:
        if await taken.exists():
            raise fail(CatalogErrorCode.DUPLICATE_SLUG, f"The slug {wanted!r} is taken.", "slug")
        return wanted
    base = slugify(name) or model.__name__.lower()
    existing = set(await model.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in existing:
        return base
    for n in range(2, 1000):
        if f"{base}-{n}" not in existing:
            return f"{base}-{n}"
    return f"{base}-{secrets.token_hex(4)}"
