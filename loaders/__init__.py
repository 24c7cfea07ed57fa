"""Per-request loaders: a fresh `Loaders` for every request, so nothing is cached across them."""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.accounts import UserByIdLoader
from loaders.catalog import (
    BrandByIdLoader,
    CategoryByIdLoader,
    ChildrenByCategoryIdLoader,
    ImageByIdLoader,
    ImagesByProductIdLoader,
    ProductByIdLoader,
    TranslationsByCategoryIdLoader,
    TranslationsByProductIdLoader,
    VariantByIdLoader,
    VariantsByProductIdLoader,
)
from loaders.inventory import (
    LinesByStocktakeIdLoader,
    LowStockAlertByIdLoader,
    StockMovementByIdLoader,
    StocktakeByIdLoader,
)
from loaders.members import (
    AddressByIdLoader,
    AddressesByUserIdLoader,
    CheckInByIdLoader,
    CheckInCountByUserIdLoader,
    ItemCountByOrderIdLoader,
    MembershipTierByIdLoader,
    NewestCheckInsByUserIdLoader,
    NewestPointsEntriesByUserIdLoader,
    NewestRedemptionsByUserIdLoader,
    OrderCountByUserIdLoader,
    OrderSummaryByIdLoader,
    PointsEntryByIdLoader,
    PointsEntryCountByUserIdLoader,
    PointsSumsByUserIdLoader,
    RecentCheckInsByUserIdLoader,
    RecentOrdersByUserIdLoader,
    RedemptionByIdLoader,
    RedemptionCountByUserIdLoader,
    RewardByIdLoader,
    UpcomingEarnsByUserIdLoader,
)
from loaders.orders import (
    EventsByOrderIdLoader,
    LinesByOrderIdLoader,
    OrderByIdLoader,
    ShipmentsByOrderIdLoader,
    ShippedUnitsByOrderIdLoader,
)
from loaders.reviews import (
    CouponByIdLoader,
    ImagesByReviewIdLoader,
    ReviewByIdLoader,
    ReviewImageByIdLoader,
)
from loaders.shipping import (
    CarrierByIdLoader,
    ShippingRateByIdLoader,
    ShippingServiceByIdLoader,
    ShippingServicesByCarrierIdLoader,
    ShippingZoneByIdLoader,
)


@dataclass
class Loaders:
    """Every loader of a request; build inside the running event loop."""

    brand: BrandByIdLoader = field(default_factory=BrandByIdLoader)
    category: CategoryByIdLoader = field(default_factory=CategoryByIdLoader)
    product: ProductByIdLoader = field(default_factory=ProductByIdLoader)
    variant: VariantByIdLoader = field(default_factory=VariantByIdLoader)
    image: ImageByIdLoader = field(default_factory=ImageByIdLoader)
    variants_by_product: VariantsByProductIdLoader = field(
        default_factory=VariantsByProductIdLoader
    )
    images_by_product: ImagesByProductIdLoader = field(default_factory=ImagesByProductIdLoader)
    translations_by_product: TranslationsByProductIdLoader = field(
        default_factory=TranslationsByProductIdLoader
    )
    translations_by_category: TranslationsByCategoryIdLoader = field(
        default_factory=TranslationsByCategoryIdLoader
    )
    children_by_category: ChildrenByCategoryIdLoader = field(
        default_factory=ChildrenByCategoryIdLoader
    )
    user: UserByIdLoader = field(default_factory=UserByIdLoader)
    # Members loaders.
    address: AddressByIdLoader = field(default_factory=AddressByIdLoader)
    addresses_by_user: AddressesByUserIdLoader = field(default_factory=AddressesByUserIdLoader)
    order_summary: OrderSummaryByIdLoader = field(default_factory=OrderSummaryByIdLoader)
    recent_orders_by_user: RecentOrdersByUserIdLoader = field(
        default_factory=RecentOrdersByUserIdLoader
    )
    order_count_by_user: OrderCountByUserIdLoader = field(default_factory=OrderCountByUserIdLoader)
    item_count_by_order: ItemCountByOrderIdLoader = field(default_factory=ItemCountByOrderIdLoader)
    membership_tier: MembershipTierByIdLoader = field(default_factory=MembershipTierByIdLoader)
    points_entry: PointsEntryByIdLoader = field(default_factory=PointsEntryByIdLoader)
    check_in: CheckInByIdLoader = field(default_factory=CheckInByIdLoader)
    reward: RewardByIdLoader = field(default_factory=RewardByIdLoader)
    redemption: RedemptionByIdLoader = field(default_factory=RedemptionByIdLoader)
    points_sums_by_user: PointsSumsByUserIdLoader = field(default_factory=PointsSumsByUserIdLoader)
    upcoming_earns_by_user: UpcomingEarnsByUserIdLoader = field(
        default_factory=UpcomingEarnsByUserIdLoader
    )
    recent_check_ins_by_user: RecentCheckInsByUserIdLoader = field(
        default_factory=RecentCheckInsByUserIdLoader
    )
    newest_points_entries_by_user: NewestPointsEntriesByUserIdLoader = field(
        default_factory=NewestPointsEntriesByUserIdLoader
    )
    points_entry_count_by_user: PointsEntryCountByUserIdLoader = field(
        default_factory=PointsEntryCountByUserIdLoader
    )
    newest_check_ins_by_user: NewestCheckInsByUserIdLoader = field(
        default_factory=NewestCheckInsByUserIdLoader
    )
    check_in_count_by_user: CheckInCountByUserIdLoader = field(
        default_factory=CheckInCountByUserIdLoader
    )
    newest_redemptions_by_user: NewestRedemptionsByUserIdLoader = field(
        default_factory=NewestRedemptionsByUserIdLoader
    )
    redemption_count_by_user: RedemptionCountByUserIdLoader = field(
        default_factory=RedemptionCountByUserIdLoader
    )
    # Reviews and coupons loaders.
    review: ReviewByIdLoader = field(default_factory=ReviewByIdLoader)
    review_image: ReviewImageByIdLoader = field(default_factory=ReviewImageByIdLoader)
    images_by_review: ImagesByReviewIdLoader = field(default_factory=ImagesByReviewIdLoader)
    coupon: CouponByIdLoader = field(default_factory=CouponByIdLoader)
    # Shipping loaders.
    carrier: CarrierByIdLoader = field(default_factory=CarrierByIdLoader)
    shipping_service: ShippingServiceByIdLoader = field(default_factory=ShippingServiceByIdLoader)
    shipping_zone: ShippingZoneByIdLoader = field(default_factory=ShippingZoneByIdLoader)
    shipping_rate: ShippingRateByIdLoader = field(default_factory=ShippingRateByIdLoader)
    shipping_services_by_carrier: ShippingServicesByCarrierIdLoader = field(
        default_factory=ShippingServicesByCarrierIdLoader
    )
    # Order handling loaders.
    order: OrderByIdLoader = field(default_factory=OrderByIdLoader)
    lines_by_order: LinesByOrderIdLoader = field(default_factory=LinesByOrderIdLoader)
    shipments_by_order: ShipmentsByOrderIdLoader = field(default_factory=ShipmentsByOrderIdLoader)
    shipped_units_by_order: ShippedUnitsByOrderIdLoader = field(
        default_factory=ShippedUnitsByOrderIdLoader
    )
    events_by_order: EventsByOrderIdLoader = field(default_factory=EventsByOrderIdLoader)
    # Inventory loaders.
    low_stock_alert: LowStockAlertByIdLoader = field(default_factory=LowStockAlertByIdLoader)
    stock_movement: StockMovementByIdLoader = field(default_factory=StockMovementByIdLoader)
    stocktake: StocktakeByIdLoader = field(default_factory=StocktakeByIdLoader)
    lines_by_stocktake: LinesByStocktakeIdLoader = field(default_factory=LinesByStocktakeIdLoader)
