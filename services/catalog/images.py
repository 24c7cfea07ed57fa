"""Product images: upload, describe, reorder, delete."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.transactions import in_transaction

from models.catalog import Product, ProductImage
from services import media
from services.catalog.errors import CatalogErrorCode, fail, not_found
from settings import get_settings


async def add_image(product_id: int, data: bytes, *, alt: str = "") -> ProductImage:
    """Check and store an uploaded picture as the product's last image."""
    if not await Product.exists(id=product_id):
        raise not_found("The product", "product_id")
    limit = get_settings().max_images_per_product
    if await ProductImage.filter(product_id=product_id).count() >= limit:
        raise fail(
            CatalogErrorCode.TOO_MANY_IMAGES, f"A product may have at most {limit} images.", "file"
        )
    try:
        stored = await media.store_image(data, folder=f"products/{product_id}")
    except media.ImageTooLarge as exc:
        raise fail(CatalogErrorCode.IMAGE_TOO_LARGE, str(exc), "file") from None
    except media.NotAnImage as exc:
        raise fail(CatalogErrorCode.NOT_AN_IMAGE, str(exc), "file") from None
    async with in_transaction("default"):
        last = await ProductImage.filter(product_id=product_id).order_by("-position").first()
        return await ProductImage.create(
            product_id=product_id,
            path=stored.path,
            alt=alt.strip()[:255],
            position=last.position + 1 if last else 0,
            width=stored.width,
            height=stored.height,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
        )


async def update_image(image_id: int, *, alt: str) -> ProductImage:
    """Change an image's alternative text."""
    image = await ProductImage.get_or_none(id=image_id)
    if image is None:
        raise not_found("The image", "id")
    image.alt = alt.strip()[:255]
    await image.save(update_fields=["alt"])
    return image


async def delete_image(image_id: int) -> int:
    """Delete an image; returns its product's id."""
    image = await ProductImage.get_or_none(id=image_id)
    if image is None:
        raise not_found("The image", "id")
    product_id: int = image.product_id
    await image.delete()
    await media.discard_unused([image.path])
    return product_id


async def reorder_images(product_id: int, image_ids: Sequence[int]) -> list[ProductImage]:
    """Put the product's images in the given order; every image must be named once."""
    async with in_transaction("default"):
        if not await Product.exists(id=product_id):
            raise not_found("The product", "product_id")
        images = {i.id: i for i in await ProductImage.filter(product_id=product_id)}
        if len(image_ids) != len(set(image_ids)) or set(image_ids) != set(images):
            raise fail(
                CatalogErrorCode.INVALID_IMAGE_ORDER,
                "List each of the product's images exactly once.",
                "image_ids",
            )
        for position, image_id in enumerate(image_ids):
            image = images[image_id]
            if image.position != position:
                image.position = position
                await image.save(update_fields=["position"])
    return [images[i] for i in image_ids]
