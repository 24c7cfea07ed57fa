"""Inbound email over HTTP: `POST /webhooks/support/email`, as mail providers' inbound
webhooks deliver it.

The body is the raw MIME message (`Content-Type: message/rfc822`, or any other type that
is not a form), or a form (multipart or urlencoded) with the message in its `email` or
`raw` field. The request is signed per Standard Webhooks with `SUPPORT_INBOUND_SECRET`
(HMAC-SHA256 of `id.timestamp.body`), checked on the raw bytes before anything is read
from them (an email need not be UTF-8): a missing or wrong signature, or
one older than five minutes, is 401 and nothing is stored. The endpoint answers 404 while
the secret is unset. A message over `support_inbound_max_bytes` is 413; what is not an
email is 400 with its code; an email is stored and 200 at once (`"status": "pending"`), and
a job threads and posts it (retried on failure); a redelivery of the same Message-ID is
`duplicate`, with the first one's status, and changes nothing. The provider's verdict on
the sender (its `Authentication-Results` header) is read by that job (`senders`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.support import inbound
from services.support.errors import SupportError
from services.tracking import signing
from services.tracking.signing import BadSignature
from settings import Settings
from webhooks.bodies import read_body

log = logging.getLogger("tradewind.support")

#: Form fields a provider may carry the raw message in.
FIELDS = ("email", "raw")
#: What a form's encoding may add to the message it carries (base64 is a third more).
FORM_OVERHEAD = 2
#: Seconds a signature's timestamp may be off the clock, either way (Standard Webhooks).
TOLERANCE_SECONDS = 300
#: Signatures of one header looked at (a sender rotating secrets sends two or three).
MAX_SIGNATURES = 8


def verify(secret: str, body: bytes, headers: Mapping[str, str]) -> str:
    """The delivery's `webhook-id` once its Standard Webhooks signature holds.

    The HMAC is taken over the raw bytes: an email's body need not be UTF-8 (8-bit mail in
    Shift_JIS or Latin-1), which the `standardwebhooks` library cannot verify."""
    delivery_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    given = headers.get("webhook-signature", "")
    if not (delivery_id and timestamp and given):
        raise BadSignature("missing signature headers")
    if len(delivery_id) > signing.MAX_DELIVERY_ID or not delivery_id.isprintable():
        raise BadSignature("invalid webhook-id")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise BadSignature("invalid webhook-timestamp")
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        raise BadSignature("message timestamp outside the tolerance")
    key = base64.b64decode(secret.removeprefix("whsec_") + "==")
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    expected = hmac.new(key, signed, hashlib.sha256).digest()
    for versioned in given.split(" ")[:MAX_SIGNATURES]:
        version, _, signature = versioned.partition(",")
        if version != "v1":
            continue
        try:
            candidate = base64.b64decode(signature, validate=True)
        except (ValueError, binascii.Error):
            continue
        if hmac.compare_digest(expected, candidate):
            return delivery_id
    raise BadSignature("no matching signature found")


def sign(secret: str, delivery_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of a delivery of `body` (for senders and tests)."""
    key = base64.b64decode(secret.removeprefix("whsec_") + "==")
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{signature}",
    }


def _refused(status: int, error: str, **more: str) -> JSONResponse:
    log.warning("support.inbound_refused status=%d error=%s", status, error)
    return JSONResponse({"error": error, **more}, status_code=status)


async def _raw_message(request: Request, body: bytes, limit: int) -> bytes | None:
    """The raw email of a verified request: the body itself, or a form's field."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return body
    request._body = body  # the form is read from the bytes already verified
    async with request.form(max_files=4, max_fields=100, max_part_size=limit) as form:
        for name in FIELDS:
            value = form.get(name)
            if isinstance(value, UploadFile):
                return await value.read()
            if isinstance(value, str):
                return value.encode("utf-8")
    return None


def support_email_webhook(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        secret = (
            settings.support_inbound_secret.get_secret_value()
            if settings.support_inbound_secret is not None
            else ""
        )
        if not secret or not signing.valid_standard_secret(secret):
            return _refused(404, "not found")
        body = await read_body(request, settings.support_inbound_max_bytes * FORM_OVERHEAD)
        if body is None:
            return _refused(413, "payload too large")
        try:
            verify(secret, body, request.headers)
        except BadSignature as exc:
            return _refused(401, "invalid signature", reason=str(exc))
        try:
            raw = await _raw_message(request, body, settings.support_inbound_max_bytes)
        except (HTTPException, MultiPartException, ValueError, KeyError) as exc:
            return _refused(400, "invalid form", reason=type(exc).__name__)
        if raw is None:
            return _refused(400, "invalid form", reason=f"no {' or '.join(FIELDS)} field")
        try:
            received = await inbound.receive(raw, route=inbound.HTTP)
        except SupportError as exc:
            problem = exc.problems[0]
            status = 413 if problem.code.value == "too_long" else 400
            return _refused(
                status, "invalid email", code=problem.code.value, message=problem.message
            )
        return JSONResponse(
            {
                "received": True,
                "status": received.status.value,
                "duplicate": received.duplicate,
            }
        )

    return endpoint
