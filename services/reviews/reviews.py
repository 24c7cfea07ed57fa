"""Reviews by buyers: write, edit and delete one's own, and the lists each audience reads.

Only a customer with a delivered or completed order of the product may review it, once.
Every new or edited review waits for moderation; shoppers see approved reviews only.
Queries for a shopper's own reviews are scoped to that shopper in the query itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, TypedDict, cast

from pydantic import AfterValidator, BeforeValidator, ValidationInfo
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.catalog import Product
from models.orders import OrderLine, OrderStatus
from models.reviews import Review, ReviewImage, ReviewStatus
from services import media
from services.errors import Problem
from services.pagination import Page, PageRequest, paginate
from services.reviews import ratings
from services.reviews.errors import ReviewError, ReviewErrorCode, fail, not_found
from services.validation import Input, refuse, validated
from settings import get_settings

log = logging.getLogger("tradewind.reviews")

TITLE_MAX = 120
BODY_MAX = 5000
#: Order states in which the goods have reached the buyer.
RECEIVED = (OrderStatus.DELIVERED, OrderStatus.COMPLETED)
MEDIA_FOLDER = "reviews"


class ReviewFields(TypedDict, total=False):
    rating: int
    title: str
    body: str


class ReviewSort(Enum):
    """How a product's reviews are ordered: (column, descending)."""

    NEWEST = ("created_at", True)
    RATING_HIGH = ("rating", True)
    RATING_LOW = ("rating", False)


@dataclass(frozen=True)
class ReviewFilter:
    """What staff narrow the moderation list to; None means "any"."""

    status: ReviewStatus | None = None
    product_id: int | None = None
    rating: int | None = None


@dataclass(frozen=True, slots=True)
class AuthorChange:
    """What an author's edit did: the review, and whether shoppers saw it before."""

    review: Review
    was_public: bool


def _rating(value: object, info: ValidationInfo) -> object:
    if value is None and not (info.context or {}).get("creating"):
        refuse("REQUIRED", "A rating cannot be null; leave it out to keep it.")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        refuse("INVALID_RATING", "A rating is 1 to 5 stars.")
    return value


def _text(limit: int) -> AfterValidator:
    def check(value: str | None) -> str:
        value = (value or "").strip()
        if len(value) > limit:
            refuse("TOO_LONG", f"At most {limit} characters are allowed.")
        return value

    return AfterValidator(check)


class ReviewInput(Input):
    """What a review may hold; null clears the title or body and is refused for the rating."""

    rating: Annotated[int | None, BeforeValidator(_rating)] = None
    title: Annotated[str | None, _text(TITLE_MAX)] = None
    body: Annotated[str | None, _text(BODY_MAX)] = None


def _checked(fields: ReviewFields, *, creating: bool) -> ReviewFields:
    """The given fields stripped and checked; raises every problem at once."""
    given: dict[str, Any] = dict(fields)
    if creating:
        given.setdefault("rating", None)
    checked = validated(ReviewInput, given, ReviewError, context={"creating": creating})
    return cast(ReviewFields, checked.model_dump(exclude_unset=True))


def _checked_images(images: Sequence[bytes]) -> None:
    """Refuse too many pictures, or any that is not an acceptable image, before storing one."""
    limit = get_settings().max_images_per_review
    if len(images) > limit:
        raise fail(
            ReviewErrorCode.TOO_MANY_IMAGES, f"A review may have at most {limit} images.", "images"
        )
    problems: list[Problem] = []
    for index, data in enumerate(images):
        try:
            media.inspect_image(data)
        except media.ImageTooLarge as exc:
            problems.append(
                Problem(ReviewErrorCode.IMAGE_TOO_LARGE, str(exc), ("images", str(index)))
            )
        except media.NotAnImage as exc:
            problems.append(Problem(ReviewErrorCode.NOT_AN_IMAGE, str(exc), ("images", str(index))))
    if problems:
        raise ReviewError(problems)


async def _store_images(images: Sequence[bytes]) -> list[media.StoredImage]:
    return [await media.store_image(data, folder=MEDIA_FOLDER) for data in images]


async def _attach(
    review: Review, stored: Sequence[media.StoredImage], connection: BaseDBAsyncClient
) -> None:
    for position, image in enumerate(stored):
        await ReviewImage.create(
            review_id=review.id,
            path=image.path,
            width=image.width,
            height=image.height,
            position=position,
            using_db=connection,
        )


async def discard_unused(paths: Sequence[str]) -> None:
    """Remove stored review pictures that no review refers to any more.

    Files are shared by content, so one is kept while any review image still names it.
    """
    for path in set(paths):
        if await ReviewImage.exists(path=path):
            continue
        try:
            await asyncio.to_thread((get_settings().media_dir / path).unlink, missing_ok=True)
        except OSError:
            log.warning("reviews.discard_failed", extra={"path": path})


async def has_received(user_id: int, product_id: int) -> bool:
    """Whether the customer has an order of the product that reached them."""
    return await OrderLine.exists(
        product_id=product_id, order__user_id=user_id, order__status__in=list(RECEIVED)
    )


async def create_review(
    *, user_id: int, product_id: int, fields: ReviewFields, images: Sequence[bytes] = ()
) -> Review:
    """A buyer's pending review of a product, with its pictures."""
    clean = _checked(fields, creating=True)
    if not await Product.exists(id=product_id):
        raise not_found("The product", "product_id")
    if not await has_received(user_id, product_id):
        raise fail(
            ReviewErrorCode.NOT_A_BUYER,
            "Only customers who received this product can review it.",
            "product_id",
        )
    if await Review.exists(user_id=user_id, product_id=product_id):
        raise _already_reviewed()
    _checked_images(images)
    stored = await _store_images(images)
    try:
        async with in_transaction("default") as connection:
            review = await Review.create(
                user_id=user_id,
                product_id=product_id,
                status=ReviewStatus.PENDING,
                using_db=connection,
                **clean,
            )
            await _attach(review, stored, connection)
    except IntegrityError:
        # Two submissions at once: the unique (product, user) pair let one through.
        await discard_unused([s.path for s in stored])
        raise _already_reviewed() from None
    return review


def _already_reviewed() -> ReviewError:
    return fail(
        ReviewErrorCode.ALREADY_REVIEWED,
        "You have reviewed this product already; edit that review instead.",
        "product_id",
    )


async def update_my_review(
    review_id: int,
    *,
    user_id: int,
    fields: ReviewFields,
    images: Sequence[bytes] | None = None,
) -> AuthorChange:
    """Edit the author's own review (new `images` replace the old ones); it awaits moderation."""
    clean = _checked(fields, creating=False)
    review = await Review.get_or_none(id=review_id, user_id=user_id)
    if review is None:
        raise not_found("The review", "id")
    if images is not None:
        _checked_images(images)
    stored = await _store_images(images) if images is not None else []
    old_paths: list[str] = []
    async with in_transaction("default") as connection:
        await ratings.lock_product(review.product_id, connection)
        review = await Review.get(id=review_id, user_id=user_id, using_db=connection)
        was_public = review.status == ReviewStatus.APPROVED
        review.update_from_dict(dict(clean))
        review.status = ReviewStatus.PENDING
        await review.save(using_db=connection)
        if images is not None:
            old = ReviewImage.filter(review_id=review.id).using_db(connection)
            old_paths = await old.values_list("path", flat=True)  # type: ignore[assignment]
            await old.delete()
            await _attach(review, stored, connection)
        await ratings.recompute(review.product_id, connection)
    await discard_unused(old_paths)
    return AuthorChange(review=review, was_public=was_public)


async def delete_my_review(review_id: int, *, user_id: int) -> bool:
    """Delete the author's own review and its pictures; True if shoppers saw it."""
    review = await Review.get_or_none(id=review_id, user_id=user_id)
    if review is None:
        raise not_found("The review", "id")
    async with in_transaction("default") as connection:
        await ratings.lock_product(review.product_id, connection)
        current = await Review.get_or_none(id=review_id, user_id=user_id, using_db=connection)
        if current is None:  # deleted meanwhile by another request of the author
            raise not_found("The review", "id")
        was_public = current.status == ReviewStatus.APPROVED
        paths = (
            await ReviewImage.filter(review_id=review_id)
            .using_db(connection)
            .values_list("path", flat=True)
        )
        await current.delete(using_db=connection)
        await ratings.recompute(review.product_id, connection)
    await discard_unused([str(p) for p in paths])
    return was_public


def product_reviews(product_id: int) -> QuerySet[Review]:
    """A product's reviews that shoppers see: approved ones."""
    return Review.filter(product_id=product_id, status=ReviewStatus.APPROVED)


async def list_product_reviews(
    product_id: int, page: PageRequest, *, sort: ReviewSort = ReviewSort.NEWEST, max_size: int = 100
) -> Page[Review]:
    column, descending = sort.value
    return await paginate(
        product_reviews(product_id),
        page,
        sort_field=column,
        descending=descending,
        max_size=max_size,
    )


def my_reviews(user_id: int) -> QuerySet[Review]:
    """Every review the customer wrote, whatever its status."""
    return Review.filter(user_id=user_id)


async def list_my_reviews(user_id: int, page: PageRequest, *, max_size: int = 100) -> Page[Review]:
    return await paginate(
        my_reviews(user_id), page, sort_field="created_at", descending=True, max_size=max_size
    )


def staff_reviews(f: ReviewFilter) -> QuerySet[Review]:
    """Reviews for the moderation list."""
    qs = Review.all()
    if f.status is not None:
        qs = qs.filter(status=f.status)
    if f.product_id is not None:
        qs = qs.filter(product_id=f.product_id)
    if f.rating is not None:
        qs = qs.filter(rating=f.rating)
    return qs


async def list_reviews(f: ReviewFilter, page: PageRequest, *, max_size: int = 100) -> Page[Review]:
    """Oldest first, so the moderation queue is worked through in order of arrival."""
    return await paginate(staff_reviews(f), page, sort_field="created_at", max_size=max_size)
