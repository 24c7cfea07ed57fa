"""The Node interface's table: each type reachable by global ID, the loader of its rows,
who may see them, and how its nodes are built. `lookup` (from the kit) reads it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models.store_credit import StoreCreditAccount
from schema.accounts.types import UserType, can_see_user
from schema.catalog.types import (
    BrandType,
    ProductImageType,
    ProductVariantType,
    build_categories,
    build_products,
    can_see,
    early_access_of,
)
from schema.context import Info
from schema.coupons import CouponType
from schema.currency import shown_prices
from schema.customs import DutyRateType
from schema.inventory import LowStockAlertType, StockMovementType, StocktakeType
from schema.kit import nodes as kit
from schema.kit.nodes import NodeSource, Rows, built_by, each, staff_with
from schema.members.addresses import AddressType
from schema.members.loyalty import (
    CheckInType,
    MembershipTierType,
    PointsEntryType,
    RewardRedemptionType,
    RewardType,
    may_see_member,
)
from schema.orders.types import OrderType, may_see_order
from schema.returns.types import ReturnType
from schema.reviews import ReviewImageType, ReviewType, visible_review_ids
from schema.shipping import CarrierType, ShippingRateType, ShippingServiceType, ShippingZoneType
from schema.store_credit import StoreCreditEntryType
from schema.support.types import ConversationType, may_see_conversation
from services.auth import StaffPermission


async def _visible_products(rows: Rows, info: Info) -> list[bool]:
    early = await early_access_of(info)
    return [can_see(row, info, early_access=early) for row in rows]


async def _visible_variants(rows: Rows, info: Info) -> list[bool]:
    """A variant is seen with its product."""
    products = await info.context.loaders.product.load_many(list({r.product_id for r in rows}))
    early = await early_access_of(info)
    seen = {p.id for p in products if p and can_see(p, info, early_access=early)}
    return [row.product_id in seen for row in rows]


async def _variants(rows: Rows, info: Info) -> list[Any]:
    prices = await shown_prices(info)
    currency = info.context.settings.shop_currency
    return [ProductVariantType.build(row, currency, prices) for row in rows]


async def _visible_reviews(rows: Rows, info: Info) -> list[bool]:
    visible = await visible_review_ids(rows, info)
    return [row.id in visible for row in rows]


async def _visible_review_images(rows: Rows, info: Info) -> list[bool]:
    """A picture is seen with its review."""
    owners = await info.context.loaders.review.load_many([r.review_id for r in rows])
    visible = await visible_review_ids(owners, info)
    return [row.review_id in visible for row in rows]


async def _visible_returns(rows: Rows, info: Info) -> list[bool]:
    """Staff who handle orders, and the shopper who placed the return's order."""
    viewer = info.context.viewer
    if viewer.can(StaffPermission.ORDERS):
        return [True for _ in rows]
    if viewer.user_id is None:
        return [False for _ in rows]
    orders = await info.context.loaders.order.load_many([row.order_id for row in rows])
    return [order is not None and order.user_id == viewer.user_id for order in orders]


async def _returns(rows: Rows, info: Info) -> list[Any]:
    orders = await info.context.loaders.order.load_many([row.order_id for row in rows])
    # A return's order is never deleted (RESTRICT): each row has its order.
    return [
        ReturnType.build(row, order)
        for row, order in zip(rows, orders, strict=True)
        if order is not None
    ]


async def _credit_accounts(rows: Rows) -> dict[int, StoreCreditAccount]:
    ids = {row.account_id for row in rows}
    return {a.id: a for a in await StoreCreditAccount.filter(id__in=ids)} if ids else {}


async def _credit_entries(rows: Rows, info: Info) -> list[Any]:
    accounts = await _credit_accounts(rows)
    orders = await info.context.loaders.order.load_many([row.order_id or 0 for row in rows])
    built = []
    for row, order in zip(rows, orders, strict=True):
        row.account = accounts[row.account_id]
        built.append(StoreCreditEntryType.build(row, order.number if order else None))
    return built


async def _visible_credit_entries(rows: Rows, info: Info) -> list[bool]:
    """The customer whose credit it is, and staff who see customers."""
    accounts = await _credit_accounts(rows)
    return [may_see_member(info, accounts[row.account_id].user_id) for row in rows]


def _own_or_staff(row: Any, info: Info) -> bool:
    viewer = info.context.viewer
    return row.user_id == viewer.user_id or viewer.can(StaffPermission.CUSTOMERS)


def _shop_priced(build: Any) -> Any:
    return built_by(lambda row, info: build(row, info.context.settings.shop_currency))


def _with_media(build: Any) -> Any:
    return built_by(lambda row, info: build(row, info.context.media_base))


def _simply(build: Any) -> Any:
    return built_by(lambda row, info: build(row))


#: Every type the Node interface reaches, by its GraphQL name.
NODE_SOURCES: dict[str, NodeSource] = {
    # Catalog: what shoppers may see now (early access counted); brands for everyone.
    "Brand": NodeSource("brand", _simply(BrandType.build)),
    "Category": NodeSource("category", lambda rows, info: build_categories(rows, info, None)),
    "Product": NodeSource(
        "product", lambda rows, info: build_products(rows, info, None), _visible_products
    ),
    "ProductImage": NodeSource("product_image", _with_media(ProductImageType.build)),
    "ProductVariant": NodeSource("variant", _variants, _visible_variants),
    # Reviews: approved ones on visible products; the author and catalog staff see theirs.
    "Review": NodeSource("review", _simply(ReviewType.build), _visible_reviews),
    "ReviewImage": NodeSource(
        "review_image", _with_media(ReviewImageType.build), _visible_review_images
    ),
    # Coupons are marketing's: only catalog staff look them up by ID.
    "Coupon": NodeSource("coupon", _simply(CouponType.build), staff_with(StaffPermission.CATALOG)),
    "Order": NodeSource(
        "order", _simply(OrderType.build), each(lambda row, info: may_see_order(info, row))
    ),
    # A return: staff who handle orders, and the shopper of its order.
    "Return": NodeSource("return_request", _returns, _visible_returns),
    # Conversations: their customer, and staff with the support permission.
    "Conversation": NodeSource(
        "conversation", _simply(ConversationType.build), each(may_see_conversation)
    ),
    # Shipping and inventory settings are for their staff; carriers and their services also
    # for the staff who ship orders with them.
    "Carrier": NodeSource(
        "carrier",
        _simply(CarrierType.build),
        staff_with(StaffPermission.SETTINGS, StaffPermission.ORDERS),
    ),
    "ShippingService": NodeSource(
        "shipping_service",
        _simply(ShippingServiceType.build),
        staff_with(StaffPermission.SETTINGS, StaffPermission.ORDERS),
    ),
    "ShippingZone": NodeSource(
        "shipping_zone", _simply(ShippingZoneType.build), staff_with(StaffPermission.SETTINGS)
    ),
    "ShippingRate": NodeSource(
        "shipping_rate", _shop_priced(ShippingRateType.build), staff_with(StaffPermission.SETTINGS)
    ),
    # The merchant's duty rates are settings too.
    "DutyRate": NodeSource(
        "duty_rate", _simply(DutyRateType.build), staff_with(StaffPermission.SETTINGS)
    ),
    "StockMovement": NodeSource(
        "stock_movement", _simply(StockMovementType.build), staff_with(StaffPermission.INVENTORY)
    ),
    "LowStockAlert": NodeSource(
        "low_stock_alert",
        _simply(LowStockAlertType.build),
        staff_with(StaffPermission.INVENTORY),
    ),
    "Stocktake": NodeSource(
        "stocktake", _simply(StocktakeType.build), staff_with(StaffPermission.INVENTORY)
    ),
    # Members: a member's own rows, and customer-service staff.
    "MembershipTier": NodeSource("membership_tier", _shop_priced(MembershipTierType.build)),
    "StoreCreditEntry": NodeSource("store_credit_entry", _credit_entries, _visible_credit_entries),
    "PointsEntry": NodeSource(
        "points_entry",
        _simply(PointsEntryType.build),
        each(lambda row, info: may_see_member(info, row.user_id)),
    ),
    "CheckIn": NodeSource(
        "check_in",
        _simply(CheckInType.build),
        each(lambda row, info: may_see_member(info, row.user_id)),
    ),
    "Reward": NodeSource(
        "reward",
        _simply(RewardType.build),
        each(lambda row, info: row.active or info.context.viewer.can(StaffPermission.CUSTOMERS)),
    ),
    "RewardRedemption": NodeSource(
        "redemption",
        _simply(RewardRedemptionType.build),
        each(lambda row, info: may_see_member(info, row.user_id)),
    ),
    "Address": NodeSource("address", _simply(AddressType.build), each(_own_or_staff)),
    "User": NodeSource(
        "user", _simply(UserType.build), each(lambda row, info: can_see_user(info, row))
    ),
}


async def lookup(info: Info, type_name: str, node_ids: Iterable[str]) -> list[Any]:
    """The nodes of `type_name` for `node_ids` (same order), None where not to be seen."""
    return await kit.lookup(NODE_SOURCES, info, type_name, node_ids)
