"""Products through the GraphQL API: merchant mutations, refusals, and what shoppers see."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.catalog import Product, ProductListingEvent, ProductVariant
from models.inventory import MovementKind, StockMovement
from tests.factories import gid, make_brand, make_category, make_product

CREATE_PRODUCT = """
mutation Create($input: CreateProductInput!) {
  createProduct(input: $input) {
    product {
      id name slug status isVisible originCountry hsCode weightGrams
      parameters { name value } features instructions
      priceRange { min { amount currency } max { amount currency } }
      brand { name } category { name }
      variants { sku name options { name value } price { amount currency }
                 compareAtPrice { amount } quantityAvailable stockStatus stockOnHand }
    }
    errors { field code message }
  }
}
"""

UPDATE_PRODUCT = """
mutation Update($input: UpdateProductInput!) {
  updateProduct(input: $input) {
    product { id name slug material originCountry brand { name } }
    errors { field code message }
  }
}
"""

PUBLISH = """
mutation Publish($input: PublishProductInput!) {
  publishProduct(input: $input) {
    product { status isVisible publishAt unpublishAt listedAt }
    errors { field code message }
  }
}
"""

PRODUCT = """
query One($id: ID, $slug: String, $locale: String) {
  product(id: $id, slug: $slug, locale: $locale) { id name slug description locale }
}
"""


def variant(sku: str, price: str = "10.00", **extra: object) -> dict[str, object]:
    return {"sku": sku, "price": price, **extra}


async def test_merchant_creates_a_product_with_variants(client):
    brand = await make_brand(name="Aurora")
    category = await make_category(name="Shirts")
    data = await client.staff(
        CREATE_PRODUCT,
        {
            "input": {
                "name": "Linen Shirt",
                "brandId": gid("Brand", brand.id),
                "categoryId": gid("Category", category.id),
                "originCountry": "IT",
                "hsCode": "6205.20",
                "weightGrams": 240,
                "parameters": [{"name": "Fit", "value": "Regular"}],
                "features": ["Breathable", " "],
                "instructions": "Wash at 30°C",
                "variants": [
                    variant(
                        "LS-S", "49.90", options=[{"name": "size", "value": "S"}], initialStock=3
                    ),
                    variant(
                        "LS-L",
                        "52",
                        compareAtPrice="60.00",
                        options=[{"name": "size", "value": "L"}],
                    ),
                ],
            }
        },
    )
    payload = data["createProduct"]
    assert payload["errors"] == []
    product = payload["product"]
    assert product["slug"] == "linen-shirt"
    assert product["status"] == "DRAFT" and product["isVisible"] is False
    assert product["originCountry"] == "IT" and product["hsCode"] == "620520"
    assert product["features"] == ["Breathable"]
    assert product["priceRange"] == {
        "min": {"amount": "49.90", "currency": "USD"},
        "max": {"amount": "52.00", "currency": "USD"},
    }
    assert product["brand"] == {"name": "Aurora"} and product["category"] == {"name": "Shirts"}
    small, large = product["variants"]
    assert small["quantityAvailable"] == 3 and small["stockStatus"] == "IN_STOCK"
    assert large["stockStatus"] == "OUT_OF_STOCK" and large["compareAtPrice"] == {"amount": "60.00"}
    row = await Product.get(slug="linen-shirt")
    assert (row.price_min, row.price_max) == (4990, 5200)
    assert await ProductVariant.filter(product_id=row.id).count() == 2
    # Initial stock is the ledger's first entry, so every figure is explained.
    receipts = await StockMovement.filter(variant__sku="LS-S").values(
        "kind", "on_hand_change", "on_hand_after"
    )
    assert receipts == [{"kind": MovementKind.RECEIPT, "on_hand_change": 3, "on_hand_after": 3}]
    assert not await StockMovement.filter(variant__sku="LS-L").exists()


async def test_stock_is_not_an_editable_variant_field(client):
    product = await make_product(stock=(4,))
    variant_row = await ProductVariant.get(product_id=product.id)
    body = await client.request(
        """mutation($input: UpdateProductVariantInput!) {
             updateProductVariant(input: $input) { errors { code } } }""",
        {"input": {"id": gid("ProductVariant", variant_row.id), "stockOnHand": 99}},
        staff=True,
    )
    assert "stockOnHand" in body["errors"][0]["message"]
    assert (await ProductVariant.get(id=variant_row.id)).stock_on_hand == 4


async def test_merchant_sets_a_product_to_leave_the_shelf_when_sold_out(client):
    data = await client.staff(
        CREATE_PRODUCT, {"input": {"name": "Limited", "delistWhenSoldOut": True}}
    )
    assert data["createProduct"]["errors"] == []
    product_id = data["createProduct"]["product"]["id"]
    assert (await Product.get(name="Limited")).delist_when_sold_out is True
    data = await client.staff(
        """mutation($input: UpdateProductInput!) {
             updateProduct(input: $input) { product { delistWhenSoldOut } errors { code } } }""",
        {"input": {"id": product_id, "delistWhenSoldOut": False}},
    )
    assert data["updateProduct"] == {"product": {"delistWhenSoldOut": False}, "errors": []}
    shown = await make_product(delist_when_sold_out=True)
    refused = await client.request(
        f'{{ product(id: "{gid("Product", shown.id)}") {{ name delistWhenSoldOut }} }}'
    )
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_negative_price_is_refused_and_nothing_is_written(client):
    data = await client.staff(
        CREATE_PRODUCT, {"input": {"name": "Bad", "variants": [variant("B-1", "-1.00")]}}
    )
    assert data["createProduct"]["product"] is None
    assert data["createProduct"]["errors"] == [
        {
            "field": ["variants", "0", "price"],
            "code": "NEGATIVE_PRICE",
            "message": "A price may not be negative.",
        }
    ]
    assert await Product.all().count() == 0


async def test_price_with_more_decimals_than_the_currency_is_refused(client):
    data = await client.staff(
        CREATE_PRODUCT, {"input": {"name": "Bad", "variants": [variant("B-1", "1.005")]}}
    )
    assert [e["code"] for e in data["createProduct"]["errors"]] == ["INVALID_PRICE"]
    assert await Product.all().count() == 0


async def test_duplicate_sku_is_refused_in_the_request_and_against_the_catalog(client):
    await make_product(publish=False)
    existing = await ProductVariant.first()
    assert existing is not None
    taken = existing.sku
    data = await client.staff(
        CREATE_PRODUCT,
        {
            "input": {
                "name": "Twin",
                "variants": [
                    variant(sku, options=[{"name": "size", "value": size}])
                    for sku, size in (("NEW-1", "S"), ("NEW-1", "M"), (taken, "L"))
                ],
            }
        },
    )
    codes = [(e["code"], e["field"]) for e in data["createProduct"]["errors"]]
    assert codes == [
        ("DUPLICATE_SKU", ["variants", "1", "sku"]),
        ("DUPLICATE_SKU", ["variants", "2", "sku"]),
    ]
    assert await Product.all().count() == 1


async def test_duplicate_option_values_are_refused(client):
    same = [{"name": "size", "value": "M"}]
    data = await client.staff(
        CREATE_PRODUCT,
        {
            "input": {
                "name": "Twin",
                "variants": [variant("A", options=same), variant("B", options=same)],
            }
        },
    )
    assert [e["code"] for e in data["createProduct"]["errors"]] == ["DUPLICATE_OPTIONS"]


async def test_duplicate_slug_is_refused_but_a_derived_slug_is_made_unique(client):
    await make_product(name="Tea Cup", slug="tea-cup", publish=False)
    refused = await client.staff(CREATE_PRODUCT, {"input": {"name": "Other", "slug": "tea-cup"}})
    assert refused["createProduct"]["errors"][0]["code"] == "DUPLICATE_SLUG"
    derived = await client.staff(CREATE_PRODUCT, {"input": {"name": "Tea Cup"}})
    assert derived["createProduct"]["product"]["slug"] == "tea-cup-2"


async def test_malformed_slug_and_hs_code_are_refused(client):
    data = await client.staff(
        CREATE_PRODUCT, {"input": {"name": "X", "slug": "Not A Slug!", "hsCode": "12AB"}}
    )
    codes = {e["code"] for e in data["createProduct"]["errors"]}
    assert codes == {"INVALID_SLUG", "INVALID_HS_CODE"}


async def test_malformed_country_is_a_typed_validation_error(client):
    body = await client.request(
        CREATE_PRODUCT, {"input": {"name": "X", "originCountry": "XX"}}, staff=True
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "CountryCode" in body["errors"][0]["message"]
    assert await Product.all().count() == 0


async def test_unknown_brand_and_category_ids_are_refused(client):
    data = await client.staff(
        CREATE_PRODUCT,
        {
            "input": {
                "name": "X",
                "brandId": gid("Brand", 999),
                "categoryId": gid("Brand", 1),  # an ID of the wrong type
            }
        },
    )
    errors = {(e["code"], tuple(e["field"])) for e in data["createProduct"]["errors"]}
    assert ("NOT_FOUND", ("categoryId",)) in errors
    brand_refused = await client.staff(
        CREATE_PRODUCT, {"input": {"name": "X", "brandId": gid("Brand", 999)}}
    )
    assert brand_refused["createProduct"]["errors"][0] == {
        "field": ["brandId"],
        "code": "NOT_FOUND",
        "message": "The brand does not exist.",
    }
    assert await Product.all().count() == 0


async def test_update_changes_given_fields_only(client):
    brand = await make_brand(name="Old Brand")
    product = await make_product(name="Mug", material="Clay", brand=brand, publish=False)
    data = await client.staff(
        UPDATE_PRODUCT, {"input": {"id": gid("Product", product.id), "originCountry": "JP"}}
    )
    updated = data["updateProduct"]["product"]
    assert updated["name"] == "Mug" and updated["material"] == "Clay"
    assert updated["originCountry"] == "JP" and updated["brand"] == {"name": "Old Brand"}
    cleared = await client.staff(
        UPDATE_PRODUCT, {"input": {"id": gid("Product", product.id), "brandId": None}}
    )
    assert cleared["updateProduct"]["product"]["brand"] is None


async def test_update_of_unknown_product_is_refused(client):
    data = await client.staff(UPDATE_PRODUCT, {"input": {"id": gid("Product", 4242), "name": "X"}})
    assert data["updateProduct"]["errors"][0]["code"] == "NOT_FOUND"


async def test_publish_makes_a_product_visible_and_records_the_change(client):
    product = await make_product(publish=False)
    assert await client.query(PRODUCT, {"id": gid("Product", product.id)}) == {"product": None}
    data = await client.staff(PUBLISH, {"input": {"id": gid("Product", product.id)}})
    assert data["publishProduct"]["product"]["isVisible"] is True
    shown = await client.query(PRODUCT, {"slug": product.slug})
    assert shown["product"]["id"] == gid("Product", product.id)
    events = await ProductListingEvent.filter(product_id=product.id)
    assert [(e.visible, e.cause.value) for e in events] == [(True, "status")]


async def test_publish_without_variants_is_refused(client):
    product = await Product.create(name="Empty", slug="empty", listed_at=timezone.now())
    data = await client.staff(PUBLISH, {"input": {"id": gid("Product", product.id)}})
    assert data["publishProduct"]["errors"][0]["code"] == "PRODUCT_HAS_NO_VARIANTS"
    assert (await Product.get(id=product.id)).status.value == "draft"


async def test_scheduled_product_is_hidden_until_its_window_opens(client):
    product = await make_product(publish=False)
    start = timezone.now() + timedelta(days=2)
    data = await client.staff(
        PUBLISH, {"input": {"id": gid("Product", product.id), "publishAt": start.isoformat()}}
    )
    assert data["publishProduct"]["product"]["status"] == "ACTIVE"
    assert data["publishProduct"]["product"]["isVisible"] is False
    assert await client.query(PRODUCT, {"id": gid("Product", product.id)}) == {"product": None}
    # Opening the window needs no job: move it into the past and the product shows.
    await Product.filter(id=product.id).update(publish_at=timezone.now() - timedelta(seconds=1))
    shown = await client.query(PRODUCT, {"id": gid("Product", product.id)})
    assert shown["product"] is not None


async def test_sale_window_that_ends_before_it_starts_is_refused(client):
    product = await make_product(publish=False)
    start = timezone.now() + timedelta(days=2)
    data = await client.staff(
        PUBLISH,
        {
            "input": {
                "id": gid("Product", product.id),
                "publishAt": start.isoformat(),
                "unpublishAt": (start - timedelta(hours=1)).isoformat(),
            }
        },
    )
    assert data["publishProduct"]["errors"][0]["code"] == "INVALID_SALE_WINDOW"
    assert (await Product.get(id=product.id)).status.value == "draft"


async def test_unpublish_and_archive_hide_the_product(client):
    first = await make_product()
    second = await make_product()
    for mutation, product, status in (
        ("unpublishProduct", first, "DRAFT"),
        ("archiveProduct", second, "ARCHIVED"),
    ):
        data = await client.staff(
            f"mutation($id: ID!) {{ {mutation}(input: {{id: $id}}) "
            "{ product { status isVisible } errors { code } } }",
            {"id": gid("Product", product.id)},
        )
        assert data[mutation]["product"] == {"status": status, "isVisible": False}
        assert await client.query(PRODUCT, {"id": gid("Product", product.id)}) == {"product": None}


async def test_delete_product_removes_it_with_its_variants(client):
    product = await make_product(prices=("1.00", "2.00"))
    data = await client.staff(
        "mutation($id: ID!) { deleteProduct(input: {id: $id}) { deletedId errors { code } } }",
        {"id": gid("Product", product.id)},
    )
    assert data["deleteProduct"] == {"deletedId": gid("Product", product.id), "errors": []}
    assert await Product.all().count() == 0
    assert await ProductVariant.all().count() == 0


async def test_staff_see_drafts_and_shoppers_do_not(client):
    draft = await make_product(publish=False)
    staff_view = await client.staff(PRODUCT, {"id": gid("Product", draft.id)})
    assert staff_view["product"]["id"] == gid("Product", draft.id)
    node = await client.query(
        "query($id: ID!) { node(id: $id) { id ... on Product { name } } }",
        {"id": gid("Product", draft.id)},
    )
    assert node == {"node": None}
