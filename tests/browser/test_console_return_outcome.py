"""The outcome of a return on the console's order page: staff preview an inspected return of
a yen order, refund it to the card through the test gateway, and see the order refunded."""

from __future__ import annotations

from models.payments import Refund, RefundStatus
from models.returns import OutcomeStatus, ReturnOutcome, ReturnResolution
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_user
from tests.returns.outcome_factories import inspected_return, paid_order

WIDER_THAN_SCREEN = """() => [...document.querySelectorAll("body *")]
  .filter((el) => !el.closest(".table-wrap") && el.getBoundingClientRect().right > innerWidth + 1)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


async def test_staff_refund_an_inspected_yen_return_to_the_card(desk, console, expect):
    shopper = await make_user()
    order, payment, lines = await paid_order(
        shopper, ("30.00", "20.00"), currency="JPY", rate="150", ship_country="JP"
    )
    ret = await inspected_return(order, [(lines[1], 1)])
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk)
    await desk.goto(f"{console}#/orders/{gid('Order', order.id)}")
    returned = desk.locator(f'.order-return[data-return="{ret.number}"]')
    await expect(returned).to_contain_text("Inspected")
    await returned.get_by_role("button", name="Outcome").click()
    row = returned.locator(".return-outcome-lines tbody tr")
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text("¥3,000")
    await expect(row).to_contain_text("$20.00")
    await expect(returned.get_by_label("Refund to the payment (JPY)")).to_have_value("3000")

    # On a phone-sized screen nothing but the table scrolls sideways.
    await desk.set_viewport_size({"width": 390, "height": 844})
    assert await desk.evaluate(WIDER_THAN_SCREEN) == []
    await desk.set_viewport_size({"width": 1280, "height": 900})

    await returned.get_by_role("button", name="Carry out").click()
    result = returned.locator(".return-outcome-result")
    await expect(result).to_contain_text("Refunded ¥3,000")
    # The page reads the order again: the refund is in the payment and the order's total.
    await expect(desk.locator(".order-refunds")).to_contain_text("¥3,000")
    await expect(desk.locator(".order-totals")).to_contain_text("$20.00")
    await expect(returned).to_contain_text("Closed")

    outcome = await ReturnOutcome.get(return_request_id=ret.id)
    assert outcome.status == OutcomeStatus.DONE and outcome.refund_amount == 3000
    refund = await Refund.get(payment_id=payment.id)
    assert (refund.amount, refund.status) == (3000, RefundStatus.SUCCEEDED)
    assert errors == []


async def test_the_panel_starts_from_the_store_credit_the_shopper_asked_for(desk, console, expect):
    shopper = await make_user()
    order, _, lines = await paid_order(shopper, ("30.00",), currency="JPY", rate="150")
    ret = await inspected_return(order, [(lines[0], 1)], resolution=ReturnResolution.STORE_CREDIT)
    clerk = await make_staff("ORDERS")

    await sign_in(desk, console, clerk, f"returns/{gid('Return', ret.id)}")
    outcome = desk.locator(".return-outcome")
    await expect(outcome.get_by_label("Store credit (JPY)")).to_have_value("4500")
    await expect(outcome.get_by_label("Refund to the payment (JPY)")).to_have_value("0")
    await outcome.get_by_role("button", name="Carry out").click()
    await expect(desk.locator(".return-outcome-result")).to_contain_text("¥4,500")

    done = await ReturnOutcome.get(return_request_id=ret.id)
    assert (done.refund_amount, done.credit_amount) == (0, 4500)
