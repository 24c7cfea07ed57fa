"""QR codes for wallet payments: drawn from the attempt's `display_qr_code` next action,
only while it waits to be scanned."""

from __future__ import annotations

import base64

import pytest

from models.payments import Payment, PaymentStatus
from services.payments import qr
from tests.factories import make_user
from tests.payments.paying_setup import CREATE, euro_order

pytestmark = pytest.mark.usefixtures("db")

ORDER_PAYMENTS = """
query($number: String!) {
  order(number: $number) { payments { id status qrCode nextAction } }
}
"""

CODE = "weixin://wxpay/bizpayurl?pr=Ab12Cd3"


def scan(data: object, kind: str = "display_qr_code") -> dict[str, object]:
    return {"type": kind, "display_qr_code": {"data": data, "expires_at": 1_900_000_000}}


def test_only_a_qr_next_action_with_sensible_text_is_drawn() -> None:
    assert qr.scan_data(scan(CODE)) == CODE
    assert qr.scan_data(scan(CODE, kind="redirect_to_url")) is None
    assert qr.scan_data(scan("")) is None
    assert qr.scan_data(scan(42)) is None
    assert qr.scan_data(scan("x" * (qr.MAX_DATA + 1))) is None
    assert qr.scan_data({"type": "display_qr_code"}) is None


def test_the_code_is_an_svg_image_in_a_data_url() -> None:
    url = qr.data_url(CODE)
    prefix = "data:image/svg+xml;base64,"
    assert url.startswith(prefix)
    markup = base64.b64decode(url.removeprefix(prefix)).decode()
    assert markup.startswith("<svg") and "viewBox" in markup and "<path" in markup
    # The same text always draws the same code; another text another one.
    assert qr.data_url(CODE) == url
    assert qr.data_url(CODE + "x") != url


async def test_the_order_shows_the_code_while_the_attempt_waits(client) -> None:
    shopper = await make_user()
    order = await euro_order(shopper)
    created = await client.query(
        CREATE, {"input": {"orderNumber": order.number, "method": "card"}}, user=shopper
    )
    payment_id = created["createPayment"]["payment"]["id"]
    row = await Payment.get(order_id=order.id)
    row.next_action = scan(CODE)
    await row.save(update_fields=["next_action"])

    result = await client.query(ORDER_PAYMENTS, {"number": order.number}, user=shopper)
    [payment] = result["order"]["payments"]
    assert payment["id"] == payment_id
    assert payment["qrCode"] == qr.data_url(CODE)

    await Payment.filter(id=row.id).update(status=PaymentStatus.SUCCEEDED)
    result = await client.query(ORDER_PAYMENTS, {"number": order.number}, user=shopper)
    assert result["order"]["payments"][0]["qrCode"] is None
