"""Return policies: which one a product is sold under, how the merchant sets them, and the
line a shopper reads."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from demo.loading import load_demo_catalog
from demo.returns import load_demo_returns
from models.catalog import Product
from models.returns import PolicyScope, ReturnPolicy, ReturnReason, ReturnShippingPayer
from services.returns import policy, wording
from services.returns.setup_errors import ReturnSetupError, ReturnSetupErrorCode
from tests.factories import make_category, make_product

Code = ReturnSetupErrorCode


def terms(**given: object) -> policy.PolicyFields:
    fields: dict[str, object] = {
        "returnable": True,
        "window_days": 30,
        "restocking_fee_bps": 0,
        "return_shipping_payer": ReturnShippingPayer.CUSTOMER,
        "return_shipping_fee": Decimal("0"),
    }
    fields.update(given)
    return fields  # type: ignore[return-value]


async def test_resolution_takes_the_most_specific_policy(db):
    root = await make_category()
    child = await make_category(parent=root)
    grandchild = await make_category(parent=child)
    other = await make_category()
    own = await make_product(category=grandchild)
    inherits = await make_product(category=grandchild)
    elsewhere = await make_product(category=other)
    loose = await make_product()

    # Nothing set: the built-in default.
    found = await policy.policies_for([own.id, loose.id])
    assert found[own.id] == policy.DEFAULT and found[loose.id] == policy.DEFAULT

    await policy.set_policy("shop", None, terms(window_days=45))
    await policy.set_policy(PolicyScope.CATEGORY, root.id, terms(window_days=20))
    await policy.set_policy(PolicyScope.CATEGORY, child.id, terms(window_days=14))
    await policy.set_policy(PolicyScope.PRODUCT, own.id, terms(returnable=False))

    found = await policy.policies_for([own.id, inherits.id, elsewhere.id, loose.id, own.id])
    assert found[own.id].returnable is False and found[own.id].scope is PolicyScope.PRODUCT
    # The nearest ancestor with a policy wins over the root's.
    assert (found[inherits.id].window_days, found[inherits.id].target_id) == (14, child.id)
    assert found[elsewhere.id].window_days == 45 and found[elsewhere.id].scope is PolicyScope.SHOP
    assert found[loose.id].window_days == 45

    # The category's own policy goes: its parent's applies.
    await policy.remove_policy("category", child.id)
    assert (await policy.policies_for([inherits.id]))[inherits.id].window_days == 20


async def test_a_deleted_product_takes_the_shop_policy(db):
    product = await make_product()
    await policy.set_policy("shop", None, terms(window_days=60))
    await policy.set_policy("product", product.id, terms(window_days=5))
    await Product.filter(id=product.id).delete()
    found = await policy.policies_for([product.id])
    assert found[product.id].window_days == 60
    assert await ReturnPolicy.filter(scope=PolicyScope.PRODUCT).count() == 0


async def test_setting_a_target_twice_changes_one_row(db):
    product = await make_product()
    first, created = await policy.set_policy("product", product.id, terms(window_days=10))
    second, created_again = await policy.set_policy(
        "product", product.id, terms(window_days=12, restocking_fee_bps=1000)
    )
    assert created and not created_again and first.id == second.id
    row = await ReturnPolicy.get(id=first.id)
    assert (row.window_days, row.restocking_fee_bps) == (12, 1000)


async def test_a_merchant_who_pays_return_shipping_charges_no_fee(db):
    row, _ = await policy.set_policy(
        "shop",
        None,
        terms(return_shipping_payer="merchant", return_shipping_fee="8.00"),
    )
    assert row.return_shipping_payer == ReturnShippingPayer.MERCHANT
    assert row.return_shipping_fee == 0


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"window_days": -1}, "window_days", Code.OUT_OF_RANGE),
        ({"window_days": 366}, "window_days", Code.OUT_OF_RANGE),
        ({"window_days": 2**40}, "window_days", Code.OUT_OF_RANGE),
        ({"restocking_fee_bps": 5001}, "restocking_fee_bps", Code.OUT_OF_RANGE),
        ({"restocking_fee_bps": -5}, "restocking_fee_bps", Code.OUT_OF_RANGE),
        ({"return_shipping_fee": "-1"}, "return_shipping_fee", Code.OUT_OF_RANGE),
        ({"return_shipping_fee": "100000.01"}, "return_shipping_fee", Code.OUT_OF_RANGE),
        ({"return_shipping_fee": "1e400"}, "return_shipping_fee", Code.INVALID),
        ({"return_shipping_fee": "8.001"}, "return_shipping_fee", Code.INVALID),
        ({"return_shipping_fee": "NaN"}, "return_shipping_fee", Code.INVALID),
        ({"return_shipping_payer": "nobody"}, "return_shipping_payer", Code.INVALID),
    ],
)
async def test_bad_terms_are_refused_and_nothing_is_written(db, given, field, code):
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy("shop", None, terms(**given))
    assert [(p.code, p.field) for p in caught.value.problems] == [(code, (field,))]
    assert await ReturnPolicy.all().count() == 0


async def test_every_problem_is_reported_at_once(db):
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy(
            "shop", None, terms(window_days=400, restocking_fee_bps=9999, return_shipping_fee="x")
        )
    assert {p.field for p in caught.value.problems} == {
        ("window_days",),
        ("restocking_fee_bps",),
        ("return_shipping_fee",),
    }


async def test_targets_must_exist_and_match_the_scope(db):
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy("category", 999_999, terms())
    assert caught.value.problems[0].code is Code.NOT_FOUND
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy("product", None, terms())
    assert caught.value.problems[0].code is Code.REQUIRED
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy("shop", 1, terms())
    assert caught.value.problems[0].code is Code.INVALID
    with pytest.raises(ReturnSetupError) as caught:
        await policy.set_policy("brand", 1, terms())
    assert caught.value.problems[0].code is Code.INVALID
    with pytest.raises(ReturnSetupError) as caught:
        await policy.remove_policy("shop", None)
    assert caught.value.problems[0].code is Code.NOT_FOUND
    assert await ReturnPolicy.all().count() == 0


async def test_concurrent_sets_of_one_target_end_as_one_row(db):
    """Runs on PostgreSQL too: the unique index cannot stop it (its rows hold NULLs)."""
    category = await make_category()
    results = await asyncio.gather(
        *(policy.set_policy("shop", None, terms(window_days=d)) for d in range(10, 20)),
        *(policy.set_policy("category", category.id, terms(window_days=d)) for d in range(1, 9)),
    )
    assert await ReturnPolicy.filter(scope=PolicyScope.SHOP).count() == 1
    assert await ReturnPolicy.filter(scope=PolicyScope.CATEGORY).count() == 1
    assert sum(created for _, created in results) == 2
    shop = await ReturnPolicy.get(scope=PolicyScope.SHOP)
    assert 10 <= shop.window_days < 20


async def test_the_window_counts_from_delivery_else_shipping_plus_the_margin(db, settings):
    start = datetime(2026, 3, 1, tzinfo=UTC)
    fourteen = policy.EffectivePolicy(
        True, 14, 0, ReturnShippingPayer.CUSTOMER, 0, PolicyScope.SHOP
    )
    assert policy.window_ends(fourteen, start, start - timedelta(days=3)) == start + timedelta(
        days=14
    )
    margin = settings.returns_delivery_margin_days
    assert policy.window_ends(fourteen, None, start) == start + timedelta(days=14 + margin)
    assert policy.window_ends(fourteen, None, None) is None


def test_the_summary_reads_in_the_shoppers_language():
    shop = policy.EffectivePolicy(
        True, 30, 1000, ReturnShippingPayer.CUSTOMER, 800, PolicyScope.SHOP
    )
    assert wording.summary(shop, "en", fee_minor=800, currency="USD") == (
        "Returns within 30 days of delivery · return shipping paid by you ($8.00) · "
        "10 % restocking fee"
    )
    assert wording.summary(shop, "ja", fee_minor=1200, currency="JPY") == (
        "お届けから30日以内の返品可・返送料はお客様負担（￥1,200）・再入庫手数料 10%"
    )
    assert "Rücksendekosten" in wording.summary(shop, "de-AT", fee_minor=800, currency="EUR")
    final = policy.EffectivePolicy(
        False, 30, 0, ReturnShippingPayer.CUSTOMER, 0, PolicyScope.PRODUCT
    )
    assert wording.summary(final, "zh", fee_minor=0, currency="CNY") == "最终销售 — 不可退货"
    assert wording.summary(final, "xx", fee_minor=0, currency="USD") == (
        "Final sale — cannot be returned"
    )
    free = policy.EffectivePolicy(True, 1, 250, ReturnShippingPayer.MERCHANT, 0, PolicyScope.SHOP)
    assert wording.summary(free, "fr", fee_minor=0, currency="EUR") == (
        "Retours sous 1 jour après la livraison · retour gratuit · "
        "frais de remise en stock de 2,5 %"
    )


async def test_the_demo_sells_beauty_as_final_sale_under_a_30_day_shop_policy(db):
    await load_demo_catalog()
    assert await load_demo_returns() is True
    assert await load_demo_returns() is False
    beauty = await Product.filter(category__slug="beauty").first()
    other = await Product.exclude(category__slug="beauty").first()
    assert beauty is not None and other is not None
    found = await policy.policies_for([beauty.id, other.id])
    assert found[beauty.id].returnable is False
    assert (found[other.id].window_days, found[other.id].return_shipping_fee) == (30, 800)
    assert await ReturnReason.filter(code="damaged", needs_photo=True).exists()
