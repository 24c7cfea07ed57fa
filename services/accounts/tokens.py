"""Access tokens (short-lived signed JWTs) and the secret they are signed with.

An access token names the user and the user's `token_epoch`; raising the epoch (password
change, "sign out everywhere") makes every older access token useless at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import jwt

from settings import ROOT, Settings

ALGORITHM = "HS256"
ISSUER = "tradewind"
AUDIENCE = "tradewind:api"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: int
    epoch: int
    expires_at: datetime


def signing_key(settings: Settings) -> str:
    """`SECRET_KEY`, or for the embedded SQLite shop a key kept in `data/secret_key`.

    Several processes must share one key, so a production database without `SECRET_KEY`
    is refused rather than given a key of its own per process.
    """
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    if not settings.is_sqlite:
        raise RuntimeError("Set SECRET_KEY (a long random string shared by every process).")
    return _local_key(ROOT / "data" / "secret_key")


@lru_cache
def _local_key(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def issue_access_token(
    user_id: int, epoch: int, settings: Settings, *, now: datetime | None = None
) -> tuple[str, datetime]:
    """A signed access token for the user and when it expires."""
    issued = now or datetime.now(UTC)
    expires = issued + timedelta(seconds=settings.access_token_seconds)
    claims = {
        "sub": str(user_id),
        "ep": epoch,
        "iat": issued,
        "exp": expires,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
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
        )
    except (jwt.PyJWTError, ValueError, TypeError):
        return None


def new_opaque_token() -> str:
    """A random token for refresh tokens and one-time links (256 bits)."""
    return secrets.token_urlsafe(32)
