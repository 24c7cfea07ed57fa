"""A product page fetches the relations its query asks for once, and only those."""

from __future__ import annotations

import pytest

from tests.factories import make_brand, make_category, make_product, png_bytes

GRID = """
query Grid($first: Int!) {
  products(first: $first) {
    edges { node { ...Card } }
  }
}
fragment Card on Product {
  name
  ... on Product { featuredImage { url } }
  category { name }
  variants { name price { amount } }
}
"""


async def _catalog(count: int = 3) -> None:
    from services.catalog import images

    brand = await make_brand(name="Acme")
    category = await make_category(name="Tea")
    for i in range(count):
        product = await make_product(
            name=f"Pot {i}", brand=brand, category=category, prices=("1.00", "2.00")
        )
        await images.add_image(product.id, png_bytes(color="blue"), alt="front")


def _tables(statements: list[str]) -> list[str]:
    """The table each SELECT reads first, in order."""
    return [s.split(" FROM ", 1)[1].split()[0].strip('"') for s in statements if " FROM " in s]


async def test_relations_in_fragments_come_in_one_batch_each(client, count_queries):
    await _catalog()
    await client.query(GRID, {"first": 3})  # warm: the viewer and the currency settle
    count_queries.statements.clear()
    data = await client.query(GRID, {"first": 3})
    nodes = [edge["node"] for edge in data["products"]["edges"]]
    assert [n["name"] for n in nodes] == ["Pot 2", "Pot 1", "Pot 0"]
    assert all(n["featuredImage"]["url"].endswith(".png") for n in nodes)
    assert all(n["category"] == {"name": "Tea"} for n in nodes)
    assert all(len(n["variants"]) == 2 for n in nodes)
    tables = _tables(count_queries.statements)
    assert tables.count("catalog_product_variant") == 1, count_queries.statements
    assert tables.count("catalog_product_image") == 1, count_queries.statements
    # The category came joined to the page: no query of its own.
    assert "catalog_category" not in tables, count_queries.statements


@pytest.mark.parametrize(
    ("selection", "absent"),
    [
        ("name", {"catalog_product_variant", "catalog_product_image", "catalog_category"}),
        ("name variants { name }", {"catalog_product_image", "catalog_category"}),
        ("name images { url }", {"catalog_product_variant"}),
    ],
)
async def test_a_page_reads_no_relation_it_does_not_show(client, count_queries, selection, absent):
    await _catalog()
    query = f"{{ products(first: 3) {{ nodes {{ {selection} }} }} }}"
    await client.query(query)
    count_queries.statements.clear()
    data = await client.query(query)
    assert len(data["products"]["nodes"]) == 3
    read = " ".join(count_queries.statements)
    for table in absent:
        assert f'"{table}"' not in read, count_queries.statements


async def test_a_single_product_still_loads_its_relations(client):
    await _catalog(1)
    data = await client.query("""{ products(first: 1) { nodes { slug } } }""")
    slug = data["products"]["nodes"][0]["slug"]
    product = await client.query(
        """query($slug: String!) { product(slug: $slug) {
             featuredImage { url } images { url } category { name } variants { name }
             brand { name } } }""",
        {"slug": slug},
    )
    node = product["product"]
    assert node["category"] == {"name": "Tea"} and node["brand"] == {"name": "Acme"}
    assert len(node["variants"]) == 2 and len(node["images"]) == 1
    assert node["featuredImage"]["url"] == node["images"][0]["url"]
