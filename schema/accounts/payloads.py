"""Accounts payloads: a session, or `errors` saying why nothing changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from schema.accounts.types import UserType
from schema.errors import UserError
from services.accounts.errors import AccountError, AccountErrorCode
from services.accounts.sessions import Session
from services.errors import ServiceError

AccountErrorCodeEnum = strawberry.enum(AccountErrorCode, name="AccountErrorCode")


@strawberry.type(name="AccountError")
class AccountErrorType(UserError):
    code: AccountErrorCodeEnum  # type: ignore[valid-type]
    retry_after: int | None = strawberry.field(
        default=None, description="Seconds to wait before trying again, when rate-limited."
    )

    @classmethod
    def extra_fields(cls, exc: ServiceError, info: object) -> dict[str, Any]:
        """How long to wait, when rate-limited."""
        return {"retry_after": exc.retry_after if isinstance(exc, AccountError) else None}


@strawberry.type
class AccountPayload:
    errors: list[AccountErrorType] = strawberry.field(default_factory=list)


@strawberry.type(name="AuthSession", description="Tokens of a signed-in session.")
class SessionType:
    access_token: str = strawberry.field(
        description="Send as `Authorization: Bearer <token>`; short-lived."
    )
    access_token_expires_at: datetime
    refresh_token: str = strawberry.field(
        description="Exchange once for new tokens with `refreshSession`; keep it secret."
    )
    refresh_token_expires_at: datetime
    user: UserType

    @classmethod
    def build(cls, session: Session) -> SessionType:
        return cls(
            access_token=session.access_token,
            access_token_expires_at=session.access_token_expires_at,
            refresh_token=session.refresh_token,
            refresh_token_expires_at=session.refresh_token_expires_at,
            user=UserType.build(session.user),
        )


@strawberry.type
class SessionPayload(AccountPayload):
    """A session when the caller proved who they are."""

    session: SessionType | None = None


@strawberry.type
class RegisterPayload(AccountPayload):
    """The account waits for its email code; `email` is where the code went."""

    email: str | None = None


@strawberry.type
class UserPayload(AccountPayload):
    user: UserType | None = None
