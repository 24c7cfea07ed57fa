"""Shared steps of the reviews tests: buyers, and reviews written through the API."""

from __future__ import annotations

from typing import Any

from models.accounts import User
from models.catalog import Product, ProductVariant
from models.orders import OrderStatus
from tests.factories import gid, make_order, make_user

CREATE = """
mutation($input: CreateReviewInput!) {
  createReview(input: $input) {
    review { id rating title body status authorName images { url width height } }
    errors { field code message }
  }
}
"""

APPROVE = """
mutation($input: ApproveReviewInput!) {
  approveReview(input: $input) {
    review { id status moderationNote }
    errors { field code message }
  }
}
"""


async def make_buyer(
    product: Product, *, status: OrderStatus = OrderStatus.COMPLETED, **fields: Any
) -> User:
    """A customer with an order of the product in `status`."""
    user = await make_user(**fields)
    variant = await ProductVariant.filter(product_id=product.id).first()
    assert variant is not None
    await make_order(user, [(variant, 1)], status=status)
    return user


async def write_review(
    client: Any, user: User, product: Product, rating: int = 5, **fields: Any
) -> dict[str, Any]:
    """The createReview payload of a review without pictures."""
    variables = {"input": {"productId": gid("Product", product.id), "rating": rating, **fields}}
    data = await client.query(CREATE, variables, user=user)
    payload: dict[str, Any] = data["createReview"]
    return payload


async def approve(client: Any, review_id: str, note: str = "") -> dict[str, Any]:
    data = await client.staff(APPROVE, {"input": {"id": review_id, "note": note}})
    payload: dict[str, Any] = data["approveReview"]
    return payload
