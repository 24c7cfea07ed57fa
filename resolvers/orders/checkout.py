"""Cart and checkout root fields: the cart, its live quote, and `placeOrder`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry

from models.orders import Cart
from schema.context import Info
from schema.currency import code_of, shown_prices
from schema.kit import attempt, errors_for, field_with_errors, input_pk, mutation, query, refused
from schema.money import CurrencyCode
from schema.orders.checkout import (
    CartCouponInput,
    CartLineInput,
    CartType,
    CheckoutQuoteInput,
    CheckoutQuoteType,
    PlaceOrderInput,
)
from schema.orders.payloads import OrderErrorType
from schema.orders.types import OrderType
from schema.permissions import SignedIn, require_signed_in
from services.money import Money
from services.orders import cart as carts
from services.orders import checkout
from services.orders.errors import OrderErrorCode, not_found
from services.shipping.quotes import Destination


@strawberry.type
class CartPayload:
    cart: CartType | None = None
    cart_token: str | None = strawberry.field(
        default=None,
        description="Set when a guest cart was just made: keep it, it is shown only once.",
    )
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class CheckoutQuotePayload:
    quote: CheckoutQuoteType | None = None
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


@strawberry.type
class PlaceOrderPayload:
    order: OrderType | None = None
    order_access_token: str | None = strawberry.field(
        default=None,
        description="For a guest's order: the secret that reads it (`order(number:, "
        "accessToken:)`) and follows it (`orderStatusChanged`). Keep it: it is shown only "
        "here; a retry with the same idempotency key answers a new one and ends the old.",
    )
    errors: list[OrderErrorType] = strawberry.field(default_factory=list)


async def _shopper(info: Info) -> checkout.Shopper:
    viewer = info.context.viewer
    return await checkout.shopper_for(viewer.user_id, viewer.tier_id)


async def _currency(info: Info, given: Any) -> str:
    """The currency asked for by argument, else by `X-Currency`, else the member's, else
    the shop's.

    Checkout refuses a currency asked for that it cannot price with the same typed errors
    whether the argument or the header asked (an `OrderError` raised here for the header).
    A header or profile currency whose rate is stale falls back to the shop currency: the
    cart says which currency it is in, and checkout never prices with a stale rate.
    """
    shop = info.context.settings.shop_currency
    if given is not None:
        return code_of(given)
    header = info.context.currency
    if header is not None:
        quote = await checkout.rate_for(header, allow_stale=True)
        return shop if quote.stale else header
    prices = await shown_prices(info)
    return shop if prices.quote.stale else prices.quote.currency


async def _cart_type(
    info: Info, cart: Cart, shopper: checkout.Shopper, currency: str | None
) -> CartType:
    quote = await checkout.quote_checkout(cart, shopper, currency=currency)
    return CartType(
        quote=CheckoutQuoteType.build(
            quote, info.context.settings.shop_currency, cart.coupon_code or None
        )
    )


@strawberry.type
class CheckoutQuery:
    @query(description="The shopper's cart, priced now: a member's own, or a guest's by its token.")
    async def cart(
        self, info: Info, cart_token: str | None = None, currency: CurrencyCode | None = None
    ) -> CartType | None:
        shopper = await _shopper(info)
        found = await carts.find_cart(token=cart_token, user_id=shopper.user_id)
        if found is None:
            return None
        return await _cart_type(info, found, shopper, await _currency(info, currency))

    @field_with_errors(
        description="The cart priced for a destination, shipping choice, coupon and points: "
        "what placing the order would charge."
    )
    async def checkout_quote(self, info: Info, input: CheckoutQuoteInput) -> CheckoutQuotePayload:
        shopper = await _shopper(info)
        found = await carts.find_cart(token=input.cart_token, user_id=shopper.user_id)
        if found is None:
            raise not_found("The cart", "cartToken")
        destination = (
            Destination(
                str(input.destination.country.value),
                input.destination.region,
                input.destination.postal_code,
            )
            if input.destination
            else None
        )
        quote = await checkout.quote_checkout(
            found,
            shopper,
            currency=await _currency(info, input.currency),
            destination=destination,
            shipping_service_id=(
                input_pk(input.shipping_service_id, "ShippingService", "shippingServiceId")
                if input.shipping_service_id
                else None
            ),
            coupon_code=input.coupon_code,
            points=input.points,
        )
        code = input.coupon_code if input.coupon_code is not None else found.coupon_code
        return CheckoutQuotePayload(
            quote=CheckoutQuoteType.build(quote, info.context.settings.shop_currency, code)
        )


def _shown(value: Decimal | None, currency: str, field: str, what: str) -> int | None:
    """An amount the shopper was shown, in minor units of the order's currency."""
    if value is None:
        return None
    with refused(
        (InvalidOperation, ValueError),
        OrderErrorCode.INVALID,
        field,
        message=f"Give the {what} as shown.",
    ):
        minor = Money.from_decimal(Decimal(value), currency.upper()).minor
    return minor


async def _change_cart(
    info: Info, token: str | None, change: Callable[[Cart, checkout.Shopper], Awaitable[None]]
) -> CartPayload:
    """Applies `change` to the shopper's cart (made on first use) and answers it priced.

    A refused change makes no cart and hands out no token. A new guest cart's token is
    answered even when the pricing is refused, so a storefront never loses a cart it cannot see.
    """
    shopper = await _shopper(info)

    async def apply(cart: Cart) -> None:
        await change(cart, shopper)

    # A currency that cannot be priced is refused before anything changes.
    currency = await _currency(info, None)
    handle = await carts.change_cart(token=token, user_id=shopper.user_id, change=apply)
    if handle is None:
        return CartPayload()
    priced = await attempt(_cart_type(info, handle.cart, shopper, currency))
    if priced.error is not None:
        errors = errors_for(CartPayload, priced.error, info)
        return CartPayload(errors=errors, cart_token=handle.token)
    return CartPayload(cart=priced.value, cart_token=handle.token)


@strawberry.type
class CheckoutMutation:
    @mutation(
        description="Add units of a variant to the cart (a guest's cart is made on first use)."
    )
    async def add_to_cart(self, info: Info, input: CartLineInput) -> CartPayload:
        async def change(cart: Cart, shopper: checkout.Shopper) -> None:
            await carts.set_quantity(
                cart,
                input_pk(input.variant_id, "ProductVariant", "variantId"),
                input.quantity,
                early_access=shopper.early_access,
                add=True,
            )

        return await _change_cart(info, input.cart_token, change)

    @mutation(description="Set a cart line's quantity; 0 removes it.")
    async def update_cart_line(self, info: Info, input: CartLineInput) -> CartPayload:
        async def change(cart: Cart, shopper: checkout.Shopper) -> None:
            await carts.set_quantity(
                cart,
                input_pk(input.variant_id, "ProductVariant", "variantId"),
                input.quantity,
                early_access=shopper.early_access,
            )

        return await _change_cart(info, input.cart_token, change)

    @mutation(description="Apply a coupon code to the cart (null removes it).")
    async def apply_cart_coupon(self, info: Info, input: CartCouponInput) -> CartPayload:
        async def change(cart: Cart, shopper: checkout.Shopper) -> None:
            await carts.set_coupon(cart, input.code)

        return await _change_cart(info, input.cart_token, change)

    @mutation(
        permission_classes=[SignedIn],
        description="After signing in, move the guest cart's lines into the member's cart.",
    )
    async def merge_cart(self, info: Info, cart_token: str) -> CartPayload:
        user_id = require_signed_in(info.context.viewer)
        shopper = await _shopper(info)
        currency = await _currency(info, None)
        cart = await carts.merge_guest_cart(cart_token, user_id)
        cart_type = await _cart_type(info, cart, shopper, currency)
        return CartPayload(cart=cart_type)

    @mutation(
        description="Place the cart as an order, pending payment. Retrying with the same "
        "idempotency key returns the same order."
    )
    async def place_order(self, info: Info, input: PlaceOrderInput) -> PlaceOrderPayload:
        shopper = await _shopper(info)
        cart = await carts.find_cart(token=input.cart_token, user_id=shopper.user_id)
        if cart is None:
            raise not_found("The cart", "cartToken")
        currency = await _currency(info, input.currency)
        expected = _shown(input.expected_total, currency, "expectedTotal", "total")
        expected_credit = _shown(
            input.expected_store_credit, currency, "expectedStoreCredit", "store credit"
        )
        address = input.shipping_address
        placed = await checkout.place_order(
            cart,
            shopper,
            checkout.PlaceOrderInput(
                idempotency_key=input.idempotency_key,
                email=input.email,
                phone=input.phone,
                shipping_address={
                    "full_name": address.full_name,
                    "company": address.company,
                    "line1": address.line1,
                    "line2": address.line2,
                    "city": address.city,
                    "region": address.region,
                    "postal_code": address.postal_code,
                    "country": str(address.country.value),
                    "phone": address.phone,
                },
                shipping_service_id=input_pk(
                    input.shipping_service_id, "ShippingService", "shippingServiceId"
                ),
                currency=currency,
                coupon_code=input.coupon_code,
                points=input.points,
                expected_total=expected,
                locale=info.context.locale,
                use_store_credit=input.use_store_credit,
                expected_store_credit=expected_credit,
            ),
        )
        return PlaceOrderPayload(
            order=OrderType.build(placed.order), order_access_token=placed.access_token
        )
