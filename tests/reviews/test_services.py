"""Review rules without the API: input checks, who counts as a buyer, the rating aggregate."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from models.catalog import Product, ProductVariant
from models.orders import OrderStatus
from models.reviews import Review, ReviewStatus
from services.reviews import moderation, ratings, reviews
from services.reviews.errors import ReviewError, ReviewErrorCode
from tests.factories import make_order, make_product, make_user


def codes(exc: pytest.ExceptionInfo[ReviewError]) -> list[ReviewErrorCode]:
    return [p.code for p in exc.value.problems]  # type: ignore[misc]


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_is_one_to_five_stars(rating):
    with pytest.raises(ReviewError) as exc:
        reviews._checked({"rating": rating}, creating=False)
    assert codes(exc) == [ReviewErrorCode.INVALID_RATING]


def test_text_is_trimmed_and_limited():
    assert reviews._checked({"rating": 3, "title": "  Good  ", "body": " ok "}, creating=True) == {
        "rating": 3,
        "title": "Good",
        "body": "ok",
    }
    with pytest.raises(ReviewError) as exc:
        reviews._checked({"title": "t" * 121, "body": "b" * 5001}, creating=False)
    assert codes(exc) == [ReviewErrorCode.TOO_LONG, ReviewErrorCode.TOO_LONG]


def test_a_new_review_needs_a_rating():
    with pytest.raises(ReviewError) as exc:
        reviews._checked({"title": "No stars"}, creating=True)
    assert codes(exc) == [ReviewErrorCode.INVALID_RATING]


async def test_only_received_orders_of_the_customer_count_as_buying(db):
    product = await make_product()
    variant = await ProductVariant.get(product_id=product.id)
    buyer, other = await make_user(), await make_user()
    await make_order(buyer, [(variant, 1)], status=OrderStatus.CANCELLED)
    assert not await reviews.has_received(buyer.id, product.id)
    await make_order(buyer, [(variant, 1)], status=OrderStatus.DELIVERED)
    assert await reviews.has_received(buyer.id, product.id)
    assert not await reviews.has_received(other.id, product.id)


async def test_the_rating_counts_approved_reviews_only(db):
    product = await make_product()
    for rating, status in ((5, "approved"), (4, "approved"), (4, "approved"), (1, "pending")):
        user = await make_user()
        await Review.create(product=product, user=user, rating=rating, status=status)
    user = await make_user()
    await Review.create(product=product, user=user, rating=1, status=ReviewStatus.REJECTED)
    async with in_transaction() as connection:
        assert await ratings.recompute(product.id, connection) == (4.33, 3)
    row = await Product.get(id=product.id)
    assert (row.rating_average, row.rating_count) == (4.33, 3)


async def test_a_note_longer_than_the_column_is_refused(db):
    with pytest.raises(ReviewError) as exc:
        await moderation.approve_review(1, moderator_id=1, note="n" * 301)
    assert codes(exc) == [ReviewErrorCode.TOO_LONG]
