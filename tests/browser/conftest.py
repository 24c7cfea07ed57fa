"""Browser tests: the storefront served by uvicorn on a loopback port, driven in Debian's
Chromium through Playwright (never a browser Playwright downloads).

Without `/usr/bin/chromium` (`apt-get install -y chromium`) these tests are skipped, unless
`CI=true`, where a missing browser is a failure.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: How long an element may take to appear or change before a step fails, in milliseconds.
STEP_TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    """Chromium, headless, for one test."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def storefront(live_server: str) -> str:
    """The storefront's address on the live server (`http://127.0.0.1:<port>/`)."""
    return live_server.replace("ws://", "http://", 1).removesuffix("graphql")


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    """A fresh tab (its own storage) in English, as a shopper in the United States."""
    context = await browser.new_context(locale="en-US", timezone_id="UTC")
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tab = await context.new_page()
    try:
        yield tab
    finally:
        await context.close()
