"""Staff moderation: approve or reject a review, with a note for the author.

Either decision recomputes the product's rating in the same transaction. A review's
first approval earns its author review points; the points service awards them once per
member and product, so approving again after an author's edit, or approving a review
written anew after the first was deleted, never pays twice.
"""

from __future__ import annotations

from datetime import datetime

from tortoise import timezone
from tortoise.transactions import in_transaction

from models.reviews import Review, ReviewStatus
from services.members import points
from services.reviews import ratings
from services.reviews.errors import ReviewErrorCode, fail, not_found

NOTE_MAX = 300


async def approve_review(
    review_id: int, *, moderator_id: int, note: str = "", now: datetime | None = None
) -> Review:
    """Show the review to shoppers and count it in the product's rating."""
    return await _decide(review_id, ReviewStatus.APPROVED, moderator_id, note, now)


async def reject_review(
    review_id: int, *, moderator_id: int, note: str = "", now: datetime | None = None
) -> Review:
    """Hide the review from shoppers (the author still sees it, with the note)."""
    return await _decide(review_id, ReviewStatus.REJECTED, moderator_id, note, now)


async def _decide(
    review_id: int, status: ReviewStatus, moderator_id: int, note: str, now: datetime | None
) -> Review:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise fail(ReviewErrorCode.TOO_LONG, f"At most {NOTE_MAX} characters are allowed.", "note")
    found = await Review.get_or_none(id=review_id).only("id", "product_id")
    if found is None:
        raise not_found("The review", "id")
    async with in_transaction("default") as connection:
        await ratings.lock_product(found.product_id, connection)
        review = await Review.get_or_none(id=review_id, using_db=connection)
        if review is None:  # the author deleted it meanwhile
            raise not_found("The review", "id")
        first_approval = status is ReviewStatus.APPROVED and review.status != ReviewStatus.APPROVED
        review.status = status
        review.moderated_by_id = moderator_id
        review.moderated_at = now or timezone.now()
        review.moderation_note = note
        await review.save(using_db=connection)
        await ratings.recompute(review.product_id, connection)
        if first_approval:
            # Inside the transaction: an approved review and its points stand or fall together.
            await points.award_for_review(review.user_id, review.id)
    return review
