"""`POST /webhooks/paypal`: PayPal's webhook events, verified and handed to the payments service.

PayPal signs each delivery with a certificate of its own; the shop asks PayPal's
verification endpoint whether the delivery (its `PAYPAL-TRANSMISSION-*` headers and the
body as sent) was signed for the shop's webhook (`PAYPAL_WEBHOOK_ID`). A delivery PayPal does
not vouch for, or a malformed one, is answered 400 and changes nothing; a verified one is
processed once per event id (`services.payments.paypal_notices`) and answered 200, replays
included; a processing error, or PayPal not answering the verification, answers 500 so
that PayPal retries. A delivery to a shop not set up for PayPal is acknowledged and ignored
with a warning. A body over 1 MiB is refused (413) before it is read whole.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from models.payments import Gateway
from services.payments import gateways
from services.payments.gateway import GatewayError
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.payments")

#: The largest body read: PayPal's events are a few kilobytes.
MAX_BODY = 1024 * 1024


def paypal_webhook(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint, for the app built with `settings`."""

    async def endpoint(request: Request) -> Response:
        payload = await read_body(request, MAX_BODY)
        if payload is None:
            return JSONResponse({"error": "payload too large"}, status_code=413)
        try:
            event = json.loads(payload)
            event_id, kind = str(event["id"]), str(event["event_type"])
            if not isinstance(event["resource"], dict):
                raise ValueError("resource is not an object")
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "invalid payload"}, status_code=400)
        try:
            gateway = gateways.gateway_for(Gateway.PAYPAL)
        except ValueError as exc:
            log.warning(
                "PayPal event %s (%s) ignored: the shop is not set up for PayPal (%s)",
                event_id,
                kind,
                exc,
            )
            return JSONResponse({"received": True, "ignored": True})
        # Imported only now: the PayPal SDK is an extra, installed by shops that take PayPal,
        # and a gateway built here means it is installed.
        from services.payments import paypal_notices
        from services.payments.paypal_gateway import PayPalGateway

        if not isinstance(gateway, PayPalGateway):
            log.error("PayPal event %s (%s): the PayPal gateway cannot verify it", event_id, kind)
            return JSONResponse({"error": "webhooks are not configured"}, status_code=503)
        try:
            verified = await gateway.verify_notification(request.headers, payload)
        except GatewayError as exc:
            log.error("PayPal event %s (%s) could not be verified: %s", event_id, kind, exc)
            return JSONResponse({"error": "verification unavailable"}, status_code=503)
        if not verified:
            return JSONResponse({"error": "invalid signature"}, status_code=400)
        try:
            outcome = await paypal_notices.handle(gateway, event)
        except Exception:
            log.exception("PayPal event %s (%s) could not be processed", event_id, kind)
            return JSONResponse({"error": "processing failed"}, status_code=500)
        log.info("PayPal event %s (%s): %s", event_id, kind, outcome)
        return JSONResponse({"received": True})

    return endpoint
