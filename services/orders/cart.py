"""Carts: a guest's, found by a token only the storefront holds, or a member's, one each.

A cart keeps variants and quantities only: prices, availability and discounts are always
computed afresh (`services.orders.checkout.quote_checkout`), so a cart never shows a stale
price. Guest carts merge into the member's cart when the guest signs in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from models.catalog import Product, ProductVariant
from models.orders import Cart, CartLine
from services.catalog import listing
from services.orders.errors import OrderErrorCode, fail, not_found
from services.transactions import atomic

MAX_QUANTITY = 999
MAX_LINES = 100


@dataclass(frozen=True, slots=True)
class CartHandle:
    """A cart and, when it was just made for a guest, the token to keep for it."""

    cart: Cart
    token: str | None = None


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
        raise not_found("The cart", "cartToken")
    new_token = secrets.token_urlsafe(32)
    cart = await Cart.create(token_hash=_digest(new_token), user_id=user_id)
    return CartHandle(cart, None if user_id is not None else new_token)


def _quantity(value: int, field: str) -> int:
    if not 0 <= value <= MAX_QUANTITY:
        raise fail(
            OrderErrorCode.INVALID_QUANTITY,
            f"Choose a quantity from 0 to {MAX_QUANTITY}.",
            field,
        )
    return value


async def _sellable_variant(variant_id: int, *, early_access: bool) -> ProductVariant:
    variant = await ProductVariant.get_or_none(id=variant_id)
    product = await Product.get_or_none(id=variant.product_id) if variant else None
    if variant is None or product is None:
        raise not_found("The product variant", "variantId")
    if not listing.shown_to(product, timezone.now(), early_access=early_access):
        raise fail(OrderErrorCode.NOT_FOR_SALE, "This product is not for sale now.", "variantId")
    return variant


async def set_quantity(
    cart: Cart, variant_id: int, quantity: int, *, early_access: bool, add: bool = False
) -> Cart:
    """Sets (or with `add`, increases) a variant's quantity; 0 removes the line.

    Stock is not held by a cart: availability is shown, and checked when the order is placed.
    """
    _quantity(quantity, "quantity")
    async with atomic():
        line = await CartLine.filter(cart_id=cart.id, variant_id=variant_id).first()
        target = quantity + (line.quantity if line and add else 0)
        if target == 0:
            if line is not None:
                await line.delete()
        else:
            _quantity(target, "quantity")
            await _sellable_variant(variant_id, early_access=early_access)
            if line is None:
                if await CartLine.filter(cart_id=cart.id).count() >= MAX_LINES:
                    raise fail(
                        OrderErrorCode.INVALID,
                        f"A cart holds at most {MAX_LINES} lines.",
                        "variantId",
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
        cart.updated_at = timezone.now()
        await cart.save(update_fields=["updated_at"])
    return cart


async def set_coupon(cart: Cart, code: str | None) -> Cart:
    """Remembers the code to apply; whether it applies is worked out with the prices."""
    cart.coupon_code = (code or "").strip().upper()[:40]
    await cart.save(update_fields=["coupon_code", "updated_at"])
    return cart


async def merge_guest_cart(token: str, user_id: int) -> Cart:
    """Moves a guest cart's lines into the member's cart (adding quantities) and drops it."""
    async with atomic():
        guest = await Cart.get_or_none(token_hash=_digest(token), user_id=None)
        own = await Cart.filter(user_id=user_id).order_by("-updated_at").first()
        if own is None:
            if guest is None:
                return await Cart.create(
                    token_hash=_digest(secrets.token_urlsafe(32)), user_id=user_id
                )
            guest.user_id = user_id
            await guest.save(update_fields=["user_id", "updated_at"])
            return guest
        if guest is None:
            return own
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
        await own.save()
        await guest.delete()
        return own


async def lines_of(cart: Cart) -> list[CartLine]:
    return await CartLine.filter(cart_id=cart.id).order_by("created_at", "id")


async def remove_ordered(cart: Cart, ordered: list[tuple[int, int]]) -> None:
    """Takes what was just ordered out of the cart, and the coupon with it.

    A line whose quantity grew after the order was priced keeps the difference.
    """
    for variant_id, quantity in ordered:
        await CartLine.filter(
            cart_id=cart.id, variant_id=variant_id, quantity__lte=quantity
        ).delete()
        await CartLine.filter(cart_id=cart.id, variant_id=variant_id).update(
            quantity=F("quantity") - quantity
        )
    cart.coupon_code = ""
    await cart.save(update_fields=["coupon_code", "updated_at"])
