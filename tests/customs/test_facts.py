"""A line's customs facts: variant over product, national codes per destination."""

from __future__ import annotations

from models.catalog import Product, ProductVariant
from services.customs.facts import customs_facts


def _product(**kw: object) -> Product:
    base: dict[str, object] = {
        "hs_code": "610910",
        "hs_national": {"US": "6109100012", "GB": "61091000"},
        "origin_country": "cn",
        "customs_description": "Men's cotton T-shirt",
        "material": "100% cotton",
        "net_weight_grams": 180,
        "dangerous_goods": False,
        "excise_goods": False,
    }
    base.update(kw)
    return Product(**base)


def _variant(**kw: object) -> ProductVariant:
    base: dict[str, object] = {
        "hs_code": None,
        "hs_national": None,
        "origin_country": None,
        "customs_description": None,
        "net_weight_grams": None,
    }
    base.update(kw)
    return ProductVariant(**base)


def test_product_facts_when_the_variant_sets_none() -> None:
    facts = customs_facts(_product(), _variant(), "us")
    assert facts.hs_code == "610910"
    assert facts.hs_national == "6109100012"
    assert facts.origin_country == "CN"
    assert facts.description == "Men's cotton T-shirt"
    assert facts.net_weight_grams == 180


def test_variant_overrides_each_fact() -> None:
    variant = _variant(
        hs_code="611020",
        hs_national={"US": "6110202075"},
        origin_country="VN",
        customs_description="Men's cotton knitted sweater",
        net_weight_grams=0,
    )
    facts = customs_facts(_product(), variant, "US")
    assert (facts.hs_code, facts.hs_national, facts.origin_country) == (
        "611020",
        "6110202075",
        "VN",
    )
    assert facts.description == "Men's cotton knitted sweater"
    assert facts.net_weight_grams == 0


def test_a_national_code_of_another_heading_is_dropped() -> None:
    facts = customs_facts(_product(), _variant(hs_code="611020"), "GB")
    assert facts.hs_code == "611020"
    assert facts.hs_national == ""


def test_no_destination_or_no_entry_gives_no_national_code() -> None:
    assert customs_facts(_product(), _variant()).hs_national == ""
    assert customs_facts(_product(), _variant(), "JP").hs_national == ""


def test_unclassified_goods_have_empty_facts() -> None:
    facts = customs_facts(
        _product(hs_code=None, hs_national=None, origin_country=None, customs_description=""),
        _variant(),
        "DE",
    )
    assert (facts.hs_code, facts.hs_national, facts.origin_country, facts.description) == (
        "",
        "",
        "",
        "",
    )
