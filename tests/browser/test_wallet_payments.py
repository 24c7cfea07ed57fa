"""Paying with a wallet or through a provider's own page, as a shopper does it (against
local stand-ins of the providers): WeChat Pay's QR code, scanned while the order page watches
the order live; Alipay's cashier and PayPal's approval page, which send the shopper back to
the order page, which finishes the payment."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from models.accounts import User
from models.orders import Order, OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from services.payments import gateways
from tests.factories import make_order, make_product, make_user
from tests.payments.alipay_standin import AlipayStandIn, KeyPair
from tests.payments.paypal_standin import PayPalStandIn
from tests.payments.test_alipay_gateway import (  # noqa: F401 - fixtures
    alipay,
    alipay_keys,
    alipay_server,
    alipay_settings,
)
from tests.payments.test_paypal_gateway import (  # noqa: F401 - fixtures
    paypal,
    paypal_server,
    paypal_settings,
)
from tests.payments.test_wechat_pay_gateway import (  # noqa: F401 - fixtures
    wechat,
    wechat_server,
    wechat_settings,
)
from tests.payments.wechat_pay_standin import WeChatPayStandIn

PASSWORD = "correct horse battery"


@pytest.fixture
async def alipay_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    alipay: tuple[AlipayStandIn, str],  # noqa: F811 - the imported fixture
    alipay_keys: tuple[KeyPair, KeyPair],  # noqa: F811
) -> AsyncIterator[AlipayStandIn]:
    values = alipay_settings(alipay[1], alipay_keys, payment_gateways=["alipay"])
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.ALIPAY)
    try:
        yield alipay[0]
    finally:
        gateways.uninstall_gateway(Gateway.ALIPAY)


@pytest.fixture
async def paypal_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    paypal: tuple[PayPalStandIn, str],  # noqa: F811 - the imported fixture
) -> AsyncIterator[PayPalStandIn]:
    for name, value in {"payment_gateways": ["paypal"], **paypal_settings(paypal[1])}.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.PAYPAL)
    try:
        yield paypal[0]
    finally:
        await gateways.close_gateways()


@pytest.fixture
async def wechat_shop(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    wechat: tuple[WeChatPayStandIn, str],  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> AsyncIterator[WeChatPayStandIn]:
    values = {"payment_gateways": ["wechat_pay"], **wechat_settings(wechat[1], tmp_path)}
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)
    gateways.uninstall_gateway(Gateway.WECHAT_PAY)
    try:
        yield wechat[0]
    finally:
        await gateways.close_gateways()


async def _order_page(
    page: Any, storefront: str, expect: Any, *, currency: str, rate: str, country: str
) -> tuple[User, Order, Any]:
    """A member's unpaid order, opened signed in; its payment panel."""
    user = await make_user(password=PASSWORD)
    product = await make_product(prices=("10.00",), stock=(5,))
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
    await expect(panel.get_by_role("button", name="Continue")).to_be_visible()
    return user, order, panel


async def expect_paid(page: Any, expect: Any) -> None:
    """The order page shows the order paid: in its history, with nothing left to pay."""
    history = page.get_by_role("region", name="History")
    await expect(history).to_contain_text("Payment received")
    await expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    await expect(page.get_by_role("img", name=re.compile("QR code"))).to_have_count(0)


async def test_wechat_pay_qr_code_watched_until_paid(page, storefront, expect, wechat_shop) -> None:
    _, order, panel = await _order_page(
        page, storefront, expect, currency="CNY", rate="7.2", country="CN"
    )
    await expect(panel.get_by_role("radio", name="WeChat Pay")).to_be_checked()
    await panel.get_by_role("button", name="Continue").click()

    code = panel.get_by_role("img", name="QR code to pay with WeChat Pay")
    await expect(code).to_be_visible()
    assert (await code.get_attribute("src") or "").startswith("data:image/svg+xml;base64,")
    await expect(panel).to_contain_text("CN¥72.00")
    await expect(panel).to_contain_text("Waiting for your payment")

    # The shopper scans and pays on their phone; WeChat Pay notifies the shop, and the page,
    # which only watches, shows the order paid.
    payment = await Payment.get(order_id=order.id)
    resource = wechat_shop.pay(str(payment.provider_id))
    body, headers = wechat_shop.notification("TRANSACTION.SUCCESS", resource, event_id="EV-qr")
    async with httpx.AsyncClient(base_url=storefront) as http:
        answer = await http.post("webhooks/wechat-pay", content=body, headers=headers)
    assert answer.status_code == 204
    await expect_paid(page, expect)
    await expect(panel).to_contain_text("Payment received. Thank you!")
    await payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


async def test_alipay_cashier_and_back(page, storefront, expect, alipay_shop) -> None:
    _, order, panel = await _order_page(
        page, storefront, expect, currency="CNY", rate="7.2", country="CN"
    )
    await expect(panel.get_by_role("radio", name="Alipay")).to_be_checked()
    await panel.get_by_role("button", name="Continue").click()

    # Alipay's cashier (the stand-in's), where the shopper pays.
    await expect(page.get_by_text("Alipay cashier")).to_be_visible()
    payment = await Payment.get(order_id=order.id)
    assert (payment.gateway, payment.status) == (Gateway.ALIPAY, PaymentStatus.REQUIRES_ACTION)
    await page.get_by_role("button", name="Pay").click()

    # Back on the order page, which asks Alipay how the payment stands: paid, so the payment
    # step gives way to the paid order.
    await expect_paid(page, expect)
    assert "pay_return" not in page.url
    await payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    await order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_SHIPMENT
    assert alipay_shop.called("alipay.trade.query")


async def test_paypal_approval_and_back(page, storefront, expect, paypal_shop) -> None:
    _, order, panel = await _order_page(
        page, storefront, expect, currency="USD", rate="1", country="US"
    )
    await expect(panel.get_by_role("radio", name="PayPal")).to_be_checked()
    await panel.get_by_role("button", name="Continue").click()

    # PayPal's approval page (the stand-in's).
    await expect(page.get_by_role("heading", name="Pay with PayPal")).to_be_visible()
    payment = await Payment.get(order_id=order.id)
    assert payment.gateway == Gateway.PAYPAL
    assert not paypal_shop.captures  # nothing is captured before the shopper approves
    await page.get_by_role("button", name="Approve").click()

    # Back on the order page, which captures the approved payment.
    await expect_paid(page, expect)
    await payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    await order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_SHIPMENT
    assert len(paypal_shop.captures) == 1


async def test_paypal_cancelled_at_the_provider_leaves_the_order_payable(
    page, storefront, expect, paypal_shop
) -> None:
    _, order, panel = await _order_page(
        page, storefront, expect, currency="USD", rate="1", country="US"
    )
    await panel.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Pay with PayPal")).to_be_visible()
    # The shopper gives up and comes back without approving.
    payment = await Payment.get(order_id=order.id)
    await page.goto(f"{storefront}?pay_return=1#/order/{order.number}")

    panel = page.get_by_role("region", name="Payment")
    await expect(panel).to_contain_text("not received your payment yet")
    await payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUIRES_ACTION
    assert not paypal_shop.captures
    await panel.get_by_role("button", name="Pay again or choose another method").click()
    await expect(panel.get_by_role("button", name="Continue")).to_be_visible()
