"""Plain async factories: each makes one object through the services, with keyword overrides."""

from __future__ import annotations

import io
import itertools
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from PIL import Image

from models.accounts import Role, User
from models.catalog import Brand, Category, Product, ProductVariant
from models.orders import Order, OrderLine, OrderStatus
from schema.relay import encode_id
from services.accounts.passwords import hash_password
from services.accounts.tokens import issue_access_token
from services.catalog import brands, categories, listing, products
from services.money import currency_exponent
from services.orders.numbers import new_order_number
from settings import get_settings

_seq = itertools.count(1)


def gid(type_name: str, pk: int) -> str:
    return str(encode_id(type_name, pk))


async def make_brand(**fields: Any) -> Brand:
    n = next(_seq)
    return await brands.create_brand({"name": f"Brand {n}", **fields})  # type: ignore[typeddict-item]


async def make_category(parent: Category | None = None, **fields: Any) -> Category:
    n = next(_seq)
    data = {"name": f"Category {n}", **fields}
    if parent is not None:
        data["parent_id"] = parent.id
    return await categories.create_category(data)  # type: ignore[arg-type]


async def make_product(
    *,
    prices: tuple[str, ...] = ("10.00",),
    stock: tuple[int, ...] | None = None,
    publish: bool = True,
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
    brand: Brand | None = None,
    category: Category | None = None,
    **fields: Any,
) -> Product:
    """A product with one variant per price (sizes S, M, L, ...), published by default."""
    n = next(_seq)
    sizes = ["S", "M", "L", "XL", "XXL"]
    stock = stock if stock is not None else tuple(5 for _ in prices)
    variants = [
        {
            "sku": f"SKU-{n}-{sizes[i]}",
            "price": Decimal(price),
            "options": [{"name": "size", "value": sizes[i]}],
            "initial_stock": stock[i],
        }
        for i, price in enumerate(prices)
    ]
    data: dict[str, Any] = {"name": f"Product {n}", **fields}
    if brand is not None:
        data["brand_id"] = brand.id
    if category is not None:
        data["category_id"] = category.id
    product = await products.create_product(data, variants)  # type: ignore[arg-type]
    if publish or publish_at or unpublish_at:
        product = await listing.publish_product(
            product.id, actor="test", publish_at=publish_at, unpublish_at=unpublish_at
        )
    return product


def png_bytes(width: int = 8, height: int = 8, color: str = "red", fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt)
    return buffer.getvalue()


async def make_user(
    *,
    role: Role = Role.CUSTOMER,
    permissions: tuple[str, ...] = (),
    password: str | None = None,
    verified: bool = True,
    **fields: Any,
) -> User:
    """A user with a verified email `user<n>@example.com` unless told otherwise."""
    n = next(_seq)
    fields.setdefault("email", f"user{n}@example.com")
    if verified and fields["email"]:
        fields.setdefault("email_verified_at", datetime.now().astimezone())
    return await User.create(
        role=role,
        permissions=list(permissions),
        password_hash=await hash_password(password) if password else None,
        **fields,
    )


def token_for(user: User) -> str:
    """A valid access token for `user`, as signing in would give."""
    return issue_access_token(user.id, user.token_epoch, get_settings())[0]


async def make_order(
    user: User | None,
    lines: list[tuple[ProductVariant, int]],
    *,
    status: OrderStatus = OrderStatus.COMPLETED,
    placed_at: datetime | None = None,
    currency: str | None = None,
    rate: Decimal | str = "1",
    **fields: Any,
) -> Order:
    """An order as checkout will write it, with one line per variant.

    It is in the shop currency unless `currency` says the shopper paid in another, priced at
    `rate` (presentment units per shop unit). Other order columns (`ship_country`,
    `ship_region`, ...) are given as keywords.
    """
    now = placed_at or datetime.now().astimezone()
    settings = get_settings()
    n = next(_seq)
    currency = currency or settings.shop_currency
    scale = Decimal(rate).scaleb(
        currency_exponent(currency) - currency_exponent(settings.shop_currency)
    )

    def shown(minor: int) -> int:
        return int((minor * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    total = sum(variant.price * quantity for variant, quantity in lines)
    total_shown = sum(shown(variant.price) * quantity for variant, quantity in lines)
    order = await Order.create(
        number=new_order_number(),
        user=user,
        email=user.email if user and user.email else f"guest{n}@example.com",
        status=status,
        shop_currency=settings.shop_currency,
        currency=currency,
        exchange_rate=str(rate),
        subtotal=total,
        total=total,
        subtotal_presentment=total_shown,
        total_presentment=total_shown,
        placed_at=now,
        paid_at=now if status is not OrderStatus.PENDING_PAYMENT else None,
        completed_at=now if status is OrderStatus.COMPLETED else None,
        **fields,
    )
    for variant, quantity in lines:
        product = await Product.get(id=variant.product_id)
        await OrderLine.create(
            order=order,
            product_id=variant.product_id,
            variant=variant,
            product_name=product.name,
            variant_name=" / ".join(option["value"] for option in variant.options or []),
            sku=variant.sku,
            quantity=quantity,
            unit_price=variant.price,
            unit_price_presentment=shown(variant.price),
            line_total=variant.price * quantity,
            line_total_presentment=shown(variant.price) * quantity,
        )
    return order
