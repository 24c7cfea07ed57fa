"""Review types, inputs and payloads: what shoppers read and write, and what staff moderate.

Shoppers see approved reviews with the author's display name only, never an email or
phone. The author and catalog staff also see pending and rejected reviews and the
moderator's note. Nested fields (author, pictures, product) load through the loaders.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from models.reviews import Review, ReviewImage, ReviewStatus
from schema.context import Info
from schema.errors import UserError
from schema.kit import connection, page_or_error
from schema.relay import Connection, page_request
from services.auth import StaffPermission
from services.reviews import reviews
from services.reviews.errors import ReviewErrorCode

if TYPE_CHECKING:
    from schema.catalog.types import ProductType

ReviewStatusEnum = strawberry.enum(ReviewStatus, name="ReviewStatus")
ReviewErrorCodeEnum = strawberry.enum(ReviewErrorCode, name="ReviewErrorCode")

#: Shown instead of the name of someone who deleted their account.
DELETED_MEMBER = "Deleted member"
#: Shown for a member who never chose a nickname.
UNNAMED_MEMBER = "Member"


def can_see_review(review: Review, info: Info) -> bool:
    """Approved reviews are public; others only to their author and catalog staff."""
    viewer = info.context.viewer
    return (
        review.status == ReviewStatus.APPROVED
        or viewer.user_id == review.user_id
        or viewer.can(StaffPermission.CATALOG)
    )


async def visible_review_ids(rows: Iterable[Review | None], info: Info) -> set[int]:
    """Ids of the reviews the viewer may reach by ID: `can_see_review`, and for anyone but
    the author and catalog staff, a product the viewer can see now (early access counted).
    """
    # Imported here: the catalog's Product type lists reviews, so it imports this module.
    from schema.catalog.types import can_see, early_access_of

    viewer = info.context.viewer
    shown = [r for r in rows if r is not None and can_see_review(r, info)]
    public = [
        r for r in shown if r.user_id != viewer.user_id and not viewer.can(StaffPermission.CATALOG)
    ]
    hidden: set[int] = set()
    if public:
        products = await info.context.loaders.product.load_many(
            list({r.product_id for r in public})
        )
        early = await early_access_of(info)
        seen = {p.id for p in products if p is not None and can_see(p, info, early_access=early)}
        hidden = {r.id for r in public if r.product_id not in seen}
    return {r.id for r in shown if r.id not in hidden}


def _may_see_moderation(review_user_id: int, info: Info) -> bool:
    viewer = info.context.viewer
    return viewer.user_id == review_user_id or viewer.can(StaffPermission.CATALOG)


@strawberry.type(name="ReviewImage", description="A picture a shopper attached to a review.")
class ReviewImageType(relay.Node):
    id: relay.NodeID[int]
    url: str = strawberry.field(description="Absolute URL of the image file.")
    width: int
    height: int
    position: int

    @classmethod
    def build(cls, image: ReviewImage, media_base: str) -> ReviewImageType:
        return cls(
            id=image.id,
            url=media_base + image.path,
            width=image.width,
            height=image.height,
            position=image.position,
        )


@strawberry.type(name="Review", description="A buyer's rating and words about a product.")
class ReviewType(relay.Node):
    id: relay.NodeID[int]
    rating: int = strawberry.field(description="1 to 5 stars.")
    title: str
    body: str
    status: ReviewStatusEnum  # type: ignore[valid-type]
    created_at: datetime
    updated_at: datetime
    _user_id: strawberry.Private[int]
    _product_id: strawberry.Private[int]
    _note: strawberry.Private[str]
    _moderated_at: strawberry.Private[datetime | None]

    @classmethod
    def build(cls, review: Review) -> ReviewType:
        return cls(
            id=review.id,
            rating=review.rating,
            title=review.title,
            body=review.body,
            status=review.status,
            created_at=review.created_at,
            updated_at=review.updated_at,
            _user_id=review.user_id,
            _product_id=review.product_id,
            _note=review.moderation_note,
            _moderated_at=review.moderated_at,
        )

    @strawberry.field(description="The author's nickname; never an email or phone number.")
    async def author_name(self, info: Info) -> str:
        user = await info.context.loaders.user.load(self._user_id)
        if user is None or user.is_deleted:
            return DELETED_MEMBER
        return user.nickname or UNNAMED_MEMBER

    @strawberry.field(description="Pictures in display order.")
    async def images(self, info: Info) -> list[ReviewImageType]:
        rows = await info.context.loaders.images_by_review.load(self.id)
        return [ReviewImageType.build(row, info.context.media_base) for row in rows]

    @strawberry.field(description="Whether the signed-in viewer wrote this review.")
    def is_mine(self, info: Info) -> bool:
        return info.context.viewer.user_id == self._user_id

    @strawberry.field(description="The moderator's note; only for the author and catalog staff.")
    def moderation_note(self, info: Info) -> str | None:
        return self._note if _may_see_moderation(self._user_id, info) else None

    @strawberry.field(description="When it was last approved or rejected; author and staff only.")
    def moderated_at(self, info: Info) -> datetime | None:
        return self._moderated_at if _may_see_moderation(self._user_id, info) else None

    @strawberry.field(description="The product reviewed; null when shoppers cannot see it now.")
    async def product(
        self, info: Info
    ) -> Annotated[ProductType, strawberry.lazy("schema.catalog.types")] | None:
        # Imported here: the catalog's Product type lists reviews, so it imports this module.
        from schema.catalog.types import build_products, can_see, early_access_of

        row = await info.context.loaders.product.load(self._product_id)
        if row is None or not can_see(row, info, early_access=await early_access_of(info)):
            return None
        return (await build_products([row], info, None))[0]


def build_reviews(rows: Sequence[Review], info: Info) -> list[ReviewType]:
    """Review types for rows already fetched; the loaders learn the rows too."""
    info.context.loaders.review.prime_all(rows)
    return [ReviewType.build(row) for row in rows]


@strawberry.type(name="ReviewConnection")
class ReviewConnection(Connection[ReviewType]):
    pass


@strawberry.enum
class ReviewSortField(Enum):
    NEWEST = "newest"
    RATING_HIGH = "rating_high"
    RATING_LOW = "rating_low"


@strawberry.input
class ReviewSortInput:
    field: ReviewSortField = ReviewSortField.NEWEST


async def product_reviews_connection(
    product_id: int,
    info: Info,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    sort_by: ReviewSortInput | None,
) -> ReviewConnection:
    """The `reviews` connection of a product: approved reviews only."""
    sort = reviews.ReviewSort[(sort_by or ReviewSortInput()).field.name]
    page = await page_or_error(
        reviews.list_product_reviews(
            product_id,
            page_request(first, after, last, before),
            sort=sort,
            max_size=info.context.settings.max_page_size,
        )
    )
    return connection(
        ReviewConnection,
        page,
        build_reviews(page.items, info),
        reviews.product_reviews(product_id).count,
    )


@strawberry.input
class ReviewFilter:
    status: ReviewStatusEnum | None = None  # type: ignore[valid-type]
    product_id: strawberry.ID | None = None
    rating: int | None = None


@strawberry.input
class CreateReviewInput:
    product_id: strawberry.ID
    rating: int = strawberry.field(description="1 to 5 stars.")
    title: str = strawberry.field(default="", description="At most 120 characters.")
    body: str = strawberry.field(default="", description="At most 5000 characters.")
    images: list[Upload] = strawberry.field(
        default_factory=list, description="Up to 6 pictures (multipart request)."
    )


@strawberry.input(
    description="Fields left out stay as they are; null clears the title or body and is "
    "refused for the rating and images. The review is moderated again."
)
class UpdateMyReviewInput:
    id: strawberry.ID
    rating: int | None = strawberry.UNSET
    title: str | None = strawberry.UNSET
    body: str | None = strawberry.UNSET
    images: list[Upload] | None = strawberry.field(
        default=strawberry.UNSET, description="Replace every picture with these."
    )


@strawberry.input
class DeleteMyReviewInput:
    id: strawberry.ID


@strawberry.input
class ApproveReviewInput:
    id: strawberry.ID
    note: str = strawberry.field(default="", description="For the author; at most 300 characters.")


@strawberry.input
class RejectReviewInput:
    id: strawberry.ID
    note: str = strawberry.field(default="", description="For the author; at most 300 characters.")


@strawberry.type(name="ReviewError")
class ReviewErrorType(UserError):
    code: ReviewErrorCodeEnum  # type: ignore[valid-type]


@strawberry.type
class ReviewPayload:
    errors: list[ReviewErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class CreateReviewPayload(ReviewPayload):
    review: ReviewType | None = None


@strawberry.type
class UpdateMyReviewPayload(ReviewPayload):
    review: ReviewType | None = None


@strawberry.type
class DeleteMyReviewPayload(ReviewPayload):
    deleted_id: strawberry.ID | None = None


@strawberry.type
class ApproveReviewPayload(ReviewPayload):
    review: ReviewType | None = None


@strawberry.type
class RejectReviewPayload(ReviewPayload):
    review: ReviewType | None = None
