"""Permission classes for root fields and sensitive object fields.

They read only the request's viewer. Staff classes name one permission each (admins hold
them all); `SignedIn` guards a shopper's own data, which the service then scopes to the
viewer's own rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.permission import BasePermission

from schema.context import Info
from schema.errors import Forbidden, Unauthenticated
from services.auth import StaffPermission, Viewer


def require_signed_in(viewer: Viewer) -> int:
    """The viewer's user id; the GraphQL error an anonymous caller gets otherwise."""
    if viewer.user_id is None:
        raise Unauthenticated("Sign in to do this.")
    return viewer.user_id


def require_admin(viewer: Viewer) -> None:
    if viewer.is_admin:
        return
    if not viewer.is_authenticated:
        raise Unauthenticated("Sign in as an admin to do this.")
    raise Forbidden("Only an admin can do this.")


def require(viewer: Viewer, permission: StaffPermission) -> None:
    """Raise the GraphQL error a caller without `permission` gets."""
    if viewer.can(permission):
        return
    if not viewer.is_authenticated:
        raise Unauthenticated("Sign in as staff to do this.")
    raise Forbidden(f"This needs the {permission.value!r} staff permission.")


class SignedIn(BasePermission):
    """Any signed-in person, shopper or staff."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_signed_in(info.context.viewer)
        return True


class AdminOnly(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require_admin(info.context.viewer)
        return True


class StaffOnly(BasePermission):
    permission: ClassVar[StaffPermission]

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        require(info.context.viewer, self.permission)
        return True


class CanManageCatalog(StaffOnly):
    permission = StaffPermission.CATALOG


class CanManageInventory(StaffOnly):
    permission = StaffPermission.INVENTORY


class CanManageOrders(StaffOnly):
    permission = StaffPermission.ORDERS


class CanManageCustomers(StaffOnly):
    permission = StaffPermission.CUSTOMERS


class CanManageSupport(StaffOnly):
    permission = StaffPermission.SUPPORT


class CanReadReports(StaffOnly):
    permission = StaffPermission.REPORTS


class CanManageSettings(StaffOnly):
    permission = StaffPermission.SETTINGS


class CanGrantStoreCredit(BasePermission):
    """Staff who keep the customers' accounts, or who answer them (a goodwill gesture that
    settles a support case); correcting a balance stays with the customers permission."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if not viewer.can(StaffPermission.SUPPORT):
            require(viewer, StaffPermission.CUSTOMERS)
        return True


class CanReadCarriers(BasePermission):
    """Staff who keep the shipping settings, or who ship orders with the carriers."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if not viewer.can(StaffPermission.ORDERS):
            require(viewer, StaffPermission.SETTINGS)
        return True


class CanSeeStock(BasePermission):
    """Staff who keep the catalog or the stock: both need a variant's stock figures."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if not viewer.can(StaffPermission.CATALOG):
            require(viewer, StaffPermission.INVENTORY)
        return True


class CanReadSupportSettings(BasePermission):
    """Staff who keep the shop's settings, or who answer customers under them."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if not viewer.can(StaffPermission.SUPPORT):
            require(viewer, StaffPermission.SETTINGS)
        return True


class CanReadSupportStatistics(BasePermission):
    """Staff who read the shop's reports, or who answer its customers."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        viewer = info.context.viewer
        if not viewer.can(StaffPermission.SUPPORT):
            require(viewer, StaffPermission.REPORTS)
        return True
