"""Signatures of tracking webhooks: checked on the raw body, before any JSON is read.

- Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`): HMAC-SHA256
  of `id.timestamp.body` with a `whsec_` secret, a timestamp within 5 minutes either way,
  through the `standardwebhooks` library, whose crashes on hostile input (a body not in
  UTF-8, a signature without its version, bad base64) are refusals here.
- AfterShip (`aftership-hmac-sha256`): base64 of HMAC-SHA256 of the body with the secret.
- A secret URL token, for senders that cannot sign.
The demo's simulated carrier signs the Standard Webhooks way with a secret of its own.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.accounts.tokens import signing_key
from settings import Settings

#: The label the simulated carrier's secret is derived under from the shop's key.
SIMULATOR_LABEL = b"tradewind.tracking.simulator.v1"
#: Longest `webhook-id` taken.
MAX_DELIVERY_ID = 128


class BadSignature(Exception):
    """A delivery whose signature does not hold; the message says why, without secrets."""


def verify_standard(secret: str, body: bytes, headers: Mapping[str, str]) -> str:
    """The delivery's `webhook-id` once its Standard Webhooks signature holds."""
    wanted = ("webhook-id", "webhook-timestamp", "webhook-signature")
    values = {name: headers.get(name, "") for name in wanted}
    if not all(values.values()):
        raise BadSignature("missing signature headers")
    delivery_id = values["webhook-id"]
    if len(delivery_id) > MAX_DELIVERY_ID or not delivery_id.isprintable():
        raise BadSignature("invalid webhook-id")
    try:
        Webhook(secret).verify(body, values, json_parse=False)
    except WebhookVerificationError as exc:
        raise BadSignature(str(exc).lower()) from None
    except UnicodeDecodeError:
        raise BadSignature("body is not UTF-8") from None
    except (ValueError, binascii.Error):
        raise BadSignature("malformed signature header") from None
    return delivery_id


def sign_standard(secret: str, delivery_id: str, at: datetime, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of a delivery of `body` sent at `at`."""
    at = at.astimezone(UTC)  # the library reads the clock face as UTC
    signature = Webhook(secret).sign(delivery_id, at, body.decode())
    return {
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def verify_aftership(secret: str, body: bytes, header: str) -> None:
    """Raise BadSignature unless `header` is AfterShip's signature of `body`."""
    if not header:
        raise BadSignature("missing aftership-hmac-sha256 header")
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    if not hmac.compare_digest(expected, header.strip().encode("ascii", "replace")):
        raise BadSignature("invalid signature")


def verify_token(expected: str, given: str) -> None:
    """Raise BadSignature unless the URL's token is the configured one."""
    if not hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace")):
        raise BadSignature("invalid token")


def valid_standard_secret(secret: str) -> bool:
    """Whether `secret` is a usable Standard Webhooks secret (`whsec_` and base64)."""
    try:
        Webhook(secret)
    except Exception:
        return False
    return True


def simulator_secret(settings: Settings) -> str:
    """The simulated carrier's signing secret: `TRACKING_SIMULATOR_SECRET`, else derived
    from the shop's own key, so the embedded demo signs and verifies with no setup."""
    if settings.tracking_simulator_secret is not None:
        return settings.tracking_simulator_secret.get_secret_value()
    key = hmac.new(signing_key(settings).encode(), SIMULATOR_LABEL, hashlib.sha256).digest()
    return "whsec_" + base64.b64encode(key).decode()
