"""Shipping with a carrier's service: the parcel keeps the service's name; a service of
another carrier, or a retired one, is refused. Staff who ship read the carriers."""

from __future__ import annotations

from models.accounts import Role
from models.orders import OrderStatus, Shipment
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import placed_order
from tests.shipping.helpers import make_carrier, make_service

SHIP = """
mutation($input: ShipOrderInput!) {
  shipOrder(input: $input) {
    order { status shipments { carrierName serviceName trackingNumber } }
    shipment { carrierName serviceName trackingNumber }
    errors { field code message }
  }
}"""

CARRIERS = """
{ carriers(first: 10) { nodes { id name active services { id name active } } } }
"""


async def _order():
    product = await make_product(prices=("10.00",), stock=(5,))
    [variant] = await product.variants.all()
    return await placed_order(
        await make_user(), [(variant, 2)], status=OrderStatus.PENDING_SHIPMENT
    )


def _ship(order, carrier, service=None, number="EE123456785CN"):
    given = {
        "orderId": gid("Order", order.id),
        "carrierId": gid("Carrier", carrier.id),
        "trackingNumber": number,
    }
    if service is not None:
        given["serviceId"] = gid("ShippingService", service.id)
    return {"input": given}


async def test_the_parcel_keeps_the_service_it_went_with(client):
    order = await _order()
    carrier = await make_carrier(name="China Post")
    ems = await make_service(carrier, name="EMS")
    shipped = (await client.staff(SHIP, _ship(order, carrier, ems)))["shipOrder"]
    assert shipped["errors"] == []
    assert shipped["shipment"] == {
        "carrierName": "China Post",
        "serviceName": "EMS",
        "trackingNumber": "EE123456785CN",
    }
    assert shipped["order"]["status"] == "SHIPPED"
    row = await Shipment.get(order_id=order.id)
    assert (row.service_id, row.service_name) == (ems.id, "EMS")


async def test_without_a_service_the_parcel_has_none(client):
    order = await _order()
    carrier = await make_carrier()
    shipped = (await client.staff(SHIP, _ship(order, carrier)))["shipOrder"]
    assert shipped["errors"] == []
    assert shipped["shipment"]["serviceName"] is None


async def test_another_carriers_or_a_retired_service_is_refused(client):
    order = await _order()
    carrier = await make_carrier(name="China Post")
    other = await make_carrier(name="SF Express")
    theirs = await make_service(other, name="SF Standard")
    retired = await make_service(carrier, name="Surface", active=False)
    for service in (theirs, retired):
        refused = (await client.staff(SHIP, _ship(order, carrier, service)))["shipOrder"]
        assert refused["shipment"] is None
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            (["serviceId"], "NOT_FOUND")
        ]
    not_a_service = _ship(order, carrier)
    not_a_service["input"]["serviceId"] = gid("Carrier", carrier.id)
    refused = (await client.staff(SHIP, not_a_service))["shipOrder"]
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [(["serviceId"], "NOT_FOUND")]
    assert await Shipment.filter(order_id=order.id).count() == 0


async def test_staff_who_ship_read_the_carriers_and_others_do_not(client):
    carrier = await make_carrier(name="China Post")
    ems = await make_service(carrier, name="EMS")
    shipper = await make_user(role=Role.STAFF, permissions=("orders",))
    seen = await client.query(CARRIERS, user=shipper)
    assert seen["carriers"]["nodes"] == [
        {
            "id": gid("Carrier", carrier.id),
            "name": "China Post",
            "active": True,
            "services": [{"id": gid("ShippingService", ems.id), "name": "EMS", "active": True}],
        }
    ]
    node = "query($id: ID!) { node(id: $id) { ... on ShippingService { name } } }"
    by_id = await client.query(node, {"id": gid("ShippingService", ems.id)}, user=shipper)
    assert by_id["node"] == {"name": "EMS"}

    cataloguer = await make_user(role=Role.STAFF, permissions=("catalog",))
    refused = await client.request(CARRIERS, user=cataloguer)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    shopper = await make_user()
    refused = await client.request(CARRIERS, user=shopper)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
