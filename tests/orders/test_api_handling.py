"""Order handling through GraphQL: payment, shipping, delivery, completion, cancellation,
notes, the merchant list, a shopper's own orders and the public lookup."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role
from models.coupons import Coupon, CouponUse
from models.members import PointsEntry
from models.orders import Order, OrderEvent, OrderStatus, Shipment, ShipmentLine
from services import rate_limit
from services.members import points as member_points
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import make_carrier, make_coupon, placed_order, stock_of

ORDER_FIELDS = """
  id number status paidAt shippedAt deliveredAt completedAt cancelledAt cancelReason
  paymentMethod paymentReference canCancel
  total { amount currency } totalInShopCurrency { amount currency }
  lines { id sku quantity quantityShipped unitPrice { amount } lineTotalInShopCurrency { amount } }
  shipments { carrierName trackingNumber trackingUrl lines { orderLineId quantity } }
  timeline { kind fromStatus toStatus actor message internal }
"""

PAY = f"""
mutation($input: RecordBankTransferPaymentInput!) {{
  recordBankTransferPayment(input: $input) {{
    order {{ {ORDER_FIELDS} }} errors {{ field code message }}
  }}
}}"""

SHIP = f"""
mutation($input: ShipOrderInput!) {{
  shipOrder(input: $input) {{
    order {{ {ORDER_FIELDS} }}
    shipment {{ carrierName trackingNumber trackingUrl lines {{ orderLineId quantity }} }}
    errors {{ field code message }}
  }}
}}"""

DELIVER = f"""
mutation($input: MarkOrderDeliveredInput!) {{
  markOrderDelivered(input: $input) {{ order {{ {ORDER_FIELDS} }} errors {{ field code }} }}
}}"""

COMPLETE = f"""
mutation($input: CompleteOrderInput!) {{
  completeOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} errors {{ field code }} }}
}}"""

CANCEL = f"""
mutation($input: CancelOrderInput!) {{
  cancelOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} errors {{ field code message }} }}
}}"""

CANCEL_MINE = f"""
mutation($input: CancelMyOrderInput!) {{
  cancelMyOrder(input: $input) {{ order {{ {ORDER_FIELDS} }} errors {{ field code }} }}
}}"""

NOTE = """
mutation($input: AddOrderNoteInput!) {
  addOrderNote(input: $input) {
    event { kind message internal actor } errors { field code }
  }
}"""

ORDER = f"""
query($id: ID, $number: String) {{ order(id: $id, number: $number) {{ {ORDER_FIELDS} }} }}
"""

LIST = """
query($filter: OrderFilter, $sortBy: OrderSortInput, $first: Int, $after: String) {
  orders(filter: $filter, sortBy: $sortBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { number status totalInShopCurrency { amount } }
  }
}"""

LOOKUP = """
query($number: String!, $email: String!) {
  orderLookup(number: $number, email: $email) {
    number status placedAt shipments { carrierName trackingNumber trackingUrl }
  }
}"""


async def _paid_order(**kw):
    product = await make_product(prices=("10.00", "4.00"), stock=(10, 10))
    variants = await product.variants.all().order_by("id")
    buyer = await make_user()
    order = await placed_order(
        buyer, [(variants[0], 3), (variants[1], 1)], status=OrderStatus.PENDING_SHIPMENT, **kw
    )
    return order, variants, buyer


# Payment.


async def test_bank_transfer_payment_moves_order_to_pending_shipment(client):
    buyer = await make_user()
    product = await make_product(prices=("10.00",))
    variant = (await product.variants.all())[0]
    order = await placed_order(buyer, [(variant, 2)])

    data = await client.staff(
        PAY, {"input": {"orderId": gid("Order", order.id), "reference": " TR-1 "}}
    )
    payload = data["recordBankTransferPayment"]
    assert payload["errors"] == []
    paid = payload["order"]
    assert paid["status"] == "PENDING_SHIPMENT"
    assert paid["paidAt"] is not None
    assert (paid["paymentMethod"], paid["paymentReference"]) == ("bank_transfer", "TR-1")
    assert paid["canCancel"] is True
    assert paid["timeline"][-1] == {
        "kind": "PAYMENT",
        "fromStatus": "PENDING_PAYMENT",
        "toStatus": "PENDING_SHIPMENT",
        "actor": f"user:{(await client.admin()).id}",
        "message": "Bank transfer received: TR-1.",
        "internal": False,
    }

    again = await client.staff(
        PAY, {"input": {"orderId": gid("Order", order.id), "reference": "TR-2"}}
    )
    assert again["recordBankTransferPayment"]["errors"][0]["code"] == "ALREADY_PAID"
    row = await Order.get(id=order.id)
    assert row.payment_reference == "TR-1"
    assert await OrderEvent.filter(order_id=order.id).count() == 1


async def test_payment_refused_without_reference_or_for_a_cancelled_order(client):
    buyer = await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    order = await placed_order(buyer, [(variant, 1)], status=OrderStatus.CANCELLED)
    blank = await client.staff(
        PAY, {"input": {"orderId": gid("Order", order.id), "reference": " "}}
    )
    assert blank["recordBankTransferPayment"]["errors"][0]["code"] == "REQUIRED"
    data = await client.staff(PAY, {"input": {"orderId": gid("Order", order.id), "reference": "X"}})
    assert data["recordBankTransferPayment"]["errors"] == [
        {
            "field": ["orderId"],
            "code": "ILLEGAL_TRANSITION",
            "message": "An order that is cancelled cannot become pending shipment.",
        }
    ]
    missing = await client.staff(
        PAY, {"input": {"orderId": gid("Order", 999999), "reference": "X"}}
    )
    assert missing["recordBankTransferPayment"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await Order.get(id=order.id)).status == OrderStatus.CANCELLED
    assert await OrderEvent.filter(order_id=order.id).count() == 0


async def test_staff_mutations_refuse_customers_and_staff_without_orders_permission(client):
    buyer = await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    order = await placed_order(buyer, [(variant, 1)])
    variables = {"input": {"orderId": gid("Order", order.id), "reference": "X"}}
    as_buyer = await client.request(PAY, variables, user=buyer)
    assert as_buyer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    as_staff = await client.request(PAY, variables, user=catalog_staff)
    assert as_staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await client.request(PAY, variables)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    orders_staff = await make_user(role=Role.STAFF, permissions=("orders",))
    allowed = await client.query(PAY, variables, user=orders_staff)
    assert allowed["recordBankTransferPayment"]["order"]["status"] == "PENDING_SHIPMENT"
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


# Shipping.


async def test_partial_shipments_then_the_rest_ship_the_order(client):
    order, variants, _ = await _paid_order()
    carrier = await make_carrier()
    lines = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]["lines"]
    first_line = lines[0]["id"]

    partial = await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "PART1",
                "lines": [{"orderLineId": first_line, "quantity": 2}],
            }
        },
    )
    payload = partial["shipOrder"]
    assert payload["errors"] == []
    assert payload["shipment"] == {
        "carrierName": "Test Post",
        "trackingNumber": "PART1",
        "trackingUrl": "https://track.test/PART1",
        "lines": [{"orderLineId": first_line, "quantity": 2}],
    }
    assert payload["order"]["status"] == "PENDING_SHIPMENT"
    assert [line["quantityShipped"] for line in payload["order"]["lines"]] == [2, 0]
    assert payload["order"]["timeline"][-1]["kind"] == "SHIPMENT"
    assert payload["order"]["timeline"][-1]["toStatus"] is None
    assert await stock_of(variants[0]) == (8, 1)
    assert await stock_of(variants[1]) == (10, 1)

    rest = await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "REST2",
            }
        },
    )
    shipped = rest["shipOrder"]["order"]
    assert shipped["status"] == "SHIPPED"
    assert shipped["shippedAt"] is not None
    assert shipped["canCancel"] is False
    assert [line["quantityShipped"] for line in shipped["lines"]] == [3, 1]
    assert [s["trackingNumber"] for s in shipped["shipments"]] == ["PART1", "REST2"]
    assert shipped["shipments"][1]["lines"] == [
        {"orderLineId": lines[0]["id"], "quantity": 1},
        {"orderLineId": lines[1]["id"], "quantity": 1},
    ]
    assert shipped["timeline"][-1]["toStatus"] == "SHIPPED"
    assert await stock_of(variants[0]) == (7, 0)
    assert await stock_of(variants[1]) == (9, 0)


async def test_over_shipping_and_bad_lines_are_refused_and_change_nothing(client):
    order, variants, _ = await _paid_order()
    carrier = await make_carrier()
    lines = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]["lines"]
    base = {
        "orderId": gid("Order", order.id),
        "carrierId": gid("Carrier", carrier.id),
        "trackingNumber": "T1",
    }
    cases = [
        ([{"orderLineId": lines[0]["id"], "quantity": 4}], "OVER_SHIPPED"),
        (
            [
                {"orderLineId": lines[0]["id"], "quantity": 2},
                {"orderLineId": lines[0]["id"], "quantity": 2},
            ],
            "OVER_SHIPPED",
        ),
        ([{"orderLineId": lines[0]["id"], "quantity": 0}], "INVALID_QUANTITY"),
        ([{"orderLineId": gid("OrderLine", 999999), "quantity": 1}], "NOT_FOUND"),
        ([], "NOTHING_TO_SHIP"),
    ]
    for given, code in cases:
        data = await client.staff(SHIP, {"input": {**base, "lines": given}})
        assert data["shipOrder"]["errors"][0]["code"] == code, given
    no_number = await client.staff(SHIP, {"input": {**base, "trackingNumber": ""}})
    assert no_number["shipOrder"]["errors"][0]["code"] == "REQUIRED"
    bad_carrier = await client.staff(SHIP, {"input": {**base, "carrierId": gid("Carrier", 999)}})
    assert bad_carrier["shipOrder"]["errors"][0]["field"] == ["carrierId"]
    assert await Shipment.all().count() == 0
    assert await ShipmentLine.all().count() == 0
    assert await stock_of(variants[0]) == (10, 3)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT


async def test_unpaid_order_cannot_ship(client):
    buyer = await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    order = await placed_order(buyer, [(variant, 1)])
    carrier = await make_carrier()
    data = await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "T1",
            }
        },
    )
    assert data["shipOrder"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert await Shipment.all().count() == 0
    assert await stock_of(variant) == (5, 1)


# Delivery and completion.


async def test_deliver_then_complete_awards_the_members_points(client):
    order, _, buyer = await _paid_order()
    carrier = await make_carrier()
    order_id = gid("Order", order.id)
    early = await client.staff(COMPLETE, {"input": {"orderId": order_id}})
    assert early["completeOrder"]["errors"] == [
        {"field": ["orderId"], "code": "ILLEGAL_TRANSITION"}
    ]
    await client.staff(
        SHIP,
        {
            "input": {
                "orderId": order_id,
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "T",
            }
        },
    )
    delivered = (await client.staff(DELIVER, {"input": {"orderId": order_id}}))[
        "markOrderDelivered"
    ]["order"]
    assert delivered["status"] == "DELIVERED"
    assert delivered["deliveredAt"] is not None
    assert (await Shipment.get(order_id=order.id)).delivered_at is not None
    completed = (await client.staff(COMPLETE, {"input": {"orderId": order_id}}))["completeOrder"][
        "order"
    ]
    assert completed["status"] == "COMPLETED"
    assert completed["completedAt"] is not None
    entry = await PointsEntry.get(user_id=buyer.id, source=f"order:{order.id}")
    assert entry.amount == member_points.order_points(order.total, 100) > 0
    assert [e["toStatus"] for e in completed["timeline"] if e["kind"] != "NOTE"] == [
        "SHIPPED",
        "DELIVERED",
        "COMPLETED",
    ]
    again = await client.staff(DELIVER, {"input": {"orderId": order_id}})
    assert again["markOrderDelivered"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert await PointsEntry.filter(user_id=buyer.id, source=f"order:{order.id}").count() == 1


# Cancellation.


async def test_cancel_releases_stock_coupon_and_points(client):
    coupon = await make_coupon()
    buyer = await make_user()
    product = await make_product(prices=("10.00",), stock=(6,))
    variant = (await product.variants.all())[0]
    order = await placed_order(buyer, [(variant, 2)], coupon=coupon, points=50)
    assert await stock_of(variant) == (6, 2)
    assert (await Coupon.get(id=coupon.id)).times_used == 1
    assert await member_points.balance(buyer.id) == 0

    data = await client.staff(
        CANCEL, {"input": {"orderId": gid("Order", order.id), "reason": "Customer asked"}}
    )
    cancelled = data["cancelOrder"]["order"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["cancelReason"] == "Customer asked"
    assert cancelled["cancelledAt"] is not None
    assert cancelled["timeline"][-1]["toStatus"] == "CANCELLED"
    assert await stock_of(variant) == (6, 0)
    assert (await Coupon.get(id=coupon.id)).times_used == 0
    assert (await CouponUse.get(order_id=order.id)).released_at is not None
    assert await member_points.balance(buyer.id) == 50
    returned = await PointsEntry.get(user_id=buyer.id, source=f"order-cancel:{order.id}")
    assert returned.amount == 50

    twice = await client.staff(CANCEL, {"input": {"orderId": gid("Order", order.id)}})
    assert twice["cancelOrder"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert await stock_of(variant) == (6, 0)
    assert await member_points.balance(buyer.id) == 50


async def test_a_partly_shipped_order_can_no_longer_be_cancelled(client):
    order, variants, _ = await _paid_order()
    carrier = await make_carrier()
    lines = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]["lines"]
    await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "P1",
                "lines": [{"orderLineId": lines[0]["id"], "quantity": 2}],
            }
        },
    )
    data = await client.staff(CANCEL, {"input": {"orderId": gid("Order", order.id)}})
    assert data["cancelOrder"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    # The shipped units left stock; the rest stays reserved for the next parcel.
    assert await stock_of(variants[0]) == (8, 1)
    assert await stock_of(variants[1]) == (10, 1)
    order_now = (await client.staff(ORDER, {"id": gid("Order", order.id)}))["order"]
    assert order_now["status"] == "PENDING_SHIPMENT"


async def test_shipped_order_cannot_be_cancelled(client):
    order, variants, _ = await _paid_order()
    await Order.filter(id=order.id).update(status=OrderStatus.SHIPPED)
    data = await client.staff(CANCEL, {"input": {"orderId": gid("Order", order.id)}})
    assert data["cancelOrder"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert await stock_of(variants[0]) == (10, 3)


async def test_shopper_cancels_own_unpaid_order_only(client):
    buyer, other = await make_user(), await make_user()
    product = await make_product(stock=(5,))
    variant = (await product.variants.all())[0]
    mine = await placed_order(buyer, [(variant, 1)])
    paid = await placed_order(buyer, [(variant, 1)], status=OrderStatus.PENDING_SHIPMENT)
    theirs = await placed_order(other, [(variant, 1)])

    refused = await client.query(
        CANCEL_MINE, {"input": {"orderId": gid("Order", theirs.id)}}, user=buyer
    )
    assert refused["cancelMyOrder"]["errors"] == [{"field": ["orderId"], "code": "NOT_FOUND"}]
    too_late = await client.query(
        CANCEL_MINE, {"input": {"orderId": gid("Order", paid.id)}}, user=buyer
    )
    assert too_late["cancelMyOrder"]["errors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert await stock_of(variant) == (5, 3)

    done = await client.query(
        CANCEL_MINE, {"input": {"orderId": gid("Order", mine.id), "reason": "Oops"}}, user=buyer
    )
    order = done["cancelMyOrder"]["order"]
    assert order["status"] == "CANCELLED"
    assert order["timeline"][-1]["actor"] == "customer"
    assert await stock_of(variant) == (5, 2)
    anonymous = await client.request(CANCEL_MINE, {"input": {"orderId": gid("Order", mine.id)}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# Notes and what the shopper sees.


async def test_internal_notes_are_for_staff_only(client):
    order, _, buyer = await _paid_order()
    order_id = gid("Order", order.id)
    # As checkout records a member's order: the shopper acted under their own account.
    await OrderEvent.create(
        order_id=order.id,
        kind="placed",
        actor=f"user:{buyer.id}",
        actor_user_id=buyer.id,
        message="Order placed.",
    )
    internal = await client.staff(
        NOTE, {"input": {"orderId": order_id, "message": "Fragile, pack twice"}}
    )
    assert internal["addOrderNote"]["event"]["internal"] is True
    await client.staff(
        NOTE, {"input": {"orderId": order_id, "message": "Ships Monday", "internal": False}}
    )
    empty = await client.staff(NOTE, {"input": {"orderId": order_id, "message": "  "}})
    assert empty["addOrderNote"]["errors"] == [{"field": ["message"], "code": "REQUIRED"}]

    staff_view = (await client.staff(ORDER, {"id": order_id}))["order"]["timeline"]
    assert [(e["message"], e["actor"]) for e in staff_view] == [
        ("Order placed.", f"user:{buyer.id}"),
        ("Fragile, pack twice", f"user:{(await client.admin()).id}"),
        ("Ships Monday", f"user:{(await client.admin()).id}"),
    ]
    own_view = (await client.query(ORDER, {"number": order.number.lower()}, user=buyer))["order"]
    assert [(e["message"], e["actor"]) for e in own_view["timeline"]] == [
        ("Order placed.", "customer"),
        ("Ships Monday", "staff"),
    ]
    assert own_view["canCancel"] is False  # paid: only staff may cancel now


async def test_shopper_reads_only_own_orders(client):
    order, _, buyer = await _paid_order()
    stranger = await make_user()
    assert (await client.query(ORDER, {"id": gid("Order", order.id)}, user=buyer))["order"][
        "number"
    ] == order.number
    assert (await client.query(ORDER, {"number": order.number}, user=stranger))["order"] is None
    assert (await client.query(ORDER, {"id": gid("Order", order.id)}, user=stranger))[
        "order"
    ] is None
    node = await client.query(
        "query($id: ID!) { node(id: $id) { ... on Order { number } } }",
        {"id": gid("Order", order.id)},
        user=stranger,
    )
    assert node["node"] is None
    anonymous = await client.request(ORDER, {"number": order.number})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_my_orders_and_me_orders_are_the_same_list(client):
    buyer = await make_user()
    product = await make_product()
    variant = (await product.variants.all())[0]
    now = timezone.now()
    for days in (3, 2, 1):
        await placed_order(buyer, [(variant, 1)], placed_at=now - timedelta(days=days))
    await placed_order(await make_user(), [(variant, 1)])
    query = """{
      myOrders(first: 2) { totalCount nodes { number lines { sku } } pageInfo { hasNextPage } }
      me { orders(first: 2) { totalCount nodes { number lines { sku } } pageInfo { hasNextPage } } }
    }"""
    data = await client.query(query, user=buyer)
    assert data["myOrders"] == data["me"]["orders"]
    assert data["myOrders"]["totalCount"] == 3
    assert data["myOrders"]["pageInfo"]["hasNextPage"] is True


# The merchant list.


async def test_merchant_list_filters_and_sorts(client):
    cheap = await make_product(prices=("5.00",), stock=(50,))
    dear = await make_product(prices=("80.00",), stock=(50,))
    cv = (await cheap.variants.all())[0]
    dv = (await dear.variants.all())[0]
    ana = await make_user(email="Ana@Example.com")
    ben = await make_user()
    now = timezone.now()
    a1 = await placed_order(ana, [(cv, 1)], ship_country="JP", placed_at=now - timedelta(days=3))
    a2 = await placed_order(
        ana,
        [(dv, 1)],
        status=OrderStatus.PENDING_SHIPMENT,
        ship_country="DE",
        placed_at=now - timedelta(days=2),
    )
    b1 = await placed_order(
        ben,
        [(cv, 3)],
        status=OrderStatus.CANCELLED,
        ship_country="JP",
        placed_at=now - timedelta(days=1),
    )

    async def numbers(filter=None, sort=None):
        data = await client.staff(LIST, {"filter": filter, "sortBy": sort})
        return [n["number"] for n in data["orders"]["nodes"]], data["orders"]["totalCount"]

    assert await numbers() == ([b1.number, a2.number, a1.number], 3)
    assert await numbers({"statuses": ["PENDING_PAYMENT", "CANCELLED"]}) == (
        [b1.number, a1.number],
        2,
    )
    assert await numbers({"country": "JP"}) == ([b1.number, a1.number], 2)
    assert await numbers({"customerId": gid("User", ana.id)}) == ([a2.number, a1.number], 2)
    assert await numbers({"email": "ana@example.COM"}) == ([a2.number, a1.number], 2)
    assert await numbers({"number": a1.number[:-1].lower()}) == (
        [n for n in [b1.number, a2.number, a1.number] if n.startswith(a1.number[:-1])],
        len([n for n in [b1.number, a2.number, a1.number] if n.startswith(a1.number[:-1])]),
    )
    assert await numbers({"number": a1.number}) == ([a1.number], 1)
    assert await numbers({"minTotal": "10", "maxTotal": "80.00"}) == ([b1.number, a2.number], 2)
    assert await numbers(
        {
            "placedAfter": (now - timedelta(days=2, hours=1)).isoformat(),
            "placedBefore": (now - timedelta(hours=1)).isoformat(),
        }
    ) == ([b1.number, a2.number], 2)
    assert await numbers(sort={"field": "TOTAL", "direction": "ASC"}) == (
        [a1.number, b1.number, a2.number],
        3,
    )
    bad = await client.request(LIST, {"filter": {"minTotal": "ten"}}, staff=True)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert bad["errors"][0]["extensions"]["problems"][0]["field"] == ["filter", "minTotal"]


async def test_merchant_list_pages_by_cursor(client):
    product = await make_product(stock=(50,))
    variant = (await product.variants.all())[0]
    now = timezone.now()
    made = [
        await placed_order(None, [(variant, 1)], placed_at=now - timedelta(minutes=i))
        for i in range(5)
    ]
    first = (await client.staff(LIST, {"first": 2}))["orders"]
    assert [n["number"] for n in first["nodes"]] == [made[0].number, made[1].number]
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await client.staff(LIST, {"first": 3, "after": first["pageInfo"]["endCursor"]}))[
        "orders"
    ]
    assert [n["number"] for n in second["nodes"]] == [o.number for o in made[2:]]
    assert second["pageInfo"]["hasNextPage"] is False


async def test_merchant_list_query_count_does_not_grow_with_orders(client, count_queries):
    product = await make_product(prices=("10.00", "4.00"), stock=(500, 500))
    variants = await product.variants.all().order_by("id")
    carrier = await make_carrier()
    query = """{ orders(first: 50) { totalCount nodes {
        number customer { email } lines { sku quantityShipped } itemCount
        shipments { trackingNumber lines { quantity } } timeline { kind }
    } } }"""

    async def add(n: int) -> None:
        for _ in range(n):
            order = await placed_order(
                await make_user(),
                [(variants[0], 2), (variants[1], 1)],
                status=OrderStatus.PENDING_SHIPMENT,
            )
            await client.staff(
                SHIP,
                {
                    "input": {
                        "orderId": gid("Order", order.id),
                        "carrierId": gid("Carrier", carrier.id),
                        "trackingNumber": f"T{order.id}",
                    }
                },
            )

    await add(2)
    await client.admin()
    count_queries.statements.clear()
    few = await client.staff(query)
    few_count = count_queries.count
    await add(6)
    count_queries.statements.clear()
    many = await client.staff(query)
    assert len(many["orders"]["nodes"]) == 8 and len(few["orders"]["nodes"]) == 2
    assert count_queries.count == few_count


# The public lookup.


async def test_lookup_by_number_and_email_shows_only_the_public_view(client):
    order, _, buyer = await _paid_order()
    carrier = await make_carrier(name="Swift")
    await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "ZX9",
            }
        },
    )
    found = await client.query(
        LOOKUP, {"number": order.number.lower(), "email": buyer.email.upper()}
    )
    assert found["orderLookup"]["number"] == order.number
    assert found["orderLookup"]["status"] == "SHIPPED"
    assert found["orderLookup"]["shipments"] == [
        {"carrierName": "Swift", "trackingNumber": "ZX9", "trackingUrl": "https://track.test/ZX9"}
    ]
    wrong = await client.query(LOOKUP, {"number": order.number, "email": "x@example.com"})
    assert wrong["orderLookup"] is None
    none = await client.query(LOOKUP, {"number": "TW00000000", "email": buyer.email})
    assert none["orderLookup"] is None
    # The public view has no amounts, address or lines to ask for.
    leaky = await client.request(
        "query($n: String!, $e: String!) "
        "{ orderLookup(number: $n, email: $e) { total { amount } } }",
        {"n": order.number, "e": buyer.email},
    )
    assert leaky["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_the_tracking_link_escapes_the_normalised_tracking_number(client):
    order, _, buyer = await _paid_order()
    carrier = await make_carrier(name="Swift")
    await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": " ZX 9/a&b ",
            }
        },
    )
    found = await client.query(LOOKUP, {"number": order.number, "email": buyer.email})
    assert found["orderLookup"]["shipments"] == [
        {
            "carrierName": "Swift",
            "trackingNumber": "ZX9/A&B",
            "trackingUrl": "https://track.test/ZX9%2FA%26B",
        }
    ]


async def test_lookup_is_rate_limited_per_client(client, settings):
    order, _, buyer = await _paid_order()
    for i in range(settings.order_lookup_limit):
        data = await client.query(LOOKUP, {"number": f"TW{i:08d}", "email": buyer.email})
        assert data["orderLookup"] is None
    refused = await client.request(LOOKUP, {"number": order.number, "email": buyer.email})
    assert refused["data"]["orderLookup"] is None
    assert refused["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert refused["errors"][0]["extensions"]["retryAfter"] >= 1
    rate_limit.configure(None)  # another window
    again = await client.query(LOOKUP, {"number": order.number, "email": buyer.email})
    assert again["orderLookup"]["number"] == order.number
