"""Choosing how to pay, as people do it: the merchant turns a method off and narrows another
to a currency on the console's payments screen; the shopper's payment step offers what can
pay the order and shows, greyed, the method that cannot, with the reason."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from models.payments import Gateway, PaymentMethodSetting
from services.payments import gateways
from settings import Settings
from tests.browser.conftest import make_staff, sign_in
from tests.browser.paying import unpaid_order_page
from tests.payments.test_methods import ListingGateway

PASSWORD = "correct horse battery"


@pytest.fixture
async def listing(settings: Settings, monkeypatch) -> AsyncIterator[None]:
    """The shop's gateway lists card, Alipay, WeChat Pay and bank transfer (listing only)."""
    monkeypatch.setattr(settings, "payment_gateways", ["test"])
    gateways.install_gateway(ListingGateway())  # type: ignore[arg-type]
    yield
    gateways.uninstall_gateway(Gateway.TEST)


async def test_the_merchant_turns_a_method_off_and_sets_a_currency_rule(
    desk, console, expect, listing
):
    admin = await make_staff("SETTINGS")
    await sign_in(desk, console, admin, "payment-methods")
    wechat = desk.get_by_role("form", name="WeChat Pay")
    await wechat.get_by_label("Offer this method").uncheck()
    await wechat.get_by_role("button", name="Save").click()
    await expect(desk.get_by_text("WeChat Pay saved.")).to_be_visible()

    alipay = desk.get_by_role("form", name="Alipay")
    await alipay.get_by_label("Currencies").fill("CNY, DOLLARS")
    await alipay.get_by_role("button", name="Save").click()
    await expect(alipay.locator(".form-alert, .field-error").first).to_contain_text("DOLLARS")
    # Refused: nothing of it saved (the screen only pinned the list's order).
    assert (await PaymentMethodSetting.get(method="alipay")).currencies == []
    await alipay.get_by_label("Currencies").fill("cny")
    await alipay.get_by_role("button", name="Save").click()
    await expect(desk.get_by_text("Alipay saved.")).to_be_visible()
    await expect(desk.get_by_role("form", name="Alipay").get_by_label("Currencies")).to_have_value(
        "CNY"
    )
    assert (await PaymentMethodSetting.get(method="wechat_pay")).enabled is False
    assert (await PaymentMethodSetting.get(method="alipay")).currencies == ["CNY"]
    # Saving kept the list in the order it was shown.
    methods = [m.method for m in await PaymentMethodSetting.all().order_by("position")]
    assert methods[:4] == ["card", "alipay", "wechat_pay", "bank_transfer"]
    # PayPal is known but no gateway of this shop takes it.
    await expect(desk.locator("#payment-method-paypal")).to_contain_text("No gateway takes it")


async def test_the_shopper_sees_the_offer_and_the_unavailable_method(
    page: Any, storefront, expect, listing
):
    await PaymentMethodSetting.create(method="wechat_pay", enabled=False)
    await PaymentMethodSetting.create(method="alipay", currencies=["CNY"])
    _, panel = await unpaid_order_page(page, storefront, expect)

    # Card is offered; bank transfer cannot take dollars and Alipay is for yuan only.
    await expect(panel.get_by_role("radio")).to_have_count(1)
    await expect(panel.get_by_role("radio", name="Card")).to_be_checked()
    missing = panel.locator(".pay-unavailable li")
    await expect(missing).to_have_count(2)
    await expect(missing.filter(has_text="Alipay")).to_contain_text(
        "Not accepted in this currency."
    )
    await expect(missing.filter(has_text="Bank transfer")).to_contain_text(
        "Cannot be used in this currency."
    )
    # The method the merchant turned off is not mentioned at all.
    await expect(panel).not_to_contain_text(re.compile("WeChat", re.IGNORECASE))
