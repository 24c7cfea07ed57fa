"""Reviews root fields: shoppers write and read their own, catalog staff moderate.

Moderation is a staff mutation, so server.py already flushes the anonymous response
cache after it. An author's edit or deletion of an approved review changes what
shoppers see too, so those announce the change themselves.
"""

from __future__ import annotations

from typing import Any

import strawberry

from schema.context import Info
from schema.kit import (
    argument_pk,
    connection,
    input_pk,
    mutation,
    page_or_error,
    read_uploads,
)
from schema.permissions import CanManageCatalog, SignedIn, require_signed_in
from schema.relay import page_request
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
)
from services.reviews import moderation, reviews
from services.reviews.errors import ReviewErrorCode, fail


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
        return connection(
            ReviewConnection,
            page,
            build_reviews(page.items, info),
            reviews.my_reviews(user_id).count,
        )

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
            product_id = argument_pk(given.product_id, "Product", "productId", "Not a product ID.")
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
        return connection(
            ReviewConnection,
            page,
            build_reviews(page.items, info),
            reviews.staff_reviews(service_filter).count,
        )


@strawberry.type
class ReviewsMutation:
    @mutation(
        permission_classes=[SignedIn],
        description="Review a product you received (multipart request for pictures).",
    )
    async def create_review(self, info: Info, input: CreateReviewInput) -> CreateReviewPayload:
        ctx = info.context
        images = await read_uploads(input.images, ctx.settings.max_image_bytes)
        review = await reviews.create_review(
            user_id=require_signed_in(ctx.viewer),
            product_id=input_pk(input.product_id, "Product", "productId", what="The product"),
            fields={"rating": input.rating, "title": input.title, "body": input.body},
            images=images,
        )
        return CreateReviewPayload(review=ReviewType.build(review))

    @mutation(permission_classes=[SignedIn], description="Edit your review; it is moderated again.")
    async def update_my_review(
        self, info: Info, input: UpdateMyReviewInput
    ) -> UpdateMyReviewPayload:
        ctx = info.context
        if input.images is None:
            # Not "keep them" nor "remove them": an empty list removes every picture.
            message = "Images cannot be null; send [] to remove every picture."
            raise fail(ReviewErrorCode.REQUIRED, message, "images")
        images = None
        if input.images is not strawberry.UNSET:
            images = await read_uploads(input.images, ctx.settings.max_image_bytes)
        fields: Any = {
            key: value
            for key in ("rating", "title", "body")
            if (value := getattr(input, key)) is not strawberry.UNSET
        }
        change = await reviews.update_my_review(
            input_pk(input.id, "Review", "id", what="The review"),
            user_id=require_signed_in(ctx.viewer),
            fields=fields,
            images=images,
        )
        if change.was_public:
            await announce_change()
        return UpdateMyReviewPayload(review=ReviewType.build(change.review))

    @mutation(permission_classes=[SignedIn], description="Delete your review.")
    async def delete_my_review(
        self, info: Info, input: DeleteMyReviewInput
    ) -> DeleteMyReviewPayload:
        was_public = await reviews.delete_my_review(
            input_pk(input.id, "Review", "id", what="The review"),
            user_id=require_signed_in(info.context.viewer),
        )
        if was_public:
            await announce_change()
        return DeleteMyReviewPayload(deleted_id=input.id)

    @mutation(
        permission_classes=[CanManageCatalog],
        description="Show a review to shoppers; its first approval earns the author points.",
    )
    async def approve_review(self, info: Info, input: ApproveReviewInput) -> ApproveReviewPayload:
        review = await moderation.approve_review(
            input_pk(input.id, "Review", "id", what="The review"),
            moderator_id=require_signed_in(info.context.viewer),
            note=input.note,
        )
        return ApproveReviewPayload(review=ReviewType.build(review))

    @mutation(permission_classes=[CanManageCatalog], description="Hide a review from shoppers.")
    async def reject_review(self, info: Info, input: RejectReviewInput) -> RejectReviewPayload:
        review = await moderation.reject_review(
            input_pk(input.id, "Review", "id", what="The review"),
            moderator_id=require_signed_in(info.context.viewer),
            note=input.note,
        )
        return RejectReviewPayload(review=ReviewType.build(review))
