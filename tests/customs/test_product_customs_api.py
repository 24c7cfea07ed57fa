"""Customs facts of products and variants through the GraphQL API, and the HS lookup."""

from __future__ import annotations

from models.catalog import Product, ProductVariant
from services.auth import Role, StaffPermission
from tests.factories import gid, make_product, make_user

CUSTOMS = """
  hsCode hs { code description level section parent }
  nationalCodes { country code }
  originCountry description material netWeightGrams dangerousGoods exciseGoods
"""

CREATE_PRODUCT = f"""
mutation Create($input: CreateProductInput!) {{
  createProduct(input: $input) {{
    product {{
      id hsCode customs {{ {CUSTOMS} }}
      variants {{ sku customs {{
        hsCode nationalCodes {{ country code }} originCountry description netWeightGrams
        effective {{ {CUSTOMS} }}
      }} }}
    }}
    errors {{ field code message }}
  }}
}}
"""

UPDATE_PRODUCT = f"""
mutation Update($input: UpdateProductInput!) {{
  updateProduct(input: $input) {{
    product {{ id customs {{ {CUSTOMS} }} }}
    errors {{ field code message }}
  }}
}}
"""

CREATE_VARIANT = f"""
mutation CreateVariant($input: CreateProductVariantInput!) {{
  createProductVariant(input: $input) {{
    variant {{ sku customs {{
      hsCode hs {{ code }} nationalCodes {{ country code }} originCountry description
      netWeightGrams effective {{ {CUSTOMS} }}
    }} }}
    errors {{ field code message }}
  }}
}}
"""

UPDATE_VARIANT = f"""
mutation UpdateVariant($input: UpdateProductVariantInput!) {{
  updateProductVariant(input: $input) {{
    variant {{ sku customs {{
      hsCode nationalCodes {{ country code }} originCountry description netWeightGrams
      effective {{ {CUSTOMS} }}
    }} }}
    errors {{ field code message }}
  }}
}}
"""

PRODUCT_CUSTOMS = """
query One($id: ID!) { product(id: $id) { id customs { hsCode } } }
"""

HS_CODES = """
query Hs($search: String!, $first: Int) {
  hsCodes(search: $search, first: $first) { code description level section parent }
}
"""

T_SHIRT = {
    "name": "Organic Tee",
    "hsCode": "6109.10",
    "nationalCodes": [
        {"country": "US", "code": "6109.10.0012"},
        {"country": "GB", "code": "61091000"},
    ],
    "originCountry": "CN",
    "customsDescription": "Men's cotton T-shirt",
    "material": "100% organic cotton",
    "netWeightGrams": 180,
    "variants": [
        {"sku": "TEE-S", "price": "20.00", "options": [{"name": "style", "value": "tee"}]},
        {
            "sku": "TEE-KNIT",
            "price": "45.00",
            "options": [{"name": "style", "value": "knit"}],
            "hsCode": "611020",
            "nationalCodes": [{"country": "US", "code": "6110202075"}],
            "originCountry": "VN",
            "customsDescription": "Men's cotton knitted sweater",
            "netWeightGrams": 420,
        },
    ],
}


def _errors(payload: dict) -> set[tuple[str, str]]:
    return {(".".join(e["field"]), e["code"]) for e in payload["errors"]}


async def _create(client, **changes: object) -> dict:
    data = await client.staff(CREATE_PRODUCT, {"input": {**T_SHIRT, **changes}})
    return data["createProduct"]


async def test_merchant_classifies_a_product_and_a_variant_overrides_it(client):
    payload = await _create(client)
    assert payload["errors"] == []
    product = payload["product"]
    assert product["hsCode"] == "610910"
    customs = product["customs"]
    assert customs["hs"]["code"] == "610910" and customs["hs"]["level"] == "SUBHEADING"
    assert customs["hs"]["description"].startswith("T-shirts, singlets and other vests")
    assert (customs["hs"]["section"], customs["hs"]["parent"]) == ("XI", "6109")
    assert customs["nationalCodes"] == [
        {"country": "GB", "code": "61091000"},
        {"country": "US", "code": "6109100012"},
    ]
    assert customs["originCountry"] == "CN"
    assert customs["description"] == "Men's cotton T-shirt"
    assert customs["material"] == "100% organic cotton"
    assert customs["netWeightGrams"] == 180
    assert (customs["dangerousGoods"], customs["exciseGoods"]) == (False, False)

    plain, knit = product["variants"]
    assert plain["customs"]["hsCode"] is None and plain["customs"]["nationalCodes"] is None
    assert plain["customs"]["effective"] == customs
    assert knit["customs"]["hsCode"] == "611020"
    assert knit["customs"]["originCountry"] == "VN"
    effective = knit["customs"]["effective"]
    assert effective["hsCode"] == "611020" and effective["hs"]["code"] == "611020"
    # The product's GB code extends another subheading: it does not apply to the sweater.
    assert effective["nationalCodes"] == [{"country": "US", "code": "6110202075"}]
    assert effective["description"] == "Men's cotton knitted sweater"
    assert effective["netWeightGrams"] == 420
    assert effective["material"] == "100% organic cotton"

    row = await Product.get(id=int(await _pk(product["id"])))
    assert row.hs_code == "610910"
    assert row.hs_national == {"US": "6109100012", "GB": "61091000"}
    variant = await ProductVariant.get(sku="TEE-KNIT")
    assert (variant.hs_code, variant.hs_national) == ("611020", {"US": "6110202075"})


async def _pk(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":")[1]


async def test_bad_customs_facts_are_refused_field_by_field_and_nothing_is_written(client):
    payload = await _create(
        client,
        hsCode="6109.99",
        nationalCodes=[
            {"country": "US", "code": "61091000"},
            {"country": "JP", "code": "611020000"},
            {"country": "JP", "code": "610910000"},
        ],
        customsDescription="Gift",
        netWeightGrams=0,
        variants=[
            {"sku": "V1", "price": "1", "hsCode": "6109", "customsDescription": "衣服"},
        ],
    )
    assert payload["product"] is None
    errors = _errors(payload)
    assert errors == {
        ("hsCode", "UNKNOWN_HS_CODE"),
        ("customsDescription", "VAGUE_DESCRIPTION"),
        ("netWeightGrams", "INVALID"),
        ("variants.0.hsCode", "INVALID_HS_CODE"),
        ("variants.0.customsDescription", "VAGUE_DESCRIPTION"),
    }
    assert await Product.all().count() == 0
    # With the HS code right, each national code is judged on its own.
    payload = await _create(
        client,
        nationalCodes=[
            {"country": "US", "code": "61091000"},
            {"country": "JP", "code": "611020000"},
            {"country": "GB", "code": "61091000"},
            {"country": "GB", "code": "6109100010"},
        ],
    )
    errors = _errors(payload)
    assert errors == {
        ("nationalCodes.0.code", "INVALID_NATIONAL_CODE"),
        ("nationalCodes.1.code", "NATIONAL_CODE_MISMATCH"),
        ("nationalCodes.3.country", "INVALID"),
    }
    assert await Product.all().count() == 0


async def test_a_longer_hs_code_is_refused_pointing_to_national_codes(client):
    payload = await _create(client, hsCode="6109.10.0012", nationalCodes=[])
    assert _errors(payload) == {("hsCode", "INVALID_HS_CODE")}
    assert "national code" in payload["errors"][0]["message"]


async def test_national_codes_need_an_hs_code(client):
    payload = await _create(client, hsCode=None, variants=[])
    assert _errors(payload) == {
        ("nationalCodes.0.code", "NATIONAL_CODE_MISMATCH"),
        ("nationalCodes.1.code", "NATIONAL_CODE_MISMATCH"),
    }


async def test_control_characters_in_a_description_are_refused(client):
    payload = await _create(client, customsDescription="Cotton\tT-shirt", variants=[])
    assert _errors(payload) == {("customsDescription", "INVALID_CHARACTERS")}


async def test_update_changes_flags_and_clears_facts(client):
    product_id = (await _create(client))["product"]["id"]
    data = await client.staff(
        UPDATE_PRODUCT,
        {
            "input": {
                "id": product_id,
                "dangerousGoods": True,
                "exciseGoods": True,
                "customsDescription": None,
                "netWeightGrams": None,
                "nationalCodes": [{"country": "AU", "code": "61091000"}],
            }
        },
    )
    payload = data["updateProduct"]
    assert payload["errors"] == []
    customs = payload["product"]["customs"]
    assert (customs["dangerousGoods"], customs["exciseGoods"]) == (True, True)
    assert customs["description"] == "" and customs["netWeightGrams"] is None
    assert customs["nationalCodes"] == [{"country": "AU", "code": "61091000"}]
    # Clearing the HS code clears the national codes that extended it.
    data = await client.staff(UPDATE_PRODUCT, {"input": {"id": product_id, "hsCode": None}})
    customs = data["updateProduct"]["product"]["customs"]
    assert customs["hsCode"] is None and customs["hs"] is None
    assert customs["nationalCodes"] == []
    row = await Product.get(id=int(await _pk(product_id)))
    assert (row.hs_code, row.hs_national) == (None, None)


async def test_reclassifying_needs_national_codes_that_fit(client):
    product_id = (await _create(client))["product"]["id"]
    data = await client.staff(UPDATE_PRODUCT, {"input": {"id": product_id, "hsCode": "610990"}})
    assert _errors(data["updateProduct"]) == {("nationalCodes", "NATIONAL_CODE_MISMATCH")}
    assert "GB, US" in data["updateProduct"]["errors"][0]["message"]
    row = await Product.get(id=int(await _pk(product_id)))
    assert row.hs_code == "610910"
    data = await client.staff(
        UPDATE_PRODUCT,
        {
            "input": {
                "id": product_id,
                "hsCode": "610990",
                "nationalCodes": [{"country": "US", "code": "6109901007"}],
            }
        },
    )
    assert data["updateProduct"]["errors"] == []
    customs = data["updateProduct"]["product"]["customs"]
    assert customs["hsCode"] == "610990"
    assert customs["nationalCodes"] == [{"country": "US", "code": "6109901007"}]


async def test_a_stored_long_code_reads_as_its_subheading_and_national_codes_extend_it(client):
    # Written before HS codes were 6 digits: kept until the merchant sets the code again.
    product = await make_product(publish=False)
    await Product.filter(id=product.id).update(hs_code="6109100012")
    product_id = gid("Product", product.id)
    data = await client.staff(
        UPDATE_PRODUCT,
        {"input": {"id": product_id, "nationalCodes": [{"country": "US", "code": "6109100012"}]}},
    )
    payload = data["updateProduct"]
    assert payload["errors"] == []
    assert payload["product"]["customs"]["hsCode"] == "610910"
    assert payload["product"]["customs"]["hs"]["code"] == "610910"
    row = await Product.get(id=product.id)
    assert (row.hs_code, row.hs_national) == ("6109100012", {"US": "6109100012"})


async def test_variant_overrides_are_set_checked_and_cleared(client):
    product = (await _create(client))["product"]
    data = await client.staff(
        CREATE_VARIANT,
        {
            "input": {
                "productId": product["id"],
                "sku": "TEE-XL",
                "price": "22.00",
                "nationalCodes": [{"country": "JP", "code": "610910000"}],
                "netWeightGrams": 230,
            }
        },
    )
    payload = data["createProductVariant"]
    assert payload["errors"] == []
    customs = payload["variant"]["customs"]
    assert customs["hsCode"] is None and customs["netWeightGrams"] == 230
    assert customs["nationalCodes"] == [{"country": "JP", "code": "610910000"}]
    assert customs["effective"]["nationalCodes"] == [
        {"country": "GB", "code": "61091000"},
        {"country": "JP", "code": "610910000"},
        {"country": "US", "code": "6109100012"},
    ]
    variant = await ProductVariant.get(sku="TEE-XL")
    # A national code of the variant's own must extend the HS code that applies to it.
    variant_id = gid("ProductVariant", variant.id)
    data = await client.staff(
        UPDATE_VARIANT,
        {
            "input": {
                "id": variant_id,
                "nationalCodes": [{"country": "US", "code": "6110202075"}],
                "originCountry": "BD",
            }
        },
    )
    errors = _errors(data["updateProductVariant"])
    assert errors == {("nationalCodes.0.code", "NATIONAL_CODE_MISMATCH")}
    data = await client.staff(
        UPDATE_VARIANT,
        {"input": {"id": variant_id, "customsDescription": "sample", "originCountry": "BD"}},
    )
    errors = _errors(data["updateProductVariant"])
    assert errors == {("customsDescription", "VAGUE_DESCRIPTION")}
    await variant.refresh_from_db()
    assert variant.origin_country is None
    # Clearing each override gives the product's facts back.
    data = await client.staff(
        UPDATE_VARIANT,
        {
            "input": {
                "id": gid("ProductVariant", variant.id),
                "nationalCodes": None,
                "netWeightGrams": None,
                "originCountry": None,
                "customsDescription": "",
            }
        },
    )
    payload = data["updateProductVariant"]
    assert payload["errors"] == []
    customs = payload["variant"]["customs"]
    assert customs == {
        "hsCode": None,
        "nationalCodes": None,
        "originCountry": None,
        "description": None,
        "netWeightGrams": None,
        "effective": product["customs"],
    }
    await variant.refresh_from_db()
    assert (variant.hs_national, variant.net_weight_grams, variant.customs_description) == (
        None,
        None,
        None,
    )


async def test_a_variant_reclassified_takes_its_own_hs_code_and_can_drop_it(client):
    await _create(client)
    variant = await ProductVariant.get(sku="TEE-KNIT")
    variant_id = gid("ProductVariant", variant.id)
    refused = await client.staff(UPDATE_VARIANT, {"input": {"id": variant_id, "hsCode": None}})
    assert _errors(refused["updateProductVariant"]) == {("nationalCodes", "NATIONAL_CODE_MISMATCH")}
    data = await client.staff(
        UPDATE_VARIANT, {"input": {"id": variant_id, "hsCode": None, "nationalCodes": None}}
    )
    customs = data["updateProductVariant"]["variant"]["customs"]
    assert customs["hsCode"] is None and customs["effective"]["hsCode"] == "610910"


async def test_customs_facts_are_for_catalog_staff_only(client):
    product = await make_product()
    product_id = gid("Product", product.id)
    shopper = await client.request(PRODUCT_CUSTOMS, {"id": product_id})
    assert shopper["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
    clerk = await make_user(role=Role.STAFF, permissions=(StaffPermission.ORDERS,))
    body = await client.request(PRODUCT_CUSTOMS, {"id": product_id}, user=clerk)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    editor = await make_user(role=Role.STAFF, permissions=(StaffPermission.CATALOG,))
    data = await client.query(PRODUCT_CUSTOMS, {"id": product_id}, user=editor)
    assert data["product"]["customs"] == {"hsCode": None}


async def test_staff_look_hs_codes_up_by_code_and_words(client):
    editor = await make_user(role=Role.STAFF, permissions=(StaffPermission.CATALOG,))
    data = await client.query(HS_CODES, {"search": "6109"}, user=editor)
    assert [c["code"] for c in data["hsCodes"]] == ["6109", "610910", "610990"]
    assert data["hsCodes"][0]["level"] == "HEADING" and data["hsCodes"][0]["parent"] == "61"
    data = await client.query(HS_CODES, {"search": "Cotton T-Shirt", "first": 1}, user=editor)
    assert data["hsCodes"] == [
        {
            "code": "610910",
            "description": "T-shirts, singlets and other vests; of cotton, knitted or crocheted",
            "level": "SUBHEADING",
            "section": "XI",
            "parent": "6109",
        }
    ]
    data = await client.query(HS_CODES, {"search": "zeppelin cotton"}, user=editor)
    assert data["hsCodes"] == []


async def test_hs_lookup_bounds_its_input_and_its_readers(client):
    editor = await make_user(role=Role.STAFF, permissions=(StaffPermission.CATALOG,))
    for variables in (
        {"search": "x" * 101},
        {"search": "shirt", "first": 51},
        {"search": "shirt", "first": 0},
        {"search": "shirt\x00"},
    ):
        body = await client.request(HS_CODES, variables, user=editor)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", variables
    clerk = await make_user(role=Role.STAFF, permissions=(StaffPermission.ORDERS,))
    body = await client.request(HS_CODES, {"search": "shirt"}, user=clerk)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(HS_CODES, {"search": "shirt"})
    assert body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
