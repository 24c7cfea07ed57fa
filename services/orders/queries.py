"""Reading orders: the merchant's filtered list, a shopper's own orders, lookup by number and
email, and what is left to ship of an order.

A shopper's reads are scoped to the shopper inside the query itself (`user_id=`), so no
caller can reach another shopper's order by guessing its id or number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

from tortoise.expressions import Q
from tortoise.functions import Sum

from models.orders import Order, OrderLine, OrderStatus, ShipmentLine
from services import rate_limit
from services.money import InvalidAmount, InvalidCurrency, Money
from services.orders.errors import OrderErrorCode, fail
from services.orders.numbers import normalize_order_number
from services.pagination import Page, PageRequest, paginate
from settings import get_settings


class OrderSortField(Enum):
    PLACED_AT = "placed_at"
    #: The total in the shop currency, so orders in different currencies compare.
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """The merchant list's filters; amounts are shop-currency decimal strings."""

    statuses: list[OrderStatus] = field(default_factory=list)
    placed_after: datetime | None = None
    placed_before: datetime | None = None
    country: str | None = None
    customer_id: int | None = None
    #: A prefix of the order number.
    number: str | None = None
    email: str | None = None
    min_total: str | None = None
    max_total: str | None = None


def _minor(value: str, name: str) -> int:
    currency = get_settings().shop_currency
    try:
        amount = Decimal(value)
        money = Money.from_decimal(amount, currency)
    except (ArithmeticError, ValueError, InvalidAmount, InvalidCurrency):
        raise fail(
            OrderErrorCode.INVALID,
            f"Give an amount of {currency} such as 12.50.",
            "filter",
            name,
        ) from None
    return money.minor


def filter_query(given: OrderFilter) -> Q:
    """The WHERE clause of the merchant list; a bad amount is an INVALID error."""
    q = Q()
    if given.statuses:
        q &= Q(status__in=[OrderStatus(s) for s in given.statuses])
    if given.placed_after is not None:
        q &= Q(placed_at__gte=given.placed_after)
    if given.placed_before is not None:
        q &= Q(placed_at__lt=given.placed_before)
    if given.country:
        q &= Q(ship_country=given.country.upper())
    if given.customer_id is not None:
        q &= Q(user_id=given.customer_id)
    if given.number:
        q &= Q(number__startswith=normalize_order_number(given.number))
    if given.email:
        q &= Q(email__iexact=given.email.strip())
    if given.min_total is not None:
        q &= Q(total__gte=_minor(given.min_total, "min_total"))
    if given.max_total is not None:
        q &= Q(total__lte=_minor(given.max_total, "max_total"))
    return q


async def list_orders(
    given: OrderFilter,
    request: PageRequest,
    *,
    sort: OrderSortField = OrderSortField.PLACED_AT,
    descending: bool = True,
    max_size: int,
) -> Page[Order]:
    """One page of every shopper's orders, filtered and sorted (staff only)."""
    return await paginate(
        Order.filter(filter_query(given)),
        request,
        sort_field=sort.value,
        descending=descending,
        max_size=max_size,
    )


async def count_orders(given: OrderFilter) -> int:
    return await Order.filter(filter_query(given)).count()


def normalize_number(number: str) -> str:
    return normalize_order_number(number)


async def order_by_number(number: str, *, owner_id: int | None = None) -> Order | None:
    """The order with this number; with `owner_id`, only if that shopper placed it."""
    rows = Order.filter(number=normalize_number(number))
    if owner_id is not None:
        rows = rows.filter(user_id=owner_id)
    return await rows.first()


async def lookup_order(number: str, email: str, *, client: str) -> Order | None:
    """The order a guest asks after by number and email; None unless both match.

    Counted per client address (`rate_limit.RateLimited` once over the limit), so that
    numbers cannot be guessed for a known email, or emails for a known number.
    """
    settings = get_settings()
    await rate_limit.hit(
        f"order-lookup:{client}",
        limit=settings.order_lookup_limit,
        window=settings.order_lookup_window,
    )
    given = email.strip().casefold()
    order = await Order.filter(number=normalize_number(number)).first()
    if order is None or not given or order.email.strip().casefold() != given:
        return None
    return order


async def shipped_by_line(order_id: int) -> dict[int, int]:
    """Units shipped so far of each line of the order, by order line id; a parcel sent again
    to replace a lost one ships nothing more of the order, and a return parcel brings
    units back rather than sending them."""
    rows = (
        await ShipmentLine.filter(
            shipment__order_id=order_id,
            shipment__replacement_for_id__isnull=True,
            shipment__return_request_id__isnull=True,
        )
        .group_by("order_line_id")
        .annotate(shipped=Sum("quantity"))
        .values_list("order_line_id", "shipped")
    )
    return {line_id: int(shipped or 0) for line_id, shipped in rows}


async def unshipped_units(order_id: int) -> list[tuple[int, int]]:
    """(variant id, units) not yet shipped of the order, for variants that still exist."""
    shipped = await shipped_by_line(order_id)
    left: dict[int, int] = defaultdict(int)
    for line in await OrderLine.filter(order_id=order_id):
        remaining = line.quantity - shipped.get(line.id, 0)
        if remaining > 0 and line.variant_id is not None:
            left[line.variant_id] += remaining
    return sorted(left.items())
