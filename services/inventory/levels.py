"""Stock levels: every variant's on hand, reserved and available units, for staff to browse.

A variant is OUT_OF_STOCK when nothing is available (on hand at or below reserved), LOW_STOCK
when its available units are at or below its threshold (its own, else the shop default) and
IN_STOCK otherwise; the same rule the low-stock alerts follow. Filtering by level is done
in SQL, so a page costs one query whatever the number of variants.
"""

from __future__ import annotations

from enum import Enum

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from models.catalog import ProductVariant
from services.inventory import alerts
from services.pagination import Page, PageRequest, paginate

#: Words of a search that count; the rest are ignored.
MAX_TERMS = 8


class StockLevel(Enum):
    IN_STOCK = "in_stock"
    LOW_STOCK = "low_stock"
    OUT_OF_STOCK = "out_of_stock"


def level_of(variant: ProductVariant) -> StockLevel:
    """The level of a variant's figures."""
    available = variant.stock_on_hand - variant.stock_reserved
    if available <= 0:
        return StockLevel.OUT_OF_STOCK
    if available <= alerts.threshold_of(variant.low_stock_threshold):
        return StockLevel.LOW_STOCK
    return StockLevel.IN_STOCK


def _out() -> Q:
    return Q(stock_on_hand__lte=F("stock_reserved"))


def _at_threshold() -> Q:
    """Available at or below the threshold that applies (out of stock included)."""
    default = alerts.threshold_of(None)
    own = Q(low_stock_threshold__isnull=False) & Q(
        stock_on_hand__lte=F("stock_reserved") + F("low_stock_threshold")
    )
    shop = Q(low_stock_threshold__isnull=True) & Q(stock_on_hand__lte=F("stock_reserved") + default)
    return own | shop


def _search(text: str) -> Q:
    """Every word in the SKU, the variant's name or the product's name."""
    q = Q()
    for term in text.split()[:MAX_TERMS]:
        q &= Q(sku__icontains=term) | Q(name__icontains=term) | Q(product__name__icontains=term)
    return q


def levels_queryset(
    *, search: str | None = None, sku: str | None = None, level: StockLevel | None = None
) -> QuerySet[ProductVariant]:
    qs = ProductVariant.all()
    if sku is not None:
        # Exact, letter case ignored: what a scanner reads.
        qs = qs.filter(sku__iexact=sku.strip())
    if search and search.strip():
        qs = qs.filter(_search(search))
    if level is StockLevel.OUT_OF_STOCK:
        qs = qs.filter(_out())
    elif level is StockLevel.LOW_STOCK:
        qs = qs.filter(_at_threshold()).exclude(_out())
    elif level is StockLevel.IN_STOCK:
        qs = qs.exclude(_at_threshold())
    return qs


async def list_levels(
    request: PageRequest,
    *,
    search: str | None = None,
    sku: str | None = None,
    level: StockLevel | None = None,
    max_size: int = 100,
) -> Page[ProductVariant]:
    """One page of variants by SKU, with their products (`product` fetched for the name)."""
    return await paginate(
        levels_queryset(search=search, sku=sku, level=level).select_related("product"),
        request,
        sort_field="sku",
        max_size=max_size,
    )
