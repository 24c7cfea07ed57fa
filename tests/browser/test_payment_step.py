"""The payment step of an unpaid order speaks of a bank transfer only where the shop offers
one (`paymentMethods`), as a shopper sees it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr

from services.payments.gateways import Gateway, install_gateway, uninstall_gateway
from services.payments.stripe_gateway import StripeGateway
from settings import Settings
from tests.browser.paying import unpaid_order_page

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


async def test_no_bank_transfer_is_mentioned_when_the_shop_offers_none(page, storefront, expect):
    order, panel = await unpaid_order_page(page, storefront, expect)

    await expect(panel.get_by_role("radio")).to_have_count(1)
    await expect(panel.get_by_role("radio", name="Card")).to_be_checked()
    await expect(page.get_by_text(TRANSFER)).to_have_count(0)
    await expect(panel).not_to_contain_text(order.number)


async def test_no_bank_transfer_is_suggested_when_nothing_can_be_paid_online(
    page, storefront, expect, stripe_offering
):
    stripe_offering([])
    _, panel = await unpaid_order_page(page, storefront, expect, payable=False)

    await expect(panel.get_by_role("radio")).to_have_count(0)
    await expect(panel.locator(".notice")).to_contain_text("awaiting payment")
    await expect(page.get_by_text(TRANSFER)).to_have_count(0)


async def test_the_bank_transfer_is_explained_when_the_shop_offers_it(
    page, storefront, expect, stripe_offering
):
    stripe_offering(["card", "bank_transfer"])
    order, panel = await unpaid_order_page(page, storefront, expect)

    await expect(panel.get_by_role("radio")).to_have_count(2)
    transfer = panel.locator("label").filter(has=page.get_by_role("radio", name="Bank transfer"))
    await expect(transfer).to_contain_text(f"Quote {order.number} as the reference")
    await expect(panel.locator(".pay-transfer-note")).to_have_count(1)
    card = panel.locator("label").filter(has=page.get_by_role("radio", name="Card"))
    await expect(card).not_to_contain_text(TRANSFER)
