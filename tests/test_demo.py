"""The demo shop `make run` loads: through the services, once, browsable at once."""

from __future__ import annotations

import demo
from models.catalog import ListingStatus, Product, ProductImage


async def test_demo_catalog_loads_once_and_is_browsable(client):
    assert await demo.load_demo_catalog() is True
    total = await Product.all().count()
    assert total >= 20
    assert await ProductImage.all().count() >= total
    assert await Product.filter(status=ListingStatus.DRAFT).count() >= 1
    assert await Product.filter(publish_at__isnull=False).count() >= 1

    assert await demo.load_demo_catalog() is False  # a second start changes nothing
    assert await Product.all().count() == total

    data = await client.query(
        """{ products(first: 5, sortBy: {field: SALES, direction: DESC}) {
               totalCount edges { node { name featuredImage { url } brand { name } } }
               facets { brands { count } categories { category { name } count } } } }"""
    )
    shown = data["products"]
    assert 0 < shown["totalCount"] < total  # drafts and scheduled products stay hidden
    assert all(e["node"]["featuredImage"]["url"] for e in shown["edges"])
    assert {c["category"]["name"] for c in shown["facets"]["categories"]} >= {"Clothing"}


async def test_demo_people_can_sign_in_and_are_made_only_once(client):
    from demo.people import DEMO_ADMIN, DEMO_PASSWORD, load_demo_people

    assert await load_demo_people() is True
    assert await load_demo_people() is False
    data = await client.query(
        """mutation($input: SignInInput!) {
          signIn(input: $input) { session { user { role } } errors { code } } }""",
        {"input": {"login": DEMO_ADMIN, "password": DEMO_PASSWORD}},
    )
    assert data["signIn"]["session"]["user"]["role"] == "ADMIN"


async def test_demo_membership_programme_is_made_once(client):
    from demo.people import DEMO_TIERS, load_demo_membership

    assert await load_demo_membership() is True
    assert await load_demo_membership() is False
    data = await client.query(
        "{ membershipTiers(first: 10) { nodes { name } } rewards(first: 10) { nodes { name } } }"
    )
    assert [t["name"] for t in data["membershipTiers"]["nodes"]] == [t[0] for t in DEMO_TIERS]
    assert len(data["rewards"]["nodes"]) == 2


async def test_demo_review_counts_are_real_approved_reviews_the_product_page_lists(client):
    from demo.people import load_demo_people
    from demo.reviews import REVIEWERS, load_demo_reviews
    from models.reviews import Review, ReviewStatus

    await demo.load_demo_catalog()
    await load_demo_people()
    assert await load_demo_reviews() is True
    assert await load_demo_reviews() is False  # a second start changes nothing
    assert await Review.filter(status=ReviewStatus.APPROVED).count() == await Review.all().count()

    rated = await Product.filter(rating_count__gt=0).order_by("id")
    assert len(rated) >= 10
    for product in rated:
        reviews = await Review.filter(product_id=product.id, status=ReviewStatus.APPROVED)
        assert product.rating_count == len(reviews) <= len(REVIEWERS)
        assert product.rating_average == round(sum(r.rating for r in reviews) / len(reviews), 2)
        assert all(r.title and r.body for r in reviews)
    assert await Product.filter(rating_count=0, reviews__id__isnull=False).count() == 0

    query = """query($slug: String!) { product(slug: $slug) {
      ratingCount ratingAverage
      reviews(first: 20) { totalCount nodes { rating authorName body } } } }"""
    pages = [(await client.query(query, {"slug": p.slug}))["product"] for p in rated[:6]]
    page = next(p for p in pages if p is not None)  # one on sale now
    assert page["ratingCount"] == page["reviews"]["totalCount"] == len(page["reviews"]["nodes"])
    assert {n["authorName"] for n in page["reviews"]["nodes"]} <= {r.nickname for r in REVIEWERS}
    stars = [n["rating"] for n in page["reviews"]["nodes"]]
    assert page["ratingAverage"] == round(sum(stars) / len(stars), 2)
