"""Reviews root fields: shoppers write and read their own, catalog staff moderate.

Moderation is a staff mutation, so server.py already flushes the anonymous response
cache after it. An author's edit or deletion of an approved review changes what
shoppers see too, so those announce the change themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import strawberry
from starlette.datastructures import UploadFile

from resolvers.common import page_or_error
from schema.context import Info
from schema.errors import BadUserInput
from schema.permissions import CanManageCatalog, SignedIn, require_signed_in
from schema.relay import decode_id, edges_of, page_request
from schema.response_cache import announce_change
from schema.reviews import (
    ApproveReviewInput,
    ApproveReviewPayload,
    CreateReviewInput,
    CreateReviewPayload,
    DeleteMyReviewInput,
    DeleteMyReviewPayload,
    RejectReviewInput,
    RejectReviewPayload,
    ReviewConnection,
    ReviewFilter,
    ReviewType,
    UpdateMyReviewInput,
    UpdateMyReviewPayload,
    build_reviews,
    review_errors,
)
from services.pagination import Page
from services.reviews import moderation, reviews
from services.reviews.errors import ReviewError, ReviewErrorCode, fail, not_found


def review_pk(value: str, type_name: str = "Review", field: str = "id") -> int:
    """The primary key in a global ID, or a NOT_FOUND review error."""
    pk = decode_id(value, type_name)
    if pk is None:
        raise not_found(f"The {type_name.lower()}", field)
    return pk


async def read_uploads(files: Sequence[Any], limit: int) -> list[bytes]:
    """The bytes of uploaded files, each read one byte past `limit` (enough to refuse it)."""
    uploads = [cast(UploadFile, f) for f in files]
    try:
        return [await upload.read(limit + 1) for upload in uploads]
    finally:
        for upload in uploads:
            await upload.close()


def _connection(page: Page[Any], info: Info, count: Any) -> ReviewConnection:
    edges, page_info = edges_of(page, build_reviews(page.items, info))
    return ReviewConnection(edges=edges, page_info=page_info, _count=count)


@strawberry.type
class ReviewsQuery:
    @strawberry.field(
        permission_classes=[SignedIn],
        description="The signed-in customer's reviews, whatever their status, newest first.",
    )
    async def my_reviews(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> ReviewConnection:
        user_id = require_signed_in(info.context.viewer)
        page = await page_or_error(
            reviews.list_my_reviews(
                user_id,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        return _connection(page, info, reviews.my_reviews(user_id).count)

    @strawberry.field(
        permission_classes=[CanManageCatalog],
        description="Every review, for moderation: oldest first.",
    )
    async def reviews(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: ReviewFilter | None = None,
    ) -> ReviewConnection:
        given = filter or ReviewFilter()
        product_id = None
        if given.product_id is not None:
            product_id = decode_id(given.product_id, "Product")
            if product_id is None:
                raise BadUserInput("Not a product ID.", field="productId")
        service_filter = reviews.ReviewFilter(
            status=given.status, product_id=product_id, rating=given.rating
        )
        page = await page_or_error(
            reviews.list_reviews(
                service_filter,
                page_request(first, after, last, before),
                max_size=info.context.settings.max_page_size,
            )
        )
        return _connection(page, info, reviews.staff_reviews(service_filter).count)


@strawberry.type
class ReviewsMutation:
    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Review a product you received (multipart request for pictures).",
    )
    async def create_review(self, info: Info, input: CreateReviewInput) -> CreateReviewPayload:
        ctx = info.context
        images = await read_uploads(input.images, ctx.settings.max_image_bytes)
        try:
            review = await reviews.create_review(
                user_id=require_signed_in(ctx.viewer),
                product_id=review_pk(input.product_id, "Product", "productId"),
                fields={"rating": input.rating, "title": input.title, "body": input.body},
                images=images,
            )
        except ReviewError as exc:
            return CreateReviewPayload(errors=review_errors(exc))
        return CreateReviewPayload(review=ReviewType.build(review))

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Edit your review; it is moderated again."
    )
    async def update_my_review(
        self, info: Info, input: UpdateMyReviewInput
    ) -> UpdateMyReviewPayload:
        ctx = info.context
        if input.images is None:
            # Not "keep them" nor "remove them": an empty list removes every picture.
            message = "Images cannot be null; send [] to remove every picture."
            return UpdateMyReviewPayload(
                errors=review_errors(fail(ReviewErrorCode.REQUIRED, message, "images"))
            )
        images = None
        if input.images is not strawberry.UNSET:
            images = await read_uploads(input.images, ctx.settings.max_image_bytes)
        fields: Any = {
            key: value
            for key in ("rating", "title", "body")
            if (value := getattr(input, key)) is not strawberry.UNSET
        }
        try:
            change = await reviews.update_my_review(
                review_pk(input.id),
                user_id=require_signed_in(ctx.viewer),
                fields=fields,
                images=images,
            )
        except ReviewError as exc:
            return UpdateMyReviewPayload(errors=review_errors(exc))
        if change.was_public:
            await announce_change()
        return UpdateMyReviewPayload(review=ReviewType.build(change.review))

    @strawberry.mutation(permission_classes=[SignedIn], description="Delete your review.")
    async def delete_my_review(
        self, info: Info, input: DeleteMyReviewInput
    ) -> DeleteMyReviewPayload:
        try:
            was_public = await reviews.delete_my_review(
                review_pk(input.id), user_id=require_signed_in(info.context.viewer)
            )
        except ReviewError as exc:
            return DeleteMyReviewPayload(errors=review_errors(exc))
        if was_public:
            await announce_change()
        return DeleteMyReviewPayload(deleted_id=input.id)

    @strawberry.mutation(
        permission_classes=[CanManageCatalog],
        description="Show a review to shoppers; its first approval earns the author points.",
    )
    async def approve_review(self, info: Info, input: ApproveReviewInput) -> ApproveReviewPayload:
        try:
            review = await moderation.approve_review(
                review_pk(input.id),
                moderator_id=require_signed_in(info.context.viewer),
                note=input.note,
            )
        except ReviewError as exc:
            return ApproveReviewPayload(errors=review_errors(exc))
        return ApproveReviewPayload(review=ReviewType.build(review))

    @strawberry.mutation(
        permission_classes=[CanManageCatalog], description="Hide a review from shoppers."
    )
    async def reject_review(self, info: Info, input: RejectReviewInput) -> RejectReviewPayload:
        try:
            review = await moderation.reject_review(
                review_pk(input.id),
                moderator_id=require_signed_in(info.context.viewer),
                note=input.note,
            )
        except ReviewError as exc:
            return RejectReviewPayload(errors=review_errors(exc))
        return RejectReviewPayload(review=ReviewType.build(review))
