"""The console's customs facts in a browser: a merchant classifies a product by looking its HS
code up as they type, gives a national code and a customs description (a vague one is refused
by its field), and a variant overrides the origin; the lookup also goes by keyboard."""

from __future__ import annotations

from models.catalog import Product, ProductVariant
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_product


async def test_a_merchant_classifies_a_product_through_the_lookup(desk, console, expect):
    product = await make_product(name="Organic Tee", publish=False)
    merchant = await make_staff("CATALOG")
    errors = page_errors(desk)
    await sign_in(desk, console, merchant, f"catalog/products/{gid('Product', product.id)}")

    details = desk.locator("#details")
    hs_code = details.get_by_label("HS code")
    await hs_code.press_sequentially("cotton t-shirt", delay=20)
    options = details.get_by_role("listbox").get_by_role("option")
    await expect(options.first).to_contain_text("6109.10")
    await expect(options.first).to_contain_text("T-shirts, singlets and other vests; of cotton")
    await options.first.click()
    await expect(hs_code).to_have_value("610910")
    await expect(details.locator(".hs-chosen")).to_contain_text("of cotton, knitted or crocheted")
    await expect(details.get_by_role("listbox")).to_be_hidden()

    await details.get_by_label("National tariff codes").fill("US 6109.10.0012\nGB: 61091000")
    await details.get_by_label("Country of origin").select_option("CN")
    await details.get_by_label("Declared to customs as").fill("Clothes")
    await details.get_by_label("Net weight (g)").fill("180")
    await details.get_by_label("Dangerous goods").check()
    await details.get_by_role("button", name="Save").click()

    described = details.locator(".field", has=desk.get_by_label("Declared to customs as"))
    await expect(described.locator(".field-error")).to_contain_text("does not tell customs")
    assert (await Product.get(id=product.id)).hs_code is None

    await details.get_by_label("Declared to customs as").fill("Men's cotton T-shirt")
    await details.get_by_role("button", name="Save").click()
    await expect(desk.locator(".toast")).to_contain_text("Saved")
    row = await Product.get(id=product.id)
    assert row.hs_code == "610910" and row.origin_country == "CN"
    assert row.hs_national == {"US": "6109100012", "GB": "61091000"}
    assert row.customs_description == "Men's cotton T-shirt"
    assert (row.net_weight_grams, row.dangerous_goods, row.excise_goods) == (180, True, False)

    # Drawn again from the API: the facts and the subheading's description are kept.
    await expect(details.get_by_label("HS code")).to_have_value("610910")
    await expect(details.locator(".hs-chosen")).to_contain_text("of cotton")
    await expect(details.get_by_label("National tariff codes")).to_have_value(
        "GB 61091000\nUS 6109100012"
    )

    # A variant made elsewhere overrides the origin only.
    variant = await ProductVariant.get(product_id=product.id)
    variants = desk.locator("#variants")
    await variants.get_by_role("button", name=f"Edit {variant.sku}").click()
    variant_form = variants.locator("form")
    await expect(variant_form.get_by_label("HS code")).to_have_attribute("placeholder", "610910")
    await variant_form.get_by_label("Country of origin").select_option("VN")
    await variant_form.get_by_role("button", name="Save").click()
    # Saved, the page is drawn again with the form back to adding a variant.
    await expect(variants.get_by_role("heading", name="Add variant")).to_be_visible()
    await variant.refresh_from_db()
    assert (variant.origin_country, variant.hs_code, variant.hs_national) == ("VN", None, None)
    assert errors == []


async def test_the_lookup_goes_by_keyboard_and_by_digits(desk, console, expect):
    merchant = await make_staff("CATALOG")
    await sign_in(desk, console, merchant, "catalog/new")
    form = desk.locator("#main form.form")
    hs_code = form.get_by_label("HS code")
    await hs_code.press_sequentially("6109", delay=20)
    options = form.get_by_role("listbox").get_by_role("option")
    await expect(options).to_have_count(2)  # the subheadings under heading 6109
    await hs_code.press("ArrowDown")
    await hs_code.press("ArrowDown")
    await expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    await hs_code.press("Enter")
    await expect(hs_code).to_have_value("610990")
    await expect(form.locator(".hs-chosen")).to_contain_text("of textile materials")
