"""A member's profile, avatar, address book and purchase history, through GraphQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from models.accounts import User
from models.members import Address
from tests.factories import gid, make_order, make_product, make_user, png_bytes

ME = """
query {
  me {
    id nickname gender birthday contactEmail contactPhone locale currency avatarUrl
    addresses { id fullName line1 city region postalCode country phone isDefault }
  }
}
"""

UPDATE_PROFILE = """
mutation($input: UpdateProfileInput!) {
  updateProfile(input: $input) {
    user { nickname gender birthday contactEmail contactPhone locale currency }
    errors { field code message }
  }
}
"""

UPLOAD_AVATAR = """
mutation($input: UploadAvatarInput!) {
  uploadAvatar(input: $input) { user { avatarUrl } errors { field code message } }
}
"""

REMOVE_AVATAR = "mutation { removeAvatar { user { avatarUrl } errors { code } } }"

CREATE_ADDRESS = """
mutation($input: CreateAddressInput!) {
  createAddress(input: $input) {
    address { id fullName postalCode country phone isDefault }
    errors { field code message }
  }
}
"""

UPDATE_ADDRESS = """
mutation($input: UpdateAddressInput!) {
  updateAddress(input: $input) {
    address { id city postalCode country }
    errors { field code message }
  }
}
"""

DELETE_ADDRESS = """
mutation($input: DeleteAddressInput!) {
  deleteAddress(input: $input) { deletedId defaultAddress { id } errors { field code } }
}
"""

SET_DEFAULT = """
mutation($input: SetDefaultAddressInput!) {
  setDefaultAddress(input: $input) { address { id isDefault } errors { field code } }
}
"""

ORDERS = """
query($first: Int, $after: String) {
  me {
    orders(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id number status placedAt total { amount currency } itemCount }
    }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"

LONDON = {
    "fullName": "Ada Lovelace",
    "line1": "10 Downing Street",
    "city": "London",
    "postalCode": "sw1a2aa",
    "country": "GB",
    "phone": "020 7946 0958",
}


async def create_address(client, user, **overrides):
    body = await client.query(CREATE_ADDRESS, {"input": {**LONDON, **overrides}}, user=user)
    return body["createAddress"]


async def test_update_profile_sets_and_normalises_the_given_fields(client):
    user = await make_user()
    data = await client.query(
        UPDATE_PROFILE,
        {
            "input": {
                "nickname": "  Ada  ",
                "gender": "FEMALE",
                "birthday": "1990-12-10",
                "contactEmail": " Ada@Example.COM ",
                "contactPhone": "030 901820",
                "contactPhoneRegion": "DE",
                "locale": "DE",
                "currency": "EUR",
            }
        },
        user=user,
    )
    assert data["updateProfile"] == {
        "user": {
            "nickname": "Ada",
            "gender": "FEMALE",
            "birthday": "1990-12-10",
            "contactEmail": "ada@example.com",
            "contactPhone": "+4930901820",
            "locale": "de",
            "currency": "EUR",
        },
        "errors": [],
    }
    row = await User.get(id=user.id)
    assert (row.nickname, row.contact_phone, row.locale) == ("Ada", "+4930901820", "de")


async def test_update_profile_is_partial_and_null_clears(client):
    user = await make_user(nickname="Ada", contact_email="ada@example.com", locale="fr")
    data = await client.query(
        UPDATE_PROFILE, {"input": {"contactEmail": None, "gender": None}}, user=user
    )
    profile = data["updateProfile"]["user"]
    assert profile["nickname"] == "Ada" and profile["locale"] == "fr"
    assert profile["contactEmail"] is None and profile["gender"] == "UNSPECIFIED"


async def test_bad_profile_fields_are_all_reported_and_nothing_changes(client):
    user = await make_user(nickname="Ada")
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    data = await client.query(
        UPDATE_PROFILE,
        {
            "input": {
                "nickname": "x" * 61,
                "birthday": future,
                "contactEmail": "not an email",
                "contactPhone": "+1 555",
                "locale": "xx",
            }
        },
        user=user,
    )
    payload = data["updateProfile"]
    assert payload["user"] is None
    assert {(tuple(e["field"]), e["code"]) for e in payload["errors"]} == {
        (("nickname",), "INVALID"),
        (("birthday",), "INVALID_DATE"),
        (("contactEmail",), "INVALID_EMAIL"),
        (("contactPhone",), "INVALID_PHONE"),
        (("locale",), "INVALID_LOCALE"),
    }
    row = await User.get(id=user.id)
    assert (row.nickname, row.birthday, row.contact_email) == ("Ada", None, None)
    # A currency is a `CurrencyCode`: anything else is refused before the mutation runs.
    body = await client.request(
        UPDATE_PROFILE, {"input": {"nickname": "Bea", "currency": "ABC"}}, user=user
    )
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert (await User.get(id=user.id)).nickname == "Ada"


async def test_birthday_before_1900_and_blank_nickname_are_refused(client):
    user = await make_user()
    data = await client.query(
        UPDATE_PROFILE, {"input": {"birthday": "1899-12-31", "nickname": "  "}}, user=user
    )
    codes = {e["code"] for e in data["updateProfile"]["errors"]}
    assert codes == {"INVALID_DATE", "REQUIRED"}


async def test_profile_mutations_need_a_signed_in_member(client):
    body = await client.request(UPDATE_PROFILE, {"input": {"nickname": "Ada"}})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    body = await client.request(CREATE_ADDRESS, {"input": LONDON})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await Address.all().count() == 0


async def upload_avatar(client, user, data: bytes, name: str = "me.png"):
    return await client.upload(
        UPLOAD_AVATAR, {"input": {"file": None}}, {"variables.input.file": (name, data)}, user=user
    )


async def test_avatar_upload_replaces_and_discards_the_old_file(client, settings):
    user = await make_user()
    first = await upload_avatar(client, user, png_bytes(16, 16, "red"))
    url = first["data"]["uploadAvatar"]["user"]["avatarUrl"]
    assert url.startswith("http://shop.test/media/avatars/")
    served = await client.http.get(url)
    assert served.status_code == 200 and served.content == png_bytes(16, 16, "red")
    old_path = (await User.get(id=user.id)).avatar
    assert old_path and (settings.media_dir / old_path).exists()

    await upload_avatar(client, user, png_bytes(16, 16, "blue"))
    new_path = (await User.get(id=user.id)).avatar
    assert new_path != old_path and (settings.media_dir / new_path).exists()
    assert not (settings.media_dir / old_path).exists()

    data = await client.query(REMOVE_AVATAR, user=user)
    assert data["removeAvatar"] == {"user": {"avatarUrl": None}, "errors": []}
    assert not (settings.media_dir / new_path).exists()


async def test_an_avatar_shared_by_two_members_stays_while_one_uses_it(client, settings):
    ada, bob = await make_user(), await make_user()
    picture = png_bytes(12, 12, "green")
    await upload_avatar(client, ada, picture)
    await upload_avatar(client, bob, picture)
    path = (await User.get(id=ada.id)).avatar
    assert path == (await User.get(id=bob.id)).avatar
    await client.query(REMOVE_AVATAR, user=ada)
    assert (settings.media_dir / path).exists()


async def test_an_avatar_that_is_not_an_image_is_refused(client):
    user = await make_user()
    body = await upload_avatar(client, user, b"GIF89a but not really", "me.gif")
    assert body["data"]["uploadAvatar"]["errors"] == [
        {
            "field": ["file"],
            "code": "NOT_AN_IMAGE",
            "message": "The file is not an image that can be read.",
        }
    ]
    assert (await User.get(id=user.id)).avatar is None


async def test_a_too_large_avatar_is_refused(client, settings, monkeypatch):
    monkeypatch.setattr(settings, "max_image_bytes", 1000)
    user = await make_user()
    body = await upload_avatar(client, user, png_bytes(300, 300, fmt="BMP"), "big.png")
    assert body["data"]["uploadAvatar"]["errors"][0]["code"] == "IMAGE_TOO_LARGE"


async def test_create_address_normalises_and_the_first_is_the_default(client):
    user = await make_user()
    first = await create_address(client, user)
    assert first["errors"] == []
    assert first["address"]["postalCode"] == "SW1A 2AA"
    assert first["address"]["phone"] == "+442079460958"
    assert first["address"]["isDefault"] is True
    second = await create_address(client, user, country="JP", postalCode="1000001", phone=None)
    assert second["address"]["postalCode"] == "100-0001"
    assert second["address"]["isDefault"] is False

    me = (await client.query(ME, user=user))["me"]
    assert [a["id"] for a in me["addresses"]] == [first["address"]["id"], second["address"]["id"]]


async def test_bad_address_is_refused_with_typed_errors(client):
    user = await make_user()
    payload = await create_address(
        client, user, fullName="", postalCode="12345", phone="12", country="CA"
    )
    assert payload["address"] is None
    assert {(tuple(e["field"]), e["code"]) for e in payload["errors"]} == {
        (("fullName",), "REQUIRED"),
        (("postalCode",), "INVALID_POSTAL_CODE"),
        (("phone",), "INVALID_PHONE"),
    }
    assert await Address.all().count() == 0


async def test_an_unknown_country_code_is_refused_by_the_schema(client):
    user = await make_user()
    body = await client.request(CREATE_ADDRESS, {"input": {**LONDON, "country": "XX"}}, user=user)
    assert body["data"] is None and "XX" in body["errors"][0]["message"]


async def test_update_address_changes_the_given_fields(client):
    user = await make_user()
    address_id = (await create_address(client, user))["address"]["id"]
    data = await client.query(
        UPDATE_ADDRESS,
        {"input": {"id": address_id, "country": "NL", "postalCode": "1012ab", "city": "Amsterdam"}},
        user=user,
    )
    assert data["updateAddress"] == {
        "address": {
            "id": address_id,
            "city": "Amsterdam",
            "postalCode": "1012 AB",
            "country": "NL",
        },
        "errors": [],
    }


async def test_address_book_changes_keep_exactly_one_default(client):
    user = await make_user()
    ids = [
        (await create_address(client, user, fullName=f"P{n}"))["address"]["id"] for n in range(3)
    ]
    data = await client.query(SET_DEFAULT, {"input": {"id": ids[1]}}, user=user)
    assert data["setDefaultAddress"]["address"] == {"id": ids[1], "isDefault": True}
    assert await Address.filter(user_id=user.id, is_default=True).count() == 1

    data = await client.query(DELETE_ADDRESS, {"input": {"id": ids[1]}}, user=user)
    assert data["deleteAddress"] == {
        "deletedId": ids[1],
        "defaultAddress": {"id": ids[2]},
        "errors": [],
    }
    me = (await client.query(ME, user=user))["me"]
    assert [(a["id"], a["isDefault"]) for a in me["addresses"]] == [(ids[2], True), (ids[0], False)]


async def test_another_members_address_reads_as_not_found_everywhere(client):
    owner, intruder = await make_user(), await make_user()
    address_id = (await create_address(client, owner))["address"]["id"]
    for query, name in (
        (UPDATE_ADDRESS, "updateAddress"),
        (DELETE_ADDRESS, "deleteAddress"),
        (SET_DEFAULT, "setDefaultAddress"),
    ):
        variables = {"input": {"id": address_id}}
        if name == "updateAddress":
            variables["input"]["city"] = "Elsewhere"
        errors = (await client.query(query, variables, user=intruder))[name]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == [(["id"], "NOT_FOUND")]
    assert (await client.query(NODE, {"id": address_id}, user=intruder))["node"] is None
    assert (await client.query(NODE, {"id": address_id}, user=owner))["node"][
        "__typename"
    ] == "Address"
    row = await Address.get(user_id=owner.id)
    assert row.city == "London"


async def test_an_id_of_another_type_is_not_an_address(client):
    user = await make_user()
    data = await client.query(SET_DEFAULT, {"input": {"id": gid("Product", 1)}}, user=user)
    assert data["setDefaultAddress"]["errors"] == [{"field": ["id"], "code": "NOT_FOUND"}]


async def test_purchase_history_lists_own_orders_newest_first_in_pages(client):
    product = await make_product(prices=("12.50", "20.00"))
    small, large = await product.variants.all().order_by("id")
    user, other = await make_user(), await make_user()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    orders = [
        await make_order(user, [(small, 1), (large, n)], placed_at=start + timedelta(days=n))
        for n in range(1, 4)
    ]
    await make_order(other, [(small, 5)])

    data = await client.query(ORDERS, {"first": 2}, user=user)
    page = data["me"]["orders"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    assert [n["number"] for n in page["nodes"]] == [orders[2].number, orders[1].number]
    newest = page["nodes"][0]
    assert newest["status"] == "COMPLETED" and newest["itemCount"] == 4
    assert newest["total"] == {"amount": "72.50", "currency": "USD"}

    data = await client.query(
        ORDERS, {"first": 2, "after": page["pageInfo"]["endCursor"]}, user=user
    )
    rest = data["me"]["orders"]
    assert [n["number"] for n in rest["nodes"]] == [orders[0].number]
    assert rest["pageInfo"]["hasNextPage"] is False

    order_id = newest["id"]
    assert (await client.query(NODE, {"id": order_id}, user=user))["node"]["__typename"] == "Order"
    assert (await client.query(NODE, {"id": order_id}, user=other))["node"] is None
    assert (await client.query(NODE, {"id": order_id}))["node"] is None


async def test_page_size_beyond_the_limit_is_a_bad_request(client):
    user = await make_user()
    body = await client.request(ORDERS, {"first": 1000}, user=user)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_profile_birthday_type_is_a_date(client):
    user = await make_user(birthday=date(1985, 7, 1))
    assert (await client.query(ME, user=user))["me"]["birthday"] == "1985-07-01"


async def test_an_address_update_refuses_a_null_country(client):
    member = await make_user()
    address = await Address.create(
        user_id=member.id, full_name="A", line1="B", city="Paris", postal_code="75001", country="FR"
    )
    data = await client.query(
        UPDATE_ADDRESS, {"input": {"id": gid("Address", address.id), "country": None}}, user=member
    )
    payload = data["updateAddress"]
    assert payload["address"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(["country"], "REQUIRED")]
    assert (await Address.get(id=address.id)).country == "FR"
