"""A product's `rating_average` and `rating_count`, kept equal to its approved reviews.

Every change that can move them (approve, reject, an author's edit or deletion) locks
the product row first and recomputes both from one aggregate query in the same
transaction, so concurrent moderations of one product cannot leave a stale figure.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count, Sum

from models.catalog import Product
from models.reviews import Review, ReviewStatus


async def lock_product(product_id: int, connection: BaseDBAsyncClient) -> None:
    """Hold the product row until the transaction ends (a no-op on SQLite, which has one writer)."""
    await Product.filter(id=product_id).select_for_update().using_db(connection).only("id")


async def recompute(product_id: int, connection: BaseDBAsyncClient) -> tuple[float, int]:
    """Set the product's average and count from its approved reviews; returns them."""
    rows = (
        await Review.filter(product_id=product_id, status=ReviewStatus.APPROVED)
        .using_db(connection)
        .annotate(total=Sum("rating"), count=Count("id"))
        .values("total", "count")
    )
    row = rows[0] if rows else {}
    count = int(row.get("count") or 0)
    # Sum and count rather than AVG, which SQLite would answer in the rating's integer type.
    # Two decimals are what a storefront shows; the sort needs no more.
    average = round(int(row.get("total") or 0) / count, 2) if count else 0.0
    await (
        Product.filter(id=product_id)
        .using_db(connection)
        .update(rating_average=average, rating_count=count)
    )
    return average, count
