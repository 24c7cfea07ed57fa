"""The payment step of an unpaid order speaks of a bank transfer only where the shop offers
one (`paymentMethods`), as a shopper sees it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from models.orders import Order, OrderStatus
from services.payments.gateways import Gateway, install_gateway, uninstall_gateway
from services.payments.stripe_gateway import StripeGateway
from settings import Settings
from tests.factories import make_order, make_product, make_user

PASSWORD = "correct horse battery"
TRANSFER = re.compile("transfer", re.IGNORECASE)


@pytest.fixture
async def stripe_offering(settings: Settings, monkeypatch) -> AsyncIterator[Any]:
    """Makes the shop take payments through Stripe with the methods given enabled. Listing
    the methods asks Stripe nothing, so no stand-in is needed for this page."""
    made: list[StripeGateway] = []

    def offer(methods: list[str]) -> None:
        gateway = StripeGateway(
            Settings(
                payment_gateway="stripe",
                stripe_api_key=SecretStr("sk_test_listing_only"),
                stripe_api_base="http://127.0.0.1:9",
                stripe_payment_methods=methods,
            )
        )
        made.append(gateway)
        monkeypatch.setattr(settings, "payment_gateway", "stripe")
        install_gateway(gateway)

    yield offer
    uninstall_gateway(Gateway.STRIPE)
    for gateway in made:
        await gateway.aclose()


async def _unpaid_order_page(
    page: Any, storefront: str, expect: Any, *, payable: bool = True
) -> tuple[Order, Any]:
    """A member's unpaid order in US dollars, opened signed in; its payment panel."""
    user = await make_user(password=PASSWORD)
    product = await make_product(prices=("24.00",), stock=(5,))
    variant = (await product.variants.all())[0]
    order = await make_order(
        user, [(variant, 1)], status=OrderStatus.PENDING_PAYMENT, ship_country="US"
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


async def test_no_bank_transfer_is_mentioned_when_the_shop_offers_none(page, storefront, expect):
    order, panel = await _unpaid_order_page(page, storefront, expect)

    await expect(panel.get_by_role("radio")).to_have_count(1)
    await expect(panel.get_by_role("radio", name="Card")).to_be_checked()
    await expect(page.get_by_text(TRANSFER)).to_have_count(0)
    await expect(panel).not_to_contain_text(order.number)


async def test_no_bank_transfer_is_suggested_when_nothing_can_be_paid_online(
    page, storefront, expect, stripe_offering
):
    stripe_offering([])
    _, panel = await _unpaid_order_page(page, storefront, expect, payable=False)

    await expect(panel.get_by_role("radio")).to_have_count(0)
    await expect(panel.locator(".notice")).to_contain_text("awaiting payment")
    await expect(page.get_by_text(TRANSFER)).to_have_count(0)


async def test_the_bank_transfer_is_explained_when_the_shop_offers_it(
    page, storefront, expect, stripe_offering
):
    stripe_offering(["card", "bank_transfer"])
    order, panel = await _unpaid_order_page(page, storefront, expect)

    await expect(panel.get_by_role("radio")).to_have_count(2)
    transfer = panel.locator("label").filter(has=page.get_by_role("radio", name="Bank transfer"))
    await expect(transfer).to_contain_text(f"Quote {order.number} as the reference")
    await expect(panel.locator(".pay-transfer-note")).to_have_count(1)
    card = panel.locator("label").filter(has=page.get_by_role("radio", name="Card"))
    await expect(card).not_to_contain_text(TRANSFER)
