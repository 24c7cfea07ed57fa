"""The demo shop, loaded into an empty catalog through the catalog services.

`load_demo_catalog()` creates the brands, categories and products of `demo.data`
with the same service calls a merchant's requests make, so every catalog rule applies to
them. Product pictures are drawn on the spot: a gradient, a sketch of the kind of product
in its colour and its name, plus a card of key facts for some.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal

from tortoise import timezone
from tortoise.transactions import in_transaction

from demo import pictures
from demo.data import (
    BRANDS,
    CATEGORIES,
    DemoCategory,
    DemoProduct,
    Listing,
)
from demo.products import PRODUCTS
from models.catalog import Product
from services.catalog import brands, categories, images, listing, products, translations
from services.catalog.products import ProductFields, VariantFields
from services.catalog.translations import ProductTextFields

log = logging.getLogger("tradewind.demo")

#: progress(done, total, label), as `cli.progress` draws it.
Progress = Callable[[int, int, str], None]

ACTOR = "demo"
LABEL = "demo catalog"
#: A "scheduled" product goes on sale this long after loading; a "closing" one comes off.
SCHEDULED_IN = timedelta(days=7)
CLOSING_IN = timedelta(days=3)
#: Picture backgrounds for products of a category that names none.
DEFAULT_BACKDROPS = (("#eceff3", "#b8c2cf"),)


async def load_demo_catalog(*, progress: Progress | None = None) -> bool:
    """Fill an empty catalog with the demo shop; False, having done nothing, if it has products.

    Everything happens in one transaction, so an interrupted load leaves the catalog empty
    and the next call starts over rather than skipping a half-loaded shop.
    """
    report = progress or (lambda done, total, label: None)
    total = len(BRANDS) + len(CATEGORIES) + len(PRODUCTS)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        report(done, total, LABEL)

    started = time.perf_counter()
    # The listing service announces each publication on the event bus before this outer
    # transaction commits; nothing listens while a shop is being created from scratch.
    async with in_transaction("default"):
        if await Product.exists():
            log.info("demo.skipped_catalog_not_empty")
            return False
        report(done, total, LABEL)
        brand_ids: dict[str, int] = {}
        for brand in BRANDS:
            created = await brands.create_brand(
                {"name": brand.name, "description": brand.description}
            )
            brand_ids[brand.key] = created.id
            step()
        category_ids: dict[str, int] = {}
        for category in CATEGORIES:
            category_ids[category.key] = await _load_category(category, category_ids)
            step()
        backdrops = {c.key: c.backdrops or DEFAULT_BACKDROPS for c in CATEGORIES}
        now = timezone.now()
        for index, item in enumerate(_categories_taking_turns(PRODUCTS)):
            await _load_product(
                item,
                brand_id=brand_ids[item.brand],
                category_id=category_ids[item.category],
                backdrop=backdrops[item.category][index % len(backdrops[item.category])],
                fact_card=index % 3 != 2,
                now=now,
            )
            step()
    log.info(
        "demo.loaded",
        extra={"products": len(PRODUCTS), "seconds": round(time.perf_counter() - started, 2)},
    )
    return True


async def _load_category(category: DemoCategory, ids: dict[str, int]) -> int:
    created = await categories.create_category(
        {
            "name": category.text.name,
            "description": category.text.description,
            "parent_id": ids[category.parent] if category.parent else None,
            "position": len(ids),
        }
    )
    for locale, text in category.translations.items():
        await translations.translate_category(
            created.id, locale, {"name": text.name, "description": text.description}
        )
    return created.id


def _categories_taking_turns(items: Sequence[DemoProduct]) -> list[DemoProduct]:
    """The products reordered so that categories alternate: "newest first" shows a mix."""
    queues: dict[str, list[DemoProduct]] = {}
    for item in items:
        queues.setdefault(item.category, []).append(item)
    ordered: list[DemoProduct] = []
    while len(ordered) < len(items):
        ordered += [queue.pop(0) for queue in queues.values() if queue]
    return ordered


async def _load_product(
    item: DemoProduct,
    *,
    brand_id: int,
    category_id: int,
    backdrop: tuple[str, str],
    fact_card: bool,
    now: datetime,
) -> None:
    fields: ProductFields = {
        "name": item.name,
        "description": item.description,
        "parameters": [{"name": n, "value": v} for n, v in item.parameters],
        "features": list(item.features),
        "instructions": item.instructions,
        "brand_id": brand_id,
        "category_id": category_id,
        "origin_country": item.origin,
        "specification": item.specification,
        "model": item.model,
        "material": item.material,
        "product_type": item.product_type,
        "usage": item.usage,
        "hs_code": item.hs_code,
        "weight_grams": item.weight_grams,
    }
    variants: list[VariantFields] = [
        {
            "sku": v.sku,
            "name": " / ".join(value for _, value in v.options),
            "options": [{"name": n, "value": value} for n, value in v.options],
            "price": Decimal(v.price),
            "compare_at_price": Decimal(v.compare_at) if v.compare_at else None,
            "initial_stock": v.stock,
        }
        for v in item.variants
    ]
    product = await products.create_product(fields, variants)
    for locale, text in item.translations.items():
        text_fields: ProductTextFields = {"name": text.name, "description": text.description}
        if text.features:
            text_fields["features"] = list(text.features)
        await translations.translate_product(product.id, locale, text_fields)
    # Drawing is CPU work; a thread keeps the event loop free for whoever shares it.
    drawn = await asyncio.to_thread(pictures.pictures, item, backdrop, fact_card)
    for data, alt in drawn:
        await images.add_image(product.id, data, alt=alt)
    await _put_on_shelf(product.id, item.listing, now)
    if item.sales:
        # Sales belong to the orders domain; a demo just has some. Ratings come from the
        # approved reviews that demo.reviews writes.
        await Product.filter(id=product.id).update(sales_count=item.sales)


async def _put_on_shelf(product_id: int, how: Listing, now: datetime) -> None:
    if how == "draft":
        return
    await listing.publish_product(
        product_id,
        actor=ACTOR,
        publish_at=now + SCHEDULED_IN if how == "scheduled" else None,
        unpublish_at=now + CLOSING_IN if how == "closing" else None,
    )
