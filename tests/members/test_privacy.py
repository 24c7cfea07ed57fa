"""A member's data: the export holds everything about them and nothing about anyone else;
deleting the account erases personal data, keeps the books and ends every session."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from models.accounts import (
    CodePurpose,
    OAuthIdentity,
    RefreshToken,
    Role,
    User,
    VerificationCode,
)
from models.coupons import Coupon, CouponKind, CouponUse
from models.members import Address, CheckIn, PointsEntry, PointsKind
from models.orders import Order
from models.reviews import Review
from tests.factories import make_order, make_product, make_user, png_bytes

EXPORT = "query { exportMyData }"

DELETE = """
mutation($input: DeleteMyAccountInput!) {
  deleteMyAccount(input: $input) { deletedAt errors { field code message } }
}
"""

SIGN_IN = """
mutation($login: String!, $password: String!) {
  signIn(input: {login: $login, password: $password}) {
    session { accessToken refreshToken }
    errors { code }
  }
}
"""

REFRESH = """
mutation($token: String!) {
  refreshSession(refreshToken: $token) { session { accessToken } errors { code } }
}
"""

ME = "query { me { id email } }"

UPLOAD_AVATAR = """
mutation($input: UploadAvatarInput!) { uploadAvatar(input: $input) { errors { code } } }
"""

PASSWORD = "correct horse battery staple"


async def give_history(user: User, tag: str) -> Order:
    """Rows about `user` in every table that holds them, each marked with `tag`."""
    product = await make_product(prices=("9.00",), name=f"Product {tag}")
    variant = (await product.variants.all())[0]
    order = await make_order(user, [(variant, 2)])
    await Address.create(
        user_id=user.id,
        full_name=f"Name {tag}",
        line1=f"1 Street {tag}",
        city="Paris",
        postal_code="75001",
        country="FR",
        is_default=True,
    )
    await OAuthIdentity.create(
        user_id=user.id, provider="google", subject=f"sub-{tag}", display_name=f"Google {tag}"
    )
    await RefreshToken.create(
        user_id=user.id,
        family=f"family{tag}",
        token_hash=f"hash-{tag}".ljust(64, "0"),
        expires_at=datetime.now(UTC) + timedelta(days=1),
        user_agent=f"Browser {tag}",
    )
    await PointsEntry.create(
        user_id=user.id, amount=18, kind=PointsKind.ORDER, source=f"order:{order.id}", note=tag
    )
    await CheckIn.create(user_id=user.id, day=date(2026, 11, 1), streak=3, points=7)
    await Review.create(product_id=product.id, user_id=user.id, rating=5, title=f"Review {tag}")
    coupon = await Coupon.create(
        code=f"CODE{tag}".upper(), kind=CouponKind.FIXED_AMOUNT, amount=100
    )
    await CouponUse.create(coupon=coupon, user_id=user.id, order=order, discount=100)
    await VerificationCode.create(
        purpose=CodePurpose.VERIFY_EMAIL,
        target=user.email,
        user_id=user.id,
        code_hash="0" * 64,
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )
    return order


async def test_export_holds_everything_about_the_member_and_nothing_else(client):
    ada = await make_user(
        password=PASSWORD, nickname="Ada", birthday=date(1990, 12, 10), contact_phone="+4930901820"
    )
    bob = await make_user(nickname="Bob")
    order = await give_history(ada, "ada")
    await give_history(bob, "bob")

    document = (await client.query(EXPORT, user=ada))["exportMyData"]
    assert document["profile"]["nickname"] == "Ada"
    assert document["profile"]["birthday"] == "1990-12-10"
    assert document["account"]["email"] == ada.email and document["account"]["hasPassword"]
    assert [i["subject"] for i in document["linkedIdentities"]] == ["sub-ada"]
    assert [s["userAgent"] for s in document["sessions"]] == ["Browser ada"]
    assert [a["fullName"] for a in document["addresses"]] == ["Name ada"]
    [exported_order] = document["orders"]
    assert exported_order["number"] == order.number
    assert exported_order["total"] == {"amount": "18.00", "currency": "USD"}
    assert [(line["productName"], line["quantity"]) for line in exported_order["lines"]] == [
        ("Product ada", 2)
    ]
    assert [e["amount"] for e in document["pointsEntries"]] == [18]
    assert document["checkIns"] == [{"day": "2026-11-01", "streak": 3, "points": 7}]
    assert [r["title"] for r in document["reviews"]] == ["Review ada"]
    assert [(u["code"], u["orderNumber"]) for u in document["couponUses"]] == [
        ("CODEADA", order.number)
    ]
    text = json.dumps(document).lower()
    assert bob.email and "bob" not in text and bob.email not in text


async def test_export_needs_a_signed_in_member(client):
    body = await client.request(EXPORT)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deleting_erases_personal_data_and_keeps_the_books(client, settings):
    ada = await make_user(
        password=PASSWORD,
        phone="+442079460958",
        nickname="Ada",
        birthday=date(1990, 12, 10),
        contact_email="ada@example.net",
    )
    bob = await make_user()
    order = await give_history(ada, "ada")
    await give_history(bob, "bob")
    upload = await client.upload(
        UPLOAD_AVATAR,
        {"input": {"file": None}},
        {"variables.input.file": ("me.png", png_bytes(10, 10, "purple"))},
        user=ada,
    )
    assert upload["data"]["uploadAvatar"]["errors"] == []
    avatar = (await User.get(id=ada.id)).avatar
    assert avatar is not None

    data = await client.query(
        DELETE, {"input": {"password": PASSWORD, "confirm": "DELETE"}}, user=ada
    )
    assert data["deleteMyAccount"]["errors"] == []
    assert data["deleteMyAccount"]["deletedAt"] is not None

    row = await User.get(id=ada.id)
    assert row.deleted_at is not None and not row.is_active
    assert row.token_epoch == ada.token_epoch + 1
    erased = (
        row.email,
        row.phone,
        row.password_hash,
        row.birthday,
        row.contact_email,
        row.contact_phone,
        row.avatar,
    )
    assert erased == (None,) * 7 and row.nickname == ""
    assert not (settings.media_dir / avatar).exists()
    for model in (Address, OAuthIdentity, RefreshToken, VerificationCode):
        assert await model.filter(user_id=ada.id).count() == 0, model
        assert await model.filter(user_id=bob.id).count() == 1, model
    # The books stay: the order with its own email snapshot, its coupon use, the review.
    kept = await Order.get(id=order.id)
    assert kept.user_id == ada.id and kept.email == ada.email
    assert await CouponUse.filter(order_id=order.id).count() == 1
    assert await Review.filter(user_id=ada.id).count() == 1


async def test_a_deleted_account_cannot_sign_in_and_its_tokens_stop_working(client):
    ada = await make_user(password=PASSWORD)
    signed_in = await client.query(SIGN_IN, {"login": ada.email, "password": PASSWORD})
    session = signed_in["signIn"]["session"]
    bearer = {"Authorization": f"Bearer {session['accessToken']}"}
    assert (await client.query(ME, headers=bearer))["me"]["email"] == ada.email

    data = await client.query(
        DELETE, {"input": {"password": PASSWORD, "confirm": "DELETE"}}, headers=bearer
    )
    assert data["deleteMyAccount"]["errors"] == []

    assert (await client.query(ME, headers=bearer))["me"] is None
    again = await client.query(SIGN_IN, {"login": ada.email, "password": PASSWORD})
    assert again["signIn"]["session"] is None and again["signIn"]["errors"]
    refreshed = await client.query(REFRESH, {"token": session["refreshToken"]})
    assert refreshed["refreshSession"]["session"] is None
    body = await client.request(EXPORT, headers=bearer)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deletion_needs_the_password_and_the_confirmation(client):
    ada = await make_user(password=PASSWORD, nickname="Ada")
    await give_history(ada, "ada")

    async def errors(input: dict) -> list[tuple[str, str]]:
        data = await client.query(DELETE, {"input": input}, user=ada)
        assert data["deleteMyAccount"]["deletedAt"] is None
        return [(e["field"][0], e["code"]) for e in data["deleteMyAccount"]["errors"]]

    assert await errors({"confirm": "DELETE"}) == [("password", "REQUIRED")]
    assert await errors({"password": "wrong password!", "confirm": "DELETE"}) == [
        ("password", "WRONG_PASSWORD")
    ]
    assert await errors({"password": PASSWORD, "confirm": "delete"}) == [("confirm", "INVALID")]
    row = await User.get(id=ada.id)
    assert row.deleted_at is None and row.nickname == "Ada" and row.is_active
    assert await Address.filter(user_id=ada.id).count() == 1


async def test_deletion_cannot_be_used_to_guess_the_password(client, settings):
    ada = await make_user(password=PASSWORD)
    guess = {"input": {"password": "a wrong guess!", "confirm": "DELETE"}}
    for _ in range(settings.sign_in_limit_per_account):
        await client.query(DELETE, guess, user=ada)
    data = await client.query(
        DELETE, {"input": {"password": PASSWORD, "confirm": "DELETE"}}, user=ada
    )
    assert [e["code"] for e in data["deleteMyAccount"]["errors"]] == ["RATE_LIMITED"]
    assert (await User.get(id=ada.id)).deleted_at is None


async def test_an_account_without_a_password_is_deleted_with_the_confirmation(client):
    shopper = await make_user(email=None, phone="+819012345678")
    data = await client.query(DELETE, {"input": {"confirm": "DELETE"}}, user=shopper)
    assert data["deleteMyAccount"]["errors"] == []
    assert (await User.get(id=shopper.id)).phone is None


async def test_staff_accounts_are_not_deleted_this_way(client):
    staff = await make_user(role=Role.STAFF, permissions=("customers",), password=PASSWORD)
    data = await client.query(
        DELETE, {"input": {"password": PASSWORD, "confirm": "DELETE"}}, user=staff
    )
    assert data["deleteMyAccount"]["errors"][0]["code"] == "INVALID"
    assert (await User.get(id=staff.id)).deleted_at is None


async def test_deletion_needs_a_signed_in_member(client):
    body = await client.request(DELETE, {"input": {"confirm": "DELETE"}})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
