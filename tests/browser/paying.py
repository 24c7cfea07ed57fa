"""An unpaid order's page as its shopper opens it, for the browser tests of the payment step."""

from __future__ import annotations

from typing import Any

from models.orders import Order, OrderStatus
from tests.factories import make_order, make_product, make_user

PASSWORD = "correct horse battery"


async def unpaid_order_page(
    page: Any,
    storefront: str,
    expect: Any,
    *,
    price: str = "24.00",
    currency: str | None = None,
    rate: str = "1",
    country: str = "US",
    payable: bool = True,
) -> tuple[Order, Any]:
    """A member's unpaid order of one item at `price` (shop currency), in `currency` at
    `rate`, shipped to `country`, opened signed in; returns it and its payment panel, once
    the panel offers a method (or, not `payable`, says there is none)."""
    user = await make_user(password=PASSWORD)
    product = await make_product(prices=(price,), stock=(5,))
    variant = (await product.variants.all())[0]
    order = await make_order(
        user,
        [(variant, 1)],
        status=OrderStatus.PENDING_PAYMENT,
        currency=currency,
        rate=rate,
        ship_country=country,
    )
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill(user.email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    await page.goto(f"{storefront}#/order/{order.number}")
    panel = page.get_by_role("region", name="Payment")
    if payable:
        await expect(panel.get_by_role("button", name="Continue")).to_be_visible()
    else:
        await expect(panel.locator(".notice")).to_be_visible()
    return order, panel
