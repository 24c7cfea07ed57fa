"""`POST /webhooks/wechat-pay`: WeChat Pay's notifications, verified, decrypted and handed to
the payments service.

The body is signed by WeChat Pay ("{timestamp}\\n{nonce}\\n{body}\\n", with the platform
certificate `Wechatpay-Serial` names) and its `resource` encrypted with the merchant's APIv3
key. A forged, stale (over 5 minutes either way), undecryptable or malformed delivery is
answered 400 and changes nothing; a valid one is processed once per notification id
(`services.payments.events.process`) and answered 204, replays included; a processing error
answers 500 so that WeChat Pay retries. Failures are answered as WeChat Pay expects:
`{"code": "FAIL", "message": ...}`. A delivery to a shop not set up for WeChat Pay cannot be
verified, and is acknowledged and ignored with a warning: retrying could never succeed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from models.payments import Gateway
from services.payments import events, gateways
from services.payments.gateway import GatewayError, PaymentGateway
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.payments")

#: Seconds a notification's timestamp may be off, either way.
TOLERANCE = 300
#: WeChat Pay's notifications are a few kilobytes; an unsigned body is read whole first.
MAX_BODY = 256 * 1024


@runtime_checkable
class NotifiedGateway(PaymentGateway, Protocol):
    """What the endpoint needs of the WeChat Pay gateway (named here, so that a shop that
    does not use WeChat Pay never imports its SDK)."""

    async def notification(
        self, headers: Mapping[str, str], body: bytes
    ) -> tuple[str, str, dict[str, Any]] | None: ...

    def payment_notice(self, transaction: Mapping[str, Any]) -> tuple[str, dict[str, Any]]: ...

    def refund_notice(self, refund: Mapping[str, Any]) -> tuple[str, dict[str, Any]]: ...


def _fail(message: str, status: int) -> JSONResponse:
    return JSONResponse({"code": "FAIL", "message": message}, status_code=status)


def routes(settings: Settings) -> list[Route]:
    """The notification endpoint, for the app built with `settings`."""

    async def endpoint(request: Request) -> Response:
        body = await read_body(request, MAX_BODY)
        if body is None:
            return _fail("payload too large", 413)
        stamp = request.headers.get("wechatpay-timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) - time.time()) > TOLERANCE:
            return _fail("timestamp missing or out of range", 400)
        try:
            gateway = gateways.gateway_for(Gateway.WECHAT_PAY)
        except ValueError as exc:
            log.warning(
                "a WeChat Pay notification was ignored: not set up for WeChat Pay (%s)", exc
            )
            return Response(status_code=204)
        if not isinstance(gateway, NotifiedGateway):
            return _fail("notifications are not read by this gateway", 503)
        try:
            notification = await gateway.notification(request.headers, body)
        except GatewayError:
            log.exception("WeChat Pay's certificates could not be loaded")
            return _fail("certificates unavailable", 503)
        except UnicodeDecodeError:
            notification = None
        if notification is None:
            return _fail("invalid signature or payload", 400)
        event_id, kind, resource = notification
        if kind.startswith("TRANSACTION."):
            type_, data = gateway.payment_notice(resource)
        elif kind.startswith("REFUND."):
            type_, data = gateway.refund_notice(resource)
        else:
            log.info("WeChat Pay notification %s (%s) is not handled", event_id, kind)
            return Response(status_code=204)
        try:
            outcome = await events.process(gateway, event_id, type_, data)
        except Exception:
            log.exception("WeChat Pay notification %s (%s) could not be processed", event_id, kind)
            return _fail("processing failed", 500)
        log.info("WeChat Pay notification %s (%s): %s", event_id, kind, outcome)
        return Response(status_code=204)

    return [Route("/webhooks/wechat-pay", endpoint, methods=["POST"])]
