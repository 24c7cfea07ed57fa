"""Slow movers: variants with stock on hand and no sale in the last N days.

The database does the work: one grouped query over the movement ledger gives each
variant's last sale and units sold in the sales window; nothing is summed in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import timezone
from tortoise.expressions import Q
from tortoise.functions import Coalesce, Max, Min, Sum
from tortoise.queryset import QuerySet

from models.catalog import ProductVariant
from models.inventory import MovementKind
from services.inventory.errors import InventoryErrorCode, fail
from services.pagination import Page, PageRequest, paginate

#: Days of sales that days of cover are worked out from.
SALES_WINDOW_DAYS = 90
MAX_DAYS = 3650


@dataclass(frozen=True, slots=True)
class SlowMover:
    variant: ProductVariant
    on_hand: int
    #: None when the variant never sold.
    last_sold_at: datetime | None
    #: Units sold in the last `SALES_WINDOW_DAYS` days.
    units_sold: int
    #: Days the stock on hand lasts at the rate of the sales window; None when nothing sold.
    days_of_cover: float | None
    #: Whole days since the last sale; None when the variant never sold.
    days_since_last_sale: int | None


def _moment(value: Any) -> datetime | None:
    """An aggregate's datetime: SQLite hands back text, PostgreSQL a datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def slow_movers_queryset(days: int, now: datetime) -> QuerySet[ProductVariant]:
    """Variants with stock and no sale since `now - days`, each annotated with `last_sale`,
    `idle_since` (the last sale, or the variant's creation if it never sold) and `sold`
    (the negative sum of sale movements in the sales window)."""
    sales = Q(movements__kind=MovementKind.SALE)
    last_sale = Max("movements__created_at", _filter=sales)
    window = sales & Q(movements__created_at__gte=now - timedelta(days=SALES_WINDOW_DAYS))
    return (
        ProductVariant.filter(stock_on_hand__gt=0)
        .annotate(
            last_sale=last_sale,
            # Min over the variant's own column is the column: the group is one variant.
            idle_since=Coalesce(last_sale, Min("created_at")),
            sold=Sum("movements__on_hand_change", _filter=window),
        )
        .filter(Q(last_sale__isnull=True) | Q(last_sale__lt=now - timedelta(days=days)))
        .group_by("id")
    )


def _checked_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise fail(InventoryErrorCode.INVALID, f"`days` must be from 1 to {MAX_DAYS}.", "days")


async def list_slow_movers(
    days: int, request: PageRequest, *, now: datetime | None = None, max_size: int = 100
) -> Page[ProductVariant]:
    """One page of slow movers, longest without a sale first; `slow_mover` gives figures."""
    _checked_days(days)
    return await paginate(
        slow_movers_queryset(days, now or timezone.now()),
        request,
        sort_field="idle_since",
        max_size=max_size,
    )


async def count_slow_movers(days: int, *, now: datetime | None = None) -> int:
    _checked_days(days)
    rows = await slow_movers_queryset(days, now or timezone.now()).values_list("id", flat=True)
    return len(rows)


def slow_mover(variant: ProductVariant, now: datetime | None = None) -> SlowMover:
    """The figures of a variant read by `slow_movers_queryset`."""
    now = now or timezone.now()
    last = _moment(getattr(variant, "last_sale", None))
    sold = -int(getattr(variant, "sold", None) or 0)
    cover = round(variant.stock_on_hand * SALES_WINDOW_DAYS / sold, 1) if sold > 0 else None
    return SlowMover(
        variant=variant,
        on_hand=variant.stock_on_hand,
        last_sold_at=last,
        units_sold=sold,
        days_of_cover=cover,
        days_since_last_sale=(now - last).days if last else None,
    )
