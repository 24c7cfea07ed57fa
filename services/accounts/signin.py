"""Registration and sign-in: by email and password, by phone code, and password resets.

Answers never reveal whether an account exists where that would help an attacker: a
wrong email and a wrong password get the same error, and a reset request for an unknown
address succeeds silently. Every path is rate-limited per account and per client address;
a try that succeeds is given back to the address, so people signing in from one office or
one home network are not locked out by each other's successes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from models.accounts import CodePurpose, Role, User, VerificationCode
from services import messaging, rate_limit
from services.accounts import passwords
from services.accounts.codes import check_send_limits, consume_code, issue_code, pending_code
from services.accounts.errors import AccountErrorCode, fail, rate_limited
from services.accounts.identifiers import looks_like_email, normalize_email, normalize_phone
from services.accounts.sessions import ClientInfo, Session, sign_out_everywhere, start_session
from settings import Settings

_SUBJECTS = {
    CodePurpose.VERIFY_EMAIL: "Confirm your email address",
    CodePurpose.SIGN_IN: "Your sign-in code",
    CodePurpose.RESET_PASSWORD: "Reset your password",
    CodePurpose.VERIFY_PHONE: "Confirm your phone number",
}


async def _send_code(
    purpose: CodePurpose,
    target: str,
    settings: Settings,
    *,
    user_id: int | None,
    payload: dict[str, str] | None = None,
) -> None:
    code = await issue_code(purpose, target, settings, user_id=user_id, payload=payload)
    minutes = settings.code_seconds // 60
    text = f"Your Tradewind code is {code}. It expires in {minutes} minutes."
    if looks_like_email(target):
        await messaging.send_email(
            target,
            _SUBJECTS[purpose],
            f"{text}\n\nIf you did not ask for it, ignore this message.\n",
        )
    else:
        await messaging.send_sms(target, text)


def _identifier(value: str, field: str, region: str | None = None) -> str:
    """An email or E.164 phone number, whichever `value` is."""
    if looks_like_email(value):
        return normalize_email(value, field)
    return normalize_phone(value, field, region=region)


async def _find_by_identifier(identifier: str) -> User | None:
    if looks_like_email(identifier):
        return await User.get_or_none(email=identifier)
    return await User.get_or_none(phone=identifier)


def _check_usable(user: User, field: str) -> None:
    if not user.is_active or user.is_deleted:
        raise fail(AccountErrorCode.ACCOUNT_DISABLED, "This account is disabled.", field)


async def register_with_email(
    email: str,
    password: str,
    settings: Settings,
    client: ClientInfo,
    *,
    nickname: str = "",
    locale: str | None = None,
) -> str:
    """Starts a customer account: a code goes to the address; returns the address.

    Nothing is written to the account until the code comes back with the same password
    (`verify_email`): the code carries the password's hash, so whoever registers an address
    last chooses what its code confirms, and registering someone else's address first
    gains nothing.
    """
    address = normalize_email(email, "email")
    passwords.check_policy(password, identifiers=(address,))
    if locale is not None and locale not in settings.supported_locales:
        raise fail(AccountErrorCode.INVALID, "This language is not offered.", "locale")
    # Limits first: otherwise the answer below would tell, without limit, who has an account.
    await check_send_limits(address, settings, client)
    existing = await User.get_or_none(email=address)
    if existing is not None and (existing.email_verified_at or existing.is_deleted):
        raise fail(AccountErrorCode.EMAIL_TAKEN, "An account with this email exists.", "email")
    payload = {
        "password_hash": await passwords.hash_password(password),
        "nickname": nickname.strip()[:60],
        "locale": locale or "",
    }
    await _send_code(CodePurpose.VERIFY_EMAIL, address, settings, user_id=None, payload=payload)
    return address


async def resend_email_verification(email: str, settings: Settings, client: ClientInfo) -> None:
    """Sends a new code for the address's pending registration; silently nothing otherwise."""
    address = normalize_email(email, "email")
    await check_send_limits(address, settings, client)
    last = (
        await VerificationCode.filter(purpose=CodePurpose.VERIFY_EMAIL, target=address)
        .order_by("-id")
        .first()
    )
    if (
        last is None
        or not last.payload
        or await User.filter(email=address, email_verified_at__not_isnull=True).exists()
    ):
        return
    await _send_code(
        CodePurpose.VERIFY_EMAIL, address, settings, user_id=None, payload=last.payload
    )


async def verify_email(
    email: str, code: str, password: str, settings: Settings, client: ClientInfo
) -> Session:
    """Opens the registered account with the emailed code and its password, and signs in."""
    address = normalize_email(email, "email")
    attempt = await count_attempt(address, settings, client)
    pending = await pending_code(CodePurpose.VERIFY_EMAIL, address)
    chosen = pending.payload.get("password_hash") if pending else None
    if not await passwords.verify_password(chosen, password):
        raise fail(
            AccountErrorCode.INVALID_CREDENTIALS,
            "Enter the password you registered with, or register again.",
            "password",
        )
    row = await consume_code(CodePurpose.VERIFY_EMAIL, address, code, settings)
    now = datetime.now(UTC)
    async with in_transaction("default"):
        user = await User.filter(email=address).select_for_update().first()
        if user is not None and (user.email_verified_at or user.is_deleted):
            raise fail(AccountErrorCode.EMAIL_TAKEN, "An account with this email exists.", "email")
        if user is None:
            user = await User.create(email=address, role=Role.CUSTOMER)
        user.password_hash = row.payload["password_hash"]
        user.email_verified_at = now
        user.nickname = row.payload.get("nickname") or user.nickname
        user.locale = row.payload.get("locale") or user.locale
        await user.save()
    await attempt.succeeded()
    return await start_session(user, settings, client)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One counted try at proving who someone is."""

    account_key: str
    address_key: str | None = None
    address_attempt: str | None = None

    async def succeeded(self) -> None:
        """The try proved it: the account's failures are forgotten, and the client address
        gets this try back (only failures count against an address)."""
        await rate_limit.reset(self.account_key)
        if self.address_key is not None and self.address_attempt is not None:
            await rate_limit.forgive(self.address_key, self.address_attempt)


async def count_attempt(identifier: str, settings: Settings, client: ClientInfo) -> Attempt:
    """Counts one try at proving who someone is, per account key and per client address.

    Counted before the try runs, so concurrent tries cannot pass a limit; call
    `Attempt.succeeded` once the try has proved who it is.
    """
    window = settings.sign_in_window_seconds
    account_key = f"signin:account:{identifier}"
    try:
        await rate_limit.hit(account_key, limit=settings.sign_in_limit_per_account, window=window)
        if not client.address:
            return Attempt(account_key)
        address_key = f"signin:address:{client.address}"
        counted = await rate_limit.hit(
            address_key, limit=settings.sign_in_limit_per_address, window=window
        )
    except rate_limit.RateLimited as exc:
        raise rate_limited(exc.retry_after) from None
    return Attempt(account_key, address_key, counted)


async def sign_in_with_password(
    login: str, password: str, settings: Settings, client: ClientInfo
) -> Session:
    """A session for the account `login` (email or phone) names, if the password is right."""
    identifier = _identifier(login, "login")
    attempt = await count_attempt(identifier, settings, client)
    user = await _find_by_identifier(identifier)
    matches = await passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not matches:
        raise fail(
            AccountErrorCode.INVALID_CREDENTIALS,
            "The email, phone number or password is not right.",
            "password",
        )
    _check_usable(user, "login")
    if looks_like_email(identifier) and user.email_verified_at is None:
        raise fail(
            AccountErrorCode.EMAIL_NOT_VERIFIED,
            "Confirm your email address first: enter the code we sent, or ask for a new one.",
            "login",
        )
    await attempt.succeeded()
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = await passwords.hash_password(password)
        await user.save(update_fields=["password_hash"])
    return await start_session(user, settings, client)


async def request_phone_code(
    phone: str, settings: Settings, client: ClientInfo, *, region: str | None = None
) -> None:
    """Texts a sign-in code to the number; the account is made when the code comes back."""
    number = normalize_phone(phone, "phone", region=region)
    await check_send_limits(number, settings, client)
    user = await User.get_or_none(phone=number)
    if user is not None and (not user.is_active or user.is_deleted):
        return  # the same answer as a code sent, so the answer tells nothing about the account
    await _send_code(CodePurpose.SIGN_IN, number, settings, user_id=user.id if user else None)


async def sign_in_with_phone_code(
    phone: str, code: str, settings: Settings, client: ClientInfo, *, region: str | None = None
) -> Session:
    """A session for the number's account, made on first use; the code proves the number."""
    number = normalize_phone(phone, "phone", region=region)
    attempt = await count_attempt(number, settings, client)
    existing = await User.get_or_none(phone=number)
    if existing is not None:
        _check_usable(existing, "phone")
    await consume_code(CodePurpose.SIGN_IN, number, code, settings)
    now = datetime.now(UTC)
    async with in_transaction("default"):
        user = await User.filter(phone=number).select_for_update().first()
        if user is None:
            user = await User.create(phone=number, phone_verified_at=now, role=Role.CUSTOMER)
        elif user.phone_verified_at is None:
            user.phone_verified_at = now
            await user.save(update_fields=["phone_verified_at", "updated_at"])
    await attempt.succeeded()
    return await start_session(user, settings, client)


async def request_password_reset(login: str, settings: Settings, client: ClientInfo) -> None:
    """Sends a reset code when an account has this email or phone; silently nothing otherwise."""
    identifier = _identifier(login, "login")
    await check_send_limits(identifier, settings, client)
    user = await _find_by_identifier(identifier)
    if user is not None and user.is_active and not user.is_deleted:
        await _send_code(CodePurpose.RESET_PASSWORD, identifier, settings, user_id=user.id)


async def reset_password(
    login: str, code: str, new_password: str, settings: Settings, client: ClientInfo
) -> Session:
    """Sets a new password with the reset code, signs out every session, and signs in here.

    The code was sent to the address or number, so using it also proves that identifier.
    """
    identifier = _identifier(login, "login")
    passwords.check_policy(new_password, identifiers=(identifier,), field="new_password")
    attempt = await count_attempt(identifier, settings, client)
    await consume_code(CodePurpose.RESET_PASSWORD, identifier, code, settings)
    user = await _find_by_identifier(identifier)
    if user is None:
        raise fail(AccountErrorCode.CODE_INVALID, "This code is not valid.", "code")
    _check_usable(user, "login")
    await attempt.succeeded()
    now = datetime.now(UTC)
    user.password_hash = await passwords.hash_password(new_password)
    verified_field = "email_verified_at" if looks_like_email(identifier) else "phone_verified_at"
    if getattr(user, verified_field) is None:
        setattr(user, verified_field, now)
    await user.save(update_fields=["password_hash", verified_field, "updated_at"])
    await sign_out_everywhere(user.id)
    await user.refresh_from_db(fields=["token_epoch"])
    return await start_session(user, settings, client)


async def change_password(
    user_id: int, current: str | None, new_password: str, settings: Settings, client: ClientInfo
) -> Session:
    """Replaces the password (the current one must be given if there is one).

    Every other session ends, this device gets a fresh one.
    """
    user = await User.get(id=user_id)
    passwords.check_policy(
        new_password,
        identifiers=tuple(i for i in (user.email, user.phone) if i),
        field="new_password",
    )
    if user.password_hash is not None:
        attempt = await count_attempt(f"user:{user.id}", settings, client)
        if not current or not await passwords.verify_password(user.password_hash, current):
            raise fail(
                AccountErrorCode.WRONG_PASSWORD,
                "The current password is not right.",
                "current_password",
            )
        await attempt.succeeded()
    user.password_hash = await passwords.hash_password(new_password)
    await user.save(update_fields=["password_hash", "updated_at"])
    await sign_out_everywhere(user.id)
    await user.refresh_from_db(fields=["token_epoch"])
    return await start_session(user, settings, client)
