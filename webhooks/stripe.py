"""`POST /webhooks/stripe`: Stripe's notifications, verified and handed to the payments service.

The raw body is checked against the `Stripe-Signature` header with the endpoint's secret and
a 5-minute tolerance either way. A forged, stale or future-dated delivery is answered 400
and changes nothing; a valid one is processed (`services.payments.events.process`, once per
event id) and answered 200, replays included; a processing error answers 500 so that
Stripe retries. A valid delivery to a shop not set up for Stripe (no `STRIPE_API_KEY`) is
acknowledged and ignored with a warning: retrying could never succeed. A body over 1 MiB
is refused (413) before it is read whole.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.payments import Gateway
from services.payments import events, gateways
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.payments")

#: Seconds a signature's timestamp stays acceptable, as Stripe recommends.
TOLERANCE = 300
#: The largest body read: Stripe's events are a few kilobytes, and an unsigned body is
#: read whole before its signature can be checked.
MAX_BODY = 1024 * 1024


def webhook_secret(settings: Settings) -> str:
    """The endpoint's signing secret (`STRIPE_WEBHOOK_SECRET`), '' when not set."""
    secret = settings.stripe_webhook_secret
    return secret.get_secret_value() if secret is not None else ""


def _signed_at(header: str) -> int:
    """The timestamp (`t=`) of a `Stripe-Signature` header the SDK has verified."""
    for item in header.split(","):
        name, _, value = item.partition("=")
        if name == "t":
            return int(value)
    raise ValueError("no timestamp")


def stripe_webhook(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint, for the app built with `settings`."""

    async def endpoint(request: Request) -> Response:
        secret = webhook_secret(settings)
        if not secret:
            log.error("a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set")
            return JSONResponse({"error": "webhooks are not configured"}, status_code=503)
        payload = await read_body(request, MAX_BODY)
        if payload is None:
            return JSONResponse({"error": "payload too large"}, status_code=413)
        signature = request.headers.get("stripe-signature", "")
        try:
            stripe.Webhook.construct_event(payload, signature, secret, tolerance=TOLERANCE)
            # The SDK refuses only old timestamps; a signature dated ahead is as suspect.
            if _signed_at(signature) > time.time() + TOLERANCE:
                return JSONResponse({"error": "timestamp in the future"}, status_code=400)
            event = json.loads(payload)
            event_id, kind = str(event["id"]), str(event["type"])
            obj = event["data"]["object"]
            if not isinstance(obj, dict):
                raise ValueError("data.object is not an object")
        except stripe.SignatureVerificationError:
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "invalid payload"}, status_code=400)
        try:
            gateway = gateways.gateway_for(Gateway.STRIPE)
        except ValueError as exc:
            log.warning(
                "Stripe event %s (%s) ignored: the shop is not set up for Stripe (%s)",
                event_id,
                kind,
                exc,
            )
            return JSONResponse({"received": True, "ignored": True})
        try:
            outcome = await events.process(gateway, event_id, kind, obj)
        except Exception:
            log.exception("Stripe event %s (%s) could not be processed", event_id, kind)
            return JSONResponse({"error": "processing failed"}, status_code=500)
        log.info("Stripe event %s (%s): %s", event_id, kind, outcome)
        return JSONResponse({"received": True})

    return endpoint
