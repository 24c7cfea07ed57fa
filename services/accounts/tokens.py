"""Access tokens (short-lived signed JWTs) and the secret they are signed with.

An access token names the user, the user's `token_epoch` and the sign-in (session) it was
issued for: raising the epoch (password change, "sign out everywhere") makes every older
access token of the user useless at once, and revoking a sign-in (signing out, a reused
refresh token) ends that sign-in's access tokens at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt

from settings import DATA_DIR, Settings

ALGORITHM = "HS256"
ISSUER = "tradewind"
AUDIENCE = "tradewind:api"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    epoch: int
    expires_at: datetime
    #: The sign-in the token belongs to (its refresh-token family); None for a token issued
    #: outside any sign-in (tooling and tests).
    session: str | None = None


def signing_key(settings: Settings) -> str:
    """`SECRET_KEY`, or for the embedded SQLite shop a key kept in `data/secret_key`.

    Several processes must share one key, so a production database without `SECRET_KEY`
    is refused rather than given a key of its own per process.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    if not settings.is_sqlite:
        raise RuntimeError("Set SECRET_KEY (a long random string shared by every process).")
    return _local_key(DATA_DIR / "secret_key")


@lru_cache
def _local_key(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def issue_access_token(
    user_id: int,
    epoch: int,
    settings: Settings,
    *,
    now: datetime | None = None,
    session: str | None = None,
) -> tuple[str, datetime]:
    """A signed access token for the user (and the sign-in `session`) and when it expires."""
    issued = now or datetime.now(UTC)
    expires = issued + timedelta(seconds=settings.access_token_seconds)
    claims: dict[str, object] = {
        "sub": str(user_id),
        "ep": epoch,
        "iat": issued,
        "exp": expires,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    if session is not None:
        claims["sid"] = session
    return jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM), expires


def read_access_token(token: str, settings: Settings) -> AccessClaims | None:
    """The claims of a valid, unexpired token of ours; None for anything else."""
    try:
        claims = jwt.decode(
            token,
            signing_key(settings),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            audience=AUDIENCE,
            options={"require": ["sub", "exp", "iat", "ep"]},
        )
        return AccessClaims(
            user_id=int(claims["sub"]),
            epoch=int(claims["ep"]),
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
            session=str(claims["sid"]) if "sid" in claims else None,
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


def new_opaque_token() -> str:
    """A random token for refresh tokens and one-time links (256 bits)."""
    return secrets.token_urlsafe(32)
