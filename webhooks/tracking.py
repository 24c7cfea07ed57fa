"""Tracking webhooks: carriers, aggregators and the demo's simulated carrier tell the shop
where a parcel is.

- `POST /webhooks/tracking/aftership`: AfterShip's format, signed with
  `aftership-hmac-sha256` (`AFTERSHIP_WEBHOOK_SECRET`).
- `POST /webhooks/tracking/standard`: the shop's generic format, signed per Standard
  Webhooks (`TRACKING_WEBHOOK_SECRET`).
- `POST /webhooks/tracking/standard/{token}`: the generic format from senders that cannot
  sign, with a secret token in the URL (`TRACKING_WEBHOOK_TOKEN`); a wrong token is 404.
- `POST /webhooks/tracking/simulated`: the simulated carrier, signed per Standard Webhooks
  with its own secret; 404 unless the simulator is on.

Each checks the signature on the raw body before reading any JSON, then the body's format,
then refuses a replay (answered 200, changing nothing), and hands the delivery to a job:
202. A body over 1 MiB is 413; a bad signature, malformed JSON or a malformed delivery is
400 with its reason, and nothing is stored; an endpoint without its secret answers 503.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable

from pydantic import SecretStr
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from services.tracking import ingest, signing
from services.tracking.errors import TrackingError
from services.tracking.signing import BadSignature
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.tracking")

#: The largest body read: a parcel's whole history is tens of kilobytes, and a body is read
#: whole before its signature can be checked.
MAX_BODY = 1024 * 1024

Endpoint = Callable[[Request], Awaitable[Response]]
#: Checks a body's signature; the delivery's id when the signature names one.
Verify = Callable[[Request, bytes], str | None]


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def _body_digest(body: bytes) -> str:
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _refused(source: str, status: int, error: str, **more: str) -> JSONResponse:
    log.warning("tracking.webhook_refused source=%s status=%d error=%s", source, status, error)
    return JSONResponse({"error": error, **more}, status_code=status)


async def _receive(request: Request, source: str, verify: Verify) -> Response:
    """Verify, read, deduplicate and hand over one delivery."""
    body = await read_body(request, MAX_BODY)
    if body is None:
        return _refused(source, 413, "payload too large")
    try:
        delivery_id = verify(request, body)
    except BadSignature as exc:
        return _refused(source, 400, "invalid signature", reason=str(exc))
    try:
        # Strict UTF-8: `json.loads` of bytes would also take UTF-16 and UTF-32.
        payload = ingest.scrub(json.loads(body.decode("utf-8")))
    except (ValueError, RecursionError):
        return _refused(source, 400, "invalid JSON")
    try:
        ingest.check(source, payload)
    except TrackingError as exc:
        problem = exc.problems[0]
        return _refused(
            source,
            400,
            "invalid payload",
            code=problem.code.value,
            field=".".join(problem.field or ()),
            message=problem.message,
        )
    if delivery_id is None:
        delivery_id = ingest.event_id(source, payload) or _body_digest(body)
    try:
        fresh = await ingest.accept(source, delivery_id, payload)
    except Exception:
        log.exception("tracking.webhook_failed source=%s", source)
        return JSONResponse({"error": "try again later"}, status_code=503)
    if not fresh:
        log.info("tracking.webhook_replay source=%s", source)
        return JSONResponse({"received": True, "duplicate": True})
    return JSONResponse({"received": True}, status_code=202)


def _standard_verifier(secret: str) -> Verify:
    def verify(request: Request, body: bytes) -> str:
        return signing.verify_standard(secret, body, request.headers)

    return verify


def aftership_webhook(settings: Settings) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        secret = _secret(settings.aftership_webhook_secret)
        if not secret:
            log.error("an AfterShip webhook arrived but AFTERSHIP_WEBHOOK_SECRET is not set")
            return JSONResponse({"error": "webhooks are not configured"}, status_code=503)

        def verify(request: Request, body: bytes) -> None:
            signing.verify_aftership(secret, body, request.headers.get("aftership-hmac-sha256", ""))

        return await _receive(request, ingest.AFTERSHIP, verify)

    return endpoint


def standard_webhook(settings: Settings) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        secret = _secret(settings.tracking_webhook_secret)
        if not secret or not signing.valid_standard_secret(secret):
            log.error("a tracking webhook arrived but TRACKING_WEBHOOK_SECRET is not a whsec_ key")
            return JSONResponse({"error": "webhooks are not configured"}, status_code=503)
        return await _receive(request, ingest.STANDARD, _standard_verifier(secret))

    return endpoint


def token_webhook(settings: Settings) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        expected = _secret(settings.tracking_webhook_token)
        given = str(request.path_params.get("token", ""))
        try:
            if not expected:
                raise BadSignature("no token is configured")
            signing.verify_token(expected, given)
        except BadSignature:
            # The same answer as for any unknown address: a guess learns nothing.
            return _refused(ingest.STANDARD, 404, "not found")

        def verify(request: Request, body: bytes) -> str:
            given_id = request.headers.get("webhook-id", "")
            if 0 < len(given_id) <= signing.MAX_DELIVERY_ID and given_id.isprintable():
                return given_id
            return _body_digest(body)

        return await _receive(request, ingest.STANDARD, verify)

    return endpoint


def simulated_webhook(settings: Settings) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if not settings.simulates_tracking:
            return _refused(ingest.SIMULATED, 404, "not found")
        verify = _standard_verifier(signing.simulator_secret(settings))
        return await _receive(request, ingest.SIMULATED, verify)

    return endpoint


def routes(settings: Settings) -> list[BaseRoute]:
    """The tracking endpoints, for the app built with `settings`."""
    base = "/webhooks/tracking"
    return [
        Route(f"{base}/aftership", aftership_webhook(settings), methods=["POST"]),
        Route(f"{base}/standard", standard_webhook(settings), methods=["POST"]),
        Route(f"{base}/standard/{{token}}", token_webhook(settings), methods=["POST"]),
        Route(f"{base}/simulated", simulated_webhook(settings), methods=["POST"]),
    ]
