"""The providers' SDKs are extras: a shop installed without them starts and takes payments
through the gateways it has; only a shop that uses a provider loads its SDK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_SDKS = """
import sys

SDKS = ("alipay", "wechatpayv3", "paypalserversdk", "apimatic_core")
for name in SDKS:
    sys.modules[name] = None  # as if the extra were not installed: importing it fails

import server
import services.payments.completion
import services.payments.methods
import services.payments.reconcile
from services.payments import gateways
from settings import get_settings

server.create_app(get_settings(), manage_database=False)
assert [offer.method for offer in gateways.offers("USD", "US")] == ["card"]
print("started")
"""


def test_the_shop_starts_without_the_providers_sdks() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_SDKS],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": "sqlite://:memory:", "PAYMENT_GATEWAYS": "[]"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("started")
