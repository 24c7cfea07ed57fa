"""The search index follows every change to a product's text, and its text rules hold."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from decimal import Decimal
from typing import Any

import pytest

from models.catalog import ProductSearch, ProductTranslation, SearchWord
from services.catalog import brands, products, search, translations
from services.catalog.errors import CatalogError
from services.catalog.search_text import build_document, normalize, query_terms
from tests.factories import make_brand, make_product


async def document(product_id: int) -> str:
    row = await ProductSearch.get(product_id=product_id)
    return row.document


def test_normalize_folds_width_case_and_control_characters():
    assert normalize("ＪＡＣＫＥＴ\x00 Straße\t\n ﾃｽﾄ") == "jacket strasse テスト"


def test_query_terms_trim_punctuation_and_drop_empty_terms():
    assert query_terms('"jacket" NEAR( -: * 防晒') == ["jacket", "near", "防晒"]
    assert query_terms("!!! ... ---") == []
    assert query_terms("a " * 50) == ["a"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == 8


def test_names_start_lines_and_codes_do_not():
    built = build_document(names=["Rain Coat", None], codes=["Acme"], descriptions=["Dry"])
    assert built.names == "\nrain coat\n\tacme"
    assert built.document == "\nrain coat\n\tacme\ndry"


async def test_new_product_is_indexed_with_brand_model_and_skus(db):
    acme = await make_brand(name="Acme")
    product = await make_product(name="Rain Coat", model="RC-9", brand=acme, description="Dry")
    text = await document(product.id)
    for part in ("rain coat", "acme", "rc-9", "sku-", "dry"):
        assert part in text
    assert await SearchWord.exists(word="rain")


async def test_update_rewrites_the_row_only_with_the_new_text(db):
    product = await make_product(name="Rain Coat")
    await products.update_product(product.id, {"name": "Winter Jacket", "description": "Warm"})
    text = await document(product.id)
    assert "winter jacket" in text and "warm" in text and "rain" not in text


async def test_translations_set_and_removed_follow(db):
    product = await make_product(name="Sunscreen")
    await translations.translate_product(
        product.id, "zh", {"name": "防晒霜", "description": "清爽"}
    )
    await translations.translate_product(product.id, "ja", {"name": "日焼け止め"})
    text = await document(product.id)
    assert "防晒霜" in text and "清爽" in text and "日焼け止め" in text
    await translations.delete_product_translation(product.id, "zh")
    assert "防晒霜" not in await document(product.id)


async def test_brand_rename_rewrites_its_products(db):
    acme = await make_brand(name="Acme")
    one = await make_product(brand=acme)
    two = await make_product(brand=acme)
    await brands.update_brand(acme.id, {"name": "Northwind"})
    for product in (one, two):
        text = await document(product.id)
        assert "northwind" in text and "acme" not in text


async def test_variant_sku_changes_follow(db):
    product = await make_product()
    variant = await products.create_variant(product.id, {"sku": "NEW-SKU-1", "price": Decimal(3)})
    assert "new-sku-1" in await document(product.id)
    await products.update_variant(variant.id, {"sku": "RENAMED-2"})
    text = await document(product.id)
    assert "renamed-2" in text and "new-sku-1" not in text
    await products.delete_variant(variant.id)
    assert "renamed-2" not in await document(product.id)


async def test_deleted_product_loses_its_row(db):
    product = await make_product()
    await products.delete_product(product.id, actor="test")
    assert not await ProductSearch.exists(product_id=product.id)


async def test_rebuild_indexes_every_product(db):
    one = await make_product(name="Rain Coat")
    two = await make_product(name="Teapot")
    await ProductSearch.all().delete()
    assert await search.rebuild() == 2
    assert "rain coat" in await document(one.id) and "teapot" in await document(two.id)


async def test_typo_corrections_come_from_the_vocabulary(db):
    await make_product(name="Winter Jacket")
    assert await search.corrections("jaket") == ["jacket"]
    assert await search.corrections("jakcet") == ["jacket"]  # neighbours swapped
    assert await search.corrections("jacket") == []  # a word of the catalog
    assert await search.corrections("jac") == []  # too short to guess
    assert await search.corrections("zzzzzz") == []


async def test_a_search_too_long_is_refused(db):
    with pytest.raises(CatalogError):
        await search.match("x" * 201)


async def test_concurrent_edits_leave_the_row_as_the_product_ends(db):
    """Renames, translations and a brand rename racing on one product: the index row
    ends with what the rows hold (on PostgreSQL the transactions really overlap)."""
    acme = await make_brand(name="Acme")
    product = await make_product(name="Start", brand=acme)

    async def rename(i: int) -> None:
        await products.update_product(product.id, {"name": f"Name {i}"})

    async def translate(i: int) -> None:
        await translations.translate_product(product.id, "de", {"name": f"Titel {i}"})

    jobs: list[Awaitable[Any]] = [rename(i) for i in range(6)]
    jobs += [translate(i) for i in range(6)]
    jobs.append(brands.update_brand(acme.id, {"name": "Northwind"}))
    await asyncio.gather(*jobs)
    current = await products.get_product(product.id)
    german = await ProductTranslation.get(product_id=product.id, locale="de")
    text = await document(product.id)
    assert f"\n{current.name.lower()}" in text
    assert f"\n{(german.name or '').lower()}" in text
    assert "northwind" in text and "acme" not in text
    assert await ProductSearch.filter(product_id=product.id).count() == 1
