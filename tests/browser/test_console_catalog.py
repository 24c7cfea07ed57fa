"""The console's catalog in a browser: a merchant creates a product with a variant, uploads an
image and watches it finish, publishes it and finds it on the storefront; translates it into
Chinese beside the English; a refused save shows the error by its field and keeps what was
typed; a category moves under another; a member with only INVENTORY gets no catalog editing;
and the product page fits a phone."""

from __future__ import annotations

from models.catalog import (
    Category,
    CategoryTranslation,
    ListingStatus,
    Product,
    ProductImage,
    ProductTranslation,
    ProductVariant,
)
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_category, make_product, png_bytes


async def test_a_merchant_creates_a_product_adds_an_image_publishes_it_and_shoppers_see_it(
    desk, console, storefront, expect
):
    merchant = await make_staff("CATALOG")
    errors = page_errors(desk)
    await sign_in(desk, console, merchant, "catalog")
    await desk.get_by_role("button", name="New product").click()

    form = desk.locator("#main form.form")
    await form.get_by_label("Name", exact=True).fill("Silk Scarf")
    await form.get_by_label("Description").fill("Hand-rolled edges.\n\nWoven in Hangzhou.")
    await expect(desk.locator(".description-preview p")).to_have_count(2)
    await form.get_by_label("HS code").fill("621410")
    await form.get_by_label("Key facts").fill("Material: mulberry silk\nSize: 90 x 90 cm")
    await form.get_by_label("SKU").fill("SCARF-RED")
    await form.get_by_label("Options").fill("colour: red")
    await form.get_by_label("Price (USD)").fill("39.90")
    await form.get_by_label("Units on hand").fill("5")
    await desk.get_by_role("button", name="Create product").click()
    await expect(desk.locator("#main h1")).to_have_text("Silk Scarf")

    product = await Product.get(name="Silk Scarf")
    assert product.hs_code == "621410" and product.status == ListingStatus.DRAFT
    assert product.description == "Hand-rolled edges.\n\nWoven in Hangzhou."
    assert product.parameters == [
        {"name": "Material", "value": "mulberry silk"},
        {"name": "Size", "value": "90 x 90 cm"},
    ]
    variant = await ProductVariant.get(product_id=product.id)
    assert (variant.sku, variant.price, variant.stock_on_hand) == ("SCARF-RED", 3990, 5)
    assert variant.options == [{"name": "colour", "value": "red"}]

    images = desk.locator("#images")
    await images.get_by_label("Images to upload").set_input_files(
        {"name": "scarf.png", "mimeType": "image/png", "buffer": png_bytes(40, 30)}
    )
    await images.get_by_label("Alt text for the new images").fill("A red silk scarf")
    await images.get_by_role("button", name="Upload", exact=True).click()
    await expect(images.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    await expect(images.locator(".upload-done")).to_have_text("Uploaded")
    await expect(images.locator(".image-item img")).to_have_count(1)
    image = await ProductImage.get(product_id=product.id)
    assert (image.alt, image.width, image.height) == ("A red silk scarf", 40, 30)

    await desk.locator("#listing").get_by_role("button", name="Publish").click()
    await expect(desk.locator("#listing .badge")).to_have_text("Active")
    assert (await Product.get(id=product.id)).status == ListingStatus.ACTIVE

    await desk.goto(f"{storefront}#/product/{product.slug}")
    await expect(desk.locator("h1.detail-title")).to_have_text("Silk Scarf")
    assert errors == []


async def test_a_product_is_translated_into_chinese_beside_the_english(desk, console, expect):
    product = await make_product(name="Tea Cup", description="Thin porcelain.", publish=False)
    merchant = await make_staff("CATALOG")
    await sign_in(desk, console, merchant, f"catalog/products/{gid('Product', product.id)}")

    panel = desk.locator("#translations")
    await expect(panel.get_by_label("Translate into")).to_have_value("zh")
    await expect(panel.locator(".side-source")).to_contain_text("Tea Cup")
    await expect(panel.locator(".side-source")).to_contain_text("Thin porcelain.")
    target = panel.locator(".side-target")
    await target.get_by_label("Name").fill("茶杯")
    await target.get_by_label("Description").fill("薄胎瓷。")
    await target.get_by_role("button", name="Save translation").click()
    await expect(desk.locator(".toast")).to_contain_text("Translation saved")

    row = await ProductTranslation.get(product_id=product.id, locale="zh")
    assert (row.name, row.description) == ("茶杯", "薄胎瓷。")
    # The page drawn again keeps the English in the form and the Chinese beside it.
    await expect(desk.locator("#details").get_by_label("Name", exact=True)).to_have_value("Tea Cup")
    await expect(panel.locator(".side-target").get_by_label("Name")).to_have_value("茶杯")


async def test_a_refused_save_shows_the_error_by_its_field_and_keeps_what_was_typed(
    desk, console, expect
):
    await make_product(name="Taken", slug="silk-scarf")
    merchant = await make_staff("CATALOG")
    await sign_in(desk, console, merchant, "catalog/new")
    form = desk.locator("#main form.form")
    await form.get_by_label("Name", exact=True).fill("Silk Scarf")
    await form.get_by_label("HS code").fill("12AB")
    await form.get_by_label("SKU").fill("SCARF-1")
    await form.get_by_label("Price (USD)").fill("10")
    await desk.get_by_role("button", name="Create product").click()

    hs_field = form.locator(".field", has=desk.get_by_label("HS code"))
    await expect(hs_field.locator(".field-error")).to_be_visible()
    await expect(form.get_by_label("HS code")).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_label("Name", exact=True)).to_have_value("Silk Scarf")
    await expect(form.get_by_label("SKU")).to_have_value("SCARF-1")

    await form.get_by_label("HS code").fill("621410")
    await form.get_by_label("Web address (slug)").fill("silk-scarf")
    await desk.get_by_role("button", name="Create product").click()
    slug_field = form.locator(".field", has=desk.get_by_label("Web address (slug)"))
    await expect(slug_field.locator(".field-error")).to_contain_text("taken")
    await expect(hs_field.locator(".field-error")).to_have_count(0)
    await expect(form.get_by_label("HS code")).to_have_value("621410")
    assert await Product.filter(name="Silk Scarf").count() == 0


async def test_a_category_moves_under_another_parent_and_is_named_in_chinese(desk, console, expect):
    clothing = await make_category(name="Clothing")
    home = await make_category(name="Home")
    scarves = await make_category(parent=clothing, name="Scarves")
    merchant = await make_staff("CATALOG")
    await sign_in(desk, console, merchant, f"catalog/categories?id={gid('Category', scarves.id)}")

    editor = desk.locator("#category-edit")
    await editor.get_by_label("Parent category").select_option(gid("Category", home.id))
    await editor.get_by_role("button", name="Save").click()
    await expect(desk.locator(".toast")).to_contain_text("Saved")

    moved = await Category.get(id=scarves.id)
    assert moved.parent_id == home.id and moved.path == f"/{home.id}/{scarves.id}/"
    tree = desk.locator("#category-tree li")
    await expect(tree).to_have_text(["Clothing clothing", "Home home", "Scarves scarves"])

    translation = desk.locator("#category-translations .side-target")
    await translation.get_by_label("Name").fill("围巾")
    await translation.get_by_role("button", name="Save translation").click()
    await expect(translation.get_by_role("button", name="Delete translation")).to_be_visible()
    row = await CategoryTranslation.get(category_id=scarves.id, locale="zh")
    assert row.name == "围巾"


async def test_a_member_with_inventory_only_gets_no_catalog_editing(desk, console, expect):
    await make_product(name="Tea Cup")
    keeper = await make_staff("INVENTORY")
    await sign_in(desk, console, keeper, "catalog")

    await expect(desk.locator("#main .state-error")).to_contain_text("Catalog permission")
    await expect(desk.locator('#nav a[data-screen="catalog"]')).to_have_count(0)
    await expect(desk.get_by_role("button", name="New product")).to_have_count(0)
    await desk.goto(f"{console}#/catalog/new")
    await expect(desk.locator("#main .state-error")).to_contain_text("Catalog permission")
    await expect(desk.locator("#main form")).to_have_count(0)


async def test_the_product_list_and_page_fit_a_phone(phone, console, expect):
    product = await make_product(name="Tea Cup", publish=False)
    merchant = await make_staff("CATALOG")
    await sign_in(phone, console, merchant, "catalog")
    await expect(phone.locator("#main table.data tbody tr")).to_have_count(1)
    await phone.locator("#main table.data a", has_text="Tea Cup").click()
    await expect(phone.locator("#main h1")).to_have_text("Tea Cup")
    await expect(phone.locator("#variants tbody tr")).to_have_count(1)
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert (
        await phone.locator("#translations .side-by-side").evaluate(
            "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
        )
        == 1
    )
    assert product.slug
