"""Signed-in sessions: an access token plus a rotating refresh token kept server-side.

A refresh token is usable once. Refreshing marks it used and issues the next token of the
same family; a used token presented again means it was stolen, so the whole family is
revoked and both the thief and the owner must sign in again. The family is the sign-in:
its access tokens name it, and stop working the moment it is revoked.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.accounts import RefreshToken, User
from services.accounts.errors import AccountErrorCode, fail
from services.accounts.tokens import issue_access_token, new_opaque_token
from settings import Settings


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request came from, recorded with the session it starts."""

    address: str = ""
    user_agent: str = ""


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(
    user: User, settings: Settings, client: ClientInfo = ClientInfo(), *, family: str | None = None
) -> Session:
    """Tokens for a user who just proved who they are (or renewed, when `family` is given)."""
    now = datetime.now(UTC)
    refresh = new_opaque_token()
    refresh_expires = now + timedelta(seconds=settings.refresh_token_seconds)
    session = family or uuid.uuid4().hex
    await RefreshToken.create(
        user_id=user.id,
        family=session,
        token_hash=digest(refresh),
        expires_at=refresh_expires,
        user_agent=client.user_agent[:200],
        client_address=client.address[:64],
        epoch=user.token_epoch,
    )
    access, access_expires = issue_access_token(
        user.id, user.token_epoch, settings, now=now, session=session
    )
    if family is None:
        await User.filter(id=user.id).update(last_sign_in_at=now)
    return Session(user, access, access_expires, refresh, refresh_expires)


async def refresh_session(refresh_token: str, settings: Settings, client: ClientInfo) -> Session:
    """The next tokens of the presented token's family.

    Claiming the token and issuing its successor happen in one transaction holding the
    family's rows, so two refreshes racing with one token cannot both win, and a family
    revoked meanwhile (a reuse, a sign-out) takes the successor with it. A token issued
    before the user's epoch was raised (password change, sign out everywhere) is dead.
    """
    now = datetime.now(UTC)
    row = await RefreshToken.get_or_none(token_hash=digest(refresh_token))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise fail(AccountErrorCode.TOKEN_INVALID, "Sign in again.", "refresh_token")
    outcome: Session | AccountErrorCode
    async with in_transaction("default"):
        family = await RefreshToken.filter(family=row.family).select_for_update()
        claimed = await RefreshToken.filter(id=row.id, used_at=None, revoked_at=None).update(
            used_at=now
        )
        user = await User.get(id=row.user_id)
        if not claimed:
            await revoke_family(row.family)
            outcome = AccountErrorCode.TOKEN_REUSED
        elif any(r.revoked_at is not None for r in family) or row.epoch != user.token_epoch:
            outcome = AccountErrorCode.TOKEN_INVALID
        elif not user.is_active or user.is_deleted:
            await revoke_family(row.family)
            outcome = AccountErrorCode.ACCOUNT_DISABLED
        else:
            outcome = await start_session(user, settings, client, family=row.family)
    if isinstance(outcome, Session):
        return outcome
    messages = {
        AccountErrorCode.TOKEN_REUSED: "This sign-in was already renewed elsewhere; every "
        "device of it was signed out.",
        AccountErrorCode.TOKEN_INVALID: "Sign in again.",
        AccountErrorCode.ACCOUNT_DISABLED: "This account is disabled.",
    }
    raise fail(outcome, messages[outcome], "refresh_token")


async def revoke_family(family: str) -> None:
    await RefreshToken.filter(family=family, revoked_at=None).update(revoked_at=datetime.now(UTC))


async def sign_out(refresh_token: str) -> None:
    """Ends the session the refresh token belongs to, its access tokens included; unknown
    tokens are ignored."""
    row = await RefreshToken.get_or_none(token_hash=digest(refresh_token))
    if row is not None:
        await revoke_family(row.family)


async def sign_out_everywhere(user_id: int) -> None:
    """Revokes every refresh token and, by raising the epoch, every access token of the user."""
    await RefreshToken.filter(user_id=user_id, revoked_at=None).update(revoked_at=datetime.now(UTC))
    await User.filter(id=user_id).update(token_epoch=F("token_epoch") + 1)
