"""Which return policy applies to a product, and until when an order's line may go back.

The most specific row wins: the product's own, then its category's, then the nearest
ancestor category's, then the shop's row, then `DEFAULT` (30 days, no fee, the customer
pays the return parcel) for a shop that never set one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from models.catalog import Category, Product
from models.returns import PolicyScope, ReturnPolicy, ReturnShippingPayer
from settings import get_settings


@dataclass(frozen=True, slots=True)
class EffectivePolicy:
    """The policy one product is sold under, and where it came from."""

    returnable: bool
    window_days: int
    restocking_fee_bps: int
    return_shipping_payer: ReturnShippingPayer
    #: Shop currency minor units, kept from the refund when the customer pays the parcel.
    return_shipping_fee: int
    scope: PolicyScope
    #: The category or product the policy is set on (None for the shop's).
    target_id: int | None = None

    @classmethod
    def of(cls, row: ReturnPolicy) -> EffectivePolicy:
        return cls(
            returnable=row.returnable,
            window_days=row.window_days,
            restocking_fee_bps=row.restocking_fee_bps,
            return_shipping_payer=ReturnShippingPayer(row.return_shipping_payer),
            return_shipping_fee=row.return_shipping_fee,
            scope=PolicyScope(row.scope),
            target_id=row.product_id or row.category_id,
        )


DEFAULT = EffectivePolicy(
    returnable=True,
    window_days=30,
    restocking_fee_bps=0,
    return_shipping_payer=ReturnShippingPayer.CUSTOMER,
    return_shipping_fee=0,
    scope=PolicyScope.SHOP,
)


async def shop_policy() -> EffectivePolicy:
    row = await ReturnPolicy.filter(scope=PolicyScope.SHOP).order_by("id").first()
    return DEFAULT if row is None else EffectivePolicy.of(row)


async def policies_for(product_ids: Iterable[int]) -> dict[int, EffectivePolicy]:
    """The policy of each product (a deleted product gets the shop's), in five queries at most."""
    ids = sorted(set(product_ids))
    shop = await shop_policy()
    if not ids:
        return {}
    products = await Product.filter(id__in=ids).values("id", "category_id")
    category_ids = {p["category_id"] for p in products if p["category_id"] is not None}
    chains: dict[int, list[int]] = {}
    if category_ids:
        for category in await Category.filter(id__in=category_ids).only("id", "path"):
            # Nearest first: the category itself, then its parent, up to the root.
            chains[category.id] = [category.id, *reversed(category.ancestor_ids)]
    wanted_categories = {c for chain in chains.values() for c in chain}
    rows = await ReturnPolicy.filter(scope=PolicyScope.PRODUCT, product_id__in=ids)
    by_product = {row.product_id: EffectivePolicy.of(row) for row in rows}
    by_category: dict[int | None, EffectivePolicy] = {}
    if wanted_categories:
        rows = await ReturnPolicy.filter(
            scope=PolicyScope.CATEGORY, category_id__in=sorted(wanted_categories)
        )
        by_category = {row.category_id: EffectivePolicy.of(row) for row in rows}
    found: dict[int, EffectivePolicy] = {}
    for product in products:
        pid = product["id"]
        policy = by_product.get(pid)
        for category_id in chains.get(product["category_id"], ()):
            if policy is not None:
                break
            policy = by_category.get(category_id)
        found[pid] = policy or shop
    for pid in ids:
        found.setdefault(pid, shop)
    return found


def window_starts(delivered_at: datetime | None, shipped_at: datetime | None) -> datetime | None:
    """When a line's return window opens: the delivery tracking recorded, else the shipping
    date plus the `returns_delivery_margin_days` setting; None while nothing has shipped."""
    if delivered_at is not None:
        return delivered_at
    if shipped_at is not None:
        return shipped_at + timedelta(days=get_settings().returns_delivery_margin_days)
    return None


def window_ends(
    policy: EffectivePolicy, delivered_at: datetime | None, shipped_at: datetime | None
) -> datetime | None:
    """The last moment a return may be asked for under `policy` (None: not shipped yet)."""
    start = window_starts(delivered_at, shipped_at)
    return None if start is None else start + timedelta(days=policy.window_days)
