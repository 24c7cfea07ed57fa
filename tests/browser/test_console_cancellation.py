"""Staff see a shopper's open request to cancel on the order page and decline it, saying why."""

from __future__ import annotations

from models.catalog import ProductVariant
from models.orders import OrderEventKind, OrderStatus
from models.returns import CancellationRequest, CancellationStatus
from services.orders import timeline
from services.orders.timeline import Actor
from services.returns import cancellation
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order


async def test_staff_decline_an_open_cancellation_request_with_a_reason(desk, console, expect):
    staff = await make_staff("ORDERS")
    product = await make_product(prices=("20.00",), stock=(4,))
    variant = await ProductVariant.get(product_id=product.id)
    shopper = await make_user()
    order = await placed_order(shopper, [(variant, 1)], status=OrderStatus.PENDING_SHIPMENT)
    await timeline.record(order.id, OrderEventKind.NOTE, Actor.staff(staff.id), message="Picked")
    await cancellation.request_cancellation(
        order.id, actor=Actor.customer(shopper.id), reason="Ordered the wrong colour"
    )

    await sign_in(desk, console, staff, f"orders/{gid('Order', order.id)}")
    request = desk.locator(".cancellation-request")
    await expect(request).to_contain_text("Ordered the wrong colour")
    await request.get_by_role("button", name="Decline").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Reason told to the customer").fill("Already with the carrier")
    await dialog.get_by_role("button", name="Decline").click()

    await expect(desk.locator(".cancellation-request")).to_have_count(0)
    row = await CancellationRequest.get(order_id=order.id)
    assert (row.status, row.decline_reason) == (
        CancellationStatus.DECLINED, "Already with the carrier",
    )  # fmt: skip
    assert page_errors(desk) == []
