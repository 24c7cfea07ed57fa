"""The returns queue and an order page with its returns read in a fixed number of SQL
statements, however many returns they show: every part comes through the loaders."""

from __future__ import annotations

from models.accounts import Role
from models.orders import OrderLine
from models.returns import ReturnEvent, ReturnPhoto, ReturnRequest
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
