"""Every console screen on the demo shop, as the demo admin sees it: each draws without an
error in English and in Chinese, and the home screen works at 390 px. With
`CONSOLE_SCREENSHOTS=<folder>` set (`make screenshots`), it leaves there the pictures of the
screens that the README shows."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.browser.test_console_frame import ALL_SCREENS

SHOTS = os.environ.get("CONSOLE_SCREENSHOTS")
#: The pictures the README shows.
SHOWN = {"home", "orders-zh", "inventory", "statistics", "home-phone"}


def _shot(name: str) -> str | None:
    """Where the picture `name` goes, if it is taken this run."""
    return f"{SHOTS}/{name}.png" if SHOTS and name in SHOWN else None


async def _sign_in_as_demo_admin(tab: Any, console: str) -> None:
    from demo.people import DEMO_ADMIN, DEMO_PASSWORD

    await tab.goto(console)
    await tab.get_by_label("Email or phone").fill(DEMO_ADMIN)
    await tab.get_by_label("Password").fill(DEMO_PASSWORD)
    await tab.get_by_role("button", name="Sign in").click()
    await tab.locator("#nav a").first.wait_for()


async def _visit(tab: Any, console: str, screen: str, expect: Any, shot: str | None) -> None:
    await tab.goto(f"{console}#/{screen}")
    await expect(tab.locator("#main h1").first).to_be_visible()
    # A hash change loads nothing the browser waits for: wait until no part still says it is
    # loading, in either language.
    await tab.wait_for_function(
        "() => !/Loading…|加载中…/.test(document.getElementById('main').textContent)"
    )
    await expect(tab.locator("#main .state-error")).to_have_count(0)
    await expect(tab.locator("#main .list-busy")).to_have_count(0)
    if shot:
        Path(shot).parent.mkdir(parents=True, exist_ok=True)
        await tab.screenshot(path=shot, full_page=False)


async def test_every_screen_draws_in_english_and_chinese(demo_shop, desk, console, expect):
    errors: list[str] = []
    desk.on("pageerror", lambda exc: errors.append(str(exc)))
    desk.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    await _sign_in_as_demo_admin(desk, console)

    for screen in ALL_SCREENS:
        await _visit(desk, console, screen, expect, _shot(screen))
    await desk.locator("#locale-select").select_option("zh")
    for screen in ALL_SCREENS:
        await _visit(desk, console, screen, expect, _shot(f"{screen}-zh"))

    assert errors == []


async def test_the_home_screen_on_a_phone(demo_shop, phone, console, expect):
    await _sign_in_as_demo_admin(phone, console)

    await _visit(phone, console, "home", expect, _shot("home-phone"))

    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
