"""The console's returns screen as a merchant uses it: the queue with its status tabs, a
requested return approved with instructions, received, one line restocked and another
written off, the inspection finished; the API then shows the stock up by one and the return
INSPECTED. And the same page on a phone."""

from __future__ import annotations

from models.returns import ReturnRequest, ReturnStatus
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.browser.test_console_orders import WIDER_THAN_SCREEN
from tests.factories import gid
from tests.orders.handling_setup import make_carrier
from tests.returns.factories import delivered_order, make_return, on_hand, order_lines

STOCK = """query($id: ID!) { node(id: $id) { ... on ProductVariant { stockOnHand } } }"""


async def test_approve_receive_inspect_and_finish_a_return(desk, console, expect, client):
    order = await delivered_order(quantities=(1, 1), country="JP", stock=4)
    first, second = await order_lines(order)
    ret = await make_return(order)
    await make_return(await delivered_order(country="DE"), status=ReturnStatus.DECLINED)
    clerk = await make_staff("ORDERS")
    errors = page_errors(desk)

    await sign_in(desk, console, clerk, "returns")
    rows = desk.locator("#main table.data tbody tr")
    await expect(rows).to_have_count(2)
    await expect(desk.locator('.return-tabs [data-status="REQUESTED"]')).to_have_text(
        "Requested (1)"
    )
    await desk.locator('.return-tabs [data-status="REQUESTED"]').click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(ret.number)
    await expect(rows.first).to_contain_text("Japan")
    await rows.first.click()

    await expect(desk.locator("#main h1")).to_have_text(f"Return {ret.number}")
    # Nothing to give back yet: the outcome waits for the inspection.
    await expect(desk.locator(".return-outcome")).to_have_count(0)
    form = desk.locator(".return-approve-form")
    await form.get_by_label("Return instructions").fill("Post both items to our Osaka depot.")
    await form.get_by_label("Return label reference").fill("JP-LBL-77")
    await form.get_by_role("button", name="Approve return").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Approved")
    await expect(desk.locator(".return-instructions")).to_have_text(
        "Post both items to our Osaka depot."
    )

    await desk.get_by_role("button", name="Mark received").click()
    await desk.locator("dialog").get_by_role("button", name="Mark received").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Received")

    inspect = desk.locator(".return-inspect-form")
    await inspect.get_by_label(f"Decision for {first.sku}").select_option("RESTOCK")
    await inspect.get_by_label(f"Decision for {second.sku}").select_option("WRITTEN_OFF")
    await inspect.get_by_label(f"Note on {second.sku}").fill("Torn seam")
    await inspect.get_by_role("button", name="Save inspection").click()
    await expect(desk.locator(f'.return-lines tr[data-sku="{first.sku}"]')).to_contain_text(
        "Back to stock"
    )
    await expect(desk.locator(f'.return-lines tr[data-sku="{second.sku}"]')).to_contain_text(
        "Written off"
    )

    await desk.get_by_role("button", name="Finish inspection").click()
    await desk.locator("dialog").get_by_role("button", name="Finish inspection").click()
    await expect(desk.locator(".page-head .badge")).to_have_text("Inspected")
    # Now the outcome: its preview per line, ready to be carried out.
    await expect(desk.locator(".return-outcome .return-outcome-lines")).to_be_visible()
    assert errors == []

    assert first.variant_id is not None
    stock = await client.staff(STOCK, {"id": gid("ProductVariant", first.variant_id)})
    assert stock["node"]["stockOnHand"] == 5
    assert await on_hand(second) == 4
    assert (await ReturnRequest.get(id=ret.id)).status == ReturnStatus.INSPECTED


async def test_the_return_page_fits_a_phone(phone, console, expect):
    order = await delivered_order(quantities=(2,), country="JP")
    ret = await make_return(order, status=ReturnStatus.APPROVED, instructions="Post it back.")
    await make_carrier(code="jppost", name="Japan Post")
    clerk = await make_staff("ORDERS")
    await sign_in(phone, console, clerk)
    await phone.goto(f"{console}#/returns/{gid('Return', ret.id)}")
    await expect(phone.locator(".return-parcel-form")).to_be_visible()
    await expect(phone.locator(".return-parcel-form select option")).to_have_text(["Japan Post"])
    assert await phone.evaluate(WIDER_THAN_SCREEN) == []
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await phone.goto(f"{console}#/returns")
    await expect(phone.locator("#main table.data tbody tr")).to_have_count(1)
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
