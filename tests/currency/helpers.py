"""The ECB rates file the currency tests import, and ways to date it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from services.currency import rates

#: A copy of the ECB's `eurofxref-daily.xml`, in its exact format, for Friday 2026-11-20.
ECB_FILE = Path(__file__).with_name("eurofxref-daily.xml")
ECB_DAY = date(2026, 11, 20)


def ecb_xml(day: date | None = None) -> bytes:
    """The rates file, for `day` instead of its own date if given."""
    data = ECB_FILE.read_bytes()
    if day is None:
        return data
    return data.replace(f"time='{ECB_DAY}'".encode(), f"time='{day}'".encode())


async def import_rates(day: date | None = None) -> rates.ImportResult:
    return await rates.import_ecb(ecb_xml(day))
