"""Who is calling: the viewer every service call acts for, and the staff permissions.

A request's viewer comes from its bearer access token. The user row is read on every
authenticated request, in one query with the check that the token's sign-in is still
open, so a disabled account, a changed password, a withdrawn permission or a signed-out
(or revoked) sign-in takes effect at once rather than when the token expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tortoise.expressions import Subquery

from models.accounts import RefreshToken, Role, User
from services.accounts.tokens import read_access_token
from settings import Settings


class StaffPermission(StrEnum):
    CATALOG = "catalog"
    INVENTORY = "inventory"
    ORDERS = "orders"
    CUSTOMERS = "customers"
    SUPPORT = "support"
    REPORTS = "reports"
    SETTINGS = "settings"


@dataclass(frozen=True, slots=True)
class Viewer:
    """The caller of a request: anonymous, a customer, staff with named permissions, or an admin."""

    label: str = "anonymous"
    user_id: int | None = None
    role: Role | None = None
    permissions: frozenset[StaffPermission] = field(default_factory=frozenset)
    #: Membership tier of a signed-in customer, for prices and early access.
    tier_id: int | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def can(self, permission: StaffPermission) -> bool:
        return self.is_admin or (self.is_staff and permission in self.permissions)


ANONYMOUS = Viewer()


def viewer_for_user(user: User) -> Viewer:
    """The viewer a signed-in user acts as."""
    role = Role(user.role)
    if role is Role.ADMIN:
        permissions = frozenset(StaffPermission)
    elif role is Role.STAFF:
        permissions = frozenset(
            StaffPermission(p) for p in user.permissions if p in StaffPermission._value2member_map_
        )
    else:
        permissions = frozenset()
    return Viewer(
        label=f"user:{user.id}",
        user_id=user.id,
        role=role,
        permissions=permissions,
        tier_id=user.tier_id,
    )


async def viewer_for_token(token: str | None, settings: Settings) -> Viewer:
    """The viewer a bearer access token stands for; anonymous when it is missing or invalid."""
    return (await viewer_and_expiry(token, settings))[0]


async def viewer_and_expiry(
    token: str | None, settings: Settings
) -> tuple[Viewer, datetime | None]:
    """The viewer a token stands for, and when the token stops standing for anyone."""
    if not token:
        return ANONYMOUS, None
    claims = read_access_token(token, settings)
    if claims is None:
        return ANONYMOUS, None
    users = User.filter(
        id=claims.user_id, is_active=True, deleted_at=None, token_epoch=claims.epoch
    )
    if claims.session is not None:
        # The sign-in is open while one of its refresh tokens is not revoked.
        open_sessions = RefreshToken.filter(family=claims.session, revoked_at=None)
        users = users.filter(id__in=Subquery(open_sessions.values("user_id")))
    user = await users.only("id", "role", "permissions", "tier_id").first()
    if user is None:
        return ANONYMOUS, None
    return viewer_for_user(user), claims.expires_at


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
