"""Product images: multipart uploads checked by content, ordering, alt text, serving."""

from __future__ import annotations

from models.catalog import ProductImage
from services.catalog import images
from tests.factories import gid, make_product, png_bytes

UPLOAD = """
mutation($input: UploadProductImageInput!) {
  uploadProductImage(input: $input) {
    image { id url alt width height position contentType }
    errors { field code message }
  }
}
"""


async def upload(client, product_id: int, data: bytes, filename: str, alt: str = "", staff=True):
    """Upload one image to a product, as the merchant console does."""
    variables = {"input": {"productId": gid("Product", product_id), "file": None, "alt": alt}}
    return await client.upload(
        UPLOAD, variables, {"variables.input.file": (filename, data)}, staff=staff
    )


async def test_upload_stores_the_image_and_serves_it(client, settings):
    product = await make_product()
    picture = png_bytes(32, 24)
    body = await upload(client, product.id, picture, "front.bin", alt="Front view")
    payload = body["data"]["uploadProductImage"]
    assert payload["errors"] == []
    image = payload["image"]
    assert (image["width"], image["height"], image["contentType"]) == (32, 24, "image/png")
    assert image["alt"] == "Front view" and image["position"] == 0
    assert image["url"].startswith("http://shop.test/media/products/")
    served = await client.http.get(image["url"])
    assert served.status_code == 200 and served.content == picture
    assert (settings.media_dir / (await ProductImage.get()).path).read_bytes() == picture


async def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client):
    product = await make_product()
    body = await upload(client, product.id, b"%PDF-1.4 not a picture", "photo.png")
    assert body["data"]["uploadProductImage"]["errors"] == [
        {
            "field": ["file"],
            "code": "NOT_AN_IMAGE",
            "message": "The file is not an image that can be read.",
        }
    ]
    assert await ProductImage.all().count() == 0


async def test_truncated_image_is_refused(client):
    product = await make_product()
    body = await upload(client, product.id, png_bytes(64, 64)[:60], "cut.png")
    assert body["data"]["uploadProductImage"]["errors"][0]["code"] == "NOT_AN_IMAGE"


async def test_too_large_image_is_refused(client, settings, monkeypatch):
    product = await make_product()
    monkeypatch.setattr(settings, "max_image_bytes", 1000)
    big = png_bytes(400, 400, color="white", fmt="BMP")  # BMP: large and uncompressed
    assert len(big) > 1000
    body = await upload(client, product.id, big, "big.png")
    assert body["data"]["uploadProductImage"]["errors"][0]["code"] == "IMAGE_TOO_LARGE"
    assert await ProductImage.all().count() == 0


async def test_unsupported_image_format_is_refused(client):
    product = await make_product()
    body = await upload(client, product.id, png_bytes(fmt="BMP"), "pic.bmp")
    error = body["data"]["uploadProductImage"]["errors"][0]
    assert error["code"] == "NOT_AN_IMAGE" and "BMP" in error["message"]


async def test_upload_needs_catalog_staff(client):
    product = await make_product()
    body = await upload(client, product.id, png_bytes(), "a.png", staff=False)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await ProductImage.all().count() == 0


async def test_images_are_reordered_described_and_deleted(client, settings):
    product = await make_product()
    rows = [
        await images.add_image(product.id, png_bytes(color=color), alt=color)
        for color in ("red", "green", "blue")
    ]
    ids = [gid("ProductImage", r.id) for r in rows]
    reordered = await client.staff(
        "mutation($input: ReorderProductImagesInput!) { reorderProductImages(input: $input) "
        "{ images { alt position } errors { code } } }",
        {"input": {"productId": gid("Product", product.id), "imageIds": [ids[2], ids[0], ids[1]]}},
    )
    assert reordered["reorderProductImages"]["images"] == [
        {"alt": "blue", "position": 0},
        {"alt": "red", "position": 1},
        {"alt": "green", "position": 2},
    ]
    shown = await client.query(
        "query($id: ID!) { product(id: $id) { featuredImage { alt } images { alt } } }",
        {"id": gid("Product", product.id)},
    )
    assert shown["product"]["featuredImage"] == {"alt": "blue"}
    assert [i["alt"] for i in shown["product"]["images"]] == ["blue", "red", "green"]

    incomplete = await client.staff(
        "mutation($input: ReorderProductImagesInput!) { reorderProductImages(input: $input) "
        "{ images { alt } errors { code } } }",
        {"input": {"productId": gid("Product", product.id), "imageIds": [ids[0], ids[0], ids[1]]}},
    )
    assert incomplete["reorderProductImages"] == {
        "images": None,
        "errors": [{"code": "INVALID_IMAGE_ORDER"}],
    }

    described = await client.staff(
        "mutation($input: UpdateProductImageInput!) { updateProductImage(input: $input) "
        "{ image { alt } errors { code } } }",
        {"input": {"id": ids[0], "alt": "Red, from the side"}},
    )
    assert described["updateProductImage"]["image"] == {"alt": "Red, from the side"}

    path = rows[1].path
    deleted = await client.staff(
        "mutation($id: ID!) { deleteProductImage(input: {id: $id}) { deletedId errors { code } } }",
        {"id": ids[1]},
    )
    assert deleted["deleteProductImage"]["deletedId"] == ids[1]
    assert await ProductImage.filter(product_id=product.id).count() == 2
    assert not (settings.media_dir / path).exists()


async def test_a_file_shared_by_two_images_stays_until_the_last_is_deleted(client, settings):
    product = await make_product()
    picture = png_bytes(color="purple")
    a = await images.add_image(product.id, picture, alt="front")
    b = await images.add_image(product.id, picture, alt="again")
    assert a.path == b.path  # stored once, by content
    await images.delete_image(a.id)
    assert (settings.media_dir / b.path).exists()
    await images.delete_image(b.id)
    assert not (settings.media_dir / b.path).exists()


async def test_an_oversized_request_is_refused_before_it_is_read(client, settings):
    too_big = settings.max_image_bytes + 2 * 1024 * 1024
    response = await client.http.post(
        "/graphql",
        content=b"x" * too_big,
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413
    assert await ProductImage.all().count() == 0


async def test_an_image_is_found_by_its_global_id(client):
    product = await make_product()
    row = await images.add_image(product.id, png_bytes(color="red"), alt="red")
    data = await client.query(
        "query($id: ID!) { node(id: $id) { ... on ProductImage { alt position } } }",
        {"id": gid("ProductImage", row.id)},
    )
    assert data["node"] == {"alt": "red", "position": 0}
