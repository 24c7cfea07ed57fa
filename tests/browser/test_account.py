"""A member keeps their own data on the account page, as a person would: the whole profile
with its picture, the password, a copy of their data, and deleting the account."""

from __future__ import annotations

import asyncio
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from PIL import Image

from models.accounts import Gender, User
from services.accounts.passwords import verify_password
from tests.factories import make_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple tide lantern"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


async def _sign_in(page: Any, storefront: str, expect: Any, email: str) -> None:
    await page.goto(f"{storefront}#/sign-in")
    await page.get_by_label("Email or phone number").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page.get_by_role("heading", name="My account")).to_be_visible()


async def test_a_member_edits_the_profile_and_picture(page, storefront, expect, tmp_path: Path):
    user = await make_user(email="mei@example.com", password=PASSWORD, nickname="Mei")
    await _sign_in(page, storefront, expect, "mei@example.com")
    profile = page.get_by_role("form", name="Profile")

    await profile.get_by_label("Nickname").fill("Mei L.")
    await profile.get_by_label("Gender").select_option("FEMALE")
    await profile.get_by_label("Birthday").fill("1990-04-12")
    await profile.get_by_label("Contact email").fill("mei.contact@example.com")
    await profile.get_by_label("Contact phone").fill("+49 12")
    await profile.get_by_label("Preferred language").select_option("de")
    await profile.get_by_role("button", name="Save").click()

    # The API's error sits next to its field, and nothing typed is lost.
    error = profile.locator(".field").filter(has=page.get_by_label("Contact phone"))
    await expect(error.locator(".field-error")).to_be_visible()
    await expect(profile.get_by_label("Contact phone")).to_have_attribute("aria-invalid", "true")
    await expect(profile.get_by_label("Nickname")).to_have_value("Mei L.")
    await expect(profile.get_by_label("Birthday")).to_have_value("1990-04-12")
    await user.refresh_from_db()
    assert user.nickname == "Mei"

    await profile.get_by_label("Contact phone").fill("+49 30 1234567")
    await profile.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await expect(page.locator(".account-nav .account-name")).to_have_text("Mei L.")
    await user.refresh_from_db()
    assert (user.nickname, user.gender, user.birthday) == (
        "Mei L.",
        Gender.FEMALE,
        date(1990, 4, 12),
    )
    assert (user.contact_email, user.contact_phone, user.locale) == (
        "mei.contact@example.com",
        "+49301234567",
        "de",
    )

    # A file that is no picture is refused next to the picture field; a PNG is taken.
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_bytes(b"just some text, not an image")
    picture_field = page.get_by_label("Profile picture")
    await picture_field.set_input_files(str(not_a_picture))
    await expect(page.locator(".avatar-picker .field-error")).to_be_visible()
    await user.refresh_from_db()
    assert user.avatar is None

    picture = tmp_path / "me.png"
    picture.write_bytes(_png())
    await picture_field.set_input_files(str(picture))
    await expect(page.get_by_text("Profile picture saved.")).to_be_visible()
    await expect(page.locator(".avatar-picker .field-error")).to_have_count(0)
    await user.refresh_from_db()
    assert user.avatar
    await expect(
        page.locator(".avatar-picker").get_by_role("img", name="Your profile picture")
    ).to_have_attribute("src", re.compile(re.escape(user.avatar) + "$"))


async def test_a_member_changes_password_downloads_the_data_and_deletes_the_account(
    page, storefront, expect
):
    user = await make_user(email="noor@example.com", password=PASSWORD, nickname="Noor")
    await _sign_in(page, storefront, expect, "noor@example.com")

    form = page.get_by_role("form", name="Change password")
    await form.get_by_label("Current password").fill("not the password")
    await form.get_by_label("New password").fill(NEW_PASSWORD)
    await form.get_by_role("button", name="Change password").click()
    await expect(
        form.locator(".field")
        .filter(has=page.get_by_label("Current password"))
        .locator(".field-error")
    ).to_be_visible()
    await user.refresh_from_db()
    assert await verify_password(user.password_hash, PASSWORD)

    await form.get_by_label("Current password").fill(PASSWORD)
    await form.get_by_role("button", name="Change password").click()
    await expect(page.get_by_text("Password changed.", exact=False)).to_be_visible()
    await user.refresh_from_db()
    assert await verify_password(user.password_hash, NEW_PASSWORD)

    # The copy of everything kept about the member, as a JSON file.
    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Download my data").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".json")
    exported = json.loads(await asyncio.to_thread(Path(await download.path()).read_text))
    assert exported["profile"]["nickname"] == "Noor"
    assert exported["account"]["email"] == "noor@example.com"
    assert {"addresses", "orders", "pointsEntries", "reviews", "rewardRedemptions"} <= set(exported)

    # Deleting asks for the password and the confirmation word, and the API checks both.
    await page.get_by_role("button", name="Delete my account").click()
    delete = page.get_by_role("form", name="Delete my account")
    await delete.get_by_label("Password").fill(NEW_PASSWORD)
    await delete.get_by_label("Type DELETE to confirm").fill("delete")
    await delete.get_by_role("button", name="Delete my account for good").click()
    await expect(
        delete.locator(".field")
        .filter(has=page.get_by_label("Type DELETE to confirm"))
        .locator(".field-error")
    ).to_be_visible()
    await user.refresh_from_db()
    assert user.deleted_at is None

    await delete.get_by_label("Type DELETE to confirm").fill("DELETE")
    await delete.get_by_role("button", name="Delete my account for good").click()
    await expect(page.get_by_role("heading", name="Your account has been deleted")).to_be_visible()
    await expect(page.locator(".account-nav")).to_contain_text("Sign in")
    assert await page.evaluate("localStorage.getItem('tradewind.refreshToken')") is None
    deleted = await User.get(id=user.id)
    assert deleted.deleted_at is not None
    assert deleted.email is None
