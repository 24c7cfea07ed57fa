"""The console's customs screen as a merchant uses it: a CSV of duty rates refused with its
bad line, then chosen as a file, previewed and imported; a market set to DDP and back; a
registration refused for its format, then saved."""

from __future__ import annotations

from models.customs import CustomsMarket, DutyRate, Incoterm, MerchantRegistration
from tests.browser.conftest import make_staff, page_errors, sign_in

HEADER = "country,hs_prefix,rate_percent,source\n"


async def test_a_csv_of_rates_is_previewed_then_imported(desk, console, expect, tmp_path):
    await DutyRate.create(country="DE", hs_prefix="", rate_bps=400, source="TARIC")
    staff = await make_staff("SETTINGS")
    errors = page_errors(desk)
    await sign_in(desk, console, staff, "customs")
    await expect(desk.locator("#main h1")).to_have_text("Customs")
    rates = desk.locator("#customs-rates")
    await expect(rates.locator("tbody tr")).to_have_count(1)

    panel = desk.locator("#customs-import")
    await panel.get_by_label("Or paste the CSV").fill(HEADER + "DE,,4,TARIC\nDE,61,12.345,\n")
    await panel.get_by_role("button", name="Preview").click()
    problem = panel.locator(".import-problems li")
    await expect(problem).to_have_count(1)
    await expect(problem).to_contain_text("Line 3")
    await expect(problem).to_contain_text("at most two decimals")

    good = tmp_path / "rates.csv"
    good.write_bytes(("\ufeff" + HEADER + "DE,,4,TARIC\nDE,61,12,\nDE,0902,3.2,tea\n").encode())
    await panel.get_by_label("CSV file").set_input_files(str(good))
    await panel.get_by_role("button", name="Preview").click()
    await expect(panel.locator(".import-summary")).to_have_text(
        "3 rates: 2 new, 0 changed, 1 unchanged."
    )
    await expect(panel.locator('tr[data-change="CREATED"]')).to_have_count(2)
    assert await DutyRate.all().count() == 1

    await panel.get_by_role("button", name="Import 2 rates").click()
    await expect(panel.locator(".form-note")).to_contain_text("Imported: 2 new")
    await expect(rates.locator("tbody tr")).to_have_count(3)
    await expect(rates.locator('[data-rate="DE:0902"]')).to_be_visible()
    stored = [(r.hs_prefix, r.rate_bps) for r in await DutyRate.all().order_by("hs_prefix")]
    assert stored == [("", 400), ("0902", 320), ("61", 1200)]
    assert errors == []


async def test_a_market_is_set_to_ddp_and_a_registration_checked(desk, console, expect):
    staff = await make_staff("SETTINGS")
    errors = page_errors(desk)
    await sign_in(desk, console, staff, "customs")

    markets = desk.locator("#customs-markets")
    await expect(markets).to_contain_text("DAP · paid on delivery")
    await markets.get_by_label("Country").select_option("DE")
    await markets.get_by_label("Duties and taxes").select_option("DDP")
    await markets.get_by_role("button", name="Set").click()
    row = markets.locator('tr[data-country="DE"]')
    await expect(row).to_contain_text("DDP · charged at checkout")
    market = await CustomsMarket.get(country="DE")
    assert market.incoterm is Incoterm.DDP

    ioss = desk.locator('#customs-registrations form[data-kind="IOSS"]')
    await ioss.get_by_label("EU IOSS number").fill("IM12345")
    await ioss.get_by_role("button", name="Save").click()
    await expect(ioss.locator(".field-error")).to_contain_text("IM and 10 digits")
    assert not await MerchantRegistration.exists()
    await ioss.get_by_label("EU IOSS number").fill("im 276 000 0001")
    await ioss.get_by_role("button", name="Save").click()
    saved = desk.locator('#customs-registrations form[data-kind="IOSS"]')
    await expect(saved.get_by_label("EU IOSS number")).to_have_value("IM2760000001")
    assert (await MerchantRegistration.get()).number == "IM2760000001"

    await (
        desk.locator('#customs-markets tr[data-country="DE"]')
        .get_by_role("button", name="Back to default")
        .click()
    )
    await expect(desk.locator('#customs-markets tr[data-country="DE"]')).to_have_count(0)
    assert not await CustomsMarket.exists()
    assert errors == []
