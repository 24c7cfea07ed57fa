"""One-time codes sent by email or SMS: issued, rate-limited, expiring, with few attempts.

Codes are six digits, so they are stored as an HMAC keyed with the server secret rather
than a plain hash: a leaked table cannot be brute-forced offline in a millisecond.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F

from models.accounts import CodePurpose, VerificationCode
from services import rate_limit
from services.accounts.errors import AccountErrorCode, fail, rate_limited
from services.accounts.sessions import ClientInfo
from services.accounts.tokens import signing_key
from settings import Settings

CODE_DIGITS = 6


def _code_hash(purpose: CodePurpose, target: str, code: str, settings: Settings) -> str:
    message = f"{purpose.value}:{target}:{code}".encode()
    return hmac.new(signing_key(settings).encode(), message, hashlib.sha256).hexdigest()


async def check_send_limits(target: str, settings: Settings, client: ClientInfo) -> None:
    """Refuse when too many codes went to `target` or were asked from this address lately."""
    window = settings.code_send_window_seconds
    try:
        await rate_limit.hit(
            f"code:target:{target}", limit=settings.code_send_limit_per_target, window=window
        )
        if client.address:
            await rate_limit.hit(
                f"code:address:{client.address}",
                limit=settings.code_send_limit_per_address,
                window=window,
            )
    except rate_limit.RateLimited as exc:
        raise rate_limited(exc.retry_after) from None


async def issue_code(
    purpose: CodePurpose,
    target: str,
    settings: Settings,
    *,
    user_id: int | None = None,
    payload: dict[str, str] | None = None,
) -> str:
    """A fresh code for `target`; any earlier pending code of the same purpose stops working.

    `payload` is what the code will confirm (a registration's password hash, say), so that
    whoever asked for the newest code decides what it confirms.
    """
    now = datetime.now(UTC)
    await VerificationCode.filter(purpose=purpose, target=target, consumed_at=None).update(
        consumed_at=now
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    await VerificationCode.create(
        purpose=purpose,
        target=target,
        user_id=user_id,
        code_hash=_code_hash(purpose, target, code, settings),
        expires_at=now + timedelta(seconds=settings.code_seconds),
        payload=payload or {},
    )
    return code


async def pending_code(purpose: CodePurpose, target: str) -> VerificationCode | None:
    """The code waiting to be entered for `target`, if any."""
    return (
        await VerificationCode.filter(purpose=purpose, target=target, consumed_at=None)
        .order_by("-id")
        .first()
    )


async def consume_code(
    purpose: CodePurpose, target: str, code: str, settings: Settings, *, field: str = "code"
) -> VerificationCode:
    """The pending code row, marked used, when `code` is right; a typed error otherwise.

    Every guess is counted before it is compared, with a conditional update, so guesses
    sent all at once still get `code_max_attempts` tries between them, no more.
    """
    now = datetime.now(UTC)
    row = await pending_code(purpose, target)
    if row is None:
        raise fail(
            AccountErrorCode.CODE_INVALID, "This code is not valid. Ask for a new one.", field
        )
    if row.expires_at <= now:
        raise fail(
            AccountErrorCode.CODE_EXPIRED, "This code has expired. Ask for a new one.", field
        )
    counted = await VerificationCode.filter(
        id=row.id, consumed_at=None, attempts__lt=settings.code_max_attempts
    ).update(attempts=F("attempts") + 1)
    if not counted:
        raise fail(
            AccountErrorCode.CODE_ATTEMPTS_EXCEEDED,
            "Too many wrong codes. Ask for a new one.",
            field,
        )
    expected = _code_hash(purpose, target, code.strip(), settings)
    if not hmac.compare_digest(expected, row.code_hash):
        left = settings.code_max_attempts - row.attempts - 1
        if left <= 0:
            raise fail(
                AccountErrorCode.CODE_ATTEMPTS_EXCEEDED,
                "Too many wrong codes. Ask for a new one.",
                field,
            )
        raise fail(
            AccountErrorCode.CODE_INVALID,
            f"This code is not right. At most {left} attempt{'s' if left != 1 else ''} left.",
            field,
        )
    # Claimed with a condition, so two requests racing with one code cannot both pass.
    claimed = await VerificationCode.filter(id=row.id, consumed_at=None).update(consumed_at=now)
    if not claimed:
        raise fail(AccountErrorCode.CODE_INVALID, "This code was already used.", field)
    return row
