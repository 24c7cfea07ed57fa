"""Reviews loaders: one query per relation per request, results in key order."""

from __future__ import annotations

from functools import cached_property

from loaders.base import ByIdLoader, ManyByLoader
from models.reviews import Review, ReviewImage


class ReviewByIdLoader(ByIdLoader[Review]):
    model = Review


class ReviewImageByIdLoader(ByIdLoader[ReviewImage]):
    model = ReviewImage


class ImagesByReviewIdLoader(ManyByLoader[ReviewImage]):
    model = ReviewImage
    key_field = "review_id"
    columns = ("id", "path", "width", "height", "position")


class ReviewsLoaders:
    """The reviews loaders of a request, each built on first use."""

    @cached_property
    def review(self) -> ReviewByIdLoader:
        return ReviewByIdLoader()

    @cached_property
    def review_image(self) -> ReviewImageByIdLoader:
        return ReviewImageByIdLoader()

    @cached_property
    def images_by_review(self) -> ImagesByReviewIdLoader:
        return ImagesByReviewIdLoader()
