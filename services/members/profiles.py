"""A member's own profile: nickname, gender, birthday, contact details, preferences, avatar.

Updates are partial: a field left out stays as it is, and an explicit None clears a
nullable field (a nickname cannot be cleared, and clearing the gender makes it unspecified).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, NoReturn, TypedDict

from pydantic import AfterValidator, ValidationInfo

from models.accounts import Gender, User
from services import media
from services.accounts.errors import AccountError
from services.accounts.identifiers import normalize_email, normalize_phone
from services.members.errors import MemberError, MemberErrorCode, fail, not_found
from services.money import InvalidCurrency, currency_exponent
from services.validation import Input, refuse, validated
from settings import get_settings

log = logging.getLogger("tradewind.members")

NICKNAME_MAX = 60
EARLIEST_BIRTHDAY = date(1900, 1, 1)
#: Where avatars are stored under the media directory; nothing else is stored there.
AVATAR_FOLDER = "avatars"
#: What reviews and other public places show for an account that was deleted.
DELETED_MEMBER_NAME = "Deleted member"


class ProfileFields(TypedDict, total=False):
    nickname: str | None
    gender: str | None
    birthday: date | None
    contact_email: str | None
    contact_phone: str | None
    #: ISO country code to read a contact phone typed without its `+` country prefix.
    contact_phone_region: str | None
    locale: str | None
    currency: str | None


def latest_birthday(now: datetime | None = None) -> date:
    """The latest birthday accepted: today where the day starts first (UTC+14).

    A member in Kiribati entering today's date must not be told it is in the future.
    """
    return ((now or datetime.now(UTC)) + timedelta(hours=14)).date()


def check_birthday(value: date, *, now: datetime | None = None) -> str | None:
    """Why `value` cannot be a birthday, or None when it can."""
    if value < EARLIEST_BIRTHDAY:
        return "Enter a birthday on or after 1 January 1900."
    if value > latest_birthday(now):
        return "A birthday cannot be in the future."
    return None


def check_locale(value: str) -> str | None:
    """The supported locale `value` names (case-insensitively), or None."""
    for supported in get_settings().supported_locales:
        if supported.lower() == value.strip().lower():
            return supported
    return None


def _nickname(value: str | None) -> str:
    nickname = (value or "").strip()
    if not nickname:
        refuse("REQUIRED", "Choose a nickname.")
    if len(nickname) > NICKNAME_MAX:
        refuse("INVALID", f"Use at most {NICKNAME_MAX} characters.")
    return nickname


def _gender(value: Any) -> Gender:
    try:
        return Gender(value or Gender.UNSPECIFIED)
    except ValueError:
        refuse("INVALID", "Unknown gender.")


def _birthday(value: date | None) -> date | None:
    reason = check_birthday(value) if value is not None else None
    if reason:
        refuse("INVALID_DATE", reason)
    return value


def _refused(exc: AccountError) -> NoReturn:
    """An accounts refusal as the member code of the same name."""
    problem = exc.problems[0]
    refuse(problem.code.name, problem.message)


def _email(value: str | None) -> str | None:
    email = (value or "").strip()
    try:
        return normalize_email(email, "contact_email") if email else None
    except AccountError as exc:
        _refused(exc)


def _phone(value: str | None, info: ValidationInfo) -> str | None:
    phone = (value or "").strip()
    try:
        region = info.data.get("contact_phone_region")
        return normalize_phone(phone, "contact_phone", region=region) if phone else None
    except AccountError as exc:
        _refused(exc)


def _locale(value: str | None) -> str | None:
    locale = check_locale(value) if value else None
    if value and locale is None:
        refuse("INVALID_LOCALE", f"Choose one of: {', '.join(get_settings().supported_locales)}.")
    return locale


def _currency(value: str | None) -> str | None:
    currency = (value or "").strip().upper() or None
    if currency is not None:
        try:
            currency_exponent(currency)
        except InvalidCurrency:
            refuse("INVALID_CURRENCY", f"{currency} is not an ISO 4217 currency.")
    return currency


class ProfileInput(Input):
    """What a member's profile may hold; None clears a field, but never the nickname."""

    nickname: Annotated[str | None, AfterValidator(_nickname)] = None
    gender: Annotated[Any, AfterValidator(_gender)] = None
    birthday: Annotated[date | None, AfterValidator(_birthday)] = None
    contact_email: Annotated[str | None, AfterValidator(_email)] = None
    #: Read before the phone: the country a phone typed without its `+` prefix is in.
    contact_phone_region: str | None = None
    contact_phone: Annotated[str | None, AfterValidator(_phone)] = None
    locale: Annotated[str | None, AfterValidator(_locale)] = None
    currency: Annotated[str | None, AfterValidator(_currency)] = None


async def update_profile(*, user_id: int, fields: ProfileFields) -> User:
    """Apply the given profile fields to the member's own row; all checked before any write."""
    checked = validated(ProfileInput, fields, MemberError)
    clean = checked.model_dump(exclude_unset=True, exclude={"contact_phone_region"})
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise not_found("The account")
    if clean:
        for key, value in clean.items():
            setattr(user, key, value)
        await user.save(update_fields=[*clean, "updated_at"])
    return user


async def set_avatar(*, user_id: int, data: bytes) -> User:
    """Check and store an uploaded picture as the member's avatar, replacing any other."""
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise not_found("The account")
    try:
        stored = await media.store_image(data, folder=AVATAR_FOLDER)
    except media.ImageTooLarge as exc:
        raise fail(MemberErrorCode.IMAGE_TOO_LARGE, str(exc), "file") from None
    except media.NotAnImage as exc:
        raise fail(MemberErrorCode.NOT_AN_IMAGE, str(exc), "file") from None
    previous = user.avatar
    user.avatar = stored.path
    await user.save(update_fields=["avatar", "updated_at"])
    if previous and previous != stored.path:
        await discard_avatar(previous)
    return user


async def remove_avatar(*, user_id: int) -> User:
    """Forget the member's avatar; the file goes too unless another member uses it."""
    user = await User.get_or_none(id=user_id, deleted_at=None)
    if user is None:
        raise not_found("The account")
    previous = user.avatar
    if previous:
        user.avatar = None
        await user.save(update_fields=["avatar", "updated_at"])
        await discard_avatar(previous)
    return user


async def discard_avatar(path: str) -> None:
    """Remove a stored avatar file unless some account still shows it.

    Files are named by content, so two members who upload the same picture share one.
    """
    if not path.startswith(AVATAR_FOLDER + "/") or await User.exists(avatar=path):
        return
    target = get_settings().media_dir / path
    try:
        await asyncio.to_thread(target.unlink, missing_ok=True)
    except OSError:
        log.warning("members.avatar_discard_failed", extra={"path": path})


def public_name(user: User) -> str:
    """The name other shoppers may see (reviews): the nickname, never an email or phone."""
    if user.is_deleted:
        return DELETED_MEMBER_NAME
    return user.nickname or "Member"
