"""Uploaded files read once, and closed whatever happens."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from starlette.datastructures import UploadFile


async def read_named_uploads(files: Sequence[Any], limit: int) -> list[tuple[str, bytes]]:
    """The name each uploaded file was sent with and its bytes, read one byte past `limit`
    (enough to refuse it)."""
    uploads = [cast(UploadFile, f) for f in files]  # what Strawberry hands over for `Upload`
    try:
        return [(upload.filename or "", await upload.read(limit + 1)) for upload in uploads]
    finally:
        for upload in uploads:
            await upload.close()


async def read_uploads(files: Sequence[Any], limit: int) -> list[bytes]:
    """The bytes of uploaded files, each read one byte past `limit` (enough to refuse it)."""
    return [data for _, data in await read_named_uploads(files, limit)]
