"""Brands and the category tree through the GraphQL API."""

from __future__ import annotations

from models.catalog import Brand, Category
from tests.factories import gid, make_brand, make_category, make_product

CREATE_BRAND = """
mutation($input: CreateBrandInput!) {
  createBrand(input: $input) { brand { id name slug description } errors { field code message } }
}
"""

CREATE_CATEGORY = """
mutation($input: CreateCategoryInput!) {
  createCategory(input: $input) {
    category { id name slug depth parent { name } ancestors { name } }
    errors { field code message }
  }
}
"""

UPDATE_CATEGORY = """
mutation($input: UpdateCategoryInput!) {
  updateCategory(input: $input) {
    category { name depth ancestors { name } }
    errors { field code message }
  }
}
"""


async def test_brand_lifecycle(client):
    created = (await client.staff(CREATE_BRAND, {"input": {"name": "Nordlicht GmbH"}}))[
        "createBrand"
    ]
    assert created["errors"] == [] and created["brand"]["slug"] == "nordlicht-gmbh"
    brand_id = created["brand"]["id"]
    updated = await client.staff(
        "mutation($input: UpdateBrandInput!) { updateBrand(input: $input) "
        "{ brand { name slug description } errors { code } } }",
        {"input": {"id": brand_id, "description": "Lamps from Kiel"}},
    )
    assert updated["updateBrand"]["brand"] == {
        "name": "Nordlicht GmbH",
        "slug": "nordlicht-gmbh",
        "description": "Lamps from Kiel",
    }
    assert (
        await client.query("query($s: String) { brand(slug: $s) { id } }", {"s": "nordlicht-gmbh"})
    )["brand"] == {"id": brand_id}
    deleted = await client.staff(
        "mutation($id: ID!) { deleteBrand(input: {id: $id}) { deletedId errors { code } } }",
        {"id": brand_id},
    )
    assert deleted["deleteBrand"] == {"deletedId": brand_id, "errors": []}
    assert await Brand.all().count() == 0


async def test_brand_in_use_cannot_be_deleted(client):
    brand = await make_brand()
    await make_product(brand=brand)
    data = await client.staff(
        "mutation($id: ID!) { deleteBrand(input: {id: $id}) { deletedId errors { code field } } }",
        {"id": gid("Brand", brand.id)},
    )
    assert data["deleteBrand"] == {
        "deletedId": None,
        "errors": [{"code": "BRAND_IN_USE", "field": ["id"]}],
    }
    assert await Brand.exists(id=brand.id)


async def test_blank_brand_name_is_refused(client):
    data = await client.staff(CREATE_BRAND, {"input": {"name": "   "}})
    assert data["createBrand"]["errors"] == [
        {"field": ["name"], "code": "REQUIRED", "message": "This field may not be blank."}
    ]


async def test_brands_are_listed_by_name_and_searchable(client):
    for name in ("Zeta", "Alpha", "Mu"):
        await make_brand(name=name)
    data = await client.query(
        "{ brands(first: 2) { totalCount nodes { name } pageInfo { hasNextPage } } }"
    )
    assert data["brands"] == {
        "totalCount": 3,
        "nodes": [{"name": "Alpha"}, {"name": "Mu"}],
        "pageInfo": {"hasNextPage": True},
    }
    found = await client.query('{ brands(search: "et") { nodes { name } } }')
    assert found["brands"]["nodes"] == [{"name": "Zeta"}]


async def test_category_tree_is_built_and_browsed(client):
    clothing = (await client.staff(CREATE_CATEGORY, {"input": {"name": "Clothing"}}))[
        "createCategory"
    ]
    parent_id = clothing["category"]["id"]
    for position, name in enumerate(("Womenswear", "Menswear", "Kidswear")):
        child = await client.staff(
            CREATE_CATEGORY, {"input": {"name": name, "parentId": parent_id, "position": position}}
        )
        assert child["createCategory"]["category"]["depth"] == 1
        assert child["createCategory"]["category"]["parent"] == {"name": "Clothing"}
    tree = await client.query(
        "{ categories(topLevel: true) { nodes { name children { name ancestors { name } } } } }"
    )
    assert tree["categories"]["nodes"] == [
        {
            "name": "Clothing",
            "children": [
                {"name": "Womenswear", "ancestors": [{"name": "Clothing"}]},
                {"name": "Menswear", "ancestors": [{"name": "Clothing"}]},
                {"name": "Kidswear", "ancestors": [{"name": "Clothing"}]},
            ],
        }
    ]
    children = await client.query(
        "query($p: ID) { categories(parentId: $p, first: 1) { totalCount nodes { name } } }",
        {"p": parent_id},
    )
    assert children["categories"] == {"totalCount": 3, "nodes": [{"name": "Womenswear"}]}


async def test_moving_a_category_moves_its_subtree(client):
    a = await make_category(name="A")
    b = await make_category(a, name="B")
    c = await make_category(b, name="C")
    other = await make_category(name="Other")
    data = await client.staff(
        UPDATE_CATEGORY,
        {"input": {"id": gid("Category", b.id), "parentId": gid("Category", other.id)}},
    )
    assert data["updateCategory"]["category"]["ancestors"] == [{"name": "Other"}]
    moved = await Category.get(id=c.id)
    assert moved.path == f"/{other.id}/{b.id}/{c.id}/"
    to_top = await client.staff(
        UPDATE_CATEGORY, {"input": {"id": gid("Category", b.id), "parentId": None}}
    )
    assert to_top["updateCategory"]["category"]["depth"] == 0
    assert (await Category.get(id=c.id)).path == f"/{b.id}/{c.id}/"


async def test_a_category_cannot_move_under_itself_or_a_descendant(client):
    a = await make_category(name="A")
    b = await make_category(a, name="B")
    for target in (a, b):
        data = await client.staff(
            UPDATE_CATEGORY,
            {
                "input": {
                    "id": gid("Category", a.id),
                    "parentId": gid("Category", target.id),
                    "name": "Renamed",
                }
            },
        )
        assert data["updateCategory"]["errors"][0]["code"] == "CATEGORY_CYCLE"
    unchanged = await Category.get(id=a.id)
    assert (unchanged.name, unchanged.path, unchanged.parent_id) == ("A", f"/{a.id}/", None)


async def test_category_with_children_or_products_cannot_be_deleted(client):
    parent = await make_category()
    await make_category(parent)
    stocked = await make_category()
    await make_product(category=stocked)
    for category in (parent, stocked):
        data = await client.staff(
            "mutation($id: ID!) { deleteCategory(input: {id: $id}) { errors { code } } }",
            {"id": gid("Category", category.id)},
        )
        assert data["deleteCategory"]["errors"] == [{"code": "CATEGORY_NOT_EMPTY"}]
    assert await Category.all().count() == 3


async def test_unknown_parent_and_duplicate_slug_are_refused(client):
    await make_category(slug="shoes", name="Shoes")
    data = await client.staff(
        CREATE_CATEGORY,
        {"input": {"name": "Boots", "parentId": gid("Category", 999)}},
    )
    assert data["createCategory"]["errors"][0] == {
        "field": ["parentId"],
        "code": "NOT_FOUND",
        "message": "The parent category does not exist.",
    }
    dup = await client.staff(CREATE_CATEGORY, {"input": {"name": "Boots", "slug": "shoes"}})
    assert dup["createCategory"]["errors"][0]["code"] == "DUPLICATE_SLUG"
    assert await Category.all().count() == 1


async def test_category_translation_and_its_refusals(client):
    category = await make_category(name="Kitchen")
    data = await client.staff(
        "mutation($input: TranslateCategoryInput!) { translateCategory(input: $input) "
        "{ category { name } errors { code field } } }",
        {"input": {"categoryId": gid("Category", category.id), "locale": "ja", "name": "キッチン"}},
    )
    assert data["translateCategory"] == {"category": {"name": "キッチン"}, "errors": []}
    for locale in ("en", "xx"):
        refused = await client.staff(
            "mutation($input: TranslateCategoryInput!) { translateCategory(input: $input) "
            "{ errors { code field } } }",
            {"input": {"categoryId": gid("Category", category.id), "locale": locale, "name": "X"}},
        )
        assert refused["translateCategory"]["errors"] == [
            {"code": "INVALID_LOCALE", "field": ["locale"]}
        ]
