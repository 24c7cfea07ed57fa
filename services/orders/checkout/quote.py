"""Pricing a cart for checkout, in the shopper's currency.

Pricing works line by line: each unit price is converted to the presentment currency as
the shopper saw it, line totals are unit price times quantity, and every order figure is
a sum of lines or a discount converted on its own, so totals always equal the sum of their
parts in both currencies. The same quote is what `place.place_order` writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from tortoise import timezone

from models.catalog import Product, ProductVariant
from models.currency import RoundingRule
from models.customs import ChargeKind
from models.orders import (
    Cart,
)
from services.catalog import listing
from services.coupons import pricing as coupon_pricing
from services.coupons.errors import CouponError
from services.currency import convert
from services.currency import rates as currency_rates
from services.currency.errors import CurrencyError, CurrencyErrorCode
from services.customs.landed_cost import LandedCost
from services.errors import Problem
from services.members import tiers
from services.money import currency_exponent
from services.orders import cart as carts
from services.orders.checkout import customs as checkout_customs
from services.orders.errors import OrderError, OrderErrorCode, fail
from services.shipping import quotes as shipping_quotes
from services.shipping.errors import ShippingError
from services.shipping.quotes import Destination
from services.store_credit import ledger as credit_ledger
from settings import get_settings


@dataclass(frozen=True, slots=True)
class Shopper:
    """Who is checking out: a member (with tier) or a guest."""

    user_id: int | None = None
    tier_id: int | None = None
    early_access: bool = False


@dataclass
class PricedLine:
    variant: ProductVariant
    product: Product
    quantity: int
    unit_price: int
    unit_price_presentment: int
    available: int
    #: False when the product left the shelf (or is members-first) since it was added.
    for_sale: bool = True

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def line_total_presentment(self) -> int:
        return self.unit_price_presentment * self.quantity

    @property
    def in_stock(self) -> bool:
        return self.for_sale and self.available >= self.quantity


@dataclass
class Amounts:
    """One set of order figures, in one currency (minor units)."""

    subtotal: int = 0
    member_discount: int = 0
    coupon_discount: int = 0
    points_discount: int = 0
    shipping: int = 0
    #: Duties and import taxes charged at checkout (a door estimate is in no total).
    duty: int = 0
    import_tax: int = 0

    @property
    def discount_total(self) -> int:
        return self.member_discount + self.coupon_discount + self.points_discount

    @property
    def total(self) -> int:
        return self.subtotal - self.discount_total + self.shipping + self.duty + self.import_tax


@dataclass
class CheckoutQuote:
    """A cart priced for one shopper, currency, destination and shipping choice."""

    currency: str
    rate: currency_rates.RateQuote
    lines: list[PricedLine]
    shop: Amounts
    presentment: Amounts
    shipping_option: shipping_quotes.ShippingOption | None = None
    shipping_options: list[shipping_quotes.ShippingOption] = field(default_factory=list)
    #: Each option's price in the presentment currency, in the same order.
    shipping_prices: list[int] = field(default_factory=list)
    coupon: coupon_pricing.CouponQuote | None = None
    coupon_problem: Problem | None = None
    points_redeemed: int = 0
    #: Duties and import taxes, once a destination is known (None before).
    landed_cost: LandedCost | None = None
    #: Each of `landed_cost.charges` in the presentment currency, in the same order.
    charges_presentment: list[int] = field(default_factory=list)
    #: A member's store credit balance in the quote's currency (None for a guest).
    store_credit_available: int | None = None

    @property
    def store_credit_applicable(self) -> int:
        """What the credit would pay of the total if the shopper uses it."""
        return min(self.store_credit_available or 0, max(self.presentment.total, 0))


async def shopper_for(user_id: int | None, tier_id: int | None) -> Shopper:
    return Shopper(
        user_id=user_id, tier_id=tier_id, early_access=await tiers.has_early_access(tier_id)
    )


async def rate_for(currency: str | None, *, allow_stale: bool = False) -> currency_rates.RateQuote:
    """The rate to price in `currency` (the shop's when None); stale (unless `allow_stale`)
    or missing ones refused."""
    settings = get_settings()
    code = (currency or settings.shop_currency).upper()
    try:
        quote = await currency_rates.quote(code)
    except CurrencyError as exc:
        missing = exc.problems[0].code is CurrencyErrorCode.RATE_UNAVAILABLE
        raise fail(
            OrderErrorCode.RATE_UNAVAILABLE if missing else OrderErrorCode.CURRENCY_NOT_ENABLED,
            exc.problems[0].message,
            "currency",
        ) from None
    if quote.stale and not allow_stale:
        raise fail(
            OrderErrorCode.RATE_STALE,
            f"The exchange rate for {code} is out of date; choose another currency or try later.",
            "currency",
        )
    return quote


async def price_lines(
    cart: Cart, shopper: Shopper, quote: currency_rates.RateQuote
) -> list[PricedLine]:
    """The cart's lines with today's prices and stock, in the shop and presentment currency.

    A line whose product is no longer for sale to this shopper stays in the cart, marked
    (`for_sale` false) and left out of the amounts, so the storefront can say which to
    remove; placing the order refuses it.
    """
    rows = await carts.lines_of(cart)
    variants = {v.id: v for v in await ProductVariant.filter(id__in=[r.variant_id for r in rows])}
    products = {
        p.id: p for p in await Product.filter(id__in=[v.product_id for v in variants.values()])
    }
    now = timezone.now()
    priced = []
    for row in rows:
        variant = variants[row.variant_id]
        product = products[variant.product_id]
        priced.append(
            PricedLine(
                variant=variant,
                product=product,
                quantity=row.quantity,
                unit_price=variant.price,
                unit_price_presentment=convert.present(variant.price, quote),
                available=variant.stock_available,
                for_sale=listing.shown_to(product, now, early_access=shopper.early_access),
            )
        )
    return priced


def parcel_items(lines: list[PricedLine]) -> list[shipping_quotes.ParcelItem]:
    return [
        shipping_quotes.ParcelItem(
            weight_grams=line.variant.weight_grams,
            length_mm=line.variant.length_mm,
            width_mm=line.variant.width_mm,
            height_mm=line.variant.height_mm,
            quantity=line.quantity,
        )
        for line in lines
    ]


def points_value(points: int, currency: str) -> int:
    """The discount `points` buy, in minor units of the shop currency (rounded down)."""
    per_unit = get_settings().points_redeemed_per_currency_unit
    minor = Decimal(points) * (10 ** currency_exponent(currency)) / Decimal(per_unit)
    return int(minor.to_integral_value(rounding=ROUND_FLOOR))


async def quote_checkout(
    cart: Cart,
    shopper: Shopper,
    *,
    currency: str | None,
    destination: Destination | None = None,
    shipping_service_id: int | None = None,
    coupon_code: str | None = None,
    points: int = 0,
    email: str | None = None,
    list_options: bool = True,
) -> CheckoutQuote:
    """Everything the shopper sees before paying: lines, discounts, shipping, duties and
    import taxes (once a destination is given), and totals.

    An invalid coupon does not fail the quote: it is left out and `coupon_problem` says
    why, so the storefront can explain. Placing the order refuses it instead.
    """
    settings = get_settings()
    quote = await rate_for(currency)
    lines = await price_lines(cart, shopper, quote)
    buyable = [line for line in lines if line.for_sale]
    shop = Amounts(subtotal=sum(line.line_total for line in buyable))

    discount_bps = await tiers.member_discount(shopper.tier_id) if shopper.user_id else 0
    shop.member_discount = shop.subtotal * discount_bps // 10_000

    result = CheckoutQuote(
        currency=quote.currency, rate=quote, lines=lines, shop=shop, presentment=Amounts()
    )
    if destination is not None and buyable:
        items = parcel_items(buyable)
        if list_options:  # placing an order needs only the chosen service's price
            result.shipping_options = await shipping_quotes.options(destination, items)
        if shipping_service_id is not None:
            try:
                result.shipping_option = await shipping_quotes.quote(
                    shipping_service_id, destination, items
                )
            except ShippingError as exc:
                raise OrderError(
                    [
                        Problem(
                            OrderErrorCode.SHIPPING_UNAVAILABLE, p.message, ("shipping_service_id",)
                        )
                        for p in exc.problems
                    ]
                ) from None
            shop.shipping = result.shipping_option.price

    code = (coupon_code if coupon_code is not None else cart.coupon_code or "").strip()
    if code and buyable:
        try:
            result.coupon = await coupon_pricing.evaluate_coupon(
                code,
                user_id=shopper.user_id,
                email=email,
                tier_id=shopper.tier_id,
                merchandise_subtotal=shop.subtotal - shop.member_discount,
                shipping_total=shop.shipping,
                now=timezone.now(),
                rate=quote,
            )
            shop.coupon_discount = result.coupon.total_discount
        except CouponError as exc:
            result.coupon_problem = exc.problems[0]

    if points:
        if shopper.user_id is None:
            raise fail(OrderErrorCode.SIGN_IN_REQUIRED, "Sign in to use points.", "points")
        if points < 0:
            raise fail(OrderErrorCode.INVALID, "Points cannot be negative.", "points")
        # Points pay for merchandise only: a free-shipping coupon's part does not count.
        merchandise_coupon = result.coupon.discount if result.coupon else 0
        room = shop.subtotal - shop.member_discount - merchandise_coupon
        value = points_value(points, settings.shop_currency)
        if value > room:
            raise fail(
                OrderErrorCode.INVALID,
                "That is more points than this order can take.",
                "points",
            )
        shop.points_discount = value
        result.points_redeemed = points

    if destination is not None and buyable:
        shipping_discount = result.coupon.shipping_discount if result.coupon else 0
        result.landed_cost = await checkout_customs.landed_cost_of(
            buyable,
            merchandise_discount=shop.discount_total - shipping_discount,
            shipping=max(shop.shipping - shipping_discount, 0),
            country=destination.country,
            day=timezone.now().date(),
        )
        shop.duty = result.landed_cost.duty_collected
        shop.import_tax = result.landed_cost.import_tax_collected

    _present_amounts(result, buyable)
    if shopper.user_id is not None:
        result.store_credit_available = await credit_ledger.balance(
            shopper.user_id, result.currency
        )
    return result


def _present_amounts(result: CheckoutQuote, buyable: list[PricedLine]) -> None:
    """The quote's figures in the presentment currency.

    The subtotal is the sum of the converted lines (with the currency's price endings, as
    the shelf showed them). Merchandise discounts take the same share of it as they take
    of the shop subtotal, so a 100 % discount clears it and no discount ever exceeds it.
    Shipping, a free-shipping discount and each duty or import tax are converted exactly.
    """
    quote, shop, presentment = result.rate, result.shop, result.presentment
    presentment.subtotal = sum(line.line_total_presentment for line in buyable)

    def share(amount: int) -> int:
        return convert.share(amount, shop.subtotal, presentment.subtotal)

    def exact(amount: int) -> int:
        return convert.present(amount, quote, rounding=RoundingRule.NONE)

    shipping_discount = result.coupon.shipping_discount if result.coupon else 0
    presentment.member_discount = share(shop.member_discount)
    presentment.coupon_discount = share(shop.coupon_discount - shipping_discount)
    presentment.points_discount = share(shop.points_discount)
    # Each share is rounded on its own: trim the last minor unit or two they may overshoot.
    overshoot = presentment.discount_total - presentment.subtotal
    for part in ("points_discount", "coupon_discount", "member_discount"):
        if overshoot <= 0:
            break
        taken = min(overshoot, getattr(presentment, part))
        setattr(presentment, part, getattr(presentment, part) - taken)
        overshoot -= taken
    presentment.coupon_discount += min(exact(shipping_discount), exact(shop.shipping))
    presentment.shipping = exact(shop.shipping)
    # Each charge is converted on its own and the totals are their sums, so the order's
    # duty and tax lines add up to its totals in the shopper's currency too.
    charges = result.landed_cost.charges if result.landed_cost else []
    result.charges_presentment = [exact(charge.amount) for charge in charges]
    for charge, shown in zip(charges, result.charges_presentment, strict=True):
        if charge.collected and charge.kind is ChargeKind.DUTY:
            presentment.duty += shown
        elif charge.collected:
            presentment.import_tax += shown
    result.shipping_prices = [exact(option.price) for option in result.shipping_options]
