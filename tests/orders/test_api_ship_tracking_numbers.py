"""Shipping checks the tracking number: a wrong check digit or another company's number is
refused and changes nothing, unless staff ship it anyway, which the timeline keeps for staff;
a number of a format the shop does not know ships as it is."""

from __future__ import annotations

import asyncio
from typing import Any

from models.orders import Order, OrderEvent, OrderEventKind, OrderStatus, Shipment, ShipmentLine
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import make_carrier, placed_order, stock_of

SHIP = """
mutation($input: ShipOrderInput!) {
  shipOrder(input: $input) {
    order { status }
    shipment { trackingNumber trackingUrl }
    errors { field code message }
  }
}"""

TIMELINE = """
query($id: ID!) { order(id: $id) { timeline { kind message internal } } }"""


async def _order():
    product = await make_product(prices=("10.00",), stock=(5,))
    [variant] = await product.variants.all()
    buyer = await make_user()
    order = await placed_order(buyer, [(variant, 2)], status=OrderStatus.PENDING_SHIPMENT)
    return order, variant, buyer


def _ship(order, carrier, number, **extra):
    return {
        "input": {
            "orderId": gid("Order", order.id),
            "carrierId": gid("Carrier", carrier.id),
            "trackingNumber": number,
            **extra,
        }
    }


async def _untouched(order, variant) -> None:
    assert await Shipment.filter(order_id=order.id).count() == 0
    assert await ShipmentLine.all().count() == 0
    assert await stock_of(variant) == (5, 2)
    assert (await Order.get(id=order.id)).status == OrderStatus.PENDING_SHIPMENT
    assert await OrderEvent.filter(order_id=order.id).count() == 0


async def test_a_wrong_check_digit_is_refused_and_changes_nothing(client):
    order, variant, _ = await _order()
    post = await make_carrier(name="China Post", code="china-post")
    payload = (await client.staff(SHIP, _ship(order, post, "EE473124828CN")))["shipOrder"]
    assert payload["shipment"] is None and payload["order"] is None
    assert payload["errors"] == [
        {
            "field": ["trackingNumber"],
            "code": "TRACKING_NUMBER_INVALID",
            "message": "Not a valid UPU S10 number: the check digit should be 9, not 8.",
        }
    ]
    await _untouched(order, variant)


async def test_staff_ship_a_refused_number_anyway_and_the_timeline_keeps_it_for_staff(client):
    order, variant, buyer = await _order()
    post = await make_carrier(name="China Post", code="china-post")
    given = _ship(order, post, "ee 473124828 cn", acceptInvalidTrackingNumber=True)
    payload = (await client.staff(SHIP, given))["shipOrder"]
    assert payload["errors"] == []
    assert payload["order"]["status"] == "SHIPPED"
    assert payload["shipment"] == {
        "trackingNumber": "EE473124828CN",
        "trackingUrl": "https://track.test/EE473124828CN",
    }
    assert await stock_of(variant) == (3, 0)

    shipped = await OrderEvent.get(order_id=order.id, kind=OrderEventKind.SHIPMENT)
    assert shipped.data["trackingNumberAccepted"] == [
        {
            "code": "TRACKING_NUMBER_INVALID",
            "message": "Not a valid UPU S10 number: the check digit should be 9, not 8.",
        }
    ]
    staff_view = (await client.staff(TIMELINE, {"id": gid("Order", order.id)}))["order"]
    [note] = [e for e in staff_view["timeline"] if e["kind"] == "NOTE"]
    assert note["internal"] is True
    assert note["message"] == (
        "Shipped with tracking number EE473124828CN although it did not pass its check: "
        "Not a valid UPU S10 number: the check digit should be 9, not 8."
    )
    shopper_view = (await client.query(TIMELINE, {"id": gid("Order", order.id)}, user=buyer))[
        "order"
    ]
    assert [e["kind"] for e in shopper_view["timeline"]] == ["SHIPMENT"]
    assert "check" not in shopper_view["timeline"][0]["message"]


async def test_another_companys_number_is_refused_for_the_carrier_then_shipped_anyway(client):
    order, variant, _ = await _order()
    dhl = await make_carrier(name="DHL", code="dhl")
    refused = (await client.staff(SHIP, _ship(order, dhl, "1Z999AA10123456784")))["shipOrder"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [
        (["trackingNumber"], "TRACKING_NUMBER_CARRIER_MISMATCH")
    ]
    assert refused["errors"][0]["message"].startswith("This is a UPS number")
    # Wrong twice over: both are said at once.
    both = (await client.staff(SHIP, _ship(order, dhl, "1Z999AA10123456785")))["shipOrder"]
    assert [e["code"] for e in both["errors"]] == [
        "TRACKING_NUMBER_INVALID",
        "TRACKING_NUMBER_CARRIER_MISMATCH",
    ]
    await _untouched(order, variant)

    given = _ship(order, dhl, "1Z999AA10123456785", acceptInvalidTrackingNumber=True)
    shipped = (await client.staff(SHIP, given))["shipOrder"]
    assert shipped["errors"] == []
    event = await OrderEvent.get(order_id=order.id, kind=OrderEventKind.SHIPMENT)
    accepted: Any = event.data["trackingNumberAccepted"]
    assert [a["code"] for a in accepted] == [
        "TRACKING_NUMBER_INVALID",
        "TRACKING_NUMBER_CARRIER_MISMATCH",
    ]


async def test_valid_and_unknown_numbers_ship_without_a_note(client):
    for number, code in [("1Z999AA10123456784", "ups"), ("sf 1234 5678 9012 3", "sf-express")]:
        order, _, _ = await _order()
        carrier = await make_carrier(code=code)
        payload = (await client.staff(SHIP, _ship(order, carrier, number)))["shipOrder"]
        assert payload["errors"] == [], number
        assert payload["shipment"]["trackingNumber"] == number.replace(" ", "").upper()
        assert not await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.NOTE).exists()
        event = await OrderEvent.get(order_id=order.id, kind=OrderEventKind.SHIPMENT)
        assert "trackingNumberAccepted" not in event.data


async def test_what_is_no_tracking_number_is_refused_even_when_told_to_ship_anyway(client):
    order, variant, _ = await _order()
    carrier = await make_carrier()
    for number, code in [
        ("", "REQUIRED"),
        ("X" * 81, "INVALID"),
        ("RB１２３４５６７８５GB", "INVALID"),
        ("stra\u00dfe", "INVALID"),
    ]:
        given = _ship(order, carrier, number, acceptInvalidTrackingNumber=True)
        payload = (await client.staff(SHIP, given))["shipOrder"]
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [
            (["trackingNumber"], code)
        ], number
    await _untouched(order, variant)


async def test_two_overridden_parcels_of_the_last_units_at_once_ship_one(client):
    order, variant, _ = await _order()
    post = await make_carrier(code="china-post")
    await client.admin()  # made once, before the requests race
    results = await asyncio.gather(
        *(
            client.staff(
                SHIP, _ship(order, post, f"EE47312482{n}CN", acceptInvalidTrackingNumber=True)
            )
            for n in (1, 2, 3)
        )
    )
    payloads = [r["shipOrder"] for r in results]
    assert sum(1 for p in payloads if not p["errors"]) == 1, payloads
    assert sorted(p["errors"][0]["code"] for p in payloads if p["errors"]) in (
        ["ILLEGAL_TRANSITION", "ILLEGAL_TRANSITION"],
        ["ILLEGAL_TRANSITION", "NOTHING_TO_SHIP"],
        ["NOTHING_TO_SHIP", "NOTHING_TO_SHIP"],
    )
    assert await Shipment.filter(order_id=order.id).count() == 1
    assert await stock_of(variant) == (3, 0)
    assert await OrderEvent.filter(order_id=order.id, kind=OrderEventKind.NOTE).count() == 1
