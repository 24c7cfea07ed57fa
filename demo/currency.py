"""The demo shop's currencies: a few presentment currencies and a day of ECB rates.

The rates come from a copy of the ECB's `eurofxref-daily.xml` bundled beside this module,
so `make run` shows yen prices without a network. They are imported as today's rates:
the demo must be able to check out, and a real day's rates turn stale after a weekend. A
real shop imports the ECB's file daily instead (`cli.py import-rates`, or the
`exchange_rate_refresh_seconds` setting).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from tortoise import timezone

from models.currency import PresentmentCurrency, RoundingRule
from services.currency import currencies, rates

log = logging.getLogger("tradewind.demo")

ECB_FILE = Path(__file__).with_name("eurofxref-daily.xml")

#: (code, price ending) offered besides the shop currency.
DEMO_CURRENCIES = [
    ("EUR", RoundingRule.NINETY_NINE),
    ("GBP", RoundingRule.NINETY_NINE),
    ("JPY", RoundingRule.NONE),
    ("CNY", RoundingRule.NONE),
    ("KRW", RoundingRule.NONE),
    ("AUD", RoundingRule.NINETY_NINE),
    ("CAD", RoundingRule.NINETY_NINE),
]


async def load_demo_currencies() -> bool:
    """Offer the demo currencies (if the merchant has chosen none) and import today's rates.

    False, doing nothing, when both are there already.
    """
    changed = False
    if not await PresentmentCurrency.exists():
        for code, rounding in DEMO_CURRENCIES:
            await currencies.enable_currency(code, rounding)
        changed = True
    today = timezone.now().date().isoformat()
    data = re.sub(rb"time='[0-9-]+'", f"time='{today}'".encode(), ECB_FILE.read_bytes())
    result = await rates.import_ecb(data)
    if result.written:
        log.info("demo.rates_loaded day=%s rates=%d", today, result.written)
    return changed or result.written > 0
