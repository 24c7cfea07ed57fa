"""QR codes for the shopper to scan with a wallet app (WeChat Pay Native, Alipay), drawn
as SVG on the server, so the storefront needs no QR library of its own."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import qrcode
from qrcode.image.svg import SvgPathImage

#: The longest text drawn: providers' payment links are a few dozen characters, and a
#: longer one is not something a provider sent.
MAX_DATA = 1000


def scan_data(next_action: Mapping[str, Any]) -> str | None:
    """The text a `display_qr_code` next action asks to show, if it is one."""
    if next_action.get("type") != "display_qr_code":
        return None
    details = next_action.get("display_qr_code")
    data = details.get("data") if isinstance(details, Mapping) else None
    if not isinstance(data, str) or not data or len(data) > MAX_DATA:
        return None
    return data


def svg(data: str) -> str:
    """`data` as a QR code in SVG markup (medium error correction, a quiet zone of four
    modules), scaled by its viewBox to whatever size the page gives it."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(image_factory=SvgPathImage)
    return image.to_string(encoding="unicode")


def data_url(data: str) -> str:
    """`data` as a QR code in a `data:` URL, for an `<img>` (no markup to insert)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(data).encode()).decode()
