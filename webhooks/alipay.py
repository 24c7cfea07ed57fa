"""`POST /webhooks/alipay`: Alipay's asynchronous notifications, verified and processed.

Alipay posts a form signed with its RSA2 key (`sign` over the other parameters, sorted).
The signature and the app id are checked before anything else: a forged or malformed
delivery is answered 400 "fail" and changes nothing. A valid one is translated by the
gateway (`alipay_gateway.notice_of`) and processed once per `notify_id`
(`services.payments.events.process`), replays included, and answered with the literal
text "success", which is what stops Alipay's retries; a processing error answers 500 so that
Alipay delivers it again. A delivery to a shop not set up for Alipay is acknowledged and
ignored with a warning: retrying could never succeed. A body over 64 KiB is refused (413).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from models.payments import Gateway
from services.payments import events, gateways
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.payments")

#: Alipay's notifications are a few hundred bytes of form; an unsigned body is read whole
#: before its signature can be checked.
MAX_BODY = 64 * 1024

#: The answers Alipay reads: anything but "success" has it deliver again.
SUCCESS = "success"
FAIL = "fail"


def _fail(status: int) -> Response:
    return PlainTextResponse(FAIL, status_code=status)


def alipay_webhook(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint, for the app built with `settings`."""

    async def endpoint(request: Request) -> Response:
        body = await read_body(request, MAX_BODY)
        if body is None:
            return _fail(413)
        try:
            params = dict(
                parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
            )
        except (UnicodeDecodeError, ValueError):
            return _fail(400)
        try:
            gateway = gateways.gateway_for(Gateway.ALIPAY)
        except ValueError as exc:
            log.warning(
                "Alipay notification %s ignored: the shop is not set up for Alipay (%s)",
                params.get("notify_id", "(no id)"),
                exc,
            )
            return PlainTextResponse(SUCCESS)
        # Imported only now: the Alipay SDK is an extra, installed by shops that take Alipay,
        # and a gateway built here means it is installed.
        from services.payments import alipay_gateway

        if not isinstance(gateway, alipay_gateway.AlipayGateway):
            log.error("the Alipay gateway installed cannot verify Alipay's notifications")
            return _fail(503)
        if not gateway.verify_notification(params):
            log.warning("payments.alipay_forged_notification")
            return _fail(400)
        try:
            notice = alipay_gateway.notice_of(params)
        except ValueError:
            return _fail(400)
        if notice is None:
            log.info(
                "Alipay notification %s (%s): nothing to do",
                params.get("notify_id"),
                params.get("trade_status"),
            )
            return PlainTextResponse(SUCCESS)
        try:
            outcome = await events.process(gateway, notice.event_id, notice.type, notice.data)
        except Exception:
            log.exception("Alipay notification %s could not be processed", notice.event_id)
            return _fail(500)
        log.info("Alipay notification %s (%s): %s", notice.event_id, notice.type, outcome)
        return PlainTextResponse(SUCCESS)

    return endpoint
