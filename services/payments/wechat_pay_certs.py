"""WeChat Pay's platform certificates: what answers and notifications are verified with.

The SDK (`wechatpayv3.async_`) downloads the certificates from `/v3/certificates`
(encrypted with the APIv3 key, which authenticates them) and keeps them in a folder between
restarts. Two of its habits are replaced here: it empties its list before a download, so a
failed download leaves nothing to verify with; and it downloads again for every answer or
notification whose serial it does not know, so a burst of forged notifications would each
cost a call to WeChat Pay. `PlatformCore` downloads into a new list and swaps it in only
when it holds certificates, and lets one download stand for every caller waiting on it,
at most once per `REFRESH_INTERVAL` for unknown serials.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.x509 import Certificate
from wechatpayv3.async_.core import AsyncCore
from wechatpayv3.async_.utils import aes_decrypt, load_certificate, rsa_verify

log = logging.getLogger("tradewind.payments")

#: The shortest time between two downloads asked for by unknown serials: WeChat Pay rotates
#: certificates rarely, and announces the new one days ahead.
REFRESH_INTERVAL = 60.0
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


class PlatformCore(AsyncCore):
    """The SDK's HTTP core with certificates downloaded once for many callers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._certificates: list[Certificate] = []
        self._refresh_lock = asyncio.Lock()
        self._generation = 0
        self._refreshed_at = -REFRESH_INTERVAL
        self.downloads = 0

    def certificate(self, serial_no: str) -> Certificate | None:
        """The platform certificate with that (hexadecimal) serial, if known."""
        try:
            wanted = int(serial_no, 16)
        except ValueError:
            return None
        return next((c for c in self._certificates if c.serial_number == wanted), None)

    async def _update_certificates(self) -> None:
        """Download the platform certificates; keeps the known ones if none arrive."""
        self.downloads += 1
        code, message = await self.request("/v3/certificates", skip_verify=True)
        if code != 200:
            log.warning("WeChat Pay certificates could not be downloaded (HTTP %s)", code)
            return
        found: list[Certificate] = []
        for entry in json.loads(message).get("data") or []:
            pem = _decrypted(entry.get("encrypt_certificate") or {}, self._apiv3_key)
            certificate = load_certificate(pem) if pem else None
            if certificate is None or not _valid_now(certificate):
                continue
            found.append(certificate)
            self._keep(str(entry.get("serial_no") or ""), pem or "")
        if found:
            self._certificates = found
        self._generation += 1

    def _keep(self, serial_no: str, pem: str) -> None:
        # Small files written once per rotation: not worth a thread.
        if not self._cert_dir or not serial_no.isalnum():
            return
        folder = Path(self._cert_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{serial_no}.pem"
        if not path.exists():
            path.write_text(pem, encoding="utf-8")

    async def refresh_for_unknown(self) -> None:
        """Download the certificates because a serial was unknown: callers waiting at once
        share one download, and none happens within `REFRESH_INTERVAL` of the last."""
        seen = self._generation
        async with self._refresh_lock:
            if self._generation != seen:
                return
            if time.monotonic() - self._refreshed_at < REFRESH_INTERVAL:
                return
            self._refreshed_at = time.monotonic()
            await self._update_certificates()

    async def _verify_signature_async(self, headers: Mapping[str, str], body: str) -> bool:
        """Whether `body` is signed by WeChat Pay, as the headers say."""
        if headers.get("wechatpay-signature-type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
            return False
        serial_no = headers.get("wechatpay-serial", "")
        if self._public_key is not None and serial_no == self._public_key_id:
            public_key = self._public_key
        else:
            certificate = self.certificate(serial_no)
            if certificate is None:
                await self.refresh_for_unknown()
                certificate = self.certificate(serial_no)
            if certificate is None:
                return False
            public_key = certificate.public_key()
        return bool(
            rsa_verify(
                headers.get("wechatpay-timestamp", ""),
                headers.get("wechatpay-nonce", ""),
                body,
                headers.get("wechatpay-signature", ""),
                public_key,
            )
        )


def _decrypted(resource: Mapping[str, Any], apiv3_key: str) -> str | None:
    """An `AEAD_AES_256_GCM` resource decrypted with the APIv3 key; None when it does not
    decrypt (a wrong key, or a forgery)."""
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        return None
    try:
        result = aes_decrypt(
            nonce=str(resource.get("nonce") or ""),
            ciphertext=str(resource.get("ciphertext") or ""),
            associated_data=str(resource.get("associated_data") or ""),
            apiv3_key=apiv3_key,
        )
    except ValueError:  # a nonce or ciphertext of the wrong shape
        return None
    return str(result) if result is not None else None


def decrypt_resource(resource: Mapping[str, Any], apiv3_key: str) -> str | None:
    """A notification's `resource` decrypted with the APIv3 key, None when it does not."""
    return _decrypted(resource, apiv3_key)


def _valid_now(certificate: Certificate) -> bool:
    now = datetime.now(UTC)
    return certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc
