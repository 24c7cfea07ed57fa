"""Reviews and coupons loaders: one query per relation per request, results in key order."""

from __future__ import annotations

from loaders.base import ByIdLoader, ManyByLoader
from models.coupons import Coupon
from models.reviews import Review, ReviewImage


class ReviewByIdLoader(ByIdLoader[Review]):
    model = Review


class ReviewImageByIdLoader(ByIdLoader[ReviewImage]):
    model = ReviewImage


class ImagesByReviewIdLoader(ManyByLoader[ReviewImage]):
    model = ReviewImage
    key_field = "review_id"
    columns = ("id", "path", "width", "height", "position")


class CouponByIdLoader(ByIdLoader[Coupon]):
    model = Coupon
