"""The customer service setup screen: staff with the settings permission set the service hours
in a time zone and the targets per priority, a bad span is refused with nothing saved, and a
support agent reads them without the buttons to change them."""

from __future__ import annotations

from models.support import BusinessHours, ServiceLevelTarget, SupportSchedule
from tests.browser.conftest import make_staff, sign_in


async def test_settings_staff_set_hours_and_targets(desk, console, expect):
    admin = await make_staff("SETTINGS")
    await sign_in(desk, console, admin, "support-setup")
    hours = desk.locator("form.support-hours")
    await hours.get_by_label("Time zone").fill("Europe/Berlin")
    await hours.get_by_label("Monday").fill("09:00-12:00, 13:00-17:30")
    await hours.get_by_label("Tuesday").fill("17:00-09:00")
    await hours.get_by_role("button", name="Save hours").click()
    await expect(hours.locator(".form-alert, .field-error").first).to_be_visible()
    assert not await BusinessHours.exists()

    await hours.get_by_label("Tuesday").fill("9:00-17:00")
    await hours.get_by_label("Closed days").fill("2027-01-01 New Year")
    await hours.get_by_role("button", name="Save hours").click()
    await expect(hours.get_by_label("Tuesday")).to_have_value("09:00-17:00")
    schedule = await SupportSchedule.get()
    assert schedule.timezone == "Europe/Berlin"
    assert await BusinessHours.filter(schedule_id=schedule.id).count() == 3

    # Both forms answer with the same "Saved." toast: the hours' must be gone before the
    # targets' is awaited, or the test would read the targets before they are saved.
    await expect(desk.locator(".toast").filter(has_text="Saved.")).to_have_count(0)
    targets = desk.locator("form.support-targets")
    await targets.get_by_label("High: first answer (minutes)").fill("60")
    await targets.get_by_label("High: resolution (minutes)").fill("480")
    await targets.get_by_role("button", name="Save targets").click()
    await expect(desk.get_by_text("Saved.")).to_be_visible()
    [target] = await ServiceLevelTarget.all()
    assert (target.first_response_minutes, target.resolution_minutes) == (60, 480)


async def test_a_support_agent_reads_the_setup_without_changing_it(desk, console, expect):
    agent = await make_staff("SUPPORT")
    await sign_in(desk, console, agent, "support-setup")
    await expect(desk.get_by_text("Only staff with the settings permission")).to_be_visible()
    await expect(desk.get_by_role("button", name="Save hours")).to_have_count(0)
