"""Reading returns: the queue and an order page read a fixed number of SQL statements however
many returns they show, and a return's reason is named in the reader's language."""

from __future__ import annotations

from models.accounts import Role
from models.orders import OrderLine
from models.returns import (
    ReturnEvent,
    ReturnPhoto,
    ReturnReason,
    ReturnReasonTranslation,
    ReturnRequest,
)
from tests.factories import make_user
from tests.returns.factories import delivered_order, make_return

QUEUE = """{ returns(first: 50) {
  totalCount
  nodes { number status reason order { number email }
          lines { sku quantity unitPrice { amount } inspection }
          photos { url } timeline { actor message } parcels { trackingNumber } outcome { status } }
} }"""
ORDER_PAGE = """query($number: String!) { order(number: $number) {
  number returnableLines { returnableQuantity reason policy { summary } }
  returns { number status lines { sku } photos { url } timeline { message } }
} }"""


async def _returns(count: int) -> None:
    for _ in range(count):
        order = await delivered_order()
        ret = await make_return(order)
        await ReturnPhoto.create(return_request=ret, path="returns/p.png", width=10, height=10)
        await ReturnEvent.create(return_request=ret, actor="customer", message="Asked.")


async def test_the_queue_reads_the_same_statements_for_three_returns_or_twelve(
    client, count_queries
):
    clerk = await make_user(role=Role.STAFF, permissions=("orders",))
    counts = []
    for batch in (3, 9):
        await _returns(batch)
        count_queries.statements.clear()
        data = await client.query(QUEUE, user=clerk)
        assert len(data["returns"]["nodes"]) == data["returns"]["totalCount"]
        counts.append(count_queries.count)
    assert counts[0] == counts[1]


async def test_an_order_page_reads_the_same_statements_for_one_return_or_four(
    client, count_queries
):
    buyer = await make_user()
    order = await delivered_order(buyer, quantities=(1, 1, 1, 1))
    lines = await OrderLine.filter(order_id=order.id).order_by("id")
    counts = []
    for wanted in (1, 4):
        while (made := await ReturnRequest.filter(order_id=order.id).count()) < wanted:
            await make_return(order, lines=[(lines[made], 1)])
        count_queries.statements.clear()
        data = await client.query(ORDER_PAGE, {"number": order.number}, user=buyer)
        assert len(data["order"]["returns"]) == wanted
        counts.append(count_queries.count)
    assert counts[0] == counts[1]


async def test_a_shopper_reads_the_reason_in_their_language_and_staff_as_asked(client):
    buyer = await make_user()
    order = await delivered_order(buyer)
    why = await ReturnReason.create(code="too_small", name="Too small")
    await ReturnReasonTranslation.create(reason=why, locale="ja", name="サイズが小さい")
    await make_return(order, why=why)
    query = """query($number: String!) { order(number: $number) { returns { reason } } }"""
    variables = {"number": order.number}
    japanese = await client.query(query, variables, user=buyer, headers={"Accept-Language": "ja"})
    assert japanese["order"]["returns"] == [{"reason": "サイズが小さい"}]
    english = await client.query(query, variables, user=buyer, headers={"Accept-Language": "en"})
    assert english["order"]["returns"] == [{"reason": "Too small"}]
    # Renamed since: the return keeps the name it was asked with where no translation fits.
    await ReturnReason.filter(id=why.id).update(name="Runs small")
    again = await client.query(query, variables, user=buyer, headers={"Accept-Language": "de"})
    assert again["order"]["returns"] == [{"reason": "Too small"}]
