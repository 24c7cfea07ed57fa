"""Changing the email address or phone number an account signs in with.

The new identifier only replaces the old one once the code sent to it comes back; the
account's password is asked for first, so a stolen access token alone cannot move an
account away from its owner; the old address is told; and every other sign-in ends.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from models.accounts import CodePurpose, User
from services import messaging
from services.accounts import passwords
from services.accounts.codes import check_send_limits, consume_code, issue_code
from services.accounts.errors import AccountErrorCode, fail
from services.accounts.identifiers import looks_like_email, normalize_email, normalize_phone
from services.accounts.sessions import ClientInfo, Session, sign_out_everywhere, start_session
from services.accounts.signin import count_attempt
from settings import Settings


def _purpose(identifier: str) -> CodePurpose:
    return CodePurpose.VERIFY_EMAIL if looks_like_email(identifier) else CodePurpose.VERIFY_PHONE


def _normalize(value: str, region: str | None) -> str:
    if looks_like_email(value):
        return normalize_email(value, "login")
    return normalize_phone(value, "login", region=region)


def _taken(identifier: str) -> Exception:
    code = (
        AccountErrorCode.EMAIL_TAKEN
        if looks_like_email(identifier)
        else AccountErrorCode.PHONE_TAKEN
    )
    return fail(code, "Another account signs in with this already.", "login")


async def _is_taken(identifier: str, user_id: int) -> bool:
    column = "email" if looks_like_email(identifier) else "phone"
    return await User.filter(**{column: identifier}).exclude(id=user_id).exists()


async def request_login_change(
    user_id: int,
    new_login: str,
    password: str | None,
    settings: Settings,
    client: ClientInfo,
    *,
    region: str | None,
) -> str:
    """Sends a code to the new email or phone number; returns it normalised.

    An account with a password must give it. Limits come before the "taken" answer, so
    that it cannot be used to look up who has an account.
    """
    identifier = _normalize(new_login, region)
    user = await User.get(id=user_id)
    if user.password_hash is not None:
        attempt = await count_attempt(f"user:{user.id}", settings, client)
        if not password or not await passwords.verify_password(user.password_hash, password):
            raise fail(AccountErrorCode.WRONG_PASSWORD, "The password is not right.", "password")
        await attempt.succeeded()
    await check_send_limits(identifier, settings, client)
    if await _is_taken(identifier, user_id):
        raise _taken(identifier)
    code = await issue_code(_purpose(identifier), identifier, settings, user_id=user_id)
    text = f"Your Tradewind code is {code}. It expires in {settings.code_seconds // 60} minutes."
    if looks_like_email(identifier):
        await messaging.send_email(identifier, "Confirm your email address", text + "\n")
    else:
        await messaging.send_sms(identifier, text)
    return identifier


async def confirm_login_change(
    user_id: int,
    new_login: str,
    code: str,
    settings: Settings,
    client: ClientInfo,
    *,
    region: str | None,
) -> Session:
    """Makes the confirmed email or phone number the account's sign-in identifier.

    The previous identifier is told, every other sign-in ends, and this one is renewed.
    """
    identifier = _normalize(new_login, region)
    attempt = await count_attempt(f"user:{user_id}", settings, client)
    row = await consume_code(_purpose(identifier), identifier, code, settings)
    if row.user_id != user_id:
        raise fail(AccountErrorCode.CODE_INVALID, "This code is not valid.", "code")
    await attempt.succeeded()
    user = await User.get(id=user_id)
    now = datetime.now(UTC)
    if looks_like_email(identifier):
        previous = user.email
        user.email, user.email_verified_at = identifier, now
        fields = ["email", "email_verified_at", "updated_at"]
    else:
        previous = user.phone
        user.phone, user.phone_verified_at = identifier, now
        fields = ["phone", "phone_verified_at", "updated_at"]
    try:
        await user.save(update_fields=fields)
    except IntegrityError:
        raise _taken(identifier) from None
    if previous and previous != identifier:
        notice = (
            f"Your Tradewind account now signs in with {identifier} instead of this "
            "address. If you did not do this, reset your password at once."
        )
        if looks_like_email(previous):
            await messaging.send_email(previous, "Your sign-in email changed", notice + "\n")
        else:
            await messaging.send_sms(previous, notice)
    await sign_out_everywhere(user.id)
    await user.refresh_from_db(fields=["token_epoch"])
    return await start_session(user, settings, client)
