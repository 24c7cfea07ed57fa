"""Return policies and reasons through GraphQL: what shoppers read, what staff change."""

from __future__ import annotations

from datetime import date

import pytest

from models.accounts import Role
from models.returns import PolicyScope, ReturnPolicy, ReturnReason
from services.returns import policy
from tests.currency.helpers import import_rates
from tests.factories import gid, make_category, make_product, make_user

ERRORS = "errors { field code message }"
POLICY_FIELDS = """returnable finalSale windowDays returnShippingPayer
  returnShippingFee { amount currency formatted } restockingFeeBps restockingFeePercent
  summary source"""
RETURN_POLICY = f"""query($id: ID!, $currency: CurrencyCode) {{
  returnPolicy(productId: $id, currency: $currency) {{ {POLICY_FIELDS} }}
}}"""
REASONS = """query($all: Boolean) {
  returnReasons(includeInactive: $all) {
    id code name sourceName needsPhoto active position inUse translations { locale name }
  }
}"""
RULE = """id scope target { id name } returnable windowDays restockingFeeBps
  restockingFeePercent returnShippingPayer returnShippingFee { amount currency }"""
POLICIES = f"""{{ returnPolicies {{
  shop {{ {RULE} }} effectiveShop {{ windowDays summary }} overrides {{ {RULE} }}
}} }}"""
SET = f"""mutation($input: SetReturnPolicyInput!) {{
  setReturnPolicy(input: $input) {{ created policy {{ {RULE} }} {ERRORS} }}
}}"""
REMOVE = f"""mutation($input: RemoveReturnPolicyInput!) {{
  removeReturnPolicy(input: $input) {{ removed {ERRORS} }}
}}"""
REASON = "reason { id code name sourceName needsPhoto active inUse translations { locale name } }"
CREATE_REASON = f"""mutation($input: CreateReturnReasonInput!) {{
  createReturnReason(input: $input) {{ {REASON} {ERRORS} }}
}}"""
UPDATE_REASON = f"""mutation($input: UpdateReturnReasonInput!) {{
  updateReturnReason(input: $input) {{ {REASON} {ERRORS} }}
}}"""
TRANSLATE_REASON = f"""mutation($input: TranslateReturnReasonInput!) {{
  translateReturnReason(input: $input) {{ {REASON} {ERRORS} }}
}}"""
REORDER = f"""mutation($input: ReorderReturnReasonsInput!) {{
  reorderReturnReasons(input: $input) {{ reasons {{ code position }} {ERRORS} }}
}}"""
DELETE_REASON = f"""mutation($input: DeleteReturnReasonInput!) {{
  deleteReturnReason(input: $input) {{ deletedId {ERRORS} }}
}}"""
CART = f"""mutation($input: CartLineInput!) {{
  addToCart(input: $input) {{
    cartToken {ERRORS}
    cart {{ quote {{ currency lines {{ productName returnPolicy {{ {POLICY_FIELDS} }} }} }} }}
  }}
}}"""
CART_AGAIN = """query($token: String) {
  cart(cartToken: $token) {
    quote { lines { productName returnPolicy { finalSale summary } } }
  }
}"""


def codes(payload: dict) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_a_product_page_reads_its_policy_in_the_shoppers_language(client):
    category = await make_category()
    sweater = await make_product(category=category, name="Sweater")
    await client.staff(
        SET,
        {
            "input": {
                "scope": "SHOP",
                "windowDays": 30,
                "returnShippingFee": "8.00",
                "restockingFeeBps": 1000,
            }
        },
    )
    data = await client.query(RETURN_POLICY, {"id": gid("Product", sweater.id)})
    assert data["returnPolicy"] == {
        "returnable": True,
        "finalSale": False,
        "windowDays": 30,
        "returnShippingPayer": "CUSTOMER",
        "returnShippingFee": {"amount": "8.00", "currency": "USD", "formatted": "$8.00"},
        "restockingFeeBps": 1000,
        "restockingFeePercent": "10",
        "summary": "Returns within 30 days of delivery · return shipping paid by you ($8.00) · "
        "10 % restocking fee",
        "source": "SHOP",
    }
    german = await client.query(
        RETURN_POLICY, {"id": gid("Product", sweater.id)}, headers={"Accept-Language": "de"}
    )
    assert german["returnPolicy"]["summary"].startswith("Rückgabe innerhalb von 30 Tagen")

    await client.staff(
        SET,
        {
            "input": {
                "scope": "CATEGORY",
                "targetId": gid("Category", category.id),
                "returnable": False,
            }
        },
    )
    final = await client.query(
        RETURN_POLICY, {"id": gid("Product", sweater.id)}, headers={"Accept-Language": "zh"}
    )
    assert final["returnPolicy"]["finalSale"] is True
    assert final["returnPolicy"]["summary"] == "最终销售 — 不可退货"
    assert final["returnPolicy"]["returnShippingFee"]["amount"] == "0.00"
    assert final["returnPolicy"]["source"] == "CATEGORY"


async def test_the_fee_reads_in_the_currency_prices_are_shown_in(client):
    await import_rates(date.today())
    product = await make_product()
    await policy.set_policy(
        "shop",
        None,
        {
            "returnable": True,
            "window_days": 14,
            "restocking_fee_bps": 0,
            "return_shipping_payer": "customer",
            "return_shipping_fee": "10.00",
        },
    )
    data = await client.query(
        RETURN_POLICY,
        {"id": gid("Product", product.id), "currency": "JPY"},
        headers={"Accept-Language": "ja"},
    )
    fee = data["returnPolicy"]["returnShippingFee"]
    assert fee["currency"] == "JPY" and int(fee["amount"]) > 1000
    assert data["returnPolicy"]["summary"].startswith(
        "お届けから14日以内の返品可・返送料はお客様負担"
    )


async def test_checkout_lines_say_which_are_final_sale(client):
    final_category = await make_category(name="Outlet")
    outlet = await make_product(category=final_category, name="Outlet tee")
    regular = await make_product(name="Regular tee")
    await policy.set_policy(
        "category",
        final_category.id,
        {
            "returnable": False,
            "window_days": 0,
            "restocking_fee_bps": 0,
            "return_shipping_payer": "customer",
            "return_shipping_fee": 0,
        },
    )
    token = None
    for product in (outlet, regular):
        variant = (await product.variants.all())[0]
        data = await client.query(
            CART,
            {
                "input": {
                    "variantId": gid("ProductVariant", variant.id),
                    "quantity": 1,
                    "cartToken": token,
                }
            },
        )
        token = data["addToCart"]["cartToken"] or token
    lines = data["addToCart"]["cart"]["quote"]["lines"]
    by_name = {line["productName"]: line["returnPolicy"] for line in lines}
    assert by_name["Outlet tee"]["finalSale"] is True
    assert by_name["Outlet tee"]["source"] == "CATEGORY"
    assert by_name["Regular tee"]["finalSale"] is False
    assert by_name["Regular tee"]["summary"].startswith("Returns within 30 days")
    again = await client.query(CART_AGAIN, {"token": token}, headers={"Accept-Language": "fr"})
    shown = {
        line["productName"]: line["returnPolicy"]["summary"]
        for line in again["cart"]["quote"]["lines"]
    }
    assert shown["Outlet tee"] == "Vente finale — ni reprise ni échange"


async def test_the_cart_looks_up_its_lines_policies_together(client, count_queries):
    products = [await make_product() for _ in range(6)]
    token = None
    for product in products:
        variant = (await product.variants.all())[0]
        data = await client.query(
            CART,
            {
                "input": {
                    "variantId": gid("ProductVariant", variant.id),
                    "quantity": 1,
                    "cartToken": token,
                }
            },
        )
        token = data["addToCart"]["cartToken"] or token
    plain = "query($t: String) { cart(cartToken: $t) { quote { lines { productName } } } }"
    count_queries.statements.clear()
    await client.query(plain, {"t": token})
    without = count_queries.count
    count_queries.statements.clear()
    await client.query(CART_AGAIN, {"token": token})
    # Policies of six lines: a fixed handful of queries, not some per line.
    assert count_queries.count - without <= 5


async def test_reasons_are_listed_in_the_shoppers_language(client):
    data = await client.query(REASONS, headers={"Accept-Language": "ja"})
    reasons = data["returnReasons"]
    assert [r["code"] for r in reasons][:3] == ["wrong_size", "not_as_described", "damaged"]
    assert (
        reasons[2]["name"] == "破損・不良品" and reasons[2]["sourceName"] == "Damaged or defective"
    )
    assert reasons[2]["needsPhoto"] is True and reasons[2]["inUse"] is None
    damaged = reasons[2]["id"]
    await client.staff(UPDATE_REASON, {"input": {"id": damaged, "active": False}})
    after = (await client.query(REASONS))["returnReasons"]
    assert damaged not in [r["id"] for r in after]
    everything = (await client.staff(REASONS, {"all": True}))["returnReasons"]
    assert damaged in [r["id"] for r in everything]
    assert all(r["inUse"] is False for r in everything)


async def test_only_settings_staff_list_inactive_reasons_and_manage_policies(client):
    shopper = await make_user()
    catalog_staff = await make_user(role=Role.STAFF, permissions=("catalog",))
    settings_staff = await make_user(role=Role.STAFF, permissions=("settings",))
    for user in (None, shopper, catalog_staff):
        for document, variables in (
            (REASONS, {"all": True}),
            (POLICIES, {}),
            (SET, {"input": {"scope": "SHOP"}}),
            (REMOVE, {"input": {"scope": "SHOP"}}),
            (CREATE_REASON, {"input": {"name": "x"}}),
        ):
            body = await client.request(document, variables, user=user)
            assert body["errors"][0]["extensions"]["code"] in ("UNAUTHENTICATED", "FORBIDDEN")
    assert await ReturnPolicy.all().count() == 0
    data = await client.query(SET, {"input": {"scope": "SHOP"}}, user=settings_staff)
    assert data["setReturnPolicy"]["created"] is True


async def test_staff_set_list_and_remove_overrides(client):
    shoes = await make_category(name="Shoes")
    boots = await make_product(name="Boots", category=shoes)
    cheap = await make_product(name="Clearance socks")
    data = await client.staff(POLICIES)
    assert data["returnPolicies"]["shop"] is None
    assert data["returnPolicies"]["effectiveShop"]["windowDays"] == 30
    made = await client.staff(
        SET,
        {
            "input": {
                "scope": "CATEGORY",
                "targetId": gid("Category", shoes.id),
                "windowDays": 14,
                "returnShippingPayer": "MERCHANT",
                "returnShippingFee": "5",
            }
        },
    )
    assert made["setReturnPolicy"]["errors"] == []
    assert made["setReturnPolicy"]["policy"]["target"] == {
        "id": gid("Category", shoes.id),
        "name": "Shoes",
    }
    assert made["setReturnPolicy"]["policy"]["returnShippingFee"] == {
        "amount": "0.00",
        "currency": "USD",
    }
    await client.staff(
        SET,
        {"input": {"scope": "PRODUCT", "targetId": gid("Product", cheap.id), "returnable": False}},
    )
    await client.staff(SET, {"input": {"scope": "SHOP", "windowDays": 60}})
    listed = (await client.staff(POLICIES))["returnPolicies"]
    assert listed["shop"]["windowDays"] == 60
    assert listed["effectiveShop"]["summary"].startswith("Returns within 60 days")
    assert [(o["scope"], o["target"]["name"]) for o in listed["overrides"]] == [
        ("CATEGORY", "Shoes"),
        ("PRODUCT", "Clearance socks"),
    ]
    removed = await client.staff(
        REMOVE, {"input": {"scope": "CATEGORY", "targetId": gid("Category", shoes.id)}}
    )
    assert removed["removeReturnPolicy"] == {"removed": True, "errors": []}
    again = await client.staff(
        REMOVE, {"input": {"scope": "CATEGORY", "targetId": gid("Category", shoes.id)}}
    )
    assert codes(again["removeReturnPolicy"]) == [("NOT_FOUND", ["targetId"])]
    boots_policy = await client.query(RETURN_POLICY, {"id": gid("Product", boots.id)})
    assert boots_policy["returnPolicy"]["windowDays"] == 60


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"windowDays": 366}, [("OUT_OF_RANGE", ["windowDays"])]),
        ({"windowDays": -1}, [("OUT_OF_RANGE", ["windowDays"])]),
        ({"restockingFeeBps": 2147483647}, [("OUT_OF_RANGE", ["restockingFeeBps"])]),
        ({"returnShippingFee": "99999999999999999999"}, [("INVALID", ["returnShippingFee"])]),
        ({"returnShippingFee": "0.001"}, [("INVALID", ["returnShippingFee"])]),
        ({"targetId": "nonsense"}, [("INVALID", ["targetId"])]),
    ],
)
async def test_bad_policy_input_is_a_typed_error_and_writes_nothing(client, extra, expected):
    body = await client.request(SET, {"input": {"scope": "SHOP", **extra}}, staff=True)
    assert "errors" not in body, body
    assert codes(body["data"]["setReturnPolicy"]) == expected
    assert await ReturnPolicy.all().count() == 0


async def test_wrong_or_missing_targets_are_not_found(client):
    category = await make_category()
    product = await make_product()
    for scope, target in (
        ("CATEGORY", gid("Product", product.id)),  # an ID of another type
        ("PRODUCT", gid("Category", category.id)),
        ("PRODUCT", gid("Product", 2_000_000_000)),
        ("CATEGORY", None),
    ):
        data = await client.staff(SET, {"input": {"scope": scope, "targetId": target}})
        assert codes(data["setReturnPolicy"])[0][0] in ("NOT_FOUND", "REQUIRED"), data
    assert await ReturnPolicy.filter(scope=PolicyScope.PRODUCT).count() == 0


async def test_bad_values_never_reach_the_services(client):
    product = await make_product()
    for document, variables in (
        (SET, {"input": {"scope": "SHOP", "windowDays": 2**40}}),
        (CREATE_REASON, {"input": {"name": "bad\x00name"}}),
        (RETURN_POLICY, {"id": "UHJvZHVjdDo5OTk5OTk5OTk5OTk5OTk5OTk5"}),
        (RETURN_POLICY, {"id": gid("Category", product.id)}),
    ):
        body = await client.request(document, variables, staff=True)
        assert body["errors"][0]["extensions"]["code"] in (
            "BAD_USER_INPUT",
            "GRAPHQL_VALIDATION_FAILED",
        ), body
    assert await ReturnPolicy.all().count() == 0
    assert not await ReturnReason.filter(name__contains="bad").exists()


async def test_staff_manage_reasons(client):
    made = (
        await client.staff(CREATE_REASON, {"input": {"name": "Missing part", "needsPhoto": True}})
    )["createReturnReason"]
    assert made["errors"] == []
    reason = made["reason"]
    assert (reason["code"], reason["needsPhoto"], reason["inUse"]) == ("missing_part", True, False)
    translated = (
        await client.staff(
            TRANSLATE_REASON, {"input": {"id": reason["id"], "locale": "zh", "name": "缺少零件"}}
        )
    )["translateReturnReason"]
    assert translated["reason"]["translations"] == [{"locale": "zh", "name": "缺少零件"}]
    shown = await client.query(REASONS, headers={"Accept-Language": "zh-CN"})
    assert "缺少零件" in [r["name"] for r in shown["returnReasons"]]

    bad_locale = (
        await client.staff(
            TRANSLATE_REASON, {"input": {"id": reason["id"], "locale": "tlh", "name": "x"}}
        )
    )["translateReturnReason"]
    assert codes(bad_locale) == [("INVALID_LOCALE", ["locale"])]
    blank = (await client.staff(CREATE_REASON, {"input": {"name": "  "}}))["createReturnReason"]
    assert codes(blank) == [("REQUIRED", ["name"])]
    long = (await client.staff(CREATE_REASON, {"input": {"name": "x" * 121}}))["createReturnReason"]
    assert codes(long) == [("TOO_LONG", ["name"])]
    wrong_id = (
        await client.staff(UPDATE_REASON, {"input": {"id": gid("Product", 1), "active": False}})
    )["updateReturnReason"]
    assert codes(wrong_id) == [("NOT_FOUND", ["id"])]

    everything = (await client.staff(REASONS, {"all": True}))["returnReasons"]
    ids = [r["id"] for r in everything]
    reordered = (await client.staff(REORDER, {"input": {"ids": [ids[-1], ids[0]]}}))[
        "reorderReturnReasons"
    ]
    assert reordered["errors"] == []
    assert [r["code"] for r in reordered["reasons"]][:2] == ["missing_part", "wrong_size"]
    duplicate = (await client.staff(REORDER, {"input": {"ids": [ids[0], ids[0]]}}))[
        "reorderReturnReasons"
    ]
    assert codes(duplicate) == [("INVALID", ["reasonIds"])]

    deleted = (await client.staff(DELETE_REASON, {"input": {"id": reason["id"]}}))[
        "deleteReturnReason"
    ]
    assert deleted == {"deletedId": reason["id"], "errors": []}
    assert not await ReturnReason.filter(code="missing_part").exists()
