"""Returns asked for by the order's shopper (or opened by staff for them), and withdrawn.

`request_return` checks everything a client sends before anything is stored, stores the
photos through the media checks, then, holding the order's row lock, finds a return made
earlier with the same idempotency key or checks the units again against what the order's
other returns hold, so two requests at once can never ask back more units than shipped.
The return gets the next number of its order (`<order number>-R<sequence>`), a REQUESTED
timeline entry, its emails in the same transaction, and is announced once committed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.catalog import Product, ProductVariant
from models.orders import Order, OrderLine
from models.returns import (
    ReturnLine,
    ReturnPhoto,
    ReturnReason,
    ReturnRequest,
    ReturnResolution,
    ReturnStatus,
)
from services import media
from services.catalog import listing
from services.emails import returns as return_emails
from services.errors import Problems
from services.orders import access, queries
from services.orders.timeline import Actor
from services.returns import eligibility, status
from services.returns.errors import ReturnError, ReturnErrorCode, fail, not_found
from services.transactions import atomic
from settings import get_settings

log = logging.getLogger("tradewind.returns")

MAX_NOTE = 1000
MAX_PHOTOS = 5
MAX_LINES = 100
MAX_KEY = 200
MEDIA_FOLDER = "returns"

C = ReturnErrorCode


@dataclass(frozen=True, slots=True)
class LineRequest:
    """Units of one order line asked back, and the variant wanted instead for an exchange."""

    order_line_id: int
    quantity: int
    exchange_variant_id: int | None = None


def has_control_characters(text: str, *, allow_newlines: bool = False) -> bool:
    """Whether `text` holds control characters (newlines and tabs allowed when asked)."""
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


async def shopper_order(number: str, *, user_id: int | None, access_token: str | None) -> Order:
    """The order `number` of the signed-in shopper `user_id`, or of a guest holding its
    access token; NOT_FOUND otherwise (whether it exists or is someone else's)."""
    order = None
    if access_token is not None:
        order = await access.order_for_token(number, access_token)
    elif user_id is not None:
        order = await Order.get_or_none(number=queries.normalize_number(number), user_id=user_id)
    if order is None:
        raise not_found("The order", "order_number")
    return order


def _checked_text(problems: Problems[ReturnErrorCode], note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        problems.add(C.TOO_LONG, f"A note has at most {MAX_NOTE} characters.", "note")
    elif has_control_characters(note, allow_newlines=True):
        problems.add(C.INVALID, "A note cannot hold control characters.", "note")
    return note


def _key_digest(order_id: int, key: str | None, problems: Problems[ReturnErrorCode]) -> str | None:
    """What the return stores for the client's key: scoped to the order, fixed in length."""
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY or has_control_characters(key):
        problems.add(
            C.INVALID, f"An idempotency key is 1 to {MAX_KEY} printable characters.",
            "idempotency_key",
        )  # fmt: skip
        return None
    return hashlib.sha256(f"{order_id}:{key}".encode()).hexdigest()


def _checked_photos(photos: Sequence[bytes], problems: Problems[ReturnErrorCode]) -> None:
    if len(photos) > MAX_PHOTOS:
        problems.add(C.INVALID_PHOTO, f"A return may have at most {MAX_PHOTOS} photos.", "photos")
        return
    for index, data in enumerate(photos):
        try:
            media.inspect_image(data)
        except (media.ImageTooLarge, media.NotAnImage) as exc:
            problems.add(C.INVALID_PHOTO, str(exc), "photos", str(index))


async def _reason(
    reason_id: int | None, problems: Problems[ReturnErrorCode]
) -> ReturnReason | None:
    if reason_id is None:
        # A shop that set no reasons yet takes returns without one.
        if await ReturnReason.exists(active=True):
            problems.add(C.REQUIRED, "Choose a reason for the return.", "reason_id")
        return None
    reason = await ReturnReason.get_or_none(id=reason_id, active=True)
    if reason is None:
        problems.add(C.NOT_FOUND, "The reason does not exist.", "reason_id")
    return reason


async def _check_exchange(
    order_product: int | None, line: LineRequest, index: int, problems: Problems[ReturnErrorCode]
) -> None:
    field = ("lines", str(index), "exchange_variant_id")
    variant = await ProductVariant.get_or_none(id=line.exchange_variant_id or 0)
    if variant is None:
        problems.add(C.NOT_FOUND, "The product variant does not exist.", *field)
        return
    product = await Product.get_or_none(id=variant.product_id)
    if product is None or variant.product_id != order_product:
        problems.add(
            C.EXCHANGE_UNAVAILABLE, "An exchange is for another variant of the same product.",
            *field,
        )  # fmt: skip
    elif not listing.shown_to(product, timezone.now(), early_access=False):
        problems.add(C.EXCHANGE_UNAVAILABLE, "This product is not for sale now.", *field)
    elif variant.stock_on_hand - variant.stock_reserved < line.quantity:
        problems.add(C.EXCHANGE_UNAVAILABLE, "This variant is out of stock.", *field)


async def _check_lines(
    order: Order,
    lines: Sequence[LineRequest],
    resolution: ReturnResolution,
    problems: Problems[ReturnErrorCode],
) -> None:
    """The lines' shape (before the lock): theirs, no twice, counts in range, exchanges."""
    if not lines:
        problems.add(C.REQUIRED, "Choose at least one item to return.", "lines")
        return
    if len(lines) > MAX_LINES:
        problems.add(C.INVALID, f"A return has at most {MAX_LINES} lines.", "lines")
        return
    ordered = {line.id: line for line in await OrderLine.filter(order_id=order.id)}
    seen: set[int] = set()
    for index, line in enumerate(lines):
        at = ("lines", str(index))
        known = ordered.get(line.order_line_id)
        if known is None:
            problems.add(C.NOT_FOUND, "The order line does not exist.", *at, "order_line_id")
            continue
        if line.order_line_id in seen:
            problems.add(C.INVALID, "Each order line once per return.", *at, "order_line_id")
            continue
        seen.add(line.order_line_id)
        if not 1 <= line.quantity <= known.quantity:
            problems.add(
                C.INVALID_QUANTITY, f"Return 1 to {known.quantity} units of this item.",
                *at, "quantity",
            )  # fmt: skip
            continue
        if resolution is ReturnResolution.EXCHANGE:
            if line.exchange_variant_id is None:
                problems.add(C.REQUIRED, "Choose the variant you want instead.", *at,
                             "exchange_variant_id")  # fmt: skip
            else:
                await _check_exchange(known.product_id, line, index, problems)
        elif line.exchange_variant_id is not None:
            problems.add(
                C.INVALID, "An exchange variant is only for an exchange.",
                *at, "exchange_variant_id",
            )  # fmt: skip


async def _check_units(order: Order, lines: Sequence[LineRequest]) -> None:
    """Each line's units against what may go back now; call under the order's lock."""
    standing = {e.line.id: e for e in await eligibility.eligibility(order)}
    problems = Problems(ReturnError)
    for index, line in enumerate(lines):
        found = standing[line.order_line_id]
        at = ("lines", str(index), "quantity")
        if found.reason is not None:
            problems.add(C.NOT_RETURNABLE, found.explain(), *at)
        elif line.quantity > found.returnable:
            problems.add(
                C.OVER_RETURNED,
                f"Only {found.returnable} unit(s) of this item can still be returned.",
                *at,
            )
    problems.raise_if_any()


def _digest_of(path: str) -> str:
    return path.rsplit("/", 1)[-1].split(".", 1)[0]


async def _same_request(
    ret: ReturnRequest,
    order: Order,
    lines: Sequence[LineRequest],
    reason: ReturnReason | None,
    resolution: ReturnResolution,
    note: str,
    photos: Sequence[media.StoredImage],
) -> bool:
    """Whether a return made earlier with the same key was asked with this very body."""
    if (ret.order_id, ret.resolution, ret.reason_id, ret.note) != (
        order.id, resolution, reason.id if reason else None, note,
    ):  # fmt: skip
        return False
    kept = {
        (row.order_line_id, row.quantity, row.exchange_variant_id)
        for row in await ReturnLine.filter(return_request_id=ret.id)
    }
    asked = {(ln.order_line_id, ln.quantity, ln.exchange_variant_id) for ln in lines}
    stored = sorted(_digest_of(p.path) for p in await ReturnPhoto.filter(return_request_id=ret.id))
    return kept == asked and stored == sorted(_digest_of(p.path) for p in photos)


async def _discard(photos: Sequence[media.StoredImage]) -> None:
    """Remove stored photo files no return refers to (a refused or repeated request)."""
    for path in {p.path for p in photos}:
        if await ReturnPhoto.exists(path=path):
            continue
        try:
            await asyncio.to_thread((get_settings().media_dir / path).unlink, missing_ok=True)
        except OSError:
            log.warning("returns.discard_failed", extra={"path": path})


async def request_return(
    order_id: int,
    *,
    actor: Actor,
    lines: Sequence[LineRequest],
    resolution: ReturnResolution,
    reason_id: int | None = None,
    note: str = "",
    photos: Sequence[bytes] = (),
    idempotency_key: str | None = None,
    opened_by_staff: bool = False,
    locale: str = "",
) -> ReturnRequest:
    """A new REQUESTED return of the order's lines (or the one made earlier with the same
    idempotency key and the same body; IDEMPOTENCY_KEY_REUSED for another body).

    Whoever calls has checked that the actor may see the order. Every problem of the input
    is reported at once and nothing is stored then.
    """
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise not_found("The order", "order_id")
    resolution = ReturnResolution(resolution)
    problems = Problems(ReturnError)
    note = _checked_text(problems, note)
    key = _key_digest(order.id, idempotency_key, problems)
    reason = await _reason(reason_id, problems)
    await _check_lines(order, lines, resolution, problems)
    _checked_photos(photos, problems)
    if reason is not None and reason.needs_photo and not photos:
        problems.add(C.PHOTO_REQUIRED, f"Add a photo for “{reason.name}”.", "photos")
    problems.raise_if_any()

    stored = [await media.store_image(data, folder=MEDIA_FOLDER) for data in photos]
    try:
        ret, created = await _create(
            order, actor=actor, lines=lines, resolution=resolution, reason=reason, note=note,
            photos=stored, key=key, opened_by_staff=opened_by_staff, locale=locale,
        )  # fmt: skip
    except (ReturnError, IntegrityError):
        await _discard(stored)
        raise
    if not created:
        await _discard(stored)
    return ret


async def _create(
    order: Order,
    *,
    actor: Actor,
    lines: Sequence[LineRequest],
    resolution: ReturnResolution,
    reason: ReturnReason | None,
    note: str,
    photos: Sequence[media.StoredImage],
    key: str | None,
    opened_by_staff: bool,
    locale: str,
) -> tuple[ReturnRequest, bool]:
    async with atomic():
        # The order's lock: one return at a time counts the units the others hold.
        await Order.select_for_update().filter(id=order.id).first()
        if key is not None:
            earlier = await ReturnRequest.get_or_none(idempotency_key=key)
            if earlier is not None:
                if await _same_request(earlier, order, lines, reason, resolution, note, photos):
                    return earlier, False
                raise fail(
                    C.IDEMPOTENCY_KEY_REUSED,
                    "This idempotency key was used for another return request.",
                    "idempotency_key",
                )
        await _check_units(order, lines)
        last = await ReturnRequest.filter(order_id=order.id).order_by("-sequence").first()
        sequence = (last.sequence if last else 0) + 1
        ret = await ReturnRequest.create(
            number=f"{order.number}-R{sequence}",
            order_id=order.id,
            sequence=sequence,
            status=ReturnStatus.REQUESTED,
            resolution=resolution,
            reason_id=reason.id if reason else None,
            reason_name=reason.name if reason else "",
            note=note,
            idempotency_key=key,
            opened_by_staff=opened_by_staff,
            locale=locale[:16],
        )
        await ReturnLine.bulk_create(
            [
                ReturnLine(
                    return_request_id=ret.id,
                    order_line_id=line.order_line_id,
                    quantity=line.quantity,
                    exchange_variant_id=line.exchange_variant_id,
                )
                for line in lines
            ]
        )
        for photo in photos:
            await ReturnPhoto.create(
                return_request_id=ret.id, path=photo.path, width=photo.width, height=photo.height
            )
        await status.record(
            ret, actor, to_status=ReturnStatus.REQUESTED,
            message="Opened by staff" if opened_by_staff else "",
        )  # fmt: skip
        await return_emails.requested(order.id, ret.id)
        await status.announce(ret, previous=ReturnStatus.REQUESTED, at=ret.created_at)
        return ret, True


async def cancel_return(
    return_id: int,
    *,
    actor: Actor,
    user_id: int | None = None,
    access_token: str | None = None,
    staff: bool = False,
    version: int | None = None,
) -> ReturnRequest:
    """Withdraw a return that is still REQUESTED or APPROVED: by its order's shopper (a
    member by `user_id`, a guest by the order's `access_token`) or by staff."""
    async with atomic():
        ret = await status.locked(return_id)
        order = await Order.get(id=ret.order_id)
        if not staff:
            if access_token is not None:
                mine = await access.order_for_token(order.number, access_token) is not None
            else:
                mine = user_id is not None and order.user_id == user_id
            if not mine:
                raise not_found("The return", "return_id")
        status.check_version(ret, version)
        return await status.move(ret, ReturnStatus.CANCELLED, actor=actor, message="Withdrawn")


async def exchange_options(product_ids: Iterable[int]) -> dict[int, list[ProductVariant]]:
    """Per product on sale now, its variants a line may be exchanged for (in their order)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    now = timezone.now()
    products = await Product.filter(id__in=ids)
    shown = [p.id for p in products if listing.shown_to(p, now, early_access=False)]
    found: dict[int, list[ProductVariant]] = {pid: [] for pid in ids}
    if shown:
        for variant in await ProductVariant.filter(product_id__in=shown).order_by("position", "id"):
            found[variant.product_id].append(variant)
    return found
