"""The benchmark catalog of `bench-catalog.md`, deterministic to the byte.

`seed_catalog(products)` replaces the whole catalog: every listing event, image,
translation, variant, product, category and brand row goes (with the image files those
rows referred to), then 20 categories, 50 brands and `products` active, visible products
with two variants, stock, prices and one 16x16 PNG each are bulk-inserted. Rows get fixed
ids (product `i` has id `i`, its variants `2i-1` and `2i`), so that two seeded databases
answer a query with the same global IDs; PostgreSQL sequences are moved past them.

Everything but the image files happens in one transaction: a failed seed leaves the old
catalog in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from PIL import Image
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.transactions import in_transaction

from models.catalog import (
    Brand,
    Category,
    CategoryTranslation,
    ListingCause,
    ListingStatus,
    Product,
    ProductImage,
    ProductListingEvent,
    ProductTranslation,
    ProductVariant,
)
from models.inventory import MovementKind, StockMovement
from services import media
from services.catalog import search
from settings import get_settings

log = logging.getLogger("tradewind.bench")

#: progress(done, total, label), as `cli.progress` draws it.
Progress = Callable[[int, int, str], None]

CURRENCY = "USD"
CATEGORY_COUNT = 20
BRAND_COUNT = 50
ORIGINS = ("DE", "FR", "IT", "ES", "JP", "CN", "US", "GB", "BR", "IN")
#: Product `i` is listed (and created) `i` seconds after this, so "newest first" is stable.
BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
IMAGE_SIZE = 16
#: Rows per INSERT batch.
BATCH_SIZE = 500
#: Image files written at the same time.
IMAGE_CONCURRENCY = 32
ACTOR = "bench-seed"

#: Catalog tables in an order in which their rows can be deleted.
CATALOG_MODELS: tuple[type[Model], ...] = (
    StockMovement,
    ProductListingEvent,
    ProductImage,
    ProductTranslation,
    ProductVariant,
    Product,
    CategoryTranslation,
    Category,
    Brand,
)

M = TypeVar("M", bound=Model)


class SeedError(RuntimeError):
    """The benchmark catalog cannot be loaded into this shop."""


@dataclass(frozen=True, slots=True)
class BenchVariant:
    id: int
    sku: str
    size: str
    position: int
    price: int
    stock: int


@dataclass(frozen=True, slots=True)
class BenchProduct:
    """Product `index` of the benchmark catalog, as bench-catalog.md defines it."""

    index: int
    name: str
    slug: str
    description: str
    category_id: int
    brand_id: int
    origin: str
    listed_at: datetime
    variants: tuple[BenchVariant, BenchVariant]

    @property
    def price_min(self) -> int:
        return min(v.price for v in self.variants)

    @property
    def price_max(self) -> int:
        return max(v.price for v in self.variants)


def category_name(number: int) -> str:
    return f"Category {number:02d}"


def brand_name(number: int) -> str:
    return f"Brand {number:02d}"


def bench_product(i: int) -> BenchProduct:
    """Product `i` (1-based) of the benchmark catalog."""
    if i < 1:
        raise ValueError("Product indexes start at 1.")
    padded = f"{i:04d}"
    category = (i - 1) % CATEGORY_COUNT + 1
    brand = (i - 1) % BRAND_COUNT + 1
    origin = ORIGINS[(i - 1) % len(ORIGINS)]
    small = 500 + (i * 7919 % 9500)
    return BenchProduct(
        index=i,
        name=f"Product {padded}",
        slug=f"product-{padded}",
        description=(
            f"Benchmark product {padded}: deterministic catalog item in "
            f"{category_name(category)} by {brand_name(brand)}, made in {origin}."
        ),
        category_id=category,
        brand_id=brand,
        origin=origin,
        listed_at=BASE_TIME + timedelta(seconds=i),
        variants=(
            BenchVariant(2 * i - 1, f"SKU-{padded}-S", "S", 0, small, (i * 31) % 100),
            BenchVariant(2 * i, f"SKU-{padded}-L", "L", 1, small + 250, (i * 17) % 100),
        ),
    )


def product_png(i: int) -> bytes:
    """A 16x16 PNG that differs for every product index below 65,536."""
    background = ((i * 37) % 256, ((i >> 8) * 61 + 40) % 256, (i * 53) % 256)
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), background)
    for k in range(IMAGE_SIZE):
        image.putpixel((k, k), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _batches(items: Sequence[M], size: int = BATCH_SIZE) -> Iterator[Sequence[M]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Reporter:
    def __init__(self, progress: Progress | None) -> None:
        self._progress = progress

    def __call__(self, done: int, total: int, label: str) -> None:
        if self._progress is not None:
            self._progress(done, total, label)


async def _insert(
    model: type[M], rows: Sequence[M], db: BaseDBAsyncClient, report: _Reporter, label: str
) -> None:
    done = 0
    report(done, len(rows), label)
    for batch in _batches(rows):
        await model.bulk_create(batch, batch_size=BATCH_SIZE, using_db=db)
        done += len(batch)
        report(done, len(rows), label)


async def _clear(db: BaseDBAsyncClient, report: _Reporter) -> list[str]:
    """Delete every catalog row; returns the image paths the deleted rows referred to."""
    paths = [str(p) for p in await ProductImage.all().using_db(db).values_list("path", flat=True)]
    # Categories restrict deleting a parent before its children: flatten the tree first.
    await Category.filter(parent_id__isnull=False).using_db(db).update(parent_id=None)
    for done, model in enumerate(CATALOG_MODELS, start=1):
        await model.all().using_db(db).delete()
        report(done, len(CATALOG_MODELS), "clearing catalog")
    return paths


async def _reset_sequences(db: BaseDBAsyncClient) -> None:
    """PostgreSQL: move each id sequence past the ids given explicitly."""
    if db.capabilities.dialect != "postgres":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    for model in CATALOG_MODELS:
        table = model._meta.db_table
        await db.execute_query(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE(MAX(id), 0) + 1, false) FROM {table}"
        )


async def _store_images(count: int, report: _Reporter) -> list[media.StoredImage]:
    """Write product 1..count's picture under the media folder, in product order."""
    stored: list[media.StoredImage | None] = [None] * count
    semaphore = asyncio.Semaphore(IMAGE_CONCURRENCY)
    done = 0

    async def store(i: int) -> None:
        nonlocal done
        async with semaphore:
            stored[i - 1] = await media.store_image(product_png(i), folder=f"products/{i}")
        done += 1
        if done % 100 == 0 or done == count:
            report(done, count, "image files")

    report(0, count, "image files")
    await asyncio.gather(*(store(i) for i in range(1, count + 1)))
    return [s for s in stored if s is not None]


def _discard_files(paths: set[str]) -> None:
    """Remove media files no row refers to any more, and the folders left empty."""
    root = get_settings().media_dir.resolve()
    for relative in sorted(paths):
        target = (root / relative).resolve()
        if not target.is_relative_to(root):
            continue
        try:
            target.unlink(missing_ok=True)
        except OSError:
            log.warning("bench.discard_failed", extra={"path": relative})
            continue
        folder: Path = target.parent
        while folder != root and folder.is_relative_to(root):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only succeeds while empty
            if folder.exists():
                break
            folder = folder.parent


def _rows(
    count: int,
) -> tuple[list[Product], list[ProductVariant], list[StockMovement], list[ProductListingEvent]]:
    products: list[Product] = []
    variants: list[ProductVariant] = []
    # Stock enters through the ledger: each variant's stock is one receipt, so the
    # movements add up to the figures as everywhere else.
    receipts: list[StockMovement] = []
    events: list[ProductListingEvent] = []
    for i in range(1, count + 1):
        p = bench_product(i)
        products.append(
            Product(
                id=i,
                slug=p.slug,
                name=p.name,
                description=p.description,
                brand_id=p.brand_id,
                category_id=p.category_id,
                origin_country=p.origin,
                status=ListingStatus.ACTIVE,
                listed_at=p.listed_at,
                listing_visible=True,
                price_min=p.price_min,
                price_max=p.price_max,
                created_at=p.listed_at,
            )
        )
        variants.extend(
            ProductVariant(
                id=v.id,
                product_id=i,
                sku=v.sku,
                name=v.size,
                options=[{"name": "size", "value": v.size}],
                price=v.price,
                position=v.position,
                stock_on_hand=v.stock,
                stock_reserved=0,
                created_at=p.listed_at,
            )
            for v in p.variants
        )
        receipts.extend(
            StockMovement(
                id=v.id,
                variant_id=v.id,
                kind=MovementKind.RECEIPT,
                on_hand_change=v.stock,
                reserved_change=0,
                on_hand_after=v.stock,
                reserved_after=0,
                reference="bench seed",
                created_at=p.listed_at,
            )
            for v in p.variants
            if v.stock > 0
        )
        events.append(
            ProductListingEvent(
                id=i,
                product_id=i,
                visible=True,
                cause=ListingCause.STATUS,
                status=ListingStatus.ACTIVE,
                actor=ACTOR,
                occurred_at=p.listed_at,
            )
        )
    return products, variants, receipts, events


async def seed_catalog(products: int = 1000, *, progress: Progress | None = None) -> None:
    """Replace the catalog with the benchmark catalog of `products` products."""
    currency = get_settings().shop_currency
    if currency != CURRENCY:
        raise SeedError(
            f"The benchmark catalog is priced in {CURRENCY}; this shop's currency is "
            f"{currency}. Set SHOP_CURRENCY=USD (or use another database) to seed it."
        )
    if products < 1:
        raise SeedError("The benchmark catalog needs at least one product.")
    report = _Reporter(progress)

    brands = [
        Brand(id=b, name=brand_name(b), slug=f"brand-{b:02d}", created_at=BASE_TIME)
        for b in range(1, BRAND_COUNT + 1)
    ]
    categories = [
        Category(
            id=c,
            name=category_name(c),
            slug=f"category-{c:02d}",
            position=c - 1,
            path=f"/{c}/",
            created_at=BASE_TIME,
        )
        for c in range(1, CATEGORY_COUNT + 1)
    ]
    product_rows, variant_rows, receipt_rows, event_rows = _rows(products)

    async with in_transaction() as db:
        old_paths = await _clear(db, report)
        await _insert(Brand, brands, db, report, "brands")
        await _insert(Category, categories, db, report, "categories")
        await _insert(Product, product_rows, db, report, "products")
        await _insert(ProductVariant, variant_rows, db, report, "variants")
        await _insert(StockMovement, receipt_rows, db, report, "stock receipts")
        await _insert(ProductListingEvent, event_rows, db, report, "listing events")
        stored = await _store_images(products, report)
        image_rows = [
            ProductImage(
                id=i,
                product_id=i,
                path=image.path,
                alt=bench_product(i).name,
                position=0,
                width=image.width,
                height=image.height,
                content_type=image.content_type,
                size_bytes=image.size_bytes,
                created_at=BASE_TIME + timedelta(seconds=i),
            )
            for i, image in enumerate(stored, start=1)
        ]
        await _insert(ProductImage, image_rows, db, report, "images")
        await _reset_sequences(db)
        report(0, 1, "search index")
        await search.rebuild()
        report(1, 1, "search index")

    unused = set(old_paths) - {image.path for image in stored}
    if unused:
        await asyncio.to_thread(_discard_files, unused)
    log.info(
        "bench.seeded products=%d variants=%d images=%d removed_files=%d",
        len(product_rows),
        len(variant_rows),
        len(image_rows),
        len(unused),
    )
