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
def expect() -> Any:
    """Playwright's `expect`, waiting up to a step's timeout."""
    from playwright.async_api import expect

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    return expect


def page_errors(tab: Any) -> list[str]:
    """The uncaught errors and console errors of `tab` from now on, as they happen."""
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


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


# The merchant console.

#: Where a failed browser test leaves a picture of each tab it opened.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
DESK = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
async def console(live_server: str) -> str:
    """The console's address on the live server (`http://127.0.0.1:<port>/console/`)."""
    return live_server.replace("ws://", "http://", 1).removesuffix("graphql") + "console/"


async def _tab(
    browser: Any, request: pytest.FixtureRequest, viewport: dict[str, int], locale: str
) -> AsyncIterator[Any]:
    context = await browser.new_context(locale=locale, timezone_id="UTC", viewport=viewport)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    tab = await context.new_page()
    try:
        yield tab
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for n, opened in enumerate(context.pages):
                name = f"{request.node.name}-{n}.png".replace("/", "_")
                await opened.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        await context.close()


@pytest.fixture
async def desk(browser: Any, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A tab 1280 px wide, in English: a merchant at a desk."""
    async for tab in _tab(browser, request, DESK, "en-GB"):
        yield tab


@pytest.fixture
async def phone(browser: Any, request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """A tab 390 px wide, in English: a merchant on the warehouse floor."""
    async for tab in _tab(browser, request, PHONE, "en-GB"):
        yield tab


STAFF_PASSWORD = "console-pass-1"


async def make_staff(*permissions: str, admin: bool = False, **fields: Any) -> Any:
    """A staff member holding `permissions` (API names such as "ORDERS"), or an admin."""
    from models.accounts import Role
    from tests.factories import make_user

    return await make_user(
        role=Role.ADMIN if admin else Role.STAFF,
        permissions=tuple(p.lower() for p in permissions),
        password=STAFF_PASSWORD,
        **fields,
    )


async def sign_in(tab: Any, console: str, user: Any, path: str = "") -> None:
    """Signs `user` (made by `make_staff`) in to the console, then opens `#/<path>`."""
    await tab.goto(console)
    await tab.get_by_label("Email or phone").fill(user.email)
    await tab.get_by_label("Password").fill(STAFF_PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.locator("#nav a").first.wait_for()
    if path:
        await tab.goto(f"{console}#/{path}")


@pytest.fixture
async def demo_shop(db: None) -> None:
    """The demo shop as `make run` loads it (catalog, people, shipping, currencies...)."""
    from demo.shop import load_demo_shop

    await load_demo_shop()
