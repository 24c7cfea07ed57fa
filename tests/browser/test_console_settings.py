"""The console's setup screens as a merchant uses them: a shipping zone and a rate band made
by hand, then priced by the price check; an exchange rate set by hand (a bad one refused next
to its field) and shown with its age; a dead background job retried; and shipping on a phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from models.currency import ExchangeRate, RateSource
from models.jobs import Job, JobStatus
from models.shipping import ShippingRate, ShippingZone
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.shipping.helpers import make_carrier, make_service


async def _tick(dialog: Any, search: str, country: str) -> None:
    await dialog.get_by_placeholder("Find a country").fill(search)
    await dialog.get_by_role("checkbox", name=country).check()


async def test_a_zone_and_a_rate_band_made_by_hand_price_a_parcel(desk, console, expect):
    carrier = await make_carrier(name="Nordic Post", code="npost")
    service = await make_service(carrier, name="Parcel")
    staff = await make_staff("SETTINGS")
    errors = page_errors(desk)
    await sign_in(desk, console, staff, "shipping")

    await desk.get_by_role("button", name="New zone").click()
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Zone name").fill("Nordics")
    await _tick(dialog, "swe", "Sweden")
    await _tick(dialog, "norw", "Norway")
    await expect(dialog.get_by_text("2 countries chosen")).to_be_visible()
    await dialog.get_by_role("button", name="Save").click()
    await expect(desk.locator('#shipping-zones tr[data-zone="Nordics"]')).to_contain_text("Sweden")

    await desk.get_by_role("link", name="Parcel").click()
    await expect(desk.locator("#main h1")).to_have_text("Nordic Post · Parcel")
    await (
        desk.locator('section[data-zone="Nordics"]').get_by_role("button", name="Add band").click()
    )
    dialog = desk.locator("dialog")
    await dialog.get_by_label("Up to (g)").fill("2000")
    await dialog.get_by_label("Price (USD)").fill("18.50")
    await dialog.get_by_label("Fastest (days)").fill("3")
    await dialog.get_by_label("Slowest (days)").fill("6")
    await dialog.get_by_role("button", name="Save").click()
    band = desk.locator('section[data-zone="Nordics"] tr[data-grams="2000"]')
    await expect(band).to_contain_text("$18.50")
    await expect(band).to_contain_text("3–6 business days")

    await desk.get_by_role("link", name="← Shipping").click()
    preview = desk.locator("#shipping-preview")
    await preview.get_by_label("Destination country").select_option("SE")
    await preview.get_by_label("Parcel weight (g)").fill("1500")
    await preview.get_by_role("button", name="Check price").click()
    await expect(preview.locator(".preview-price")).to_have_text("$18.50")
    await expect(preview.locator("tbody tr")).to_contain_text("Nordic Post · Parcel")

    # A weight no band carries says so; the API's own error for a weight of 0 sits by its field.
    await preview.get_by_label("Parcel weight (g)").fill("2500")
    await preview.get_by_role("button", name="Check price").click()
    await expect(preview.get_by_text("No service carries a parcel this heavy")).to_be_visible()
    await preview.get_by_label("Parcel weight (g)").evaluate("el => el.removeAttribute('min')")
    await preview.get_by_label("Parcel weight (g)").fill("0")
    await preview.get_by_role("button", name="Check price").click()
    await expect(preview.locator(".field-error")).to_contain_text("between 1 and")

    zone = await ShippingZone.get(name="Nordics")
    assert sorted(zone.countries) == ["NO", "SE"]
    (rate,) = await ShippingRate.filter(service_id=service.id)
    assert (rate.zone_id, rate.max_weight_grams, rate.price) == (zone.id, 2000, 1850)
    assert (rate.min_days, rate.max_days) == (3, 6)
    assert errors == []


async def test_a_rate_set_by_hand_is_shown_with_its_age_and_a_bad_one_is_refused(
    desk, console, expect
):
    staff = await make_staff("SETTINGS")
    errors = page_errors(desk)
    await sign_in(desk, console, staff, "currencies")

    form = desk.locator("#currencies-set-rate")
    await form.get_by_label("Currency").select_option("JPY")
    await form.get_by_label("Rate", exact=True).fill("-3")
    await form.get_by_role("button", name="Set rate").click()
    await expect(form.locator(".field-error")).to_have_text("A rate must be a positive number.")
    assert not await ExchangeRate.exists(source=RateSource.MANUAL)

    await form.get_by_label("Rate", exact=True).fill("151.25")
    await form.get_by_role("button", name="Set rate").click()
    row = desk.locator('#currencies-rates tr[data-quote="JPY"][data-source="MANUAL"]')
    await expect(row).to_contain_text("1 USD = JPY")
    await expect(row).to_contain_text("151.25")
    await expect(row).to_contain_text("Set by hand")
    await expect(row.locator(".rate-age")).to_have_text(
        re.compile(r"now|seconds? ago|minutes? ago")
    )
    stored = await ExchangeRate.get(source=RateSource.MANUAL, quote="JPY")
    assert (stored.base, Decimal(stored.rate)) == ("USD", Decimal("151.25"))
    assert errors == []


async def test_a_dead_job_is_retried_and_queued_again(desk, console, expect):
    now = datetime.now(UTC)
    job = await Job.create(
        task="test.never_registered",
        key="console-retry",
        kwargs={"order": "TW12345678"},
        status=JobStatus.DEAD,
        attempts=5,
        last_error="RuntimeError: carrier unreachable",
        run_after=now,
        finished_at=now,
    )
    await Job.create(task="test.other", key="done-one", status=JobStatus.DONE, run_after=now)
    staff = await make_staff("SETTINGS")
    await sign_in(desk, console, staff, "jobs?status=DEAD")

    rows = desk.locator("#main table.data tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("carrier unreachable")
    await rows.first.get_by_role("link").click()
    await expect(desk.locator("#main h1")).to_have_text("test.never_registered")
    await expect(desk.locator("#job-facts")).to_contain_text("Dead")
    await expect(desk.locator(".job-pre").first).to_contain_text('"order": "TW12345678"')

    await desk.get_by_role("button", name="Retry").click()
    await expect(desk.get_by_text("The job is queued to run again.")).to_be_visible()
    await expect(desk.get_by_role("button", name="Retry")).to_have_count(0)
    retried = await Job.get(id=job.id)
    # Pending again with every attempt ahead of it (or already taken by a worker since).
    assert retried.status != JobStatus.DEAD or retried.attempts < 5
    assert retried.finished_at is None or retried.status != JobStatus.DEAD


async def test_shipping_zones_are_made_on_a_phone(phone, console, expect):
    staff = await make_staff("SETTINGS")
    await sign_in(phone, console, staff, "shipping")
    await expect(phone.locator("#main h1")).to_have_text("Shipping")
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390

    await phone.get_by_role("button", name="New zone").click()
    dialog = phone.locator("dialog")
    await dialog.get_by_label("Zone name").fill("Japan")
    await _tick(dialog, "jap", "Japan")
    box = await dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    await dialog.get_by_role("button", name="Save").click()
    await expect(phone.locator('#shipping-zones tr[data-zone="Japan"]')).to_be_visible()
    assert (await ShippingZone.get(name="Japan")).countries == ["JP"]
