"""Permission classes for root fields and sensitive object fields.

They read only the request's viewer, so accounts plug in by changing how the viewer is
made, not the checks.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from schema.context import Info
from schema.errors import Forbidden, Unauthenticated
from services.auth import StaffPermission, Viewer


def require(viewer: Viewer, permission: StaffPermission) -> None:
    """Raise the GraphQL error a caller without `permission` gets."""
    if viewer.can(permission):
        return
    if not viewer.is_authenticated:
        raise Unauthenticated("Sign in as staff to do this.")
    raise Forbidden(f"This needs the {permission.value!r} staff permission.")


class StaffOnly(BasePermission):
    permission: ClassVar[StaffPermission]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require(info.context.viewer, self.permission)
        return True


class CanManageCatalog(StaffOnly):
    permission = StaffPermission.CATALOG
