"""The `Order` type and its parts: lines, shipments, the timeline and the shipping address.

An `Order` is only ever built for staff with the orders permission or for the shopper who
placed it (the root fields and the node table see to that); the few fields that differ
between the two (internal notes, who on the staff acted) check the viewer themselves.
Amounts come twice: in the currency the shopper paid in (`total`) and in the shop currency
(`totalInShopCurrency`), with the rate the order was priced at.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from models.accounts import Role
from models.customs import Incoterm
from models.orders import Order, OrderEvent, OrderEventKind, OrderLine, OrderStatus, Shipment
from models.tracking import TrackingStatus
from schema.context import Info
from schema.geo import CountryCode, country_code
from schema.money import MoneyType
from schema.orders.customs import IncotermEnum, OrderChargeType, OrderLineCustomsType
from schema.permissions import CanManageOrders
from schema.relay import Connection, encode_id
from schema.tracking import TrackedType, tracked_fields
from services.auth import StaffPermission
from services.orders import status as order_status
from services.orders import timeline
from services.store_credit import orders as credit_orders
from services.tracking import progress

if TYPE_CHECKING:
    from schema.accounts.types import UserType
    from schema.emails import SentEmailType
    from schema.payments import PaymentType
    from schema.returns.requests import CancellationRequestType, ReturnableLineType
    from schema.returns.types import ReturnType

OrderStatusEnum = strawberry.enum(
    OrderStatus,
    name="OrderStatus",
    description="Where an order is: PENDING_PAYMENT -> PENDING_SHIPMENT -> SHIPPED -> "
    "DELIVERED -> COMPLETED, or CANCELLED before it ships.",
)
OrderEventKindEnum = strawberry.enum(OrderEventKind, name="OrderEventKind")


def sees_all_orders(info: Info) -> bool:
    """Staff with the orders permission: every order, internal notes, staff names."""
    return info.context.viewer.can(StaffPermission.ORDERS)


def may_see_order(info: Info, order: Order) -> bool:
    """Staff with the orders or customers permission (who see purchase histories), or the
    signed-in shopper who placed it."""
    viewer = info.context.viewer
    if sees_all_orders(info) or viewer.can(StaffPermission.CUSTOMERS):
        return True
    return viewer.user_id is not None and order.user_id == viewer.user_id


def _rate(value: str) -> Decimal:
    try:
        return Decimal(value or "1")
    except InvalidOperation:
        return Decimal(1)


@strawberry.type(
    name="OrderAddress", description="The shipping address as the shopper gave it at checkout."
)
class OrderAddressType:
    full_name: str
    company: str
    line1: str
    line2: str
    city: str
    region: str = strawberry.field(description="State, province or prefecture.")
    postal_code: str
    country: CountryCode | None
    phone: str | None

    @classmethod
    def build(cls, address: dict[str, str], country: str) -> OrderAddressType:
        return cls(
            full_name=address.get("full_name", ""),
            company=address.get("company", ""),
            line1=address.get("line1", ""),
            line2=address.get("line2", ""),
            city=address.get("city", ""),
            region=address.get("region", ""),
            postal_code=address.get("postal_code", ""),
            country=country_code(address.get("country") or country),
            phone=address.get("phone") or None,
        )


@strawberry.type(name="OrderLine", description="One product bought, as it was when ordered.")
class OrderLineType:
    id: strawberry.ID = strawberry.field(description="Global ID, used to ship this line.")
    name: str = strawberry.field(description="The product's name when ordered.")
    variant_name: str
    sku: str
    quantity: int
    quantity_shipped: int = strawberry.field(description="Units sent in shipments so far.")
    unit_price: MoneyType = strawberry.field(description="In the order's (presentment) currency.")
    unit_price_in_shop_currency: MoneyType
    line_total: MoneyType = strawberry.field(description="In the order's (presentment) currency.")
    line_total_in_shop_currency: MoneyType
    product_id: strawberry.ID | None = strawberry.field(
        description="The product now; null when it was deleted."
    )
    customs: OrderLineCustomsType | None = strawberry.field(
        description="The customs facts kept when it was ordered; staff with the orders "
        "permission only (null for others)."
    )

    @classmethod
    def build(
        cls, line: OrderLine, order: Order, shipped: int, *, staff: bool = False
    ) -> OrderLineType:
        return cls(
            id=encode_id("OrderLine", line.id),
            name=line.product_name,
            variant_name=line.variant_name,
            sku=line.sku,
            quantity=line.quantity,
            quantity_shipped=shipped,
            unit_price=MoneyType.minor(line.unit_price_presentment, order.currency),
            unit_price_in_shop_currency=MoneyType.minor(line.unit_price, order.shop_currency),
            line_total=MoneyType.minor(line.line_total_presentment, order.currency),
            line_total_in_shop_currency=MoneyType.minor(line.line_total, order.shop_currency),
            product_id=encode_id("Product", line.product_id) if line.product_id else None,
            customs=OrderLineCustomsType.build(line) if staff else None,
        )


@strawberry.type(name="ShipmentLine", description="Units of one order line in a shipment.")
class ShipmentLineType:
    order_line_id: strawberry.ID
    sku: str
    name: str
    quantity: int


@strawberry.type(name="Shipment", description="One parcel sent for an order.")
class ShipmentType(TrackedType):
    id: strawberry.ID
    carrier_name: str
    service_name: str | None = strawberry.field(
        description="The carrier's service it went with, as named when shipped."
    )
    tracking_number: str
    tracking_url: str | None
    shipped_at: datetime
    delivered_at: datetime | None
    lines: list[ShipmentLineType]
    handled_at: datetime | None = strawberry.field(
        description="When staff marked the parcel's current trouble as handled."
    )
    replacement_for_id: strawberry.ID | None = strawberry.field(
        description="The parcel this one was sent to replace."
    )

    @classmethod
    def build(cls, shipment: Shipment, lines: list[ShipmentLineType]) -> ShipmentType:
        return cls(
            id=encode_id("Shipment", shipment.id),
            carrier_name=shipment.carrier_name,
            service_name=shipment.service_name or None,
            tracking_number=shipment.tracking_number,
            tracking_url=shipment.tracking_url or None,
            shipped_at=shipment.shipped_at,
            delivered_at=shipment.delivered_at,
            lines=lines,
            handled_at=shipment.handled_at,
            replacement_for_id=encode_id("Shipment", shipment.replacement_for_id)
            if shipment.replacement_for_id
            else None,
            **tracked_fields(shipment),
        )

    @strawberry.field(
        description="Whether the parcel waits in the exceptions queue: trouble on the way "
        "(an exception, a failed attempt, duties due, papers missing, tracking expired, on its "
        "way back) that staff have not marked handled."
    )
    def needs_attention(self) -> bool:
        status = TrackingStatus(self.tracking_status)
        return self.handled_at is None and progress.needs_attention(
            status, self.tracking_sub_status.value if self.tracking_sub_status else ""
        )


@strawberry.type(name="OrderEvent", description="One entry of an order's timeline.")
class OrderEventType:
    id: strawberry.ID
    kind: OrderEventKindEnum  # type: ignore[valid-type]
    from_status: OrderStatusEnum | None  # type: ignore[valid-type]
    to_status: OrderStatusEnum | None  # type: ignore[valid-type]
    actor: str = strawberry.field(
        description="`customer`, `system`, or `user:<id>` for staff (shown to shoppers as `staff`)."
    )
    message: str
    internal: bool = strawberry.field(description="A staff note the shopper does not see.")
    created_at: datetime

    @classmethod
    def build(
        cls, event: OrderEvent, *, staff: bool, owner_id: int | None = None
    ) -> OrderEventType:
        actor = event.actor
        if not staff and actor.startswith("user:"):
            # Shoppers never learn which staff account acted; their own acts are theirs.
            own = owner_id is not None and event.actor_user_id == owner_id
            actor = "customer" if own else "staff"
        return cls(
            id=encode_id("OrderEvent", event.id),
            kind=OrderEventKind(event.kind),
            from_status=OrderStatus(event.from_status) if event.from_status else None,
            to_status=OrderStatus(event.to_status) if event.to_status else None,
            actor=actor,
            message=event.message,
            internal=event.internal,
            created_at=event.created_at,
        )


@strawberry.type(name="Order", description="An order placed by a shopper.")
class OrderType(relay.Node):
    id: relay.NodeID[int]
    number: str = strawberry.field(description="The order number the shopper quotes.")
    status: OrderStatusEnum  # type: ignore[valid-type]
    email: str
    phone: str | None
    placed_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    subtotal: MoneyType = strawberry.field(description="Lines before discounts, as paid.")
    discount_total: MoneyType = strawberry.field(description="Every discount, as paid.")
    shipping_total: MoneyType
    duty_total: MoneyType = strawberry.field(description="Duties charged with the order.")
    import_tax_total: MoneyType = strawberry.field(
        description="Import taxes charged with the order."
    )
    total: MoneyType = strawberry.field(description="What the shopper pays, in their currency.")
    store_credit: MoneyType = strawberry.field(
        description="Store credit that paid part of the total (a tender, not a discount)."
    )
    amount_due: MoneyType = strawberry.field(
        description="What the payment collects: the total less the store credit."
    )
    subtotal_in_shop_currency: MoneyType
    discount_total_in_shop_currency: MoneyType
    shipping_total_in_shop_currency: MoneyType
    duty_total_in_shop_currency: MoneyType
    import_tax_total_in_shop_currency: MoneyType
    total_in_shop_currency: MoneyType
    store_credit_in_shop_currency: MoneyType
    refunded_in_shop_currency: MoneyType = strawberry.field(
        description="Refunded to the order's payment so far (store credit given back on a "
        "cancellation is in the customer's store credit history instead)."
    )
    exchange_rate: Decimal = strawberry.field(
        description="Units of the order's currency per unit of the shop currency."
    )
    rate_source: str = strawberry.field(
        description="Where the rate came from: `ecb`, `manual`, or `shop` (no conversion)."
    )
    rate_date: date | None
    shipping_address: OrderAddressType
    shipping_method: str
    coupon_code: str | None
    points_redeemed: int
    points_discount_in_shop_currency: MoneyType
    member_discount_in_shop_currency: MoneyType
    payment_method: str | None
    payment_reference: str | None
    incoterm: IncotermEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="How duties and taxes were settled: DDP (charged with the order) or DAP "
        "(the carrier collects them); null for a domestic order or one placed before customs."
    )
    customs_regime: str | None = strawberry.field(
        description="The import regime applied (EU-IOSS, GB-LVI, ...)."
    )
    _order: strawberry.Private[Order]

    @classmethod
    def build(cls, order: Order) -> OrderType:
        shop, paid = order.shop_currency, order.currency
        return cls(
            id=order.id,
            number=order.number,
            status=OrderStatus(order.status),
            email=order.email,
            phone=order.phone or None,
            placed_at=order.placed_at,
            paid_at=order.paid_at,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            completed_at=order.completed_at,
            cancelled_at=order.cancelled_at,
            cancel_reason=order.cancel_reason or None,
            subtotal=MoneyType.minor(order.subtotal_presentment, paid),
            discount_total=MoneyType.minor(order.discount_total_presentment, paid),
            shipping_total=MoneyType.minor(order.shipping_total_presentment, paid),
            duty_total=MoneyType.minor(order.duty_total_presentment, paid),
            import_tax_total=MoneyType.minor(order.import_tax_total_presentment, paid),
            total=MoneyType.minor(order.total_presentment, paid),
            store_credit=MoneyType.minor(order.store_credit_presentment, paid),
            amount_due=MoneyType.minor(credit_orders.amount_due(order), paid),
            subtotal_in_shop_currency=MoneyType.minor(order.subtotal, shop),
            discount_total_in_shop_currency=MoneyType.minor(order.discount_total, shop),
            shipping_total_in_shop_currency=MoneyType.minor(order.shipping_total, shop),
            duty_total_in_shop_currency=MoneyType.minor(order.duty_total, shop),
            import_tax_total_in_shop_currency=MoneyType.minor(order.import_tax_total, shop),
            total_in_shop_currency=MoneyType.minor(order.total, shop),
            store_credit_in_shop_currency=MoneyType.minor(order.store_credit, shop),
            refunded_in_shop_currency=MoneyType.minor(order.refunded_total, shop),
            exchange_rate=_rate(order.exchange_rate),
            rate_source=order.rate_source,
            rate_date=order.rate_date,
            shipping_address=OrderAddressType.build(order.shipping_address, order.ship_country),
            shipping_method=order.shipping_method,
            coupon_code=order.coupon_code or None,
            points_redeemed=order.points_redeemed,
            points_discount_in_shop_currency=MoneyType.minor(order.points_discount, shop),
            member_discount_in_shop_currency=MoneyType.minor(order.member_discount, shop),
            payment_method=order.payment_method or None,
            payment_reference=order.payment_reference or None,
            incoterm=Incoterm(order.incoterm) if order.incoterm else None,
            customs_regime=order.customs_regime or None,
            _order=order,
        )

    @strawberry.field(description="Units bought: the sum of the line quantities.")
    async def item_count(self, info: Info) -> int:
        lines = await info.context.loaders.lines_by_order.load(self._order.id)
        return sum(line.quantity for line in lines)

    @strawberry.field(description="The lines, in the order they were added.")
    async def lines(self, info: Info) -> list[OrderLineType]:
        loaders = info.context.loaders
        lines = await loaders.lines_by_order.load(self._order.id)
        parcels = await loaders.shipments_by_order.load(self._order.id)
        # A parcel sent again to replace a lost one ships nothing more of the order.
        replacements = {p.id for p in parcels if p.replacement_for_id is not None}
        shipped: dict[int, int] = {}
        for unit in await loaders.shipped_units_by_order.load(self._order.id):
            if unit.shipment_id not in replacements:
                shipped[unit.order_line_id] = shipped.get(unit.order_line_id, 0) + unit.quantity
        staff = sees_all_orders(info)
        return [
            OrderLineType.build(line, self._order, shipped.get(line.id, 0), staff=staff)
            for line in lines
        ]

    @strawberry.field(
        description="Duties and import taxes: those charged with the order and the estimates "
        "of what the carrier collects on delivery, as quoted when it was placed."
    )
    async def charges(self, info: Info) -> list[OrderChargeType]:
        rows = await info.context.loaders.charges_by_order.load(self._order.id)
        return [OrderChargeType.build(row, self._order) for row in rows]

    @strawberry.field(description="Parcels sent, oldest first.")
    async def shipments(self, info: Info) -> list[ShipmentType]:
        return await shipments_of(info, self._order)

    @strawberry.field(
        description="What happened to the order, oldest first; internal notes for staff only."
    )
    async def timeline(self, info: Info) -> list[OrderEventType]:
        staff = sees_all_orders(info)
        events = await info.context.loaders.events_by_order.load(self._order.id)
        return [
            OrderEventType.build(event, staff=staff, owner_id=self._order.user_id)
            for event in timeline.visible_events(events, staff=staff)
        ]

    @strawberry.field(
        description="Whether the viewer may cancel the order now (not once anything shipped)."
    )
    async def can_cancel(self, info: Info) -> bool:
        if not order_status.can_cancel(self._order.status, staff=sees_all_orders(info)):
            return False
        return not await info.context.loaders.shipments_by_order.load(self._order.id)

    @strawberry.field(description="Returns asked for the order's lines, newest first.")
    async def returns(
        self, info: Info
    ) -> list[Annotated[ReturnType, strawberry.lazy("schema.returns.types")]]:
        from schema.returns.types import returns_of

        return await returns_of(info, self._order)

    @strawberry.field(
        description="Each line's standing for a return now: the units that may be asked "
        "back, or why none may, the window's end, its policy and the variants to exchange for."
    )
    async def returnable_lines(
        self, info: Info
    ) -> list[Annotated[ReturnableLineType, strawberry.lazy("schema.returns.requests")]]:
        from schema.returns.requests import ReturnableLineType
        from services.returns import eligibility, requests

        found = await eligibility.eligibility(self._order)
        options = await requests.exchange_options(
            e.line.product_id for e in found if e.line.product_id
        )
        return [
            ReturnableLineType.build(
                e, self._order, options.get(e.line.product_id or 0, []), info.context.locale
            )
            for e in found
        ]

    @strawberry.field(
        description="The shopper's open request to cancel the order, else the latest one "
        "decided; null when none was made."
    )
    async def cancellation_request(
        self, info: Info
    ) -> Annotated[CancellationRequestType, strawberry.lazy("schema.returns.requests")] | None:
        from schema.returns.requests import CancellationRequestType
        from services.returns import cancellation

        row = await cancellation.latest_request(self._order.id)
        return CancellationRequestType.build(row) if row is not None else None

    @strawberry.field(description="The attempts to pay the order, newest first.")
    async def payments(
        self, info: Info
    ) -> list[Annotated[PaymentType, strawberry.lazy("schema.payments")]]:
        from schema.payments import payments_of_order

        return await payments_of_order(info, self._order.id)

    @strawberry.field(
        description="Emails sent, or tried, to the shopper about the order, oldest first.",
        permission_classes=[CanManageOrders],
    )
    async def emails(
        self, info: Info
    ) -> list[Annotated[SentEmailType, strawberry.lazy("schema.emails")]]:
        from schema.emails import SentEmailType

        rows = await info.context.loaders.emails_by_order.load(self._order.id)
        return [SentEmailType.build(e) for e in rows]

    @strawberry.field(description="The member who placed it; null for a guest order.")
    async def customer(
        self, info: Info
    ) -> Annotated[UserType, strawberry.lazy("schema.accounts.types")] | None:
        from schema.accounts.types import UserType, can_see_user

        if self._order.user_id is None:
            return None
        user = await info.context.loaders.user.load(self._order.user_id)
        if user is None:
            return None
        visible = can_see_user(info, user) or (sees_all_orders(info) and user.role == Role.CUSTOMER)
        return UserType.build(user) if visible else None


async def shipments_of(info: Info, order: Order) -> list[ShipmentType]:
    """An order's shipments with their lines, from the per-request loaders."""
    loaders = info.context.loaders
    shipments = await loaders.shipments_by_order.load(order.id)
    if not shipments:
        return []
    units = await loaders.shipped_units_by_order.load(order.id)
    lines = {line.id: line for line in await loaders.lines_by_order.load(order.id)}
    by_shipment: dict[int, list[ShipmentLineType]] = {}
    for unit in units:
        line = lines.get(unit.order_line_id)
        by_shipment.setdefault(unit.shipment_id, []).append(
            ShipmentLineType(
                order_line_id=encode_id("OrderLine", unit.order_line_id),
                sku=line.sku if line else "",
                name=line.product_name if line else "",
                quantity=unit.quantity,
            )
        )
    return [ShipmentType.build(s, by_shipment.get(s.id, [])) for s in shipments]


async def shipment_of(info: Info, order: Order, shipment_id: int) -> ShipmentType:
    """One of the order's shipments with its lines, from the per-request loaders."""
    wanted = encode_id("Shipment", shipment_id)
    return next(s for s in await shipments_of(info, order) if s.id == wanted)


@strawberry.type(name="OrderConnection")
class OrderConnection(Connection[OrderType]):
    pass


@strawberry.type(
    name="OrderTrackingShipment", description="A parcel as anyone with the order's email sees it."
)
class OrderTrackingShipmentType(TrackedType):
    carrier_name: str
    tracking_number: str
    tracking_url: str | None
    shipped_at: datetime
    delivered_at: datetime | None


@strawberry.type(
    name="OrderTracking",
    description="The public view of an order for someone who knows its number and email: "
    "where it is, and nothing about what it cost or where it goes.",
)
class OrderTrackingType:
    number: str
    status: OrderStatusEnum  # type: ignore[valid-type]
    placed_at: datetime
    _order: strawberry.Private[Order]

    @classmethod
    def build(cls, order: Order) -> OrderTrackingType:
        return cls(
            number=order.number,
            status=OrderStatus(order.status),
            placed_at=order.placed_at,
            _order=order,
        )

    @strawberry.field
    async def shipments(self, info: Info) -> list[OrderTrackingShipmentType]:
        rows = await info.context.loaders.shipments_by_order.load(self._order.id)
        return [
            OrderTrackingShipmentType(
                carrier_name=row.carrier_name,
                tracking_number=row.tracking_number,
                tracking_url=row.tracking_url or None,
                shipped_at=row.shipped_at,
                delivered_at=row.delivered_at,
                **tracked_fields(row),
            )
            for row in rows
        ]
