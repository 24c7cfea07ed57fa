"""Sending a lost or damaged parcel again through the API: a new parcel replacing the old,
its stock taken again, the old one handled, the money untouched; and every refusal."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest

from models.accounts import Role, User
from models.catalog import ProductVariant
from models.inventory import MovementKind, StockMovement
from models.orders import Order, OrderEvent, OrderLine, OrderStatus, Shipment, ShipmentLine
from models.tracking import TrackingSource
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from schema.relay import decode_id
from services.inventory import stock
from services.inventory.errors import InventoryError, InventoryErrorCode
from services.orders import queries
from services.tracking import events
from tests.factories import gid, make_user
from tests.orders.handling_setup import make_carrier
from tests.tracking.helpers import report, s10_number, shipped_order

RESHIP = """
mutation($input: ReshipShipmentInput!) { reshipShipment(input: $input) {
  order { id status totalInShopCurrency { amount } lines { quantity quantityShipped } }
  shipment {
    id replacementForId carrierName serviceName trackingNumber trackingStatus needsAttention
    lines { sku quantity }
  }
  replaced { id needsAttention handledAt }
  errors { field code message }
} }"""

ORDER = """
query($id: ID!) { order(id: $id) {
  status shipments { id replacementForId trackingNumber }
  timeline { kind internal message actor }
} }"""


async def _lost() -> tuple[Order, Shipment]:
    """A shipped order whose only parcel the carrier reports lost."""
    order, [parcel] = await shipped_order()
    lost = report(S.EXCEPTION, 30, sub=Sub.EXCEPTION_LOST, message="Parcel lost in transit.")
    await events.record(parcel.id, [lost], source=TrackingSource.WEBHOOK)
    return order, parcel


def _pk(global_id: str) -> int:
    pk = decode_id(global_id, "Shipment")
    assert pk is not None, global_id
    return pk


def _input(parcel: Shipment, carrier_id: int | None, **given: object) -> dict[str, Any]:
    fields: dict[str, object] = {
        "shipmentId": gid("Shipment", parcel.id),
        "carrierId": gid("Carrier", carrier_id or 0),
        "trackingNumber": s10_number(f"9{parcel.id:07d}"),
        "note": "Lost at the sorting centre; the shopper waits.",
    }
    fields.update(given)
    return {"input": fields}


async def _variant_of(order: Order) -> ProductVariant:
    line = await OrderLine.get(order_id=order.id)
    return await ProductVariant.get(id=line.variant_id)


async def test_a_lost_parcel_is_sent_again_as_its_replacement(client):
    order, parcel = await _lost()
    variant = await _variant_of(order)
    before = (variant.stock_on_hand, variant.stock_reserved)
    admin = await client.admin()
    await User.filter(id=admin.id).update(nickname="Mei")
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    assert answer["errors"] == []
    new = answer["shipment"]
    assert new["replacementForId"] == gid("Shipment", parcel.id)
    assert (new["trackingStatus"], new["needsAttention"]) == ("PENDING", False)
    assert new["lines"] == [{"sku": variant.sku, "quantity": 1}]
    assert answer["replaced"]["needsAttention"] is False
    assert answer["replaced"]["handledAt"] is not None
    # The order's money and status, and what it counts as shipped, stay as they were.
    assert answer["order"]["status"] == "SHIPPED"
    assert answer["order"]["totalInShopCurrency"] == {"amount": "10.00"}
    assert answer["order"]["lines"] == [{"quantity": 1, "quantityShipped": 1}]
    assert await queries.shipped_by_line(order.id) == {
        (await OrderLine.get(order_id=order.id)).id: 1
    }
    await variant.refresh_from_db()
    assert (variant.stock_on_hand, variant.stock_reserved) == (before[0] - 1, before[1])
    movement = await StockMovement.get(variant_id=variant.id, kind=MovementKind.RESHIPMENT)
    assert (movement.on_hand_change, movement.reserved_change) == (-1, 0)
    assert movement.reference == order.number and movement.actor_id == admin.id
    assert await stock.verify_ledger() == []
    row = await Shipment.get(id=_pk(new["id"]))
    assert (row.replacement_for_id, row.tracking_number) == (parcel.id, new["trackingNumber"])
    note = await OrderEvent.get(order_id=order.id, kind="note")
    assert note.internal and note.actor_user_id == admin.id
    assert "by Mei: Lost at the sorting centre" in note.message
    assert parcel.tracking_number in note.message


async def test_the_shopper_sees_the_new_parcel_but_not_the_staff_note(client):
    order, parcel = await _lost()
    await client.staff(RESHIP, _input(parcel, parcel.carrier_id))
    owner = await User.get(id=order.user_id)
    data = (await client.query(ORDER, {"id": gid("Order", order.id)}, user=owner))["order"]
    assert [s["replacementForId"] for s in data["shipments"]] == [
        None,
        gid("Shipment", parcel.id),
    ]
    assert not any(e["internal"] for e in data["timeline"])
    assert "Sent again" in data["timeline"][-1]["message"]


async def test_delivering_the_replacement_delivers_the_order(client):
    order, parcel = await _lost()
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    new_id = _pk(answer["shipment"]["id"])
    await events.record(new_id, [report(S.DELIVERED, 90)], source=TrackingSource.WEBHOOK)
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED


async def test_staff_marking_the_order_delivered_leave_the_lost_parcel_as_it_was(client):
    order, parcel = await _lost()
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    new_id = _pk(answer["shipment"]["id"])
    marked = await client.staff(
        "mutation($input: MarkOrderDeliveredInput!) {"
        " markOrderDelivered(input: $input) { order { status } } }",
        {"input": {"orderId": gid("Order", order.id)}},
    )
    assert marked["markOrderDelivered"]["order"]["status"] == "DELIVERED"
    lost, replacement = await Shipment.get(id=parcel.id), await Shipment.get(id=new_id)
    assert (lost.tracking_status, lost.delivered_at) == (S.EXCEPTION, None)
    assert replacement.tracking_status == S.DELIVERED and replacement.delivered_at is not None


async def test_a_parcel_on_its_way_is_not_sent_again(client):
    order, [parcel] = await shipped_order()
    await events.record(parcel.id, [report(S.IN_TRANSIT, 5)], source=TrackingSource.WEBHOOK)
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    assert [(e["field"], e["code"]) for e in answer["errors"]] == [
        (["shipmentId"], "NOT_A_PROBLEM")
    ]
    assert answer["shipment"] is None
    assert await Shipment.filter(order_id=order.id).count() == 1


async def test_a_parcel_is_sent_again_only_once(client):
    order, parcel = await _lost()
    first = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    assert first["errors"] == []
    again = _input(parcel, parcel.carrier_id, trackingNumber=s10_number("12345678"))
    second = (await client.staff(RESHIP, again))["reshipShipment"]
    assert [e["code"] for e in second["errors"]] == ["ALREADY_RESHIPPED"]
    assert await Shipment.filter(order_id=order.id).count() == 2


async def test_a_customs_hold_marked_handled_may_still_be_sent_again(client):
    order, [parcel] = await shipped_order()
    held = report(S.IN_CUSTOMS, 20, sub=Sub.CUSTOMS_HELD)
    await events.record(parcel.id, [held], source=TrackingSource.WEBHOOK)
    await Shipment.filter(id=parcel.id).update(handled_at=parcel.shipped_at)
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    assert answer["errors"] == []
    assert await Shipment.filter(order_id=order.id, replacement_for_id=parcel.id).exists()


async def test_without_stock_it_is_refused_and_nothing_changes(client):
    order, parcel = await _lost()
    variant = await _variant_of(order)
    # Every unit left is held for other orders.
    await ProductVariant.filter(id=variant.id).update(stock_reserved=variant.stock_on_hand)
    answer = (await client.staff(RESHIP, _input(parcel, parcel.carrier_id)))["reshipShipment"]
    assert [e["code"] for e in answer["errors"]] == ["INSUFFICIENT_STOCK"]
    assert await Shipment.filter(order_id=order.id).count() == 1
    assert (await Shipment.get(id=parcel.id)).handled_at is None
    assert not await StockMovement.filter(kind=MovementKind.RESHIPMENT).exists()
    assert not await OrderEvent.filter(order_id=order.id, kind="note").exists()
    await variant.refresh_from_db()
    assert variant.stock_on_hand == variant.stock_reserved


async def test_the_tracking_number_is_checked_as_shipping_checks_it(client):
    order, parcel = await _lost()
    carrier = parcel.carrier_id
    assert carrier is not None
    good = s10_number("87654321")
    wrong_digit = good[:10] + str((int(good[10]) + 1) % 10) + good[11:]
    ups = await make_carrier(name="UPS", code="ups")
    cases: list[tuple[dict[str, object], list[str], str]] = [
        ({"trackingNumber": "  "}, ["trackingNumber"], "REQUIRED"),
        ({"trackingNumber": "é" * 3}, ["trackingNumber"], "INVALID"),
        ({"trackingNumber": wrong_digit}, ["trackingNumber"], "TRACKING_NUMBER_INVALID"),
        (
            {"trackingNumber": good, "carrierId": gid("Carrier", ups.id)},
            ["trackingNumber"],
            "TRACKING_NUMBER_CARRIER_MISMATCH",
        ),
        ({"carrierId": gid("Carrier", 999999)}, ["carrierId"], "NOT_FOUND"),
        ({"serviceId": gid("ShippingService", 999999)}, ["serviceId"], "NOT_FOUND"),
        ({"shipmentId": gid("Shipment", 999999)}, ["shipmentId"], "NOT_FOUND"),
        ({"shipmentId": gid("Order", order.id)}, ["shipmentId"], "NOT_FOUND"),
        ({"note": "x" * 501}, ["note"], "INVALID"),
        ({"serviceName": "x" * 81}, ["serviceName"], "INVALID"),
    ]
    for given, field, code in cases:
        answer = (await client.staff(RESHIP, _input(parcel, carrier, **given)))["reshipShipment"]
        assert (answer["errors"][0]["field"], answer["errors"][0]["code"]) == (field, code), given
    assert await Shipment.filter(order_id=order.id).count() == 1
    # Staff who know the number is right send it all the same; the note says so.
    accepted = _input(parcel, carrier, trackingNumber=wrong_digit, acceptInvalidTrackingNumber=True)
    answer = (await client.staff(RESHIP, accepted))["reshipShipment"]
    assert answer["errors"] == []
    assert answer["shipment"]["trackingNumber"] == wrong_digit
    note = await OrderEvent.get(order_id=order.id, kind="note")
    assert "did not pass its check" in note.message
    accepted_data: dict[str, Any] = note.data
    assert accepted_data["trackingNumberAccepted"][0]["code"] == "TRACKING_NUMBER_INVALID"


async def test_a_free_service_name_is_kept(client):
    _, parcel = await _lost()
    given = _input(parcel, parcel.carrier_id, serviceName="  Express  next day ")
    answer = (await client.staff(RESHIP, given))["reshipShipment"]
    assert answer["shipment"]["serviceName"] == "Express next day"


async def test_only_staff_with_orders_send_parcels_again(client):
    order, parcel = await _lost()
    owner = await User.get(id=order.user_id)
    clerk = await make_user(role=Role.STAFF, permissions=("catalog",))
    for user in (owner, clerk, None):
        body = await client.request(RESHIP, _input(parcel, parcel.carrier_id), user=user)
        assert body["data"] is None or body["data"]["reshipShipment"] is None, body
        assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "UNAUTHENTICATED")
    assert await Shipment.filter(order_id=order.id).count() == 1


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="concurrency is proven on PostgreSQL",
)
async def test_two_staff_sending_one_parcel_again_at_once_make_one_replacement(client):
    order, parcel = await _lost()
    variant = await _variant_of(order)
    on_hand = variant.stock_on_hand
    numbers = [s10_number(f"{n:08d}") for n in range(11, 15)]
    await client.admin()  # made once, before the requests race
    results = await asyncio.gather(
        *(
            client.staff(RESHIP, _input(parcel, parcel.carrier_id, trackingNumber=number))
            for number in numbers
        )
    )
    done = [r["reshipShipment"] for r in results if not r["reshipShipment"]["errors"]]
    refused = [e["code"] for r in results for e in r["reshipShipment"]["errors"]]
    assert len(done) == 1
    assert refused == ["ALREADY_RESHIPPED"] * 3
    assert await Shipment.filter(replacement_for_id=parcel.id).count() == 1
    assert await ShipmentLine.filter(shipment__order_id=order.id).count() == 2
    await variant.refresh_from_db()
    assert variant.stock_on_hand == on_hand - 1
    assert await StockMovement.filter(kind=MovementKind.RESHIPMENT).count() == 1


async def test_a_reshipment_takes_only_units_not_held_for_other_orders(db):
    """`stock.reship` takes on hand down from the available units, never the reserved ones."""
    order, _ = await _lost()
    variant = await _variant_of(order)
    await ProductVariant.filter(id=variant.id).update(stock_on_hand=3, stock_reserved=2)
    with pytest.raises(InventoryError) as refused:
        await stock.reship([(variant.id, 2)], reference=order.number)
    assert [p.code for p in refused.value.problems] == [InventoryErrorCode.OUT_OF_STOCK]
    assert refused.value.available == {variant.id: 1}
    [movement] = await stock.reship([(variant.id, 1)], reference=order.number, note="again")
    assert (movement.kind, movement.on_hand_after, movement.reserved_after) == (
        MovementKind.RESHIPMENT,
        2,
        2,
    )
