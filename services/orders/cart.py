"""Carts: a guest's, found by a token only the storefront holds, or a member's, one each.

A cart keeps variants and quantities only: prices, availability and discounts are always
computed afresh (`services.orders.checkout.quote_checkout`), so a cart never shows a stale
price. Guest carts merge into the member's cart when the guest signs in.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from models.catalog import Product, ProductVariant
from models.orders import Cart, CartLine, Order
from services.catalog import listing
from services.coupons import coupons
from services.orders.errors import OrderErrorCode, fail, not_found
from services.transactions import atomic

MAX_QUANTITY = 999
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class CartHandle:
    """A cart and, when it was just made for a guest, the token to keep for it."""

    cart: Cart
    token: str | None = None
    #: Made by this request.
    new: bool = False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def find_cart(*, token: str | None, user_id: int | None) -> Cart | None:
    """The member's cart when signed in, else the guest cart the token names."""
    if user_id is not None:
        return await Cart.filter(user_id=user_id).order_by("-updated_at").first()
    if token:
        return await Cart.get_or_none(token_hash=_digest(token), user_id=None)
    return None


async def cart_for_change(*, token: str | None, user_id: int | None) -> CartHandle:
    """The cart to change, made on first use (a guest receives its token once)."""
    found = await find_cart(token=token, user_id=user_id)
    if found is not None:
        return CartHandle(found)
    if token and user_id is None:
        raise not_found("The cart", "cart_token")
    new_token = secrets.token_urlsafe(32)
    cart = await Cart.create(token_hash=_digest(new_token), user_id=user_id)
    return CartHandle(cart, None if user_id is not None else new_token, new=True)


async def change_cart(
    *, token: str | None, user_id: int | None, change: Callable[[Cart], Awaitable[object]]
) -> CartHandle | None:
    """Applies `change` to the shopper's cart, made on first use, in one transaction.

    A refused change (an `OrderError`) leaves nothing behind: no cart is made and no token
    handed out. A change that leaves a new cart empty keeps none either (None is answered).
    """
    async with atomic():
        handle = await cart_for_change(token=token, user_id=user_id)
        await change(handle.cart)
        if not handle.new or handle.cart.coupon_code:
            return handle
        if await CartLine.filter(cart_id=handle.cart.id).exists():
            return handle
        await handle.cart.delete()
        return None


async def _touch(cart: Cart) -> None:
    """Marks the cart as changed: a new state, which an order placed from the old one misses."""
    cart.version += 1
    cart.updated_at = timezone.now()
    await Cart.filter(id=cart.id).update(version=F("version") + 1, updated_at=cart.updated_at)


def _quantity(value: int, field: str, *, least: int = 0) -> int:
    if not least <= value <= MAX_QUANTITY:
        raise fail(
            OrderErrorCode.INVALID_QUANTITY,
            f"Choose a quantity from {least} to {MAX_QUANTITY}.",
            field,
        )
    return value


async def _sellable_variant(variant_id: int, *, early_access: bool) -> ProductVariant:
    variant = await ProductVariant.get_or_none(id=variant_id)
    product = await Product.get_or_none(id=variant.product_id) if variant else None
    if variant is None or product is None:
        raise not_found("The product variant", "variant_id")
    if not listing.shown_to(product, timezone.now(), early_access=early_access):
        raise fail(OrderErrorCode.NOT_FOR_SALE, "This product is not for sale now.", "variant_id")
    return variant


async def set_quantity(
    cart: Cart, variant_id: int, quantity: int, *, early_access: bool, add: bool = False
) -> Cart:
    """Sets (or with `add`, increases by at least 1) a variant's quantity; 0 removes the line.

    Stock is not held by a cart: availability is shown, and checked when the order is placed.
    """
    _quantity(quantity, "quantity", least=1 if add else 0)
    async with atomic():
        line = await CartLine.filter(cart_id=cart.id, variant_id=variant_id).first()
        target = quantity + (line.quantity if line and add else 0)
        if target == 0:
            if line is None:
                return cart  # nothing to remove: the cart is as it was
            await line.delete()
        else:
            _quantity(target, "quantity")
            await _sellable_variant(variant_id, early_access=early_access)
            if line is None:
                if await CartLine.filter(cart_id=cart.id).count() >= MAX_LINES:
                    raise fail(
                        OrderErrorCode.INVALID,
                        f"A cart holds at most {MAX_LINES} lines.",
                        "variant_id",
                    )
                try:
                    await CartLine.create(cart_id=cart.id, variant_id=variant_id, quantity=target)
                except IntegrityError:  # the same variant added twice at once
                    await CartLine.filter(cart_id=cart.id, variant_id=variant_id).update(
                        quantity=target
                    )
            else:
                line.quantity = target
                await line.save(update_fields=["quantity"])
        await _touch(cart)
    return cart


async def set_coupon(cart: Cart, code: str | None) -> Cart:
    """Remembers the code to apply; whether it applies now is worked out with the prices.

    A code that does not exist is refused and nothing is stored.
    """
    wanted = (code or "").strip()
    coupon = await coupons.coupon_by_code(wanted) if wanted else None
    if wanted and coupon is None:
        raise fail(OrderErrorCode.COUPON_INVALID, "There is no such code.", "code")
    cart.coupon_code = coupon.code if coupon else ""
    async with atomic():
        await cart.save(update_fields=["coupon_code"])
        await _touch(cart)
    return cart


async def merge_guest_cart(token: str, user_id: int) -> Cart:
    """Moves a guest cart's lines into the member's cart (adding quantities) and drops it;
    an unknown token is NOT_FOUND and changes nothing."""
    async with atomic():
        guest = await Cart.get_or_none(token_hash=_digest(token), user_id=None)
        if guest is None:
            # Merged in another tab, or never made: nothing to merge, and nothing is made.
            raise not_found("The cart", "cart_token")
        own = await Cart.filter(user_id=user_id).order_by("-updated_at").first()
        if own is None:
            guest.user_id = user_id
            await guest.save(update_fields=["user_id"])
            await _touch(guest)
            return guest
        mine = {line.variant_id: line for line in await CartLine.filter(cart_id=own.id)}
        for line in await CartLine.filter(cart_id=guest.id):
            if line.variant_id in mine:
                kept = mine[line.variant_id]
                kept.quantity = min(kept.quantity + line.quantity, MAX_QUANTITY)
                await kept.save(update_fields=["quantity"])
            else:
                await CartLine.create(
                    cart_id=own.id, variant_id=line.variant_id, quantity=line.quantity
                )
        if guest.coupon_code and not own.coupon_code:
            own.coupon_code = guest.coupon_code
        await own.save(update_fields=["coupon_code"])
        await _touch(own)
        await guest.delete()
        return own


async def lines_of(cart: Cart) -> list[CartLine]:
    return await CartLine.filter(cart_id=cart.id).order_by("created_at", "id")


async def claim(cart: Cart, *, version: int, order_id: int) -> bool:
    """Marks the cart's state `version` as ordered by `order_id`, unless it changed or another
    order claimed it first (False). Run it in the order's transaction: on PostgreSQL a second
    claim waits for the first to commit or roll back, then finds the version moved on."""
    claimed = await Cart.filter(id=cart.id, version=version).update(
        version=version + 1, ordered_version=version, last_order_id=order_id
    )
    return claimed == 1


async def claimed_by(cart: Cart, version: int) -> str | None:
    """The number of the order placed from the cart's state `version`, if one was."""
    row = await Cart.get_or_none(id=cart.id)
    if row is None or row.ordered_version != version or row.last_order_id is None:
        return None
    order = await Order.get_or_none(id=row.last_order_id)
    return order.number if order else None


async def ordered_as(cart: Cart) -> str | None:
    """The number of the order the cart became, if nothing changed in it since."""
    if cart.ordered_version is None or cart.version != cart.ordered_version + 1:
        return None
    return await claimed_by(cart, cart.ordered_version)


async def remove_ordered(cart: Cart, ordered: list[tuple[int, int]]) -> None:
    """Takes what was just ordered out of the cart, and the coupon with it.

    A line whose quantity grew after the order was priced keeps the difference. Run it after
    `claim`, which already counted this change.
    """
    for variant_id, quantity in ordered:
        await CartLine.filter(
            cart_id=cart.id, variant_id=variant_id, quantity__lte=quantity
        ).delete()
        await CartLine.filter(cart_id=cart.id, variant_id=variant_id).update(
            quantity=F("quantity") - quantity
        )
    cart.coupon_code = ""
    await Cart.filter(id=cart.id).update(coupon_code="", updated_at=timezone.now())
