"""The demo's simulated carrier: a parcel shipped in the demo travels from China to its
shopper in a few minutes, and the shop hears of it exactly as it hears of a real carrier.

While the simulator is on (`Settings.simulates_tracking`), every parcel shipped gets a
journey of `STEPS`, one job per step, `tracking_simulator_step_seconds` apart: each builds a
delivery in the generic format, signs it with the simulator's Standard Webhooks secret and
posts it over HTTP to the shop's own `/webhooks/tracking/simulated`, which records it as
SIMULATED events. The journey goes through customs with duties to pay, a failed delivery
attempt and a second round, with the estimated delivery date revised on the way. A return
parcel makes the way back (`RETURN_STEPS`), from the shopper's town to the shop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import orjson
import pycountry

from models.orders import Order, Shipment
from models.shipping import Carrier
from models.tracking import TrackingStatus as S
from models.tracking import TrackingSubStatus as Sub
from services import jobs
from services.tracking import signing
from services.tracking.sources.standard import TRACKING_UPDATED
from settings import Settings, get_settings

log = logging.getLogger("tradewind.tracking")

#: The job that posts one step of a journey.
TASK = "tracking.simulate"
#: Where the shop receives the simulated carrier's deliveries.
PATH = "/webhooks/tracking/simulated"
#: Seconds to wait for the shop's answer to a post.
TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Place:
    city: str
    region: str
    postcode: str
    country: str
    zone: str


@dataclass(frozen=True, slots=True)
class Step:
    status: S
    sub_status: Sub | None
    message: str
    #: Where it happens: "origin", "export" (the origin's hub), "gateway" (the destination
    #: country's hub) or "local" (the shopper's town).
    where: str
    #: Days from today the carrier expects to deliver, as of this step (None: unchanged).
    estimate_days: int | None = None


STEPS: tuple[Step, ...] = (
    Step(S.INFO_RECEIVED, None, "Shipment information received", "origin", 7),
    Step(S.IN_TRANSIT, None, "Picked up by the carrier", "origin"),
    Step(S.IN_TRANSIT, None, "Departed the export hub", "export"),
    Step(S.IN_TRANSIT, None, "Arrived in the destination country", "gateway"),
    Step(S.IN_CUSTOMS, Sub.CUSTOMS_PROCESSING, "Customs clearance under way", "gateway"),
    Step(S.IN_CUSTOMS, Sub.CUSTOMS_DUTIES_DUE, "Held: import duties to pay", "gateway", 8),
    Step(S.IN_CUSTOMS, Sub.CUSTOMS_RELEASED, "Released by customs", "gateway", 5),
    Step(S.IN_TRANSIT, None, "Arrived at the delivery depot", "local"),
    Step(S.OUT_FOR_DELIVERY, None, "Out for delivery", "local", 0),
    Step(
        S.ATTEMPT_FAILED,
        Sub.ATTEMPT_RECIPIENT_ABSENT,
        "Delivery attempted: no one was home, a notice was left",
        "local",
        1,
    ),
    Step(S.OUT_FOR_DELIVERY, None, "Out for delivery again", "local"),
    Step(S.DELIVERED, Sub.DELIVERED_SIGNED, "Delivered, signed for by the recipient", "local"),
)

#: The way back of a return parcel, from the shopper's town to the shop's warehouse.
RETURN_STEPS: tuple[Step, ...] = (
    Step(S.INFO_RECEIVED, None, "Return label scanned", "local", 7),
    Step(S.IN_TRANSIT, None, "Picked up from the sender", "local"),
    Step(S.IN_TRANSIT, None, "Departed the international hub", "gateway"),
    Step(S.IN_TRANSIT, None, "Arrived in the destination country", "export"),
    Step(S.DELIVERED, Sub.DELIVERED_SIGNED, "Delivered to the shop, signed for", "origin"),
)

#: Where a parcel crosses borders, skipped when it stays in its origin country.
ABROAD = frozenset({"export", "gateway"})
ORIGIN = Place("Shenzhen", "GD", "518000", "CN", "Asia/Shanghai")
EXPORT_HUB = Place("Shanghai", "SH", "201202", "CN", "Asia/Shanghai")
#: The international mail and express hub of common destinations.
GATEWAYS: dict[str, Place] = {
    "US": Place("Los Angeles", "CA", "90045", "US", "America/Los_Angeles"),
    "CA": Place("Mississauga", "ON", "L5P 1B2", "CA", "America/Toronto"),
    "MX": Place("Mexico City", "CMX", "15620", "MX", "America/Mexico_City"),
    "GB": Place("Coventry", "ENG", "CV3 4FJ", "GB", "Europe/London"),
    "DE": Place("Frankfurt", "HE", "60549", "DE", "Europe/Berlin"),
    "FR": Place("Roissy-en-France", "IDF", "95700", "FR", "Europe/Paris"),
    "NL": Place("Amsterdam", "NH", "1118", "NL", "Europe/Amsterdam"),
    "IT": Place("Milan", "MI", "20090", "IT", "Europe/Rome"),
    "ES": Place("Madrid", "MD", "28042", "ES", "Europe/Madrid"),
    "JP": Place("Narita", "Chiba", "282-0004", "JP", "Asia/Tokyo"),
    "KR": Place("Incheon", "Incheon", "22382", "KR", "Asia/Seoul"),
    "AU": Place("Sydney", "NSW", "2020", "AU", "Australia/Sydney"),
}

_transport: httpx.AsyncBaseTransport | None = None


def configure(transport: httpx.AsyncBaseTransport | None) -> None:
    """Post through `transport` (None: over the network), e.g. straight into the app."""
    global _transport
    _transport = transport


async def follow(shipment: Shipment, settings: Settings | None = None) -> bool:
    """Start a just-shipped parcel's simulated journey when the simulator is on; whether it
    did. Called in the shipping transaction, so a rolled-back shipment starts nothing."""
    settings = settings or get_settings()
    if not settings.simulates_tracking:
        return False
    await _schedule(shipment.id, 0, settings)
    return True


async def _schedule(
    shipment_id: int, step: int, settings: Settings, *, delay: float | None = None
) -> None:
    await jobs.enqueue(
        TASK,
        key=f"{shipment_id}:{step}",
        delay=settings.tracking_simulator_step_seconds if delay is None else delay,
        shipment_id=shipment_id,
        step=step,
    )


async def run_step(shipment_id: int, step: int) -> None:
    """Post step `step` of the parcel's journey and schedule the next; a post the shop
    does not accept raises, so the job is retried."""
    settings = get_settings()
    if not settings.simulates_tracking or step < 0:
        return
    shipment = await Shipment.get_or_none(id=shipment_id)
    if shipment is None or shipment.carrier_id is None:
        return  # gone, or its carrier deleted: nobody to hear the journey
    steps = journey(shipment)
    if step >= len(steps):
        return
    carrier = await Carrier.get(id=shipment.carrier_id)
    order = await Order.get(id=shipment.order_id)
    if steps[step].where in ABROAD and destination(order).country == ORIGIN.country:
        # A parcel within China crosses no border: no export hub, gateway or customs.
        await _schedule(shipment.id, step + 1, settings, delay=0.0)
        return
    now = datetime.now(UTC)
    body = orjson.dumps(delivery(carrier.code, shipment, order, step, now))
    delivery_id = f"sim-{shipment.id}-{step}"
    headers = signing.sign_standard(signing.simulator_secret(settings), delivery_id, now, body)
    headers["content-type"] = "application/json"
    async with httpx.AsyncClient(
        base_url=shop_url(settings), transport=_transport, timeout=TIMEOUT
    ) as client:
        response = await client.post(PATH, content=body, headers=headers)
    if response.status_code not in (200, 202):
        raise RuntimeError(
            f"the shop answered {response.status_code} to step {step} of shipment {shipment.id}"
        )
    if step + 1 < len(steps):
        await _schedule(shipment.id, step + 1, settings)


def journey(shipment: Shipment) -> tuple[Step, ...]:
    """The steps of a parcel's journey: to the shopper, or back to the shop for a return."""
    return RETURN_STEPS if shipment.return_request_id is not None else STEPS


def shop_url(settings: Settings) -> str:
    """The shop's own address, where the simulated carrier posts."""
    return (settings.tracking_simulator_url or settings.storefront_url).rstrip("/")


def destination(order: Order) -> Place:
    """The shopper's town, from the order's shipping address."""
    address = order.shipping_address or {}
    country = (order.ship_country or str(address.get("country", ""))).upper()[:2]
    if pycountry.countries.get(alpha_2=country) is None:
        country = ""  # the webhook would refuse it, and the journey stop there
    gateway = GATEWAYS.get(country)
    return Place(
        city=str(address.get("city", "")) or (gateway.city if gateway else ""),
        region=str(address.get("region", "")) or order.ship_region,
        postcode=str(address.get("postal_code", "")),
        country=country,
        zone=gateway.zone if gateway else "UTC",
    )


def _place(where: str, order: Order) -> Place:
    if where == "origin":
        return ORIGIN
    if where == "export":
        return EXPORT_HUB
    local = destination(order)
    if where == "gateway":
        return GATEWAYS.get(local.country, local)
    return local


def delivery(
    carrier: str, shipment: Shipment, order: Order, step: int, now: datetime
) -> dict[str, Any]:
    """Step `step` of the journey as the generic format's delivery, happening `now`."""
    spec = journey(shipment)[step]
    place = _place(spec.where, order)
    event: dict[str, Any] = {
        "id": f"sim-{shipment.id}-{step}",
        "status": spec.status.value,
        "occurred_at": now.astimezone(ZoneInfo(place.zone)).isoformat(),
        "message": spec.message,
        "location": {
            "city": place.city,
            "region": place.region,
            "postcode": place.postcode,
            "country": place.country,
        },
    }
    if spec.sub_status is not None:
        event["sub_status"] = spec.sub_status.value
    if spec.estimate_days is not None:
        today: date = now.date()
        event["estimated_delivery"] = (today + timedelta(days=spec.estimate_days)).isoformat()
    return {
        "type": TRACKING_UPDATED,
        "timestamp": now.isoformat(),
        "data": {
            "carrier": carrier,
            "tracking_number": shipment.tracking_number,
            "events": [event],
        },
    }
