"""Password policy and argon2id hashing (argon2-cffi's defaults, RFC 9106's low-memory profile)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.accounts.errors import AccountErrorCode, fail

MIN_LENGTH = 10
#: Long enough for any passphrase, short enough that hashing cannot be used to tie up a worker.
MAX_LENGTH = 128

#: Passwords that meet the length rule but head every leaked-password list.
_COMMON = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "1q2w3e4r5t",
        "qwertyuiop",
        "password123",
        "password1234",
        "passw0rd123",
        "iloveyou123",
        "abcdefghij",
        "abc1234567",
        "qwerty12345",
        "letmein1234",
        "administrator",
        "welcome123",
    }
)

_hasher = PasswordHasher()


def check_policy(
    password: str, *, identifiers: tuple[str, ...] = (), field: str = "password"
) -> None:
    """Raise a typed error when `password` is too short, too long or trivially guessed."""
    if len(password) < MIN_LENGTH:
        raise fail(
            AccountErrorCode.PASSWORD_TOO_SHORT,
            f"Use at least {MIN_LENGTH} characters.",
            field,
        )
    if len(password) > MAX_LENGTH:
        raise fail(
            AccountErrorCode.PASSWORD_TOO_LONG, f"Use at most {MAX_LENGTH} characters.", field
        )
    lowered = password.lower()
    if (
        lowered in _COMMON
        or len(set(password)) < 4
        or any(ident and ident.lower().split("@")[0] in lowered for ident in identifiers)
    ):
        raise fail(
            AccountErrorCode.PASSWORD_TOO_WEAK,
            "This password is too easy to guess: avoid common words, repeats and your own email.",
            field,
        )


async def hash_password(password: str) -> str:
    """An argon2id hash; computed off the event loop because it takes tens of milliseconds."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a missing hash still costs one hash so timing tells nothing."""
    if not password_hash:
        await asyncio.to_thread(_hasher.hash, password)
        return False
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
