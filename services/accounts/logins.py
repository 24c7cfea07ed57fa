"""Changing the email address or phone number an account signs in with.

The new identifier only replaces the old one once the code sent to it comes back, so an
account can never be moved onto an address its owner does not control.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from models.accounts import CodePurpose, User
from services import messaging
from services.accounts.codes import check_send_limits, consume_code, issue_code
from services.accounts.errors import AccountErrorCode, fail
from services.accounts.identifiers import looks_like_email, normalize_email, normalize_phone
from services.accounts.sessions import ClientInfo
from settings import Settings


def _purpose(identifier: str) -> CodePurpose:
    return CodePurpose.VERIFY_EMAIL if looks_like_email(identifier) else CodePurpose.VERIFY_PHONE


def _normalize(value: str, region: str | None) -> str:
    if looks_like_email(value):
        return normalize_email(value, "login")
    return normalize_phone(value, "login", region=region)


async def _taken(identifier: str, user_id: int) -> bool:
    column = "email" if looks_like_email(identifier) else "phone"
    return await User.filter(**{column: identifier}).exclude(id=user_id).exists()


async def request_login_change(
    user_id: int, new_login: str, settings: Settings, client: ClientInfo, *, region: str | None
) -> str:
    """Sends a code to the new email or phone number; returns it normalised."""
    identifier = _normalize(new_login, region)
    if await _taken(identifier, user_id):
        taken = (
            AccountErrorCode.EMAIL_TAKEN
            if looks_like_email(identifier)
            else AccountErrorCode.PHONE_TAKEN
        )
        raise fail(taken, "Another account signs in with this already.", "login")
    await check_send_limits(identifier, settings, client)
    code = await issue_code(_purpose(identifier), identifier, settings, user_id=user_id)
    text = f"Your Tradewind code is {code}. It expires in {settings.code_seconds // 60} minutes."
    if looks_like_email(identifier):
        await messaging.send_email(identifier, "Confirm your email address", text + "\n")
    else:
        await messaging.send_sms(identifier, text)
    return identifier


async def confirm_login_change(
    user_id: int, new_login: str, code: str, settings: Settings, *, region: str | None
) -> User:
    """Makes the confirmed email or phone number the account's sign-in identifier."""
    identifier = _normalize(new_login, region)
    row = await consume_code(_purpose(identifier), identifier, code, settings)
    if row.user_id != user_id:
        raise fail(AccountErrorCode.CODE_INVALID, "This code is not valid.", "code")
    user = await User.get(id=user_id)
    now = datetime.now(UTC)
    if looks_like_email(identifier):
        user.email, user.email_verified_at = identifier, now
        fields = ["email", "email_verified_at", "updated_at"]
    else:
        user.phone, user.phone_verified_at = identifier, now
        fields = ["phone", "phone_verified_at", "updated_at"]
    try:
        await user.save(update_fields=fields)
    except IntegrityError:
        raise fail(
            AccountErrorCode.EMAIL_TAKEN
            if looks_like_email(identifier)
            else AccountErrorCode.PHONE_TAKEN,
            "Another account signs in with this already.",
            "login",
        ) from None
    return user
