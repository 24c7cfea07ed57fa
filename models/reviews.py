"""Review tables: a buyer's rating and text for a product, with pictures, moderated by staff."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.models import Model

if TYPE_CHECKING:
    from models.accounts import User
    from models.catalog import Product


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Review(Model):
    id = fields.IntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="reviews", on_delete=OnDelete.CASCADE
    )
    product_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="reviews", on_delete=OnDelete.CASCADE
    )
    user_id: int
    #: 1 to 5, checked by the reviews service (a CHECK here would make SQLite rebuild the
    #: table and drop its unique pair).
    rating = fields.SmallIntField()
    title = fields.CharField(max_length=120, default="")
    body = fields.TextField(default="")
    status = fields.CharEnumField(ReviewStatus, max_length=16, default=ReviewStatus.PENDING)
    moderated_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="moderated_reviews", null=True, on_delete=OnDelete.SET_NULL
    )
    moderated_by_id: int | None
    moderated_at = fields.DatetimeField(null=True)
    moderation_note = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reviews_review"
        unique_together = (("product", "user"),)
        ordering = ["-created_at", "-id"]


class ReviewImage(Model):
    id = fields.IntField(primary_key=True)
    review: fields.ForeignKeyRelation[Review] = fields.ForeignKeyField(
        "models.Review", related_name="images", on_delete=OnDelete.CASCADE
    )
    review_id: int
    #: Storage key under the media directory.
    path = fields.CharField(max_length=200)
    width = fields.IntField()
    height = fields.IntField()
    position = fields.IntField(default=0)

    class Meta:
        table = "reviews_review_image"
        ordering = ["position", "id"]
