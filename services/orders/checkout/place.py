"""Placing the order: one transaction from a priced cart to an order.

`place_order` is one transaction: the cart's state is claimed, stock is reserved with
conditional updates, the lines, prices and rate are copied into the order, the coupon use
and points are recorded, the order gets a random number, each line keeps its customs facts
and the order its duties and import taxes as they were quoted. Its idempotency key makes a
retry return the same order; the claim makes one cart state one order, whatever keys
concurrent requests send. Anything refused leaves nothing written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from tortoise import timezone
from tortoise.exceptions import IntegrityError

from models.accounts import User
from models.customs import OrderCharge
from models.members import PointsKind
from models.orders import (
    Cart,
    CheckoutAttempt,
    Order,
    OrderEvent,
    OrderEventKind,
    OrderLine,
    OrderStatus,
)
from services.accounts.errors import AccountError
from services.accounts.identifiers import normalize_email
from services.coupons import usage as coupon_usage
from services.coupons.errors import CouponError
from services.customs.facts import customs_facts
from services.customs.landed_cost import LandedCost
from services.emails import events as order_emails
from services.errors import Problem
from services.inventory import stock
from services.inventory.errors import InventoryError
from services.members import points as member_points
from services.members.addresses import AddressFields, check_address
from services.members.errors import MemberError
from services.money import Money
from services.orders import access
from services.orders import cart as carts
from services.orders.checkout.quote import CheckoutQuote, PricedLine, Shopper, quote_checkout
from services.orders.errors import CartAlreadyOrdered, OrderError, OrderErrorCode, fail
from services.orders.numbers import new_order_number
from services.orders.status import move
from services.orders.timeline import Actor
from services.shipping.quotes import Destination
from services.store_credit import orders as credit_orders
from services.store_credit.ledger import StoreCreditError
from services.transactions import atomic
from settings import get_settings
from subscriptions import events

#: `Order.payment_method` of an order store credit paid in full.
STORE_CREDIT_METHOD = "store_credit"
#: Attempts at a fresh random order number before giving up (a clash is ~1 in 10^12).
NUMBER_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class PlaceOrderInput:
    idempotency_key: str
    email: str | None
    shipping_address: AddressFields
    shipping_service_id: int
    currency: str | None = None
    coupon_code: str | None = None
    points: int = 0
    phone: str | None = None
    #: The total the shopper agreed to, in the presentment currency (minor units).
    expected_total: int | None = None
    #: The language the shopper checks out in; their order emails are written in it.
    locale: str = ""
    #: Pay what the member's store credit in the order's currency covers, up to the total.
    use_store_credit: bool = False
    #: The credit the shopper was shown as applied (presentment minor units): placing the
    #: order is refused when it would apply another amount.
    expected_store_credit: int | None = None


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    order: Order
    #: A guest's order-access token, shown this once (stored only as a hash); None for a
    #: member, who reads the order signed in.
    access_token: str | None = None


def _attempt_key(key: str, shopper: Shopper, cart: Cart) -> str:
    """The client's key, scoped to the shopper so that keys cannot collide across people."""
    owner = f"user:{shopper.user_id}" if shopper.user_id else f"cart:{cart.token_hash}"
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()


async def _existing_order(key_hash: str) -> Order | None:
    attempt = await CheckoutAttempt.get_or_none(key=key_hash)
    return await Order.get(id=attempt.order_id) if attempt else None


def _member_problem(exc: MemberError | AccountError, prefix: str) -> OrderError:
    return OrderError(
        [
            Problem(
                OrderErrorCode.INVALID_ADDRESS,
                p.message,
                (prefix, *(p.field or ())),
            )
            for p in exc.problems
        ]
    )


async def place_order(cart: Cart, shopper: Shopper, given: PlaceOrderInput) -> PlacedOrder:
    """Places the cart as an order (or returns the order this key placed before, with a
    fresh access token for a guest: the answer that carried the first may have been lost)."""
    key = given.idempotency_key.strip()
    if not 8 <= len(key) <= 64:
        raise fail(
            OrderErrorCode.INVALID,
            "Use an idempotency key of 8 to 64 characters.",
            "idempotency_key",
        )
    key_hash = _attempt_key(key, shopper, cart)
    if (done := await _existing_order(key_hash)) is not None:
        return await _again(_same_request(done, given))
    # The cart state this request prices and may claim; any change after it is a new state.
    version = cart.version
    if (number := await carts.ordered_as(cart)) is not None:
        raise CartAlreadyOrdered(number)
    try:
        return await _place(cart, shopper, given, key_hash, version)
    except (OrderError, IntegrityError) as exc:
        # A retry racing the first request with the same key: once that one committed, its
        # order is the answer, whatever this attempt ran into (an emptied cart, a unique key).
        if (done := await _existing_order(key_hash)) is not None:
            return await _again(_same_request(done, given))
        # Another request (another key: a double click, a second tab) claimed this state;
        # whatever this one ran into meanwhile (an emptied cart, stock it took), that is why.
        if isinstance(exc, OrderError) and (number := await carts.claimed_by(cart, version)):
            raise CartAlreadyOrdered(number) from None
        raise


async def _again(order: Order) -> PlacedOrder:
    token = await access.grant_access(order) if order.user_id is None else None
    return PlacedOrder(order, token)


def _same_request(order: Order, given: PlaceOrderInput) -> Order:
    """The order a key placed, when the retry asks for the same checkout.

    The cart cannot be compared (placing the order emptied it), but the choices a retry
    repeats can: a key sent again with another shipping service, currency or destination
    is a new checkout wrongly reusing a key, and is refused rather than answered with an
    order the shopper did not ask for.
    """
    country = str(given.shipping_address.get("country") or "").upper()
    same = (
        order.shipping_service_id == given.shipping_service_id
        and (given.currency is None or order.currency == given.currency.upper())
        and order.ship_country == country
    )
    if not same:
        raise fail(
            OrderErrorCode.IDEMPOTENCY_KEY_REUSED,
            "This idempotency key was used for another checkout; use a new key.",
            "idempotency_key",
        )
    return order


async def _place(
    cart: Cart, shopper: Shopper, given: PlaceOrderInput, key_hash: str, version: int
) -> PlacedOrder:
    user = await User.get(id=shopper.user_id) if shopper.user_id else None
    email_given = given.email or (user.email if user else None)
    if not email_given:
        raise fail(OrderErrorCode.REQUIRED, "Enter an email address for the order.", "email")
    try:
        email = normalize_email(email_given, "email")
    except AccountError:
        raise fail(OrderErrorCode.INVALID_EMAIL, "Enter a valid email address.", "email") from None
    try:
        address = check_address(given.shipping_address)
    except (MemberError, AccountError) as exc:
        raise _member_problem(exc, "shipping_address") from None

    destination = Destination(
        address["country"], address.get("region", ""), address.get("postal_code", "")
    )
    quote = await quote_checkout(
        cart,
        shopper,
        currency=given.currency,
        destination=destination,
        shipping_service_id=given.shipping_service_id,
        coupon_code=given.coupon_code,
        points=given.points,
        email=email,
        list_options=False,
    )
    if not quote.lines:
        raise fail(OrderErrorCode.CART_EMPTY, "The cart is empty.", "cart_token")
    gone = [line for line in quote.lines if not line.for_sale]
    if gone:
        raise OrderError(
            [
                Problem(
                    OrderErrorCode.NOT_FOR_SALE,
                    f"{line.product.name} is no longer for sale; remove it from the cart.",
                    ("lines", str(line.variant.id)),
                )
                for line in gone
            ]
        )
    if quote.coupon_problem is not None:
        raise OrderError(
            Problem(OrderErrorCode.COUPON_INVALID, quote.coupon_problem.message, ("coupon_code",))
        )
    short = [line for line in quote.lines if not line.in_stock]
    if short:
        raise _out_of_stock([(line.variant.id, line.available) for line in short], quote)
    if given.expected_total is not None and given.expected_total != quote.presentment.total:
        total = Money(quote.presentment.total, quote.currency)
        raise fail(
            OrderErrorCode.PRICE_CHANGED,
            f"Prices changed since you looked: the total is now {total}.",
            "expected_total",
        )
    credit = _credit_to_spend(quote, given)
    placed = await _write_order(
        quote, shopper, given, email, address, key_hash, cart, version, credit
    )
    await events.publish(_placed(placed.order))
    return placed


def _credit_to_spend(quote: CheckoutQuote, given: PlaceOrderInput) -> int:
    """The store credit the order spends (presentment minor units): what the member's
    balance covers of the total when they asked to use it, and what they were shown."""
    credit = quote.store_credit_applicable if given.use_store_credit else 0
    if given.expected_store_credit is not None and given.expected_store_credit != credit:
        available = Money(quote.store_credit_available or 0, quote.currency)
        raise fail(
            OrderErrorCode.STORE_CREDIT_INSUFFICIENT,
            f"Your store credit changed since you looked: {available} is available now.",
            "expected_store_credit",
        )
    return credit


def _out_of_stock(short: list[tuple[int, int]], quote: CheckoutQuote) -> OrderError:
    by_id = {line.variant.id: line for line in quote.lines}
    return OrderError(
        [
            Problem(
                OrderErrorCode.OUT_OF_STOCK,
                f"Only {available} of {by_id[variant_id].product.name} "
                f"({by_id[variant_id].variant.sku}) left."
                if available > 0
                else f"{by_id[variant_id].product.name} ({by_id[variant_id].variant.sku}) "
                "is sold out.",
                ("lines", str(variant_id)),
            )
            for variant_id, available in short
        ]
    )


async def _write_order(
    quote: CheckoutQuote,
    shopper: Shopper,
    given: PlaceOrderInput,
    email: str,
    address: dict[str, Any],
    key_hash: str,
    cart: Cart,
    version: int,
    credit: int,
) -> PlacedOrder:
    settings = get_settings()
    shop, presentment = quote.shop, quote.presentment
    option = quote.shipping_option
    landed = quote.landed_cost
    country = address["country"]
    async with atomic():
        order = None
        for _ in range(NUMBER_ATTEMPTS):
            try:
                async with atomic():
                    order = await Order.create(
                        number=new_order_number(),
                        user_id=shopper.user_id,
                        email=email,
                        phone=address.get("phone") or (given.phone or ""),
                        status=OrderStatus.PENDING_PAYMENT,
                        shop_currency=settings.shop_currency,
                        currency=quote.currency,
                        exchange_rate=str(quote.rate.rate),
                        rate_source=quote.rate.source,
                        rate_date=quote.rate.rate_date,
                        subtotal=shop.subtotal,
                        discount_total=shop.discount_total,
                        shipping_total=shop.shipping,
                        total=shop.total,
                        subtotal_presentment=presentment.subtotal,
                        discount_total_presentment=presentment.discount_total,
                        shipping_total_presentment=presentment.shipping,
                        total_presentment=presentment.total,
                        duty_total=shop.duty,
                        import_tax_total=shop.import_tax,
                        duty_total_presentment=presentment.duty,
                        import_tax_total_presentment=presentment.import_tax,
                        incoterm=landed.incoterm.value if landed and landed.incoterm else "",
                        customs_regime=landed.regime if landed else "",
                        customs=landed.record() if landed else None,
                        member_discount=shop.member_discount,
                        points_discount=shop.points_discount,
                        points_redeemed=quote.points_redeemed,
                        store_credit=credit_orders.in_shop_currency(
                            credit, shop.total, presentment.total
                        ),
                        store_credit_presentment=credit,
                        ship_country=address["country"],
                        ship_region=address.get("region", ""),
                        shipping_address=address,
                        shipping_service_id=option.service_id if option else None,
                        shipping_method=(
                            f"{option.carrier_name} {option.service_name}" if option else ""
                        ),
                        coupon_id=quote.coupon.coupon.id if quote.coupon else None,
                        coupon_code=quote.coupon.coupon.code if quote.coupon else "",
                        locale=given.locale[:16],
                    )
                break
            except IntegrityError:
                continue  # a number already taken: draw another
        if order is None:
            raise RuntimeError("could not draw a free order number")
        # First, before any stock is touched: a second request for the same cart state waits
        # here for the first to finish, then finds the state gone and writes nothing.
        if not await carts.claim(cart, version=version, order_id=order.id):
            raise fail(
                OrderErrorCode.CART_CHANGED,
                "The cart changed while the order was being placed; check it and try again.",
                "cart_token",
            )
        await CheckoutAttempt.create(key=key_hash, order_id=order.id)
        await OrderLine.bulk_create([_line(order, line, country) for line in quote.lines])
        if landed is not None and landed.charges:
            await _write_charges(order, quote, landed)
        try:
            await stock.reserve(
                [(line.variant.id, line.quantity) for line in quote.lines], reference=order.number
            )
        except InventoryError as exc:
            raise OrderError(
                [Problem(OrderErrorCode.OUT_OF_STOCK, p.message, p.field) for p in exc.problems]
            ) from None
        if quote.coupon is not None:
            try:
                await coupon_usage.record_use(
                    quote.coupon.coupon.id,
                    user_id=shopper.user_id,
                    email=email,
                    order_id=order.id,
                    discount=shop.coupon_discount,
                )
            except CouponError as exc:
                raise OrderError(
                    Problem(
                        OrderErrorCode.COUPON_INVALID, exc.problems[0].message, ("coupon_code",)
                    )
                ) from None
        if quote.points_redeemed and shopper.user_id is not None:
            try:
                await member_points.spend(
                    shopper.user_id,
                    quote.points_redeemed,
                    PointsKind.REDEMPTION,
                    f"checkout:{order.number}",
                    note=f"Order {order.number}",
                    field="points",
                )
            except MemberError as exc:
                raise OrderError(
                    Problem(
                        OrderErrorCode.INSUFFICIENT_POINTS, exc.problems[0].message, ("points",)
                    )
                ) from None
        if credit:
            try:
                await credit_orders.spend_on_order(order)
            except StoreCreditError as exc:
                # Spent elsewhere since the quote: the whole order goes, nothing is taken.
                raise fail(
                    OrderErrorCode.STORE_CREDIT_INSUFFICIENT,
                    exc.problems[0].message,
                    "use_store_credit",
                ) from None
        # What was ordered leaves the cart in the same transaction; lines added meanwhile stay.
        await carts.remove_ordered(cart, [(line.variant.id, line.quantity) for line in quote.lines])
        await OrderEvent.create(
            order_id=order.id,
            kind=OrderEventKind.PLACED,
            to_status=OrderStatus.PENDING_PAYMENT.value,
            actor=f"user:{shopper.user_id}" if shopper.user_id else "customer",
            actor_user_id=shopper.user_id,
            message="Order placed.",
        )
        await order_emails.order_placed(order.id)
        if credit and credit >= order.total_presentment:
            order = await _paid_by_credit(order, shopper)
        token = await access.grant_access(order) if shopper.user_id is None else None
    return PlacedOrder(order, token)


async def _paid_by_credit(order: Order, shopper: Shopper) -> Order:
    """An order store credit paid in full is paid at once, by the same move a confirmed
    payment makes (its status, timeline entry and payment email)."""
    return await move(
        order,
        OrderStatus.PENDING_SHIPMENT,
        actor=Actor.customer(shopper.user_id),
        kind=OrderEventKind.PAYMENT,
        message="Paid in full with store credit.",
        data={
            "method": STORE_CREDIT_METHOD,
            "reference": credit_orders.spend_reference(order.number),
        },
        paid_at=timezone.now(),
        payment_method=STORE_CREDIT_METHOD,
        payment_reference=credit_orders.spend_reference(order.number),
    )


def _line(order: Order, line: PricedLine, country: str) -> OrderLine:
    facts = customs_facts(line.product, line.variant, country)
    return OrderLine(
        order_id=order.id,
        product_id=line.product.id,
        variant_id=line.variant.id,
        product_name=line.product.name,
        variant_name=line.variant.name or " / ".join(o["value"] for o in line.variant.options),
        sku=line.variant.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        unit_price_presentment=line.unit_price_presentment,
        line_total=line.line_total,
        line_total_presentment=line.line_total_presentment,
        hs_code=facts.hs_code,
        hs_national=facts.hs_national,
        origin_country=facts.origin_country,
        customs_description=facts.description,
        material=facts.material[:120],
        net_weight_grams=facts.net_weight_grams,
        dangerous_goods=facts.dangerous_goods,
        excise_goods=facts.excise_goods,
    )


async def _write_charges(order: Order, quote: CheckoutQuote, landed: LandedCost) -> None:
    """The order's duties and import taxes, tied to its lines (the charges index the buyable
    lines, which are every line of a placed order)."""
    line_ids = [
        row.id for row in await OrderLine.filter(order_id=order.id).order_by("id").only("id")
    ]
    await OrderCharge.bulk_create(
        [
            OrderCharge(
                order_id=order.id,
                line_id=line_ids[charge.line] if charge.line is not None else None,
                kind=charge.kind,
                regime=landed.regime,
                name=charge.name,
                destination=landed.destination,
                basis=charge.basis,
                rate_bps=charge.rate_bps,
                base_amount=charge.base_amount,
                amount=charge.amount,
                amount_presentment=shown,
                collected=charge.collected,
                position=position,
            )
            for position, (charge, shown) in enumerate(
                zip(landed.charges, quote.charges_presentment, strict=True)
            )
        ]
    )


def _placed(order: Order) -> events.OrderStatusChanged:
    return events.OrderStatusChanged(
        kind="placed",
        number=order.number,
        status=OrderStatus(order.status),
        previous_status=None,
        at=order.placed_at,
    )
