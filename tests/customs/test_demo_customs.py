"""The demo products' customs facts: every product classified and described for customs."""

from __future__ import annotations

import demo
from demo.shop import DEMO_CUSTOMS, load_demo_customs_facts
from models.catalog import Product
from services.customs import hs
from services.customs.descriptions import check_description


def test_every_demo_fact_passes_the_rules_it_will_be_saved_under():
    from demo.products import PRODUCTS

    assert set(DEMO_CUSTOMS) == {p.name for p in PRODUCTS}
    by_name = {p.name: p for p in PRODUCTS}
    for name, (description, net_grams, national, _) in DEMO_CUSTOMS.items():
        product = by_name[name]
        assert check_description(description) == description
        assert hs.check_hs_code(product.hs_code) == product.hs_code
        assert 0 < net_grams <= product.weight_grams, name
        for country, code in national.items():
            assert hs.check_national_code(country, code, product.hs_code) == code


async def test_the_demo_catalog_gets_its_customs_facts_once(client):
    await demo.load_demo_catalog()
    await load_demo_customs_facts()
    products = await Product.all()
    assert products and all(p.customs_description and p.net_weight_grams for p in products)
    bank = await Product.get(name="10,000 mAh Power Bank")
    assert bank.dangerous_goods and bank.hs_national == {"DE": "85076000", "GB": "85076000"}
    # A merchant's own description is never overwritten by a second load.
    await Product.filter(id=bank.id).update(customs_description="Power bank, 37 Wh")
    await load_demo_customs_facts()
    assert (await Product.get(id=bank.id)).customs_description == "Power bank, 37 Wh"
