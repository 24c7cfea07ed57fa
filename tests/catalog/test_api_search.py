"""Searching the product list: every language, inside Chinese and Japanese names, typos,
relevance order and its pages, and whatever a client may type."""

from __future__ import annotations

import pytest

from services.catalog import translations
from tests.factories import make_brand, make_product

SEARCH = """
query Search($search: String, $first: Int, $after: String, $sortBy: ProductSortInput) {
  products(filter: {search: $search}, first: $first, after: $after, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name } }
  }
}
"""


async def found(client, search, **variables) -> list[str]:
    data = await client.query(SEARCH, {"search": search, **variables})
    return [edge["node"]["name"] for edge in data["products"]["edges"]]


async def test_chinese_and_japanese_words_are_found_inside_names(client):
    await make_product(name="防晒霜 SPF50")
    await make_product(name="日焼け止めジェル")
    await make_product(name="Winter Jacket")
    assert await found(client, "防晒") == ["防晒霜 SPF50"]
    assert await found(client, "日焼け") == ["日焼け止めジェル"]
    assert await found(client, "焼け止") == ["日焼け止めジェル"]
    assert await found(client, "ＳＰＦ５０") == ["防晒霜 SPF50"]  # full-width


async def test_a_typo_finds_the_word_meant(client):
    await make_product(name="Winter Jacket")
    await make_product(name="Rain Coat")
    assert await found(client, "jaket") == ["Winter Jacket"]
    assert await found(client, "JAKCET winter") == ["Winter Jacket"]
    assert await found(client, "jac") == ["Winter Jacket"]  # part of a word, not a typo


async def test_search_reaches_every_translation(client):
    product = await make_product(name="Sunscreen", description="Light cream")
    await translations.translate_product(
        product.id, "zh", {"name": "防晒霜", "description": "清爽不油腻"}
    )
    await translations.translate_product(product.id, "de", {"name": "Sonnencreme"})
    await make_product(name="Other")
    assert await found(client, "不油腻") == ["Sunscreen"]
    assert await found(client, "sonnencreme") == ["Sunscreen"]
    assert await found(client, "sonencreme") == ["Sunscreen"]  # typo in a translation


async def test_names_rank_above_descriptions_and_typos_last(client):
    await make_product(name="Rain Coat", description="Wear it over a jacket")
    await make_product(name="Winter Jacket")
    await make_product(name="Jacket Classic")
    await make_product(name="Jackets Rack")  # exact "jacket" inside a longer word
    got = await found(client, "jacket")
    assert got[:2] == ["Jackets Rack", "Jacket Classic"]  # newest first among name starts
    assert got[2:] == ["Winter Jacket", "Rain Coat"]
    # An explicit sort still wins over relevance.
    by_name = await found(client, "jacket", sortBy={"field": "NAME", "direction": "ASC"})
    assert by_name == ["Jacket Classic", "Jackets Rack", "Rain Coat", "Winter Jacket"]


async def test_corrected_matches_rank_below_exact_ones(client):
    await make_product(name="Jaket Brand Tee")  # really spelt so
    await make_product(name="Winter Jacket")
    await make_product(name="Jacketed Potato")
    # "jaket" is a word of the catalog: no corrections.
    assert await found(client, "jaket") == ["Jaket Brand Tee"]
    # "jackt" is not: both spellings it may mean, names first.
    assert set(await found(client, "jackt")) == {"Winter Jacket", "Jacketed Potato"}


async def test_relevance_pages_by_cursor_without_gaps_or_repeats(client):
    for i in range(7):
        await make_product(name=f"Jacket {i}")
        await make_product(name=f"Coat {i}", description="goes with a jacket")
    seen: list[str] = []
    after = None
    while True:
        data = await client.query(SEARCH, {"search": "jacket", "first": 3, "after": after})
        page = data["products"]
        seen += [edge["node"]["name"] for edge in page["edges"]]
        assert page["totalCount"] == 14
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 14
    assert seen[:7] == [f"Jacket {i}" for i in reversed(range(7))]


async def test_brand_model_and_sku_are_searched(client):
    acme = await make_brand(name="Northwind")
    await make_product(name="Kettle", brand=acme, model="KX-200")
    assert await found(client, "northwind") == ["Kettle"]
    assert await found(client, "kx-200") == ["Kettle"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "!!!",
        '"',
        "*",
        "NEAR(",
        "-",
        ":",
        '" OR 1=1 --',
        "%",
        "_",
        "\\",
        "' OR ''='",
        "jacket*",
        "NEAR(jacket coat, 2)",
        "^jacket",
        "{document}: x",
    ],
)
async def test_odd_input_never_errors(client, text):
    await make_product(name="Winter Jacket")
    data = await client.query(SEARCH, {"search": text})
    assert isinstance(data["products"]["totalCount"], int)


async def test_empty_and_punctuation_only_searches_list_everything(client):
    await make_product(name="Winter Jacket")
    await make_product(name="Rain Coat")
    for text in ("", "   ", "!!!", "-- :"):
        assert len(await found(client, text)) == 2


async def test_wildcards_are_literal(client):
    await make_product(name="Deal 100%off")
    await make_product(name="Deal 100xoff")
    assert await found(client, "0%o") == ["Deal 100%off"]
    assert await found(client, "0_o") == []


async def test_a_search_too_long_is_an_input_error(client):
    body = await client.request(SEARCH, {"search": "x" * 10_000})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body.get("data") is None or body["data"].get("products") is None


@pytest.mark.parametrize("text", ["\x00", "jacket\x00coat"])
async def test_nul_is_refused_as_input(client, text):
    body = await client.request(SEARCH, {"search": text})
    assert body["errors"][0]["extensions"]["reason"] == "INVALID_CHARACTERS"
