"""Writing reviews through the API: who may, what is checked, pictures, edits and deletion."""

from __future__ import annotations

from models.catalog import Product
from models.orders import OrderStatus
from models.reviews import Review, ReviewImage, ReviewStatus
from tests.factories import gid, make_product, make_user, png_bytes
from tests.reviews.helpers import CREATE, approve, make_buyer, write_review

UPDATE = """
mutation($input: UpdateMyReviewInput!) {
  updateMyReview(input: $input) {
    review { id rating title status images { url } }
    errors { field code message }
  }
}
"""

DELETE = """
mutation($input: DeleteMyReviewInput!) {
  deleteMyReview(input: $input) { deletedId errors { field code message } }
}
"""


async def upload_review(client, user, product, pictures: list[bytes]):
    variables = {
        "input": {
            "productId": gid("Product", product.id),
            "rating": 4,
            "title": "Nice",
            "images": [None] * len(pictures),
        }
    }
    files = {f"variables.input.images.{i}": (f"p{i}.png", data) for i, data in enumerate(pictures)}
    return await client.upload(CREATE, variables, files, user=user)


async def test_a_buyer_reviews_a_product_with_pictures_and_it_waits_for_moderation(
    client, settings
):
    product = await make_product()
    buyer = await make_buyer(product, nickname="Mia")
    picture = png_bytes(20, 10)
    body = await upload_review(client, buyer, product, [picture, png_bytes(color="blue")])
    payload = body["data"]["createReview"]
    assert payload["errors"] == []
    review = payload["review"]
    assert (review["rating"], review["title"], review["status"]) == (4, "Nice", "PENDING")
    assert review["authorName"] == "Mia"
    first = review["images"][0]
    assert (first["width"], first["height"]) == (20, 10)
    assert first["url"].startswith("http://shop.test/media/reviews/")
    served = await client.http.get(first["url"])
    assert served.status_code == 200 and served.content == picture
    row = await Review.get()
    assert (row.user_id, row.product_id, row.status) == (buyer.id, product.id, ReviewStatus.PENDING)
    paths = await ReviewImage.filter(review_id=row.id).values_list("path", flat=True)
    assert len(paths) == 2 and all(str(p).startswith("reviews/") for p in paths)
    assert (settings.media_dir / str(paths[0])).read_bytes() == picture


async def test_a_delivered_order_is_enough_to_review(client):
    product = await make_product()
    buyer = await make_buyer(product, status=OrderStatus.DELIVERED)
    assert (await write_review(client, buyer, product))["errors"] == []


async def test_someone_who_did_not_receive_the_product_cannot_review_it(client):
    product, other = await make_product(), await make_product()
    stranger = await make_user()
    unpaid = await make_buyer(product, status=OrderStatus.PENDING_PAYMENT)
    shipped = await make_buyer(product, status=OrderStatus.SHIPPED)
    bought_other = await make_buyer(other)
    for user in (stranger, unpaid, shipped, bought_other):
        payload = await write_review(client, user, product)
        assert payload["review"] is None
        assert [e["code"] for e in payload["errors"]] == ["NOT_A_BUYER"]
    assert await Review.all().count() == 0


async def test_a_customer_reviews_a_product_once(client):
    product = await make_product()
    buyer = await make_buyer(product)
    await write_review(client, buyer, product)
    payload = await write_review(client, buyer, product, rating=1)
    assert [e["code"] for e in payload["errors"]] == ["ALREADY_REVIEWED"]
    assert await Review.all().count() == 1


async def test_rating_and_text_lengths_are_checked_together(client):
    product = await make_product()
    buyer = await make_buyer(product)
    payload = await write_review(client, buyer, product, rating=6, title="x" * 121, body="y" * 5001)
    assert {(tuple(e["field"]), e["code"]) for e in payload["errors"]} == {
        (("rating",), "INVALID_RATING"),
        (("title",), "TOO_LONG"),
        (("body",), "TOO_LONG"),
    }
    assert await Review.all().count() == 0


async def test_pictures_are_checked_by_content_and_counted(client):
    product = await make_product()
    buyer = await make_buyer(product)
    body = await upload_review(client, buyer, product, [png_bytes(), b"%PDF-1.4 not a picture"])
    errors = body["data"]["createReview"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(["images", "1"], "NOT_AN_IMAGE")]
    body = await upload_review(client, buyer, product, [png_bytes()] * 7)
    assert body["data"]["createReview"]["errors"][0]["code"] == "TOO_MANY_IMAGES"
    assert await Review.all().count() == 0 and await ReviewImage.all().count() == 0


async def test_writing_a_review_needs_a_signed_in_customer(client):
    product = await make_product()
    body = await client.request(
        CREATE, {"input": {"productId": gid("Product", product.id), "rating": 5}}
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_editing_an_approved_review_sends_it_back_to_moderation(client):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product, rating=5))["review"]["id"]
    await approve(client, review_id)
    assert (await Product.get(id=product.id)).rating_count == 1
    data = await client.query(
        UPDATE, {"input": {"id": review_id, "rating": 2, "title": "Broke"}}, user=buyer
    )
    review = data["updateMyReview"]["review"]
    assert (review["rating"], review["title"], review["status"]) == (2, "Broke", "PENDING")
    product = await Product.get(id=product.id)
    assert (product.rating_count, product.rating_average) == (0, 0.0)


async def test_new_pictures_replace_the_old_ones(client, settings):
    product = await make_product()
    buyer = await make_buyer(product)
    body = await upload_review(client, buyer, product, [png_bytes(color="green")])
    review_id = body["data"]["createReview"]["review"]["id"]
    old_path = (await ReviewImage.get()).path
    variables = {"input": {"id": review_id, "images": [None]}}
    files = {"variables.input.images.0": ("new.png", png_bytes(color="white"))}
    body = await client.upload(UPDATE, variables, files, user=buyer)
    assert len(body["data"]["updateMyReview"]["review"]["images"]) == 1
    assert (await ReviewImage.get()).path != old_path
    assert not (settings.media_dir / old_path).exists()


async def test_nobody_edits_or_deletes_another_customers_review(client):
    product = await make_product()
    author, other = await make_buyer(product), await make_buyer(product)
    review_id = (await write_review(client, author, product, title="Mine"))["review"]["id"]
    data = await client.query(UPDATE, {"input": {"id": review_id, "title": "Hacked"}}, user=other)
    assert [e["code"] for e in data["updateMyReview"]["errors"]] == ["NOT_FOUND"]
    data = await client.query(DELETE, {"input": {"id": review_id}}, user=other)
    assert [e["code"] for e in data["deleteMyReview"]["errors"]] == ["NOT_FOUND"]
    assert (await Review.get()).title == "Mine"


async def test_deleting_an_approved_review_updates_the_rating(client, settings):
    product = await make_product()
    first, second = await make_buyer(product), await make_buyer(product)
    body = await upload_review(client, first, product, [png_bytes(color="purple")])
    doomed = body["data"]["createReview"]["review"]["id"]
    kept = (await write_review(client, second, product, rating=2))["review"]["id"]
    await approve(client, doomed)
    await approve(client, kept)
    assert (await Product.get(id=product.id)).rating_average == 3.0
    path = (await ReviewImage.get()).path
    data = await client.query(DELETE, {"input": {"id": doomed}}, user=first)
    assert data["deleteMyReview"] == {"deletedId": doomed, "errors": []}
    product = await Product.get(id=product.id)
    assert (product.rating_average, product.rating_count) == (2.0, 1)
    assert await ReviewImage.all().count() == 0
    assert not (settings.media_dir / path).exists()


async def test_update_refuses_a_null_rating_or_images_and_null_clears_the_title(client):
    product = await make_product()
    buyer = await make_buyer(product)
    review_id = (await write_review(client, buyer, product, rating=4, title="Good"))["review"]["id"]
    for field in ("rating", "images"):
        data = await client.query(UPDATE, {"input": {"id": review_id, field: None}}, user=buyer)
        payload = data["updateMyReview"]
        assert payload["review"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [([field], "REQUIRED")]
    assert (await Review.get()).rating == 4
    data = await client.query(UPDATE, {"input": {"id": review_id, "title": None}}, user=buyer)
    assert data["updateMyReview"]["review"]["title"] == ""
