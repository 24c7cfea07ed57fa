"""What the providers taken directly (Alipay, WeChat Pay) share: the merchant's keys as
configured, and the fee their contract charges, which they report only in daily bills."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path


def pem_text(value: str, kind: str = "PRIVATE KEY") -> str:
    """A key as PEM text, given as PEM, as the path of a PEM file, or as the bare base64 body
    a provider's console shows (wrapped as a PEM of `kind`)."""
    text = value.strip()
    if "-----BEGIN" in text:
        return text
    try:
        path = Path(text).expanduser()
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    except OSError:  # bare base64 can make a path no file system takes ("name too long")
        pass
    body = re.sub(r"\s+", "", text)
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return f"-----BEGIN {kind}-----\n{lines}\n-----END {kind}-----"


def contract_fee(amount: int, rate: Decimal) -> int:
    """The contract's fee on an amount in minor units, rounded half up to the minor unit, as
    the providers charge it per transaction."""
    return int((Decimal(amount) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))
