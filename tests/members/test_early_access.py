"""Members-first early access: until `earlyAccessUntil` only early-access tiers see a product."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.catalog import Product, ProductListingEvent
from models.members import MembershipTier
from services.catalog import listing
from tests.factories import gid, make_product, make_user

PRODUCTS = """
query { products { totalCount nodes { name earlyAccessUntil } facets { total } } }
"""

PRODUCT = "query($slug: String) { product(slug: $slug) { name } }"
NODE = "query($id: ID!) { node(id: $id) { ... on Product { name } } }"

UPDATE = """
mutation Update($input: UpdateProductInput!) {
  updateProduct(input: $input) { product { earlyAccessUntil } errors { field code } }
}
"""


async def _setup():
    vip = await MembershipTier.create(name="VIP", rank=2, early_access=True)
    plain = await MembershipTier.create(name="Plain", rank=1)
    until = timezone.now() + timedelta(days=2)
    first = await make_product(name="Members First", early_access_until=until)
    await make_product(name="For Everyone")
    return first, await make_user(tier=vip), await make_user(tier=plain)


async def test_only_early_access_members_see_a_members_first_product(client):
    product, vip, plain = await _setup()
    for viewer in (None, plain):
        listed = (await client.query(PRODUCTS, user=viewer))["products"]
        assert [n["name"] for n in listed["nodes"]] == ["For Everyone"]
        assert listed["totalCount"] == 1 and listed["facets"]["total"] == 1
        assert (await client.query(PRODUCT, {"slug": product.slug}, user=viewer)) == {
            "product": None
        }
        assert (await client.query(NODE, {"id": gid("Product", product.id)}, user=viewer)) == {
            "node": None
        }
    listed = (await client.query(PRODUCTS, user=vip))["products"]
    assert {n["name"] for n in listed["nodes"]} == {"Members First", "For Everyone"}
    assert listed["facets"]["total"] == 2
    assert (await client.query(PRODUCT, {"slug": product.slug}, user=vip))["product"] == {
        "name": "Members First"
    }
    assert (await client.query(NODE, {"id": gid("Product", product.id)}, user=vip))["node"]


async def test_the_product_appears_for_everyone_when_early_access_ends(client):
    product, _vip, plain = await _setup()
    await Product.filter(id=product.id).update(
        early_access_until=timezone.now() - timedelta(seconds=1)
    )
    listed = (await client.query(PRODUCTS, user=plain))["products"]
    assert listed["totalCount"] == 2
    anonymous = await client.query(PRODUCT, {"slug": product.slug})
    assert anonymous == {"product": {"name": "Members First"}}
    # The sweeper records the end of early access like the opening of a sale window.
    events = await listing.sweep()
    assert [e.visible for e in events] == [True]
    assert await ProductListingEvent.filter(product_id=product.id, visible=True).exists()


async def test_merchants_set_and_end_early_access(client):
    product = await make_product(name="Jacket")
    until = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    data = await client.staff(
        UPDATE, {"input": {"id": gid("Product", product.id), "earlyAccessUntil": until.isoformat()}}
    )
    assert data["updateProduct"]["errors"] == []
    assert (await Product.get(id=product.id)).early_access_until == until
    # Hidden from the public from now on, and recorded as such.
    assert not (await Product.get(id=product.id)).listing_visible
    assert (await client.query(PRODUCT, {"slug": product.slug})) == {"product": None}
    naive = await client.staff(
        UPDATE,
        {"input": {"id": gid("Product", product.id), "earlyAccessUntil": "2030-01-01T00:00:00"}},
    )
    assert naive["updateProduct"]["errors"] == [{"field": ["earlyAccessUntil"], "code": "INVALID"}]
    ended = await client.staff(
        UPDATE, {"input": {"id": gid("Product", product.id), "earlyAccessUntil": None}}
    )
    assert ended["updateProduct"]["product"] == {"earlyAccessUntil": None}
    assert (await client.query(PRODUCT, {"slug": product.slug}))["product"] == {"name": "Jacket"}
    visible = await ProductListingEvent.filter(product_id=product.id).values_list(
        "visible", flat=True
    )
    assert list(visible) == [True, False, True]


def test_shown_to_matches_the_sql_condition():
    now = timezone.now()
    product = Product(status="active", early_access_until=now + timedelta(hours=1), publish_at=None)
    assert not listing.shown_to(product, now, early_access=False)
    assert listing.shown_to(product, now, early_access=True)
    assert listing.shown_to(product, now + timedelta(hours=1), early_access=False)
