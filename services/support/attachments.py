"""Files sent with a message (chat, a staff answer or note): images only, through the same
checks as every upload (`services.media`: JPEG, PNG, WebP or GIF by content, size and pixel
limits, stored once by their SHA-256).

Every file is checked before anything is stored, and stored before the message's
transaction, so a refused message stores nothing. Whatever the transaction did, `settle`
runs after it: a stored file no message refers to (the message was refused, or a retry
found the message made before) is removed, and one a message refers to stays on disk even
when another request's clean-up of the same picture raced this one.
"""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from models.support import MessageAttachment
from services import media
from services.support.errors import SupportErrorCode, fail
from services.support.messages import MAX_ATTACHMENTS, Attachment
from settings import get_settings

log = logging.getLogger("tradewind.support")

MEDIA_FOLDER = "support"
MAX_FILENAME = 200


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file as a client sent it: the name it gave and the bytes."""

    filename: str
    data: bytes


def check(files: Sequence[NewFile]) -> None:
    """INVALID_ATTACHMENT at `attachments` for more than MAX_ATTACHMENTS files, or at
    `attachments.<index>` for the first that is not an accepted image or is too large."""
    if len(files) > MAX_ATTACHMENTS:
        raise fail(
            SupportErrorCode.INVALID_ATTACHMENT,
            f"A message may carry at most {MAX_ATTACHMENTS} files.",
            "attachments",
        )
    for index, file in enumerate(files):
        try:
            media.inspect_image(file.data)
        except (media.ImageTooLarge, media.NotAnImage) as exc:
            raise fail(
                SupportErrorCode.INVALID_ATTACHMENT, str(exc), "attachments", str(index)
            ) from None


def clean_filename(name: str) -> str:
    """The name a file is shown with: its last path part, printable, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in base if unicodedata.category(ch) not in {"Cc", "Cs", "Cf"}).strip()
    return text[:MAX_FILENAME]


async def store(files: Sequence[NewFile]) -> list[Attachment]:
    """The files stored under the media folder (checked again: `check` first to fail early)."""
    stored: list[Attachment] = []
    for file in files:
        try:
            image = await media.store_image(file.data, MEDIA_FOLDER)
        except (media.ImageTooLarge, media.NotAnImage) as exc:
            await settle(files[: len(stored)], stored)
            raise fail(
                SupportErrorCode.INVALID_ATTACHMENT, str(exc), "attachments", str(len(stored))
            ) from None
        stored.append(
            Attachment(
                path=image.path,
                content_type=image.content_type,
                size_bytes=image.size_bytes,
                filename=clean_filename(file.filename),
                width=image.width,
                height=image.height,
            )
        )
    return stored


async def settle(files: Sequence[NewFile], stored: Sequence[Attachment]) -> None:
    """After the message's transaction ended, however: files no message refers to are
    removed, and those a message refers to are on disk."""
    done: set[str] = set()
    for file, attachment in zip(files, stored, strict=False):
        if attachment.path in done:
            continue
        done.add(attachment.path)
        target = get_settings().media_dir / attachment.path
        used = await MessageAttachment.exists(path=attachment.path)
        if not used:
            try:
                await asyncio.to_thread(target.unlink, missing_ok=True)
            except OSError:
                log.warning("support.discard_failed", extra={"path": attachment.path})
            # A message with the same picture may have committed since the look above.
            used = await MessageAttachment.exists(path=attachment.path)
        if used and not await asyncio.to_thread(target.exists):
            await media.store_image(file.data, MEDIA_FOLDER)
