"""Moderation and reading through the API: who sees what, ratings, the rating sort, points."""

from __future__ import annotations

from datetime import timedelta

from tortoise import timezone

from models.accounts import Role, User
from models.catalog import Product
from models.members import PointsEntry, PointsKind
from models.reviews import Review, ReviewStatus
from tests.factories import gid, make_order, make_product, make_user
from tests.reviews.helpers import approve, make_buyer, write_review

PRODUCT_REVIEWS = """
query($id: ID!, $first: Int, $after: String, $sortBy: ReviewSortInput) {
  product(id: $id) {
    ratingAverage ratingCount
    reviews(first: $first, after: $after, sortBy: $sortBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id rating title body authorName createdAt moderationNote images { url } }
    }
  }
}
"""

REJECT = """
mutation($input: RejectReviewInput!) {
  rejectReview(input: $input) { review { id status } errors { code } }
}
"""

MY_REVIEWS = """
{ myReviews { totalCount nodes { id status moderationNote product { id } } } }
"""

STAFF_REVIEWS = """
query($filter: ReviewFilter) {
  reviews(filter: $filter) { totalCount nodes { id rating status } }
}
"""

BY_RATING = """
{ products(sortBy: {field: RATING, direction: DESC}) { nodes { name ratingAverage } } }
"""

NODE = """
query($id: ID!) { node(id: $id) { ... on Review { id status } } }
"""


async def product_reviews(client, product, **variables):
    data = await client.query(PRODUCT_REVIEWS, {"id": gid("Product", product.id), **variables})
    return data["product"]


async def test_shoppers_see_approved_reviews_only_with_the_authors_nickname(client):
    product = await make_product()
    buyer = await make_buyer(product, nickname="Ana", phone="+4915112345678")
    review_id = (await write_review(client, buyer, product, title="Great", body="Fits"))["review"][
        "id"
    ]
    assert (await product_reviews(client, product))["reviews"]["nodes"] == []
    payload = await approve(client, review_id, note="Thanks")
    assert payload["review"]["status"] == "APPROVED"
    shown = await product_reviews(client, product)
    assert (shown["ratingAverage"], shown["ratingCount"]) == (5.0, 1)
    [node] = shown["reviews"]["nodes"]
    assert (node["title"], node["body"], node["authorName"]) == ("Great", "Fits", "Ana")
    assert node["moderationNote"] is None  # the moderator's note is for the author and staff
    assert str(buyer.email) not in str(shown) and "+4915112345678" not in str(shown)


async def test_a_deleted_member_is_shown_as_such(client):
    product = await make_product()
    buyer = await make_buyer(product, nickname="Gone")
    review_id = (await write_review(client, buyer, product))["review"]["id"]
    await approve(client, review_id)
    await User.filter(id=buyer.id).update(deleted_at=timezone.now(), nickname="")
    [node] = (await product_reviews(client, product))["reviews"]["nodes"]
    assert node["authorName"] == "Deleted member"


async def test_the_author_sees_their_pending_and_rejected_reviews_with_the_note(client):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product))["review"]["id"]
    data = await client.query(MY_REVIEWS, user=buyer)
    assert data["myReviews"]["nodes"][0]["status"] == "PENDING"
    assert data["myReviews"]["nodes"][0]["product"]["id"] == gid("Product", product.id)
    data = await client.staff(REJECT, {"input": {"id": review_id, "note": "Off topic"}})
    assert data["rejectReview"]["review"]["status"] == "REJECTED"
    data = await client.query(MY_REVIEWS, user=buyer)
    assert data["myReviews"]["nodes"][0]["moderationNote"] == "Off topic"
    other = await make_user()
    assert (await client.query(MY_REVIEWS, user=other))["myReviews"]["totalCount"] == 0
    body = await client.request(MY_REVIEWS)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_pending_review_is_not_reachable_by_id_except_by_its_author_and_staff(client):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product))["review"]["id"]
    assert (await client.query(NODE, {"id": review_id}))["node"] is None
    stranger = await make_user()
    assert (await client.query(NODE, {"id": review_id}, user=stranger))["node"] is None
    assert (await client.query(NODE, {"id": review_id}, user=buyer))["node"]["id"] == review_id
    assert (await client.staff(NODE, {"id": review_id}))["node"]["status"] == "PENDING"


async def test_rejecting_an_approved_review_takes_it_out_of_the_rating(client):
    product = await make_product()
    high, low = await make_buyer(product), await make_buyer(product)
    high_id = (await write_review(client, high, product, rating=5))["review"]["id"]
    low_id = (await write_review(client, low, product, rating=2))["review"]["id"]
    await approve(client, high_id)
    await approve(client, low_id)
    row = await Product.get(id=product.id)
    assert (row.rating_average, row.rating_count) == (3.5, 2)
    await client.staff(REJECT, {"input": {"id": high_id}})
    row = await Product.get(id=product.id)
    assert (row.rating_average, row.rating_count) == (2.0, 1)


async def test_moderation_changes_the_rating_sort_of_the_storefront(client):
    first = await make_product(name="First")
    second = await make_product(name="Second")
    fan, critic = await make_buyer(first), await make_buyer(second)
    liked = (await write_review(client, fan, first, rating=4))["review"]["id"]
    disliked = (await write_review(client, critic, second, rating=5))["review"]["id"]
    await approve(client, liked)
    names = [n["name"] for n in (await client.query(BY_RATING))["products"]["nodes"]]
    assert names == ["First", "Second"]
    await approve(client, disliked)
    names = [n["name"] for n in (await client.query(BY_RATING))["products"]["nodes"]]
    assert names == ["Second", "First"]


async def test_first_approval_earns_review_points_once(client, settings):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product))["review"]["id"]
    await approve(client, review_id)
    await approve(client, review_id)
    entries = await PointsEntry.filter(user_id=buyer.id, kind=PointsKind.REVIEW)
    source = f"review:product:{product.id}"
    assert [(e.amount, e.source) for e in entries] == [(settings.review_points, source)]


DELETE_MY_REVIEW = """
mutation($input: DeleteMyReviewInput!) {
  deleteMyReview(input: $input) { deletedId errors { code } }
}
"""


async def test_deleting_and_rewriting_a_review_never_earns_its_points_again(client, settings):
    product = await make_product()
    buyer = await make_buyer(product)
    for _ in range(3):
        review_id = (await write_review(client, buyer, product))["review"]["id"]
        assert (await approve(client, review_id))["errors"] == []
        deleted = await client.query(DELETE_MY_REVIEW, {"input": {"id": review_id}}, user=buyer)
        assert deleted["deleteMyReview"]["errors"] == []
    entries = await PointsEntry.filter(user_id=buyer.id, kind=PointsKind.REVIEW)
    assert [e.amount for e in entries] == [settings.review_points]
    # Another product still earns its own points.
    other = await make_product(name="Other")
    variant = await other.variants.all().first()
    assert variant is not None
    await make_order(buyer, [(variant, 1)])
    await approve(client, (await write_review(client, buyer, other))["review"]["id"])
    assert await PointsEntry.filter(user_id=buyer.id, kind=PointsKind.REVIEW).count() == 2


async def test_product_reviews_sort_and_page(client):
    product = await make_product()
    ratings = [3, 5, 1, 4]
    for rating in ratings:
        buyer = await make_buyer(product)
        review_id = (await write_review(client, buyer, product, rating=rating))["review"]["id"]
        await approve(client, review_id)
    await Review.filter(rating=3).update(created_at=timezone.now() + timedelta(minutes=1))

    async def order(field, **more):
        shown = await product_reviews(client, product, sortBy={"field": field}, **more)
        return [n["rating"] for n in shown["reviews"]["nodes"]], shown["reviews"]

    assert (await order("RATING_HIGH"))[0] == [5, 4, 3, 1]
    assert (await order("RATING_LOW"))[0] == [1, 3, 4, 5]
    newest, _ = await order("NEWEST")
    assert newest[0] == 3
    top, connection = await order("RATING_HIGH", first=2)
    assert top == [5, 4] and connection["totalCount"] == 4
    rest, _ = await order("RATING_HIGH", first=2, after=connection["pageInfo"]["endCursor"])
    assert rest == [3, 1]


async def test_product_reviews_load_authors_and_pictures_in_batches(client, count_queries):
    product = await make_product()

    async def add_reviews(n):
        for _ in range(n):
            buyer = await make_buyer(product)
            review_id = (await write_review(client, buyer, product))["review"]["id"]
            await approve(client, review_id)

    await add_reviews(2)
    count_queries.statements.clear()
    await product_reviews(client, product, first=50)
    few = count_queries.count
    await add_reviews(8)
    count_queries.statements.clear()
    shown = await product_reviews(client, product, first=50)
    assert len(shown["reviews"]["nodes"]) == 10
    assert count_queries.count == few


async def test_staff_filter_the_moderation_list(client):
    product, other = await make_product(), await make_product()
    for rating, item in ((5, product), (1, product), (3, other)):
        buyer = await make_buyer(item)
        await write_review(client, buyer, item, rating=rating)
    first = await Review.get(rating=5)
    await Review.filter(id=first.id).update(status=ReviewStatus.APPROVED)

    async def listed(**filter):
        data = await client.staff(STAFF_REVIEWS, {"filter": filter})
        return sorted(n["rating"] for n in data["reviews"]["nodes"])

    assert await listed() == [1, 3, 5]
    assert await listed(status="PENDING") == [1, 3]
    assert await listed(productId=gid("Product", product.id)) == [1, 5]
    assert await listed(rating=3) == [3]


async def test_moderation_needs_the_catalog_permission(client):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product))["review"]["id"]
    support = await make_user(role=Role.STAFF, permissions=("support",))
    catalog = await make_user(role=Role.STAFF, permissions=("catalog",))
    for user in (buyer, support):
        body = await client.request(REJECT, {"input": {"id": review_id}}, user=user)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        body = await client.request(STAFF_REVIEWS, user=user)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await client.request(REJECT, {"input": {"id": review_id}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await Review.get()).status == ReviewStatus.PENDING
    data = await client.query(REJECT, {"input": {"id": review_id}}, user=catalog)
    assert data["rejectReview"]["review"]["status"] == "REJECTED"


async def test_moderating_a_missing_review_is_a_typed_error(client):
    data = await client.staff(REJECT, {"input": {"id": gid("Review", 999)}})
    assert data["rejectReview"]["errors"] == [{"code": "NOT_FOUND"}]


REVIEW_NODE_WITH_PRODUCT = """
query($id: ID!) { node(id: $id) { ... on Review { id product { name } } } }
"""


async def test_reviews_of_a_members_first_product_follow_the_viewers_early_access(client):
    from models.members import MembershipTier

    vip = await MembershipTier.create(name="VIP", rank=2, early_access=True)
    plain = await MembershipTier.create(name="Plain", rank=1)
    product = await make_product(
        name="Members First", early_access_until=timezone.now() + timedelta(days=2)
    )
    author = await make_buyer(product, tier=vip)
    review_id = (await write_review(client, author, product))["review"]["id"]
    await approve(client, review_id)
    variables = {"id": review_id}

    for viewer in (author, await make_user(tier=vip)):
        node = (await client.query(REVIEW_NODE_WITH_PRODUCT, variables, user=viewer))["node"]
        assert node == {"id": review_id, "product": {"name": "Members First"}}
    strangers: list[User | None] = [None, await make_user(tier=plain), await make_user()]
    for stranger in strangers:
        data = await client.query(REVIEW_NODE_WITH_PRODUCT, variables, user=stranger)
        assert data == {"node": None}
    # Catalog staff see it whatever their tier.
    assert (await client.staff(REVIEW_NODE_WITH_PRODUCT, variables))["node"]["product"]

    # Once early access ends, everyone reaches it.
    await Product.filter(id=product.id).update(early_access_until=timezone.now())
    node = (await client.query(REVIEW_NODE_WITH_PRODUCT, variables))["node"]
    assert node == {"id": review_id, "product": {"name": "Members First"}}
