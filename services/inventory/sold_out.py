"""Sold-out delisting: products that ask for it leave the shelf when their last unit goes."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from tortoise.expressions import F, Subquery

from models.catalog import ListingStatus, Product, ProductVariant
from services.catalog import listing

log = logging.getLogger("tradewind.inventory")

#: Who the listing history names for a sold-out delisting.
ACTOR = "system"


async def delist_sold_out(product_ids: Iterable[int]) -> list[int]:
    """Unpublish those of the products that delist when sold out and have nothing left.

    Call after the commit of the sale or reservation that emptied them: the stock is read
    again here, so a receipt that arrived meanwhile keeps its product on the shelf.
    Returns the ids of the products taken off the shelf.
    """
    ids = list(set(product_ids))
    if not ids:
        return []
    stocked = Subquery(
        ProductVariant.filter(product_id__in=ids, stock_on_hand__gt=F("stock_reserved")).values(
            "product_id"
        )
    )
    empty = await (
        Product.filter(id__in=ids, delist_when_sold_out=True, status=ListingStatus.ACTIVE)
        .exclude(id__in=stocked)
        .only("id")
    )
    delisted = []
    for product_id in (product.id for product in empty):
        try:
            await listing.unpublish_product(product_id, actor=ACTOR)
        except Exception:
            # The sale is committed; a failed delisting must not turn it into an error.
            log.exception("inventory.delist_failed", extra={"product_id": product_id})
            continue
        delisted.append(product_id)
        log.info("inventory.delisted_sold_out", extra={"product_id": product_id})
    return delisted
