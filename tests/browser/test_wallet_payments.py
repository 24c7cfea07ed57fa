"""Paying with a wallet or through a provider's own page, as a shopper does it (against
local stand-ins of the providers): WeChat Pay's QR code, scanned while the order page watches
the order live; Alipay's cashier and PayPal's approval page, which send the shopper back to
the order page, which finishes the payment."""

from __future__ import annotations

import re
from typing import Any

import httpx

from models.orders import OrderStatus
from models.payments import Gateway, Payment, PaymentStatus
from tests.browser.paying import unpaid_order_page
from tests.payments.test_alipay_journey import (  # noqa: F401 - fixtures
    alipay,
    alipay_keys,
    alipay_server,
    alipay_shop,
)
from tests.payments.test_paypal_journey import (  # noqa: F401 - fixtures
    paypal,
    paypal_server,
    paypal_shop,
)
from tests.payments.test_wechat_pay_journey import (  # noqa: F401 - fixtures
    wechat,
    wechat_server,
    wechat_shop,
)


async def expect_paid(page: Any, expect: Any) -> None:
    """The order page shows the order paid: in its history, with nothing left to pay."""
    history = page.get_by_role("region", name="History")
    await expect(history).to_contain_text("Payment received")
    await expect(page.get_by_role("button", name="Continue")).to_have_count(0)
    await expect(page.get_by_role("img", name=re.compile("QR code"))).to_have_count(0)


async def test_wechat_pay_qr_code_watched_until_paid(
    page,
    storefront,
    expect,
    wechat_shop,  # noqa: F811 - the imported fixture
) -> None:
    order, panel = await unpaid_order_page(
        page, storefront, expect, price="10.00", currency="CNY", rate="7.2", country="CN"
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


async def test_alipay_cashier_and_back(
    page,
    storefront,
    expect,
    alipay_shop,  # noqa: F811 - the imported fixture
) -> None:
    order, panel = await unpaid_order_page(
        page, storefront, expect, price="10.00", currency="CNY", rate="7.2", country="CN"
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


async def test_paypal_approval_and_back(
    page,
    storefront,
    expect,
    paypal_shop,  # noqa: F811 - the imported fixture
) -> None:
    order, panel = await unpaid_order_page(
        page, storefront, expect, price="10.00", currency="USD", rate="1", country="US"
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
    page,
    storefront,
    expect,
    paypal_shop,  # noqa: F811 - the imported fixture
) -> None:
    order, panel = await unpaid_order_page(
        page, storefront, expect, price="10.00", currency="USD", rate="1", country="US"
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
