"""Who is calling: the viewer every service call acts for, and the staff permissions.

Until accounts exist, a staff member is whoever presents the development token from the
settings; the permission checks are the ones accounts will plug into.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from enum import StrEnum

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
    """The caller of a request: anonymous, a customer or staff with named permissions."""

    label: str = "anonymous"
    user_id: int | None = None
    is_staff: bool = False
    permissions: frozenset[StaffPermission] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_staff

    def can(self, permission: StaffPermission) -> bool:
        return self.is_staff and permission in self.permissions


ANONYMOUS = Viewer()
DEVELOPMENT_STAFF = Viewer(
    label="staff:development-token", is_staff=True, permissions=frozenset(StaffPermission)
)


def viewer_for_token(token: str | None, settings: Settings) -> Viewer:
    """The viewer a bearer token stands for; anonymous when it is missing or unknown."""
    expected = settings.staff_token.get_secret_value() if settings.staff_token else None
    if token and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return DEVELOPMENT_STAFF
    return ANONYMOUS


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None
