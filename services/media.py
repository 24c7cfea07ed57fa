"""Uploaded images: checked by their content, size-limited, stored under the media folder.

Files are named by the SHA-256 of their bytes, so the same picture uploaded twice is
stored once; a file is removed when no row refers to it any more.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from settings import get_settings

log = logging.getLogger("tradewind.media")

#: Pillow format name -> (content type, file extension) of the images we accept.
ACCEPTED_FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}


class NotAnImage(ValueError):
    """The bytes are not a JPEG, PNG, WebP or GIF image that can be decoded."""


class ImageTooLarge(ValueError):
    """The file or its pixel count is above the configured limit."""


@dataclass(frozen=True, slots=True)
class StoredImage:
    path: str
    content_type: str
    width: int
    height: int
    size_bytes: int


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """(Pillow format, width, height) of an acceptable image; raises otherwise."""
    settings = get_settings()
    if len(data) > settings.max_image_bytes:
        raise ImageTooLarge(f"Images may be at most {settings.max_image_bytes} bytes.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > settings.max_image_pixels:
                    raise ImageTooLarge(
                        f"Images may have at most {settings.max_image_pixels} pixels."
                    )
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge("The image has too many pixels.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, ImageTooLarge):
            raise
        raise NotAnImage("The file is not an image that can be read.") from None
    if fmt not in ACCEPTED_FORMATS:
        raise NotAnImage(f"{fmt} images are not accepted; use JPEG, PNG, WebP or GIF.")
    return fmt, width, height


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        # A name of its own: two requests storing the same picture at once each rename a
        # whole file into place, and never one the other has just moved.
        partial = target.with_suffix(f"{target.suffix}.{secrets.token_hex(8)}.part")
        try:
            partial.write_bytes(data)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)


async def store_image(data: bytes, folder: str) -> StoredImage:
    """Check `data` and store it under `folder` of the media directory."""
    fmt, width, height = inspect_image(data)
    content_type, extension = ACCEPTED_FORMATS[fmt]
    digest = hashlib.sha256(data).hexdigest()
    relative = f"{folder}/{digest[:2]}/{digest}.{extension}"
    await asyncio.to_thread(_write, get_settings().media_dir / relative, data)
    return StoredImage(relative, content_type, width, height, len(data))


async def discard_unused(paths: list[str]) -> None:
    """Remove stored files that no image row refers to any more."""
    from models.catalog import ProductImage

    for path in set(paths):
        if await ProductImage.exists(path=path):
            continue
        target = get_settings().media_dir / path
        try:
            await asyncio.to_thread(target.unlink, missing_ok=True)
        except OSError:
            log.warning("media.discard_failed", extra={"path": path})
