"""The demo's simulated carrier: a parcel shipped while it is on travels to its shopper
through signed deliveries posted to the shop's own webhook, and is delivered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from jobs import tracking as tracking_tasks  # noqa: F401  (registers the tracking tasks)
from models.jobs import Job
from models.orders import Order, OrderStatus, Shipment
from models.tracking import DeliveryEstimate, TrackingEvent, TrackingSource
from services import jobs
from services.tracking import signing, simulator
from tests.factories import gid, make_product, make_user
from tests.orders.handling_setup import make_carrier, placed_order
from tests.tracking.webhooks import STANDARD_SECRET, run_jobs

SHIP = """
mutation($input: ShipOrderInput!) { shipOrder(input: $input) {
  order { status } shipment { id trackingNumber } errors { field code message }
} }"""

ORDER = """
query($id: ID!) { order(id: $id) { status shipments {
  trackingStatus estimatedDelivery
  trackingEvents { status subStatus message source sourceName location { city country } }
} } }"""


async def _ship(client: Any, country: str = "DE", city: str = "Berlin") -> Order:
    product = await make_product(prices=("10.00",), stock=(5,))
    [variant] = await product.variants.all()
    order = await placed_order(
        await make_user(),
        [(variant, 1)],
        status=OrderStatus.PENDING_SHIPMENT,
        ship_country=country,
        shipping_address={"city": city, "region": "", "postal_code": "10115"},
    )
    carrier = await make_carrier(code="tradewind-line")
    shipped = await client.staff(
        SHIP,
        {
            "input": {
                "orderId": gid("Order", order.id),
                "carrierId": gid("Carrier", carrier.id),
                "trackingNumber": "TW0000000001",
            }
        },
    )
    assert shipped["shipOrder"]["errors"] == []
    return order


async def test_a_shipped_parcel_travels_to_delivered(client, simulating):
    order = await _ship(client)
    assert await Job.filter(task=simulator.TASK).count() == 1

    await run_jobs(limit=100)

    data = await client.staff(ORDER, {"id": gid("Order", order.id)})
    assert data["order"]["status"] == "DELIVERED"
    [parcel] = data["order"]["shipments"]
    assert parcel["trackingStatus"] == "DELIVERED"
    steps = parcel["trackingEvents"]
    assert len(steps) == len(simulator.STEPS)
    assert {(e["source"], e["sourceName"]) for e in steps} == {("SIMULATED", "simulated")}
    assert [e["status"] for e in steps][:2] == ["INFO_RECEIVED", "IN_TRANSIT"]
    assert "IN_CUSTOMS" in {e["status"] for e in steps}
    assert [e["subStatus"] for e in steps if e["status"] == "ATTEMPT_FAILED"] == [
        "ATTEMPT_RECIPIENT_ABSENT"
    ]
    assert steps[0]["location"] == {"city": "Shenzhen", "country": "CN"}
    assert steps[-1]["location"] == {"city": "Berlin", "country": "DE"}
    assert steps[4]["location"]["country"] == "DE"

    shipment = await Shipment.get(order_id=order.id)
    rows = await TrackingEvent.filter(shipment_id=shipment.id)
    assert {r.source for r in rows} == {TrackingSource.SIMULATED}
    # Set, pushed back by the duties, brought forward, today, moved by the failed attempt.
    assert await DeliveryEstimate.filter(shipment_id=shipment.id).count() == 5
    assert (await Order.get(id=order.id)).status == OrderStatus.DELIVERED
    # The journey is over: no step is left waiting.
    assert await Job.filter(task=simulator.TASK).count() == len(simulator.STEPS)


async def test_a_parcel_within_china_crosses_no_border(client, simulating):
    order = await _ship(client, country="CN", city="Chengdu")
    await run_jobs(limit=100)
    data = await client.staff(ORDER, {"id": gid("Order", order.id)})
    [parcel] = data["order"]["shipments"]
    assert parcel["trackingStatus"] == "DELIVERED"
    steps = parcel["trackingEvents"]
    assert "IN_CUSTOMS" not in {e["status"] for e in steps}
    assert len(steps) == len([s for s in simulator.STEPS if s.where not in simulator.ABROAD])
    assert steps[-1]["location"] == {"city": "Chengdu", "country": "CN"}


async def test_steps_wait_their_spacing(client, simulating, settings, monkeypatch):
    monkeypatch.setattr(settings, "tracking_simulator_step_seconds", 3600.0)
    await _ship(client)
    await run_jobs()
    assert await TrackingEvent.all().count() == 0
    assert await Job.filter(task=simulator.TASK).count() == 1


async def test_the_simulator_is_off_when_its_setting_is(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "tracking_simulator", False)
    await _ship(client)
    await run_jobs()
    assert await Job.filter(task=simulator.TASK).count() == 0
    assert await TrackingEvent.all().count() == 0


async def test_the_simulated_endpoint_is_closed_while_the_simulator_is_off(
    client, settings, monkeypatch
):
    monkeypatch.setattr(settings, "tracking_simulator", False)
    body = b"{}"
    secret = signing.simulator_secret(settings)
    headers = signing.sign_standard(secret, "sim-1-0", datetime.now(UTC), body)
    response = await client.http.post("/webhooks/tracking/simulated", content=body, headers=headers)
    assert response.status_code == 404


async def test_the_simulated_endpoint_takes_only_the_simulators_signature(client, simulating):
    body = b'{"type": "tracking.updated"}'
    headers = signing.sign_standard(STANDARD_SECRET, "sim-1-0", datetime.now(UTC), body)
    response = await client.http.post("/webhooks/tracking/simulated", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid signature"


def test_the_simulator_defaults_to_the_embedded_demo_only(settings):
    embedded = settings.model_copy(
        update={"tracking_simulator": None, "debug": True, "database_url": "sqlite://x"}
    )
    production = embedded.model_copy(update={"database_url": "postgres://db/shop"})
    quiet = embedded.model_copy(update={"debug": False})
    assert (embedded.simulates_tracking, production.simulates_tracking) == (True, False)
    assert quiet.simulates_tracking is False


async def test_a_delayed_job_waits(db):
    await jobs.enqueue("tracking.simulate", key="later", delay=60, shipment_id=1, step=0)
    assert await run_jobs() == 0
    with pytest.raises(ValueError):
        await jobs.enqueue("tracking.simulate", key="never", delay=-1, shipment_id=1, step=0)
